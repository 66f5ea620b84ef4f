from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Account, BillingEntry, ExemptionRequest


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
                    "exemption_status",
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


admin.site.register(BillingEntry)
admin.site.register(ExemptionRequest)
