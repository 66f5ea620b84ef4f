from django.apps import AppConfig


class SignonConfig(AppConfig):
    name = "nextgen.signon"
    label = "signon"
    verbose_name = "PACER accounts (central sign-on)"

    def ready(self) -> None:
        from nextgen import checks, throttle  # noqa: F401  (checks: registers the deployment checks)

        from . import devices

        # The core throttle counts the owner's known device on its own (devices.py).
        if devices.known_device not in throttle.KNOWN_DEVICE:
            throttle.KNOWN_DEVICE.append(devices.known_device)
