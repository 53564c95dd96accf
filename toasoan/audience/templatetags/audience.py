"""The view count a page shows: the stored total plus the views still queued."""

from django import template

from toasoan.audience.flushing import unflushed_views

register = template.Library()


@register.filter
def views_now(article) -> int:
    """``article.view_count`` (read with the article) plus what is not added yet,
    so the figure is not the worker's few seconds behind."""
    return article.view_count + unflushed_views([article.pk]).get(article.pk, 0)
