from django.contrib import admin

from .models import Court, FilerAccount


@admin.register(Court)
class CourtAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "go_live", "link_menu")
    list_filter = ("kind", "link_menu")
    search_fields = ("code", "name")


@admin.register(FilerAccount)
class FilerAccountAdmin(admin.ModelAdmin):
    list_display = (
        "login",
        "court",
        "first_name",
        "last_name",
        "email",
        "bar_number",
        "account",
        "linked_at",
    )
    list_filter = ("court",)
    search_fields = ("login", "first_name", "last_name", "email", "bar_number", "account__username")
    raw_id_fields = ("account",)
    # The old password hash is never shown or edited here.
    exclude = ("password",)
    readonly_fields = ("linked_at", "created_at", "updated_at")
