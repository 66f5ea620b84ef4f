from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "nextgen.api"
    label = "api"
    verbose_name = "PACER Authentication API"
