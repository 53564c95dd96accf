from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "toasoan.operations"
    verbose_name = "Vận hành"
