from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "toasoan.news"
    verbose_name = "Tin bài"

    def ready(self):
        from wagtail.signals import published, unpublished

        from toasoan.news.models import Article
        from toasoan.news.services import refresh_listings

        published.connect(refresh_listings, sender=Article)
        unpublished.connect(refresh_listings, sender=Article)
