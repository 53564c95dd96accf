"""What the JSON API reads: published articles chosen by the API's filters, and
the figures a client may use to ask "has this changed?" (Last-Modified)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from wagtail.models import Locale

from toasoan.news.models import Article, Author, Byline, Keyword, SectionPage


@dataclass
class ArticleFilters:
    section: int | None = None
    keyword: str | None = None
    author: str | None = None
    since: date | None = None  # published on or after this day (site time)
    until: date | None = None  # published on or before this day
    language: str | None = None


# Days outside these select the same articles as these, and year 1 or 9999
# cannot be moved to UTC: clamped, a client's "0001-01-01" is no error.
EARLIEST, LATEST = date(1800, 1, 1), date(2999, 12, 31)


def _start_of(day: date) -> datetime:
    day = min(max(day, EARLIEST), LATEST)
    return datetime.combine(day, time(), timezone.get_current_timezone())


def find_articles(filters: ArticleFilters) -> QuerySet:
    """Published articles, newest first, ties broken by id so that pages never
    shuffle. A section, keyword, author or language that does not exist is a
    404, not an empty list: the client asked for something that is not there."""
    articles = Article.objects.published()
    if filters.section is not None:
        section = SectionPage.objects.live().filter(pk=filters.section).first()
        if section is None:
            raise Http404("Không có chuyên mục này / no such section")
        articles = articles.in_section(section)
    if filters.keyword is not None:
        keyword = Keyword.objects.filter(slug=filters.keyword).first()
        if keyword is None:
            raise Http404("Không có từ khóa này / no such keyword")
        articles = articles.filter(tagged_keywords__tag=keyword)
    if filters.author is not None:
        if not (
            Author.objects.filter(slug=filters.author).exists()
            or Byline.objects.filter(name_slug=filters.author).exists()
        ):
            raise Http404("Không có tác giả này / no such author")
        articles = articles.filter(bylines__name_slug=filters.author).distinct()
    if filters.language is not None:
        locale = Locale.objects.filter(language_code=filters.language).first()
        if locale is None:
            raise Http404("Không có ấn bản ngôn ngữ này / no such edition")
        articles = articles.in_locale(locale)
    if filters.since is not None:
        articles = articles.filter(published_at__gte=_start_of(filters.since))
    if filters.until is not None:
        articles = articles.filter(
            published_at__lt=_start_of(min(filters.until, LATEST) + timedelta(days=1))
        )
    return articles.order_by("-published_at", "-pk")


def with_details(articles: QuerySet) -> QuerySet:
    """What the API's article objects need, in a fixed number of queries."""
    return articles.select_related(
        "section", "locale", "featured_image", "video"
    ).prefetch_related("bylines__author", "tagged_keywords__tag")


def last_modified(articles) -> datetime | None:
    """When the newest change among these articles went live."""
    return max((a.changed_at for a in articles), default=None)
