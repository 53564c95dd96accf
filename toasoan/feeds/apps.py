from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "toasoan.feeds"
    verbose_name = "Feeds"
