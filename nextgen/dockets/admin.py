"""Read-only admin views of the court record: every change goes through the audited
actions (nextgen.dockets.actions and .staff), never through the admin."""

from django.contrib import admin

from .models import Case, CaseFee, DocketEntry, Document, FilingEvent, Party, Representation


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("number", "court", "title", "case_type", "date_filed", "date_terminated")
    list_filter = ("court", "case_type", "sealed")
    search_fields = ("title",)


@admin.register(Party)
class PartyAdmin(ReadOnlyAdmin):
    list_display = ("name", "role", "case")
    search_fields = ("name",)


@admin.register(Representation)
class RepresentationAdmin(ReadOnlyAdmin):
    list_display = ("filer", "party", "lead_attorney", "date_terminated")


@admin.register(FilingEvent)
class FilingEventAdmin(ReadOnlyAdmin):
    list_display = ("label", "court", "menu", "group", "who", "fee", "active")
    list_filter = ("court", "menu", "who")


@admin.register(DocketEntry)
class DocketEntryAdmin(ReadOnlyAdmin):
    list_display = ("case", "number", "date_filed", "event", "sealed")
    list_filter = ("sealed",)
    search_fields = ("text",)


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ("entry", "number", "description", "page_count", "size")
    # The storage name is the document's only secret address: not shown.
    exclude = ("file",)


@admin.register(CaseFee)
class CaseFeeAdmin(ReadOnlyAdmin):
    list_display = ("case", "amount", "due", "paid_at", "receipt_number")
