from django.apps import AppConfig


class EcfConfig(AppConfig):
    name = "nextgen.ecf"
    label = "ecf"
    verbose_name = "Courts and CM/ECF accounts"

    def ready(self) -> None:
        # Personal data changed centrally is forwarded to every linked court, inside the
        # same transaction (see nextgen.ecf.forwarding). Guarded: ready() may run twice.
        from nextgen.signon.flows.maintenance import PERSONAL_DATA_LISTENERS

        from .forwarding import forward_personal_data

        if forward_personal_data not in PERSONAL_DATA_LISTENERS:
            PERSONAL_DATA_LISTENERS.append(forward_personal_data)

        # Staff CSV uploads are imported by the background worker between messages.
        from nextgen.outbox.worker import BACKGROUND_STEPS

        from .flows.import_jobs import run_next_import

        if run_next_import not in BACKGROUND_STEPS:
            BACKGROUND_STEPS.append(run_next_import)

        # Filers and court staff must enrol in MFA: signon asks its registry of the rows
        # that make an account need it (flows/mfa.py), never this app.
        from nextgen.signon.flows.mfa import MFA_REQUIRED_ROWS

        from .menus import filer_rows, staff_role_rows

        MFA_REQUIRED_ROWS.setdefault("filer", filer_rows)
        MFA_REQUIRED_ROWS.setdefault("role", staff_role_rows)

        # `nextgen demo` (signon) loads the demo courts, CM/ECF logins and staff.
        from nextgen.signon.demo import DEMO_LOADERS

        from .demo import print_demo_courts, print_demo_staff

        for loader in (print_demo_courts, print_demo_staff):
            if loader not in DEMO_LOADERS:
                DEMO_LOADERS.append(loader)
