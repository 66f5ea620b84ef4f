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
        from .nef import queue_nef, receipt_lists
        from .reports import with_delivery_reports

        if queue_nef not in listeners.ENTRY_FILED_LISTENERS:
            listeners.ENTRY_FILED_LISTENERS.append(queue_nef)
        if redeem not in listeners.FREE_LOOK_REDEEMER:
            listeners.FREE_LOOK_REDEEMER.append(redeem)
        if receipt_lists not in listeners.NOTICE_PLANNERS:
            listeners.NOTICE_PLANNERS.append(receipt_lists)
        if with_delivery_reports not in listeners.ENTRY_REPORTERS:
            listeners.ENTRY_REPORTERS.append(with_delivery_reports)
        # Maintain Your E-mail: the notice preferences appear on ecf's Email information
        # page; a removed secondary address takes its preference with it.
        from nextgen.ecf.email_sections import register_email_section
        from nextgen.ecf.flows.emails import SECONDARY_EMAIL_REMOVED_LISTENERS

        from .preferences import forget_address
        from .views.preferences import section

        register_email_section(section)
        if forget_address not in SECONDARY_EMAIL_REMOVED_LISTENERS:
            SECONDARY_EMAIL_REMOVED_LISTENERS.append(forget_address)
