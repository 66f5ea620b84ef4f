from django.apps import AppConfig


def _records_menu_url(court, label: str) -> str | None:
    """Where the court menu's Query, Reports and Search items lead (ecf.menus asks)."""
    from django.urls import reverse

    if label == "Query":
        return reverse("records:iquery", args=[court.code])
    if label in ("Reports", "Search"):
        return reverse("records:reports", args=[court.code])
    return None


class RecordsConfig(AppConfig):
    name = "nextgen.records"
    label = "records"
    verbose_name = "PACER records access"

    def ready(self) -> None:
        from nextgen.ecf.menus import register_menu_page

        register_menu_page(_records_menu_url)
