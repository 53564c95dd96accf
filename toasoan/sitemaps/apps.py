from django.apps import AppConfig


class SitemapsConfig(AppConfig):
    name = "toasoan.sitemaps"
    verbose_name = "Sitemaps"
