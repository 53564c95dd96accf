"""What purges the page cache (purge.py): every change a reader can see."""

from __future__ import annotations


def article_changed(sender, instance, **kwargs) -> None:
    from toasoan.pagecache.purge import purge_article

    purge_article(instance)


def article_deleting(sender, instance, **kwargs) -> None:
    """Its keywords and bylines go before the article does: list its pages now."""
    from toasoan.pagecache.purge import article_addresses, purge

    purge(article_addresses(instance))


def video_changed(sender, instance, created: bool = False, **kwargs) -> None:
    """Processing done, captions added, a file attached: the pages that play it
    change (its poster, the player, the video section)."""
    if created:
        return  # no article shows it yet
    from toasoan.pagecache.purge import article_addresses, purge

    # One purge for all of them (the generation moves on once), and none when no
    # live article plays it: nothing a reader sees has changed.
    paths = [
        path
        for article in instance.articles.filter(live=True)
        for path in article_addresses(article)
    ]
    if paths:
        purge(paths)


def site_changed(sender=None, created: bool = False, **kwargs) -> None:
    if created and sender is not None and sender._meta.model_name == "presssettings":
        return  # a settings row made empty on first use changes nothing shown
    from toasoan.pagecache.purge import purge_site

    purge_site()


def connect() -> None:
    from django.db.models.signals import post_delete, post_save, pre_delete
    from wagtail.signals import page_published, page_unpublished, published, unpublished

    from toasoan.core.models import PressSettings
    from toasoan.news.models import Article

    published.connect(article_changed, sender=Article)
    unpublished.connect(article_changed, sender=Article)
    pre_delete.connect(article_deleting, sender=Article)
    page_published.connect(site_changed)
    page_unpublished.connect(site_changed)
    post_delete.connect(site_changed, sender="wagtailcore.Page")
    post_save.connect(site_changed, sender=PressSettings)
    post_save.connect(video_changed, sender="videos.Video")
