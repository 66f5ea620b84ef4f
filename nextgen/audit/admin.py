from django.contrib import admin

from .models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "action",
        "outcome",
        "actor",
        "subject",
        "username_tried",
        "court_code",
        "client_ip",
    )
    list_filter = ("outcome", "action", "court_code")
    search_fields = ("username_tried", "action", "court_code")

    # The log is append-only: read it here, never change it.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
