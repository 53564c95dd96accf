"""Scheduled publishing that happens on time, without cron: the worker
(``python -m toasoan worker``, started by ``make run``) calls ``publish_due``
every few seconds. Wagtail's own ``publish_scheduled`` does the publishing (pages
and articles alike); this module adds what a newsroom needs around it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from io import StringIO

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Revision

from toasoan.news.models import Article

# Later than this after its time, a scheduled article is overdue: the worker
# should have published it (it checks every 2 seconds).
GRACE = timedelta(seconds=60)


@dataclass(frozen=True)
class ScheduledArticle:
    article: Article
    go_live_at: datetime


def scheduled_articles() -> list[ScheduledArticle]:
    """Articles approved to go live at a set time, soonest first."""
    revisions = Revision.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Article),
        approved_go_live_at__isnull=False,
    ).order_by("approved_go_live_at")
    times = {int(r.object_id): r.approved_go_live_at for r in revisions}
    articles = Article.objects.in_bulk(list(times))
    return [
        ScheduledArticle(articles[pk], at) for pk, at in times.items() if pk in articles
    ]


def overdue_articles(
    now: datetime | None = None, items: list[ScheduledArticle] | None = None
) -> list[ScheduledArticle]:
    """Scheduled articles whose time passed more than GRACE ago: the worker is
    down or failing."""
    now = now or timezone.now()
    items = scheduled_articles() if items is None else items
    return [s for s in items if s.go_live_at <= now - GRACE]


def publish_due() -> list[Article]:
    """Publish what is due and unpublish what expired; returns the articles that
    went live. An article shows its go-live time as its date, unless an editor set
    a later one."""
    now = timezone.now()
    due = [s for s in scheduled_articles() if s.go_live_at <= now]
    call_command("publish_scheduled", stdout=StringIO())
    published = []
    for item in due:
        article = Article.objects.get(pk=item.article.pk)
        if not article.live:
            continue
        if article.published_at < item.go_live_at:
            article.published_at = item.go_live_at
            article.save(update_fields=["published_at"])
        published.append(article)
    return published
