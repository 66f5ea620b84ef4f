from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "nextgen.outbox"
    label = "outbox"
    verbose_name = "Mail outbox"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the lease check
