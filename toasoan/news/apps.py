from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "toasoan.news"
    verbose_name = "Tin bài"
