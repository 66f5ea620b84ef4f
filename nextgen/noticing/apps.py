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
        # Maintain Your E-mail: the notice preferences appear on ecf's Email information
        # page; a removed secondary address takes its preference with it.
        from django.db.models.signals import post_delete

        from nextgen.ecf.email_sections import register_email_section
        from nextgen.ecf.models import SecondaryEmail

        from .views.preferences import section

        register_email_section(section)
        post_delete.connect(
            _forget_removed_address, sender=SecondaryEmail, dispatch_uid="noticing_forget_address"
        )


def _forget_removed_address(sender, instance, **kwargs) -> None:
    from .preferences import forget_address

    forget_address(filer_id=instance.filer_id, address=instance.email)
