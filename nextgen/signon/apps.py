from django.apps import AppConfig


class SignonConfig(AppConfig):
    name = "nextgen.signon"
    label = "signon"
    verbose_name = "PACER accounts (central sign-on)"

    def ready(self) -> None:
        from nextgen import checks  # noqa: F401  (registers the deployment checks)
