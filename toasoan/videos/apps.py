from django.apps import AppConfig


class VideosConfig(AppConfig):
    name = "toasoan.videos"
    verbose_name = "Video"
