"""The index follows the newsroom at once: publish, unpublish, edit, delete."""

from toasoan.search import services


def article_published(sender, instance, **kwargs):
    services.index_article(instance)


def article_unpublished(sender, instance, **kwargs):
    services.remove_article(instance.pk)


def article_deleted(sender, instance, **kwargs):
    services.remove_article(instance.pk)


def index_after_migrate(sender, **kwargs):
    if services.ensure_index_current():
        verbosity = kwargs.get("verbosity", 1)
        if verbosity:
            print("  Search index rebuilt for key version", services.KEY_VERSION)
