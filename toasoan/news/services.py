"""What the reader pages need from the newsroom's content, as plain functions."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db.models import Count
from django.utils import timezone
from django.utils.functional import cached_property

from toasoan.news.models import Article, ArticleKeyword, HomePage, SectionPage

MOST_READ_WINDOW = timedelta(days=30)
# A lead story older than this has been overtaken by the news; the latest leads.
LEAD_STORY_WINDOW = timedelta(days=7)


COUNT_SECONDS = 60


def cached_count(queryset, key: str | None = None) -> int:
    """``queryset.count()``, kept for a minute: counting a 500,000-article section
    reads the whole section, and a page's "Trang 3 / 25 000" need not be exact to
    the second. Without a key, the query's own SQL names it."""
    if key is None:
        try:
            sql = str(queryset.query)
        except EmptyResultSet:
            return 0
        key = hashlib.sha1(sql.encode()).hexdigest()
    return cache.get_or_set(
        f"toasoan:count:{listing_version()}:{key}", queryset.count, COUNT_SECONDS
    )


LISTING_VERSION_KEY = "toasoan:listing-version"


def listing_version() -> int:
    """Changes whenever an article goes live or is taken down: a key part for
    anything kept that lists articles (counts, feeds)."""
    return cache.get_or_set(LISTING_VERSION_KEY, 1, timeout=None)


def refresh_listings(**kwargs) -> None:
    """An article went live or was taken down: every kept count is stale now, so
    that home, section and keyword pages show the change on the next request."""
    try:
        cache.incr(LISTING_VERSION_KEY)
    except ValueError:
        cache.set(LISTING_VERSION_KEY, 2, timeout=None)


class ArticlePaginator(Paginator):
    """Pages of a large listing at the cost of a small one.

    A page's ids are read first (an index-only scan, even at page 1,000 of a
    500,000-article section), then only those rows are loaded. The total, which
    costs a scan of the whole section, is kept in the cache for a minute when the
    caller names it (``count_key``).
    """

    def __init__(self, object_list, per_page, count_key: str | None = None):
        super().__init__(object_list, per_page)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        if not self.count_key:
            return self.object_list.count()
        return cached_count(self.object_list, self.count_key)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = list(
            self.object_list.values_list("pk", flat=True)[
                bottom : bottom + self.per_page
            ]
        )
        # By primary key alone: with the listing's filters still on, SQLite would
        # walk the section index instead of fetching twenty rows.
        rows = self.object_list.model.objects.for_listing().in_bulk(ids)
        return self._get_page([rows[i] for i in ids if i in rows], number, self)


def paginate_articles(
    articles, raw_page: str | None, per_page: int | None = None, count_key=None
):
    """One page of ``articles``; any ``?page=`` a reader or bot sends gives a page.

    Text, zero, negative or absurd numbers give the first page and numbers past the
    end give the last page, so a bad link never turns into an error.
    """
    paginator = ArticlePaginator(
        articles, per_page or settings.ARTICLES_PER_PAGE, count_key=count_key
    )
    try:
        number = int(raw_page or 1)
    except (TypeError, ValueError):
        number = 1
    number = max(1, min(number, paginator.num_pages))
    return paginator.page(number)


def most_read_articles(locale, limit: int = 5) -> list[Article]:
    """The "Đọc nhiều" list: most viewed in the last 30 days, all-time if none."""
    published = Article.objects.published().in_locale(locale)
    recent = list(published.most_read(since=timezone.now() - MOST_READ_WINDOW)[:limit])
    return recent or list(published.most_read()[:limit])


def _most_read_lists(locale, section=None):
    # The audience app counts reads; news only shows its lists.
    from toasoan.audience.most_read import most_read_lists

    return most_read_lists(locale, section)


def build_home_page(home: HomePage) -> dict:
    """Lead story, latest stories, a block per top-level section, most read."""
    published = Article.objects.published().in_locale(home.locale).for_listing()
    lead_candidates = published.filter(
        is_lead_story=True, published_at__gte=timezone.now() - LEAD_STORY_WINDOW
    )
    lead = lead_candidates.first() or published.first()
    latest = list(published.exclude(pk=getattr(lead, "pk", None))[:8])
    section_blocks = []
    for section in SectionPage.objects.child_of(home).live().in_menu():
        articles = list(published.in_section(section)[:4])
        if articles:
            section_blocks.append({"section": section, "articles": articles})
    return {
        "lead_story": lead,
        "latest_articles": latest,
        "section_blocks": section_blocks,
        "most_read": most_read_articles(home.locale),
        "most_read_lists": _most_read_lists(home.locale),
    }


def related_articles(article: Article, limit: int = 4) -> list[Article]:
    """Editor-picked related articles first, then those sharing most keywords,
    then the latest of the same section; all in the article's edition."""
    picked = [
        link.target
        for link in article.related_links.select_related("target__locale").all()
        if link.target.live and link.target.locale_id == article.locale_id
    ][:limit]
    seen = {article.pk, *(a.pk for a in picked)}
    needed = limit - len(picked)
    if needed <= 0 or not article.pk:
        return picked
    published = (
        Article.objects.published().filter(locale_id=article.locale_id).for_listing()
    )
    keyword_ids = list(article.tagged_keywords.values_list("tag_id", flat=True))
    computed: list[Article] = []
    if keyword_ids:
        # Rank by the number of shared keywords, newest first among equals.
        shared = (
            ArticleKeyword.objects.filter(tag_id__in=keyword_ids)
            .exclude(content_object_id__in=seen)
            .values("content_object_id")
            .annotate(shared=Count("id"))
            .order_by("-shared", "-content_object__published_at")
        )
        ids = [
            row["content_object_id"]
            for row in shared.filter(
                content_object__live=True,
                content_object__published_at__lte=timezone.now(),
                content_object__locale_id=article.locale_id,
            )[:needed]
        ]
        by_id = published.in_bulk(ids)
        computed = [by_id[i] for i in ids if i in by_id]
        seen.update(ids)
    if len(computed) < needed:
        computed += list(
            published.filter(section_id=article.section_id).exclude(pk__in=seen)[
                : needed - len(computed)
            ]
        )
    return picked + computed
