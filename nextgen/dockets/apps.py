from django.apps import AppConfig
from django.core.signals import setting_changed
from django.db.models.signals import post_save


def _seed_new_court(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """A court put on NextGen starts with the seeded filing events (see events.py)."""
    if created and not raw:
        from .events import seed_events

        seed_events(instance)


def _reset_document_storage(*, setting: str, **kwargs) -> None:
    if setting == "STORAGES":
        from django.utils.functional import empty

        from .models import document_storage

        # Back to unevaluated; the stubs type a LazyObject's _wrapped as the wrapped class.
        document_storage._wrapped = empty  # type: ignore[assignment]


def _filing_menu_url(court, menu: str) -> str:
    from django.urls import reverse

    return reverse("filing:menu", args=[court.code, menu])


class DocketsConfig(AppConfig):
    name = "nextgen.dockets"
    label = "dockets"
    verbose_name = "Cases and dockets"

    def ready(self) -> None:
        # ecf sits below dockets: it learns of new courts' needs through this signal
        # (a registry the higher app fills), never by importing dockets.
        from nextgen.ecf.models import Court

        from . import checks  # noqa: F401  (registers the documents storage checks)

        post_save.connect(_seed_new_court, sender=Court, dispatch_uid="dockets_seed_events")
        setting_changed.connect(_reset_document_storage, dispatch_uid="dockets_storage_reset")
        # The court menus (ecf) lead to this app's filing menus.
        from nextgen.ecf.menus import register_filing_menu

        register_filing_menu(_filing_menu_url)

        # `nextgen demo` (signon) loads the demo cases after ecf's courts and logins.
        from nextgen.signon.demo import DEMO_LOADERS

        from .demo import print_demo_cases

        if print_demo_cases not in DEMO_LOADERS:
            DEMO_LOADERS.append(print_demo_cases)
