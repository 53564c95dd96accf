from django.apps import AppConfig


class ImportersConfig(AppConfig):
    name = "toasoan.importers"
    verbose_name = "Nhập dữ liệu"
