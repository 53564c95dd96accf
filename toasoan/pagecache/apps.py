from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "toasoan.pagecache"
    verbose_name = "Bộ đệm trang"

    def ready(self):
        from toasoan.pagecache import signals

        signals.connect()
