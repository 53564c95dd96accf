from django.apps import AppConfig


class ArchivesConfig(AppConfig):
    name = "toasoan.archives"
    verbose_name = "Sao lưu và phục hồi"
