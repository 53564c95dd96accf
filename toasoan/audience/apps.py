from django.apps import AppConfig


class AudienceConfig(AppConfig):
    name = "toasoan.audience"
    verbose_name = "Bạn đọc"
