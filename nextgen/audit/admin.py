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


def _hide_queued_mail_from_admin() -> None:
    """Queued mail tasks carry message bodies, reset links among them (valid for an
    hour): they are not for browsing in the admin. Operators use the database and
    `nextgen prune_db_task_results` instead."""
    from django_tasks_db.models import DBTaskResult

    if admin.site.is_registered(DBTaskResult):
        admin.site.unregister(DBTaskResult)


_hide_queued_mail_from_admin()
