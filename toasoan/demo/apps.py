from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "toasoan.demo"
    verbose_name = "Dữ liệu mẫu"
