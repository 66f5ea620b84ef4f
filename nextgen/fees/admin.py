"""The fee schedule is data: a change is a new row added here (never an edit of a row
that priced charges). Charges are read-only: the receipt a user was shown is the row."""

from __future__ import annotations

from django.contrib import admin

from .models import Exemption, ExemptionRequest, FeeSchedule, Transaction


@admin.register(FeeSchedule)
class FeeScheduleAdmin(admin.ModelAdmin):
    list_display = [
        "effective_from",
        "page_price",
        "cap_pages",
        "html_bytes_per_page",
        "quarterly_waiver",
    ]

    def has_change_permission(self, request, obj=None) -> bool:
        # A row that may have priced charges stays as it was; add a new one instead.
        return obj is None

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Transaction)
class TransactionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "account", "court", "client_code", "description", "cost"]
    list_filter = ["kind", "free_reason"]
    search_fields = ["account__username", "client_code", "description"]
    raw_id_fields = ["account", "exemption"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Exemption)
class ExemptionAdmin(admin.ModelAdmin):
    # Granted and ended by the court's staff on their pages (audited); read-only here.
    list_display = ["account", "court", "category", "starts_on", "ends_on", "revoked_at"]
    list_filter = ["court", "category"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ExemptionRequest)
class ExemptionRequestAdmin(admin.ModelAdmin):
    list_display = ["account", "court", "category", "state", "created_at", "decided_at"]
    list_filter = ["court", "state"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
