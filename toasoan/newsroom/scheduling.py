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
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
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
    a later one.

    Each due article is published in a transaction of its own, its date written
    into the revision first. Wagtail's publish_scheduled, which does the rest
    (pages, expiry), saves the object, clears the schedule and writes the history
    entry as separate commits: a worker killed between them (kill -9) left an
    article live without its "published" history entry, or with its old date."""
    now = timezone.now()
    article_type = ContentType.objects.get_for_model(Article)
    due = Revision.objects.filter(
        base_content_type=article_type, approved_go_live_at__lte=now
    ).order_by("approved_go_live_at")
    due_ids = []
    for revision_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            # Read again, locked: another worker may have just published it.
            revision = Revision.objects.select_for_update().get(pk=revision_id)
            if revision.approved_go_live_at is None:
                continue
            dated = parse_datetime(revision.content.get("published_at") or "")
            if dated is None or dated < revision.approved_go_live_at:
                published_at = revision.approved_go_live_at.isoformat()
                revision.content["published_at"] = published_at
                revision.save(update_fields=["content"])
            revision.publish(log_action="wagtail.publish.scheduled")
            due_ids.append(int(revision.object_id))
    call_command("publish_scheduled", stdout=StringIO())
    return list(Article.objects.filter(pk__in=due_ids, live=True).order_by("pk"))
