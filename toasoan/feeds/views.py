"""RSS 2.0 and Atom feeds of the edition, a section, a keyword and an author.

Each feed is Django's syndication Feed, made per request (it keeps the request
to write absolute media URLs). The rendered feed is kept for five minutes under
the listing version, which changes whenever an article goes live or is taken
down; feed readers' conditional requests (ETag, Last-Modified) get a 304.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.feedgenerator import Enclosure
from django.utils.http import parse_http_date_safe, quote_etag
from django.utils.translation import gettext
from wagtail.rich_text import expand_db_html

from toasoan.core.richtext import xml_text
from toasoan.feeds.generators import FullTextAtomFeed, FullTextRssFeed
from toasoan.news.editions import edition_home_url, edition_press
from toasoan.news.models import Article, Author, Byline, Keyword
from toasoan.news.services import listing_version
from toasoan.news.views import current_locale

FEED_LENGTH = 30
# An address on this site in the body's markup (src="/…", href="/…", not "//…").
SITE_ADDRESS = re.compile(r"""(\s(?:src|href)=["'])/(?!/)""")
KEEP_SECONDS = 300
FORMATS = {"rss": FullTextRssFeed, "atom": FullTextAtomFeed}


@dataclass
class FeedScope:
    """What a feed covers: its title, page, description and articles."""

    title: str
    link: str
    description: str
    articles: QuerySet


class ArticleFeed(Feed):
    def __init__(self, request, format_name: str, scope: FeedScope):
        super().__init__()
        self.request = request
        self.feed_type = FORMATS[format_name]
        self.scope = scope
        self.outlet = edition_press(request).outlet_name or "toasoan"
        self.base_url = f"{request.scheme}://{request.get_host()}"
        self.language = current_locale().language_code  # Django reads an attribute

    def get_object(self, request, *args, **kwargs):
        return self.scope

    def get_feed(self, obj, request):
        # Text typed or imported may hold characters XML cannot (a vertical tab
        # pasted from Word): Django's writer raises on them, failing the feed.
        feed = super().get_feed(obj, request)
        feed.feed = {name: _xml_safe(value) for name, value in feed.feed.items()}
        feed.items = [
            {name: _xml_safe(value) for name, value in item.items()}
            for item in feed.items
        ]
        return feed

    def title(self, scope):
        return f"{scope.title} – {self.outlet}" if scope.title else self.outlet

    def link(self, scope):
        return scope.link

    def description(self, scope):
        return scope.description

    def feed_url(self, scope):
        return self.request.path

    def items(self, scope):
        return (
            scope.articles.select_related("featured_image", "video", "section")
            .prefetch_related("bylines__author", "tagged_keywords__tag")
            .order_by("-published_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, article):
        return article.title

    def item_link(self, article):
        return article.get_absolute_url()

    def item_guid(self, article):
        # The id link outlives a changed title (and slug): readers see no repeats.
        return self.base_url + reverse("article_by_id", kwargs={"pk": article.pk})

    def item_description(self, article):
        return article.lead

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.changed_at

    def item_author_name(self, article):
        return ", ".join(article.byline_names) or None

    def item_categories(self, article):
        keywords = [tagged.tag.name for tagged in article.tagged_keywords.all()]
        return [article.section.title, *keywords]

    def item_extra_kwargs(self, article):
        # Feed readers show the text away from our site, where "/media/…" and
        # "/thoi-su/" lead nowhere: every address in it is made absolute.
        body = SITE_ADDRESS.sub(
            lambda found: f"{found[1]}{self.base_url}/", expand_db_html(article.body)
        )
        return {"content_html": body}

    def item_enclosures(self, article):
        enclosures = []
        video = article.video
        if video is not None and video.is_ready:
            enclosures.append(self._enclosure(video.web_mp4))
        if article.featured_image is not None:
            enclosures.append(self._enclosure(article.featured_image.file))
        enclosures = [e for e in enclosures if e is not None]
        # RSS 2.0 allows one enclosure an item: the video if there is one.
        return enclosures if self.feed_type is FullTextAtomFeed else enclosures[:1]

    def _enclosure(self, file) -> Enclosure | None:
        try:
            size = file.size
        except OSError:  # named in the archive, not uploaded yet
            return None
        url = file.url if "://" in file.url else self.base_url + file.url
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        return Enclosure(url, str(size), kind)


def _xml_safe(value):
    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, list | tuple):
        return [_xml_safe(part) for part in value]
    return value


def serve_feed(request, format_name: str, scope_of) -> HttpResponse:
    """The feed, from the cache when it is fresh, or a 304 when the reader has it.
    ``scope_of`` builds the FeedScope (and raises Http404 for unknown names)."""
    key = (
        f"toasoan:feed:{listing_version()}:{request.get_host()}:"
        + hashlib.sha1(request.path.encode()).hexdigest()
    )
    kept = cache.get(key)
    if kept is None:
        response = ArticleFeed(request, format_name, scope_of())(request)
        kept = (
            response.content,
            response.get("Last-Modified"),
            response["Content-Type"],
        )
        cache.set(key, kept, KEEP_SECONDS)
    content, last_modified, content_type = kept
    etag = quote_etag(hashlib.md5(content, usedforsecurity=False).hexdigest())
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={KEEP_SECONDS}"}
    if last_modified:
        headers["Last-Modified"] = last_modified
    response = get_conditional_response(
        request, etag=etag, last_modified=parse_http_date_safe(last_modified or "")
    ) or HttpResponse(content, content_type=content_type)
    for name, value in headers.items():
        response[name] = value
    return response


def edition_feed(request, format_name: str):
    def scope():
        locale = current_locale()
        return FeedScope(
            title="",
            link=edition_home_url(locale.language_code),
            description=gettext("Tin mới nhất"),
            articles=Article.objects.published().in_locale(locale),
        )

    return serve_feed(request, format_name, scope)


def section_feed(request, section, format_name: str):
    def scope():
        return FeedScope(
            title=section.title,
            link=section.get_url(request),
            description=section.description
            or gettext("Tin mới nhất mục %(section)s") % {"section": section.title},
            articles=Article.objects.published().in_section(section),
        )

    return serve_feed(request, format_name, scope)


def keyword_feed(request, slug: str, format_name: str):
    def scope():
        keyword = get_object_or_404(Keyword, slug=slug)
        return FeedScope(
            title=keyword.name,
            link=keyword.get_absolute_url(),
            description=gettext("Tin về %(keyword)s") % {"keyword": keyword.name},
            articles=Article.objects.published()
            .in_locale(current_locale())
            .filter(tagged_keywords__tag=keyword),
        )

    return serve_feed(request, format_name, scope)


def author_feed(request, slug: str, format_name: str):
    def scope():
        profile = Author.objects.filter(slug=slug).first()
        byline = None if profile else Byline.objects.filter(name_slug=slug).first()
        if profile is None and byline is None:
            raise Http404("Không tìm thấy tác giả / no such author")
        name = profile.name if profile else byline.name
        return FeedScope(
            title=name,
            link=reverse("author", kwargs={"slug": slug}),
            description=gettext("Bài của %(name)s") % {"name": name},
            articles=Article.objects.published()
            .in_locale(current_locale())
            .filter(bylines__name_slug=slug)
            .distinct(),
        )

    return serve_feed(request, format_name, scope)
