"""The index follows the newsroom at once: publish, unpublish, edit, delete."""

from toasoan.search import services


def article_published(sender, instance, **kwargs):
    services.index_article(instance)


def article_unpublished(sender, instance, **kwargs):
    services.remove_article(instance.pk)


def article_deleted(sender, instance, **kwargs):
    services.remove_article(instance.pk)
