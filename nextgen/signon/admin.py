from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import transaction

from .models import Account


@admin.register(Account)
class AccountAdmin(UserAdmin):
    ordering = ("username_key",)
    list_display = (
        "username",
        "first_name",
        "last_name",
        "email",
        "user_type",
        "is_shared",
        "upgraded_at",
        "is_active",
    )
    list_filter = ("user_type", "is_shared", "is_active", "is_service_center")
    search_fields = ("username", "first_name", "last_name", "email")
    readonly_fields = ("created_at", "last_login", "security_answer_1", "security_answer_2")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            "Person",
            {
                "fields": (
                    "first_name",
                    "last_name",
                    "date_of_birth",
                    "email",
                    "user_type",
                    "is_shared",
                )
            },
        ),
        (
            "Address",
            {
                "fields": (
                    "firm",
                    "address",
                    "city",
                    "state",
                    "county",
                    "zip_code",
                    "country",
                    "phone",
                )
            },
        ),
        (
            "Status",
            {
                "fields": (
                    "created_at",
                    "upgraded_at",
                    "is_active",
                    "deactivation_reason",
                    "is_service_center",
                    "is_staff",
                    "is_superuser",
                    "last_login",
                )
            },
        ),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "email",
                    "first_name",
                    "last_name",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def user_change_password(self, request, id, form_url=""):
        # The new password and its audit event (admin_site.AuditedAdmin) commit together.
        with transaction.atomic():
            return super().user_change_password(request, id, form_url)


def _hide_authenticator_secrets_from_admin() -> None:
    """django-otp's device admin shows each authenticator's secret (its QR code and
    key): whoever reads it can make the account's passcodes. Not for the admin."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if admin.site.is_registered(TOTPDevice):
        admin.site.unregister(TOTPDevice)


_hide_authenticator_secrets_from_admin()
