from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "toasoan.api"
    verbose_name = "API"
