from django.contrib import admin

from .models import Court, FilerAccount
from .services import set_go_live


@admin.register(Court)
class CourtAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "go_live", "link_menu")
    list_filter = ("kind", "link_menu")
    search_fields = ("code", "name")

    def save_model(self, request, obj, form, change) -> None:
        # A go-live change goes through the service, so it is audited and announced
        # to the court's unlinked filers exactly as from the CLI or the staff page.
        if not (change and "go_live" in form.changed_data):
            return super().save_model(request, obj, form, change)
        new = obj.go_live
        obj.go_live = form.initial.get("go_live")
        super().save_model(request, obj, form, change)
        set_go_live(court=obj, go_live=new, acting=request.user, request=request)


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
    # The old password hash is never shown or edited here.
    exclude = ("password",)
    # A link is made only by the attorney's linking flow and undone only by a staff unlink
    # (its rules, its audit event, the court's record kept and restored): never here.
    readonly_fields = ("court", "account", "linked_at", "created_at", "updated_at")
