from django.contrib import admin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens can be looked at and revoked (set revoked_at), never read back: only
    hashes are stored."""

    list_display = ["id", "account", "client_code", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["account__username"]
    readonly_fields = [
        "account",
        "key_hash",
        "auth_hash",
        "created_at",
        "last_used_at",
        "expires_at",
        "client_code",
        "user_agent",
        "ip",
    ]

    def has_add_permission(self, request) -> bool:
        return False
