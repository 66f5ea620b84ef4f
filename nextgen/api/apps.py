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

        # Credentials revoked centrally (deactivation, MFA changes, "sign out everywhere")
        # also end this app's tokens; and a court page's `?logout` ends a client's token.
        from nextgen.ecf.menus import COURT_LOGOUT_HANDLERS
        from nextgen.signon.revocation import CREDENTIALS_REVOKED_LISTENERS

        from .tokens import court_logout, revoke_all_for

        if revoke_all_for not in CREDENTIALS_REVOKED_LISTENERS:
            CREDENTIALS_REVOKED_LISTENERS.append(revoke_all_for)
        if court_logout not in COURT_LOGOUT_HANDLERS:
            COURT_LOGOUT_HANDLERS.append(court_logout)
