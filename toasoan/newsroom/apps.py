from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "toasoan.newsroom"
    verbose_name = "Tòa soạn"

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from toasoan.news.models import Article
        from toasoan.newsroom.permissions import ArticlePermissionPolicy

        register_permission_policy(Article, ArticlePermissionPolicy(Article))

        from wagtail.signals import published

        from toasoan.newsroom.corrections import log_correction

        published.connect(log_correction, sender=Article)
