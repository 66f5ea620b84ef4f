from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "nextgen.audit"
    label = "audit"
    verbose_name = "Audit log"
