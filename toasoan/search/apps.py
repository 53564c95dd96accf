from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "toasoan.search"
    label = "vi_search"  # "search" is Wagtail's
    verbose_name = "Tìm kiếm"

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate
        from wagtail.signals import published, unpublished

        from toasoan.news.models import Article
        from toasoan.search import signals

        published.connect(signals.article_published, sender=Article)
        unpublished.connect(signals.article_unpublished, sender=Article)
        post_delete.connect(signals.article_deleted, sender=Article)
        post_migrate.connect(signals.index_after_migrate, sender=self)
