"""The figures of a period review ("báo cáo sơ kết"), by database aggregation.

What counts, decided here and said in the report:
- *Published in the period*: articles that went public with a publication time
  inside the period's Vietnamese days, and are public now or were withdrawn
  after (withdrawal is a kind of output the review must show). Drafts, articles
  taken back to draft and scheduled ones are not output.
- *Views in the period*: the reads toasoan counted in those days (hourly rows),
  whatever the article's age. Totals imported from an old system have no date
  and are not in any period.
- *Views per article*: for the period's own articles, the views each got within
  the period; articles nobody read count as 0 in the median and the mean.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from wagtail.models import Locale

from toasoan.audience.models import ArticleViewHour
from toasoan.news.models import Article, ArticleKeyword, Byline, SectionPage
from toasoan.reports.periods import Period
from toasoan.videos.models import Video

TOP_ARTICLES = 10
TOP_KEYWORDS = 10
LANGUAGE_NAMES = {
    "vi": "Tiếng Việt",
    "en": "Tiếng Anh",
    "fr": "Tiếng Pháp",
    "zh-hans": "Tiếng Trung",
    "lo": "Tiếng Lào",
    "km": "Tiếng Khmer",
}


def edition_label(language: str) -> str:
    """ "Tiếng Việt" → "Ấn bản tiếng Việt": the language's name keeps its capital."""
    return f"Ấn bản {language[:1].lower()}{language[1:]}"


KINDS = {
    "text": "Tin, bài viết",
    "video": "Tin, bài có video",
    "corrected": "Có đính chính",
    "withdrawn": "Đã gỡ",
}


@dataclass
class TopArticle:
    id: int
    title: str
    section: str
    published_at: datetime
    views: int
    url: str


@dataclass
class Summary:
    """The headline figures, also computed for the periods compared with."""

    period: Period
    published: int = 0
    videos: int = 0
    video_seconds: float = 0.0
    views: int = 0
    mean_views: float = 0.0


@dataclass
class Change:
    label: str
    now: float
    before: float
    difference: float
    percent: float | None  # None: nothing to compare with (the earlier was 0)


@dataclass
class Report:
    period: Period
    summary: Summary
    median_views: float = 0.0
    by_section: list[tuple[str, int]] = field(default_factory=list)
    by_author: list[tuple[str, int]] = field(default_factory=list)
    by_kind: dict[str, int] = field(default_factory=dict)
    by_language: list[tuple[str, int]] = field(default_factory=list)
    views_by_section: list[tuple[str, int]] = field(default_factory=list)
    views_by_kind: dict[str, int] = field(default_factory=dict)
    top_articles: list[TopArticle] = field(default_factory=list)
    daily: list[tuple[date, int, int]] = field(
        default_factory=list
    )  # day, published, views
    keywords: list[tuple[str, int]] = field(default_factory=list)
    silent_sections: list[str] = field(default_factory=list)
    compared: dict[str, list[Change]] = field(
        default_factory=dict
    )  # "previous", "year_before"
    compared_periods: dict[str, Period] = field(default_factory=dict)


