from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "nextgen.outbox"
    label = "outbox"
    verbose_name = "Mail outbox"
