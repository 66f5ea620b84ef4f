from django.apps import AppConfig


class NoticingConfig(AppConfig):
    name = "nextgen.noticing"
    label = "noticing"
    verbose_name = "Notices of Electronic Filing"

    def ready(self) -> None:
        # dockets sits below noticing: it learns that an entry was filed through its
        # listener registry, which this app fills (never by importing noticing).
        from nextgen.dockets import listeners

        from .free_look import redeem
        from .nef import queue_nef
        from .reports import with_delivery_reports

        if queue_nef not in listeners.ENTRY_FILED_LISTENERS:
            listeners.ENTRY_FILED_LISTENERS.append(queue_nef)
        if redeem not in listeners.FREE_LOOK_REDEEMER:
            listeners.FREE_LOOK_REDEEMER.append(redeem)
        if with_delivery_reports not in listeners.ENTRY_REPORTERS:
            listeners.ENTRY_REPORTERS.append(with_delivery_reports)
