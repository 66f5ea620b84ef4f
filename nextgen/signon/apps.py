from django.apps import AppConfig


class SignonConfig(AppConfig):
    name = "nextgen.signon"
    label = "signon"
    verbose_name = "PACER accounts (central sign-on)"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from nextgen import checks, throttle  # noqa: F401  (checks: registers the deployment checks)

        from . import devices
        from .flows.login import update_last_login

        # Django's receiver writes last_login with a statement of its own; a sign-in here
        # writes it with the session's row (flows/sessions.begin), so ours skips those.
        user_logged_in.disconnect(dispatch_uid="update_last_login")
        user_logged_in.connect(update_last_login, dispatch_uid="update_last_login")

        # The core throttle counts the owner's known device on its own (devices.py).
        if devices.known_device not in throttle.KNOWN_DEVICE:
            throttle.KNOWN_DEVICE.append(devices.known_device)
