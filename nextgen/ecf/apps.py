from django.apps import AppConfig


class EcfConfig(AppConfig):
    name = "nextgen.ecf"
    label = "ecf"
    verbose_name = "Courts and CM/ECF accounts"
