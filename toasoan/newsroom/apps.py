from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "toasoan.newsroom"
    verbose_name = "Tòa soạn"

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from toasoan.news.models import Article
        from toasoan.newsroom.permissions import ArticlePermissionPolicy

        register_permission_policy(Article, ArticlePermissionPolicy(Article))

        from wagtail.signals import (
            published,
            task_approved,
            task_rejected,
            task_submitted,
            workflow_submitted,
        )

        from toasoan.newsroom.corrections import log_correction
        from toasoan.newsroom.locking import release_edit_lock

        published.connect(log_correction, sender=Article)
        published.connect(release_edit_lock, sender=Article)
        handing_on = (workflow_submitted, task_submitted, task_approved, task_rejected)
        for handed_on in handing_on:
            handed_on.connect(release_edit_lock)