def _bounds(period: Period) -> tuple[datetime, datetime]:
    """Vietnam's midnight at the start, and after the last day."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(period.start, time(), zone)
    return start, datetime.combine(period.end + timedelta(days=1), time(), zone)


def published_in(period: Period):
    start, end = _bounds(period)
    return Article.objects.public().filter(
        published_at__gte=start, published_at__lt=end
    )


def views_in(period: Period):
    start, end = _bounds(period)
    return ArticleViewHour.objects.filter(hour__gte=start, hour__lt=end)


def summarize(period: Period) -> Summary:
    articles = published_in(period)
    counts = articles.aggregate(published=Count("pk"))
    # One video may serve several articles: count and time it once. (No
    # ordering in the subquery: Article's default one would enter a DISTINCT.)
    videos = Video.objects.filter(
        pk__in=articles.order_by().exclude(video=None).values("video_id")
    ).aggregate(n=Count("pk"), seconds=Sum("duration_seconds"))
    views = views_in(period).aggregate(total=Sum("views"))["total"] or 0
    own_views = (
        views_in(period)
        .filter(article__in=articles.values("pk"))
        .aggregate(total=Sum("views"))["total"]
        or 0
    )
    published = counts["published"]
    return Summary(
        period=period,
        published=published,
        videos=videos["n"],
        video_seconds=videos["seconds"] or 0.0,
        views=views,
        mean_views=own_views / published if published else 0.0,
    )


def compare(now: Summary, before: Summary) -> list[Change]:
    rows = [
        ("Tin, bài đã đăng", now.published, before.published),
        ("Video đã đăng", now.videos, before.videos),
        ("Thời lượng video (phút)", round(now.video_seconds / 60, 1),
         round(before.video_seconds / 60, 1)),
        ("Lượt xem trong kỳ", now.views, before.views),
        ("Lượt xem trung bình mỗi bài", round(now.mean_views, 1),
         round(before.mean_views, 1)),
    ]  # fmt: skip
    return [
        Change(label, value, earlier, value - earlier,
               round((value - earlier) * 100 / earlier, 1) if earlier else None)
        for label, value, earlier in rows
    ]  # fmt: skip


def build_report(period: Period) -> Report:
    articles = published_in(period)
    views = views_in(period)
    report = Report(period=period, summary=summarize(period))

    report.by_section = [
        (row["section__title"], row["n"])
        for row in articles.values("section__title")
        .annotate(n=Count("pk"))
        .order_by("-n", "section__title")
    ]
    bylines = (
        Byline.objects.filter(article__in=articles.values("pk"))
        .values("name_slug", "author__name", "name")
        .annotate(n=Count("article", distinct=True))
    )
    authors: Counter[str] = Counter()
    for row in bylines:
        authors[row["author__name"] or row["name"]] += row["n"]
    report.by_author = sorted(authors.items(), key=lambda item: (-item[1], item[0]))
    kinds = articles.aggregate(
        video=Count("pk", filter=Q(video__isnull=False)),
        corrected=Count("pk", filter=~Q(correction_note="")),
        withdrawn=Count("pk", filter=Q(withdrawn_at__isnull=False)),
    )
    report.by_kind = {
        "text": report.summary.published - kinds["video"],
        "video": kinds["video"],
        "corrected": kinds["corrected"],
        "withdrawn": kinds["withdrawn"],
    }
    names = dict(Locale.objects.values_list("pk", "language_code"))
    report.by_language = [
        (LANGUAGE_NAMES.get(names[row["locale"]], names[row["locale"]]), row["n"])
        for row in articles.values("locale").annotate(n=Count("pk")).order_by("-n")
    ]

    report.views_by_section = [
        (row["article__section__title"], row["n"])
        for row in views.values("article__section__title")
        .annotate(n=Sum("views"))
        .order_by("-n", "article__section__title")
    ]
    by_kind = views.aggregate(
        video=Sum("views", filter=Q(article__video__isnull=False)),
        text=Sum("views", filter=Q(article__video__isnull=True)),
    )
    report.views_by_kind = {
        "text": by_kind["text"] or 0,
        "video": by_kind["video"] or 0,
    }

    top = list(
        views.values("article")
        .annotate(n=Sum("views"))
        .order_by("-n", "article")[:TOP_ARTICLES]
    )
    found = Article.objects.select_related("section", "locale").in_bulk(
        [row["article"] for row in top]
    )
    report.top_articles = [
        TopArticle(
            a.pk,
            a.title,
            a.section.title,
            a.published_at,
            row["n"],
            a.get_absolute_url(),
        )
        for row in top
        if (a := found.get(row["article"]))
    ]

    per_article = dict(
        views.filter(article__in=articles.values("pk"))
        .values("article")
        .annotate(n=Sum("views"))
        .values_list("article", "n")
    )
    if report.summary.published:
        counts = list(per_article.values())
        counts += [0] * (report.summary.published - len(counts))
        report.median_views = float(statistics.median(counts))

    zone = timezone.get_current_timezone()
    published_per_day = dict(
        articles.annotate(day=TruncDate("published_at", tzinfo=zone))
        .values("day").annotate(n=Count("pk")).values_list("day", "n")
    )  # fmt: skip
    # Views by hour from the database, then hours to Vietnamese days here: on
    # SQLite a time-zone TruncDate is a Python call per row (3.5× slower).
    views_per_day: Counter[date] = Counter()
    hourly = views.order_by().values("hour").annotate(n=Sum("views"))
    for hour, n in hourly.values_list("hour", "n"):
        views_per_day[timezone.localtime(hour, zone).date()] += n
    report.daily = [
        (day, published_per_day.get(day, 0), views_per_day.get(day, 0))
        for day in (period.start + timedelta(days=n) for n in range(period.days))
    ]

    tagged = ArticleKeyword.objects.filter(content_object__in=articles.values("pk"))
    report.keywords = [
        (row["tag__name"], row["n"])
        for row in tagged.values("tag__name")
        .annotate(n=Count("content_object", distinct=True))
        .order_by("-n", "tag__name")[:TOP_KEYWORDS]
    ]

    with_output = set(
        articles.order_by().values_list("section__path", flat=True).distinct()
    )
    report.silent_sections = [
        section.title
        for section in SectionPage.objects.live().order_by("path")
        if not any(path.startswith(section.path) for path in with_output)
    ]

    for name, earlier in (
        ("previous", period.previous()),
        ("year_before", period.year_before()),
    ):
        report.compared_periods[name] = earlier
        report.compared[name] = compare(report.summary, summarize(earlier))
    return report
