"""Read-only admin views of notices and free looks (who was served, and how): changes go
through the filing actions and the preferences page, never the admin."""

from django.contrib import admin

from nextgen.dockets.admin import ReadOnlyAdmin

from .models import FreeLook, Notice


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ("kind", "entry", "summary_date", "name", "address", "format", "created_at")
    list_filter = ("kind", "format")
    search_fields = ("address", "name")
    list_select_related = ("entry",)


@admin.register(FreeLook)
class FreeLookAdmin(ReadOnlyAdmin):
    list_display = ("document", "address", "created_at", "expires_at", "used_at")
    exclude = ("key_hash",)
