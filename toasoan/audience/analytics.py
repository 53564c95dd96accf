"""The audience figures the admin's "Lượt xem" page shows: views per day, per hour
of the day and per article, for the site, a section, an author or an article, in
a date range. Days and hours are Vietnam's (Asia/Ho_Chi_Minh)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Sum
from django.utils import timezone

from toasoan.audience.models import ArticleViewHour
from toasoan.news.models import Article, SectionPage

MAX_DAYS = 366


@dataclass
class Scope:
    """What to count: all, or one section (with its subsections), author, article."""

    section: SectionPage | None = None
    author_slug: str = ""
    article: Article | None = None

    def filter(self, hours):
        if self.article is not None:
            return hours.filter(article=self.article)
        if self.section is not None:
            ids = SectionPage.objects.filter(path__startswith=self.section.path)
            hours = hours.filter(article__section__in=ids)
        if self.author_slug:
            hours = hours.filter(article__bylines__name_slug=self.author_slug)
        return hours


@dataclass
class Audience:
    start: date
    end: date  # inclusive
    total: int = 0
    by_day: list[tuple[date, int]] = field(default_factory=list)
    by_hour: list[tuple[int, int]] = field(default_factory=list)
    top_articles: list[tuple[Article, int]] = field(default_factory=list)


def clamp_range(start: date | None, end: date | None, today: date) -> tuple[date, date]:
    """A sane range: default the last 30 days, swapped if reversed, at most a year."""
    end = end or today
    start = start or end - timedelta(days=29)
    if start > end:
        start, end = end, start
    if (end - start).days >= MAX_DAYS:
        start = end - timedelta(days=MAX_DAYS - 1)
    return start, end


def audience(start: date, end: date, scope: Scope, top: int = 20) -> Audience:
    zone = timezone.get_current_timezone()
    since = datetime.combine(start, time(), zone)
    until = datetime.combine(end + timedelta(days=1), time(), zone)
    hours = scope.filter(
        ArticleViewHour.objects.filter(hour__gte=since, hour__lt=until)
    )
    per_hour = hours.values("hour").annotate(views=Sum("views")).order_by("hour")
    days: Counter[date] = Counter()
    hours_of_day: Counter[int] = Counter()
    for row in per_hour:
        local = timezone.localtime(row["hour"], zone)
        days[local.date()] += row["views"]
        hours_of_day[local.hour] += row["views"]
    result = Audience(start=start, end=end, total=sum(days.values()))
    result.by_day = [
        (start + timedelta(days=n), days[start + timedelta(days=n)])
        for n in range((end - start).days + 1)
    ]
    result.by_hour = [(hour, hours_of_day[hour]) for hour in range(24)]
    ranked = (
        hours.values("article_id")
        .annotate(views=Sum("views"))
        .order_by("-views", "-article_id")[:top]
    )
    articles = Article.objects.select_related("section").in_bulk(
        [row["article_id"] for row in ranked]
    )
    result.top_articles = [
        (articles[row["article_id"]], row["views"])
        for row in ranked
        if row["article_id"] in articles
    ]
    return result


def csv_rows(start: date, end: date, scope: Scope):
    """Per day and article: ngày, mã bài, tiêu đề, chuyên mục, lượt xem."""
    zone = timezone.get_current_timezone()
    since = datetime.combine(start, time(), zone)
    until = datetime.combine(end + timedelta(days=1), time(), zone)
    hours = scope.filter(
        ArticleViewHour.objects.filter(hour__gte=since, hour__lt=until)
    )
    totals: Counter[tuple[date, int]] = Counter()
    for hour, article_id, views in hours.values_list("hour", "article_id", "views"):
        totals[(timezone.localtime(hour, zone).date(), article_id)] += views
    articles = Article.objects.select_related("section").in_bulk(
        {article_id for _, article_id in totals}
    )
    yield ["ngày", "mã bài", "tiêu đề", "chuyên mục", "lượt xem"]
    for (day, article_id), views in sorted(totals.items()):
        article = articles.get(article_id)
        if article is not None:
            yield [
                day.isoformat(),
                article_id,
                article.title,
                article.section.title,
                views,
            ]
