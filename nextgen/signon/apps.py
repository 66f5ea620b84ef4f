from django.apps import AppConfig


class SignonConfig(AppConfig):
    name = "nextgen.signon"
    label = "signon"
    verbose_name = "PACER accounts (central sign-on)"
