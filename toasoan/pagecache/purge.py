"""Purging: after a publish, readers see the change within a second, everywhere.

A change an article's readers can see (publish, edit published, unpublish,
withdrawal or its restoring, a scheduled article going live, deletion) and a
change of a section or of the outlet's settings:

1. move the page generation on (store.py): every page we keep, in this process,
   in Redis for every app server, or in runserver's memory while the worker
   publishes, is stale at once;
2. ask each caching proxy in front (nginx, TOASOAN_PAGE_CACHE_REFRESH_URLS) for
   the pages the change shows on anew, past its cache: the article, its
   sections up to the home page, its keyword and author pages, their feeds, the
   video page and the sitemaps. The fresh answer replaces the kept one, a 404 or
   410 included. Other pages (later pages of a listing, search results) are not
   kept by the proxy;
3. tell a CDN, when one is configured through Wagtail's frontend cache
   (WAGTAILFRONTENDCACHE), to drop the same addresses.

Steps 2 and 3 run after the transaction commits, in a thread of their own, so
the editor's click is not kept waiting and the proxy reads what was committed.
"""

from __future__ import annotations

import logging
import threading
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from toasoan.pagecache import policy, store

logger = logging.getLogger(__name__)
SITEMAPS = ("/sitemap.xml", "/sitemaps/news.xml", "/sitemaps/sections.xml")
FEED_FORMATS = ("rss", "atom")
REFRESH_TIMEOUT_SECONDS = 5
REFRESH_THREADS = 4


def article_addresses(article) -> list[str]:
    """Every kept page that shows ``article`` or links to it, as paths."""
    from toasoan.news.models import Byline, SectionPage

    language = article.locale.language_code if article.locale_id else None
    paths: list[str] = []
    # What readers open first comes first: the refresh goes in this order.
    with translation.override(language):
        if article.pk is not None:
            paths.append(article.get_absolute_url())
            # Its translations show it in their switcher and hreflang links
            # (each article's address is in its own language).
            paths += [
                other.get_absolute_url()
                for other in article.get_translations().filter(live=True)
            ]
        section = SectionPage.objects.filter(pk=article.section_id).first()
        if section is not None:
            for page in section.get_ancestors(inclusive=True).live().specific():
                paths += _page_with_feeds(page)
        for slug in article.keywords.values_list("slug", flat=True):
            paths += _with_feeds("keyword", "keyword_feed", slug)
        author_slugs = Byline.objects.filter(
            article_id=article.pk, author__isnull=False
        ).values_list("author__slug", flat=True)
        for slug in author_slugs:
            paths += _with_feeds("author", "author_feed", slug)
        paths += [reverse("feed", kwargs={"format_name": f}) for f in FEED_FORMATS]
        if article.video_id:
            paths.append(reverse("video_news"))
        if article.pk is not None:
            paths += [
                reverse("article_by_id", kwargs={"pk": article.pk}),
                reverse("article_print", kwargs={"pk": article.pk}),
            ]
    paths += SITEMAPS
    return list(dict.fromkeys(paths))


def _with_feeds(page_name: str, feed_name: str, slug: str) -> list[str]:
    try:
        return [reverse(page_name, kwargs={"slug": slug})] + [
            reverse(feed_name, kwargs={"slug": slug, "format_name": f})
            for f in FEED_FORMATS
        ]
    except NoReverseMatch:  # a slug the address pattern refuses has no page
        return []


def _page_with_feeds(page) -> list[str]:
    from toasoan.news.models import SectionPage

    url = page.get_url()
    if not url:
        return []
    if isinstance(page, SectionPage):
        return [url] + [f"{url}{name}/" for name in FEED_FORMATS]
    return [url]


def site_addresses() -> list[str]:
    """The pages every section or settings change may show on: each edition's
    home and feeds, every live section, and the sitemaps."""
    from wagtail.models import Page

    paths: list[str] = []
    for page in Page.objects.live().filter(depth__gte=2).specific().iterator():
        paths += _page_with_feeds(page)
    paths += SITEMAPS
    return list(dict.fromkeys(paths))


def purge_article(article) -> None:
    """``article`` changed as readers see it (any of the changes above)."""
    purge(article_addresses(article))


def purge_site() -> None:
    """A section, the menu or the outlet's settings changed."""
    purge(site_addresses())


def purge(paths: Iterable[str]) -> None:
    # Now, and again once the change is committed: a page rendered in between,
    # from the data before the commit, must not outlive it.
    store.next_generation()
    paths = list(paths)
    transaction.on_commit(lambda: _after_commit(paths))


def _after_commit(paths: list[str]) -> None:
    store.next_generation()
    if settings.TOASOAN_PAGE_CACHE_REFRESH_URLS or _frontend_cache_configured():
        _refresh_in_background(paths)


def _frontend_cache_configured() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def _refresh_in_background(paths: list[str]) -> None:
    thread = threading.Thread(
        target=refresh_now, args=(paths,), name="pagecache-refresh", daemon=True
    )
    thread.start()
    _threads.append(thread)
    _threads[:] = [t for t in _threads if t.is_alive()]


_threads: list[threading.Thread] = []


def wait_for_refreshes(timeout: float = 10) -> None:
    """For commands that exit right after publishing (the worker's --once)."""
    for thread in list(_threads):
        thread.join(timeout)


def hostnames() -> list[str]:
    """The names readers reach the site by: the proxy keeps a page per name."""
    from wagtail.models import Site

    names = {site.hostname for site in Site.objects.all()}
    names |= {
        name
        for name in settings.ALLOWED_HOSTS
        if name and "*" not in name and not name.startswith(".")
    }
    return sorted(names)


def refresh_now(paths: list[str]) -> list[tuple[str, int | str]]:
    """Ask every proxy for every path on every site host; returns what each
    answered (status or error), for tests and logs."""
    # Path by path, in the order given (the article, then home and sections):
    # what readers open first is fresh first.
    hosts = hostnames()
    jobs = [
        (proxy.rstrip("/"), host, path)
        for path in paths
        for host in hosts
        for proxy in settings.TOASOAN_PAGE_CACHE_REFRESH_URLS
    ]
    with ThreadPoolExecutor(REFRESH_THREADS) as pool:
        answers = list(pool.map(lambda job: _refresh_one(*job), jobs))
    if _frontend_cache_configured():
        from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

        for host in hostnames():
            purge_urls_from_cache([f"https://{host}{path}" for path in paths])
    return answers


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    """A kept redirect (an old slug's 301) is refreshed itself, not followed."""

    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_KeepRedirects)


def _refresh_one(proxy: str, host: str, path: str) -> tuple[str, int | str]:
    request = urllib.request.Request(
        f"{proxy}{path}",
        headers={
            "Host": host,
            policy.REFRESH_HEADER.removeprefix("HTTP_").replace("_", "-").title(): (
                settings.TOASOAN_PAGE_CACHE_REFRESH_SECRET
            ),
        },
    )
    try:
        with _opener.open(request, timeout=REFRESH_TIMEOUT_SECONDS) as answer:
            answer.read()
            return path, answer.status
    except urllib.error.HTTPError as error:  # 404 and 410 are answers too
        error.read()
        return path, error.code
    except OSError as error:
        logger.warning("page cache refresh of %s%s failed: %s", proxy, path, error)
        return path, str(error)
