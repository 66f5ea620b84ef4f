from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "nextgen.api"
    label = "api"
    verbose_name = "PACER Authentication API"

    def ready(self) -> None:
        # Manage My Account → Signed-in Sessions lists API tokens too; signon sits below
        # this app, so it learns of them through its registry. Guarded: may run twice.
        from nextgen.signon.flows.sessions import PROGRAM_SESSION_SOURCES

        from .tokens import program_sessions

        if program_sessions not in PROGRAM_SESSION_SOURCES:
            PROGRAM_SESSION_SOURCES.append(program_sessions)
