from django.apps import AppConfig


class FeesConfig(AppConfig):
    name = "nextgen.fees"
    label = "fees"
    verbose_name = "PACER fees"

    def ready(self) -> None:
        # The audit trail's labels live in signon (a lower layer): fill them in here.
        from nextgen.signon.notices import AUDIT_ACTION_LABELS

        from .notices import AUDIT_ACTIONS

        for action, label in AUDIT_ACTIONS.items():
            AUDIT_ACTION_LABELS.setdefault(action, label)
