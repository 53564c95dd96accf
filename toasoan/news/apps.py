from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NewsConfig(AppConfig):
    name = "toasoan.news"
    verbose_name = "Tin bài"

    def ready(self):
        from wagtail.signals import published, unpublished

        from toasoan.news.models import Article
        from toasoan.news.services import refresh_listings

        published.connect(refresh_listings, sender=Article)
        unpublished.connect(refresh_listings, sender=Article)
        post_migrate.connect(_ensure_editions, sender=self)


def _ensure_editions(using="default", **kwargs) -> None:
    # A language added to TOASOAN_LANGUAGES gets its locale and home page at the
    # next `migrate` (news/editions.py). Tests make their editions themselves.
    from django.conf import settings

    if not settings.TOASOAN_CREATE_EDITIONS_ON_MIGRATE or using != "default":
        return
    from toasoan.news.editions import ensure_editions

    ensure_editions()
