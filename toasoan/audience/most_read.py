""" "Đọc nhiều": the most read articles of the last 24 hours, 7 days and 30 days,
site-wide and per section, counted from the hourly view totals. The worker
refreshes every list once a minute into the cache, so a page only reads a few
ids; a list missing from the cache is computed on the spot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from toasoan.audience.models import ArticleViewHour
from toasoan.news.models import Article, SectionPage

PERIODS = {
    "24h": (_("24 giờ"), timedelta(hours=24)),
    "7d": (_("7 ngày"), timedelta(days=7)),
    "30d": (_("30 ngày"), timedelta(days=30)),
}
LIST_LENGTH = 5
KEEP_SECONDS = 180  # the worker refreshes every minute; a miss recomputes


@dataclass
class MostReadList:
    period: str
    label: str
    articles: list[Article]


def _key(locale_id: int, section_id: int | None, period: str) -> str:
    return f"toasoan:most-read:{locale_id}:{section_id or 'all'}:{period}"


def _section_ids(section: SectionPage | None) -> list[int] | None:
    if section is None:
        return None
    return list(
        SectionPage.objects.filter(path__startswith=section.path).values_list(
            "pk", flat=True
        )
    )


def compute_most_read(
    locale_id: int, section: SectionPage | None, period: str, now=None
) -> list[int]:
    now = now or timezone.now()
    since = (now - PERIODS[period][1]).replace(minute=0, second=0, microsecond=0)
    hours = ArticleViewHour.objects.filter(
        hour__gte=since,
        article__live=True,
        article__withdrawn_at__isnull=True,
        article__published_at__lte=now,
        article__locale_id=locale_id,
    )
    if (ids := _section_ids(section)) is not None:
        hours = hours.filter(article__section_id__in=ids)
    ranked = (
        hours.values("article_id")
        .annotate(total=Sum("views"))
        .order_by("-total", "-article_id")[:LIST_LENGTH]
    )
    return [row["article_id"] for row in ranked]


def refresh_most_read() -> int:
    """Every list, into the cache (a worker duty); returns how many lists."""
    from wagtail.models import Locale

    count = 0
    for locale_id in Locale.objects.values_list("pk", flat=True):
        sections = [None, *SectionPage.objects.live().filter(locale_id=locale_id)]
        for section in sections:
            for period in PERIODS:
                ids = compute_most_read(locale_id, section, period)
                cache.set(
                    _key(locale_id, getattr(section, "pk", None), period),
                    ids,
                    KEEP_SECONDS,
                )
                count += 1
    return count


def most_read_lists(locale, section: SectionPage | None = None) -> list[MostReadList]:
    """The three lists for a page; periods without any reads are left out."""
    lists = []
    for period, (label, _window) in PERIODS.items():
        key = _key(locale.pk, getattr(section, "pk", None), period)
        ids = cache.get(key)
        if ids is None:
            ids = compute_most_read(locale.pk, section, period)
            cache.set(key, ids, KEEP_SECONDS)
        if ids:
            found = Article.objects.published().in_bulk(ids)
            articles = [found[pk] for pk in ids if pk in found]
            if articles:
                lists.append(MostReadList(period, label, articles))
    return lists
