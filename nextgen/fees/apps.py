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

        # Court pages read the waiver line in the court's own query (one round trip
        # less on every court page).
        import datetime as dt

        from nextgen.ecf.menus import VIEWER_EXTRAS, ViewerExtra

        from .context_processors import keep_read_with_court
        from .selectors import annotate_waiver, quarter_args

        extra = ViewerExtra(
            arg_types=(dt.date, dt.date, dt.date),
            args=quarter_args,
            annotate=annotate_waiver,
            keep=keep_read_with_court,
        )
        if extra not in VIEWER_EXTRAS:
            VIEWER_EXTRAS.append(extra)
