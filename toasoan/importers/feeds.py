"""Importing an RSS or Atom feed (a file, or a URL on the station's own network):
each item becomes a published article with its date, authors, categories (as
keywords), full text and enclosures. Keyed by the item's link, like the WordPress
importer: a second run changes nothing."""

from __future__ import annotations

import calendar
import ipaddress
import socket
import urllib.request
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.db import transaction
from django.utils.html import strip_tags

from toasoan.core.richtext import sanitize_rich_text
from toasoan.core.vietnamese import normalize_text, slugify_vi
from toasoan.importers.services import byline_for
from toasoan.importers.textformat import AUTHOR_SEPARATORS, split_list
from toasoan.news.models import Article, SectionPage
from toasoan.videos.models import Video

FETCH_SECONDS = 20


class FeedError(ValueError):
    """Not a feed we can import; the message says why (vi / en)."""


@dataclass
class FeedSummary:
    imported: int = 0
    unchanged: int = 0
    videos_named: int = 0
    failed: list[str] = field(default_factory=list)


def read_feed_source(source: str) -> bytes:
    """A file's bytes, or a URL's from the local network (never the internet:
    an importer must not be a way to make the server fetch anything)."""
    limit = settings.TOASOAN_WXR_MAX_BYTES
    if "://" not in source:
        path = Path(source)
        if not path.is_file():
            raise FeedError(f"Không có tệp {source} / no such file")
        if path.stat().st_size > limit:
            raise FeedError("Tệp quá lớn / the file is too large")
        return path.read_bytes()
    parts = urlsplit(source)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FeedError("Chỉ nhận http(s) / only http and https addresses")
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, None)}
    except socket.gaierror as error:
        raise FeedError(
            f"Không tìm thấy máy {parts.hostname} / unknown host"
        ) from error
    if not all(_is_local(a) for a in addresses):
        raise FeedError(
            "Chỉ nhập từ mạng nội bộ của tòa soạn / only addresses on the local network"
        )
    try:
        with urllib.request.urlopen(source, timeout=FETCH_SECONDS) as response:
            data = response.read(limit + 1)
    except OSError as error:
        raise FeedError(f"Không tải được {source} / cannot fetch: {error}") from error
    if len(data) > limit:
        raise FeedError("Nguồn quá lớn / the feed is too large")
    return data


def _is_local(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    return ip.is_private or ip.is_loopback or ip.is_link_local


def import_feed(
    source: str, section: SectionPage, *, dry_run: bool = False
) -> FeedSummary:
    import feedparser

    data = read_feed_source(source)
    if not data.strip():
        raise FeedError("Tệp rỗng / the file is empty")
    try:  # DTDs refused before feedparser sees the bytes (entity attacks)
        ElementTree.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise FeedError("Nguồn chứa khai báo DTD bị cấm / forbidden DTD") from error
    except ElementTree.ParseError as error:
        raise FeedError(f"XML hỏng / malformed XML: {error}") from error
    feed = feedparser.parse(data)
    if not feed.get("version") or not feed.entries and feed.bozo:
        raise FeedError("Không phải RSS hay Atom / not an RSS or Atom feed")
    summary = FeedSummary()
    # Item by item (a run cut short keeps what it finished); a dry run is one
    # transaction, rolled back.
    with transaction.atomic() if dry_run else nullcontext():
        for entry in feed.entries:
            key = (entry.get("link") or entry.get("id") or "")[:500]
            if not key:
                summary.failed.append(
                    f"“{entry.get('title', '')[:60]}”: không có link / no link"
                )
                continue
            if Article.objects.filter(legacy_url=key).exists():
                summary.unchanged += 1
                continue
            try:
                with transaction.atomic():
                    _save_entry(entry, key, section, summary)
            except Exception as error:  # one bad item must not stop the feed
                summary.failed.append(f"“{entry.get('title', '')[:60]}”: {error}")
                continue
            summary.imported += 1
        if dry_run:
            transaction.set_rollback(True)
    return summary


def _save_entry(entry, key: str, section: SectionPage, summary: FeedSummary) -> None:
    title = normalize_text(strip_tags(entry.get("title", ""))).strip()[:300]
    if not title:
        raise FeedError("không có tiêu đề / no title")
    content = entry.get("content") or []
    body = content[0].get("value", "") if content else entry.get("summary", "")
    if "<" not in body:
        body = "".join(f"<p>{p.strip()}</p>" for p in body.split("\n\n") if p.strip())
    moment = entry.get("published_parsed") or entry.get("updated_parsed")
    article = Article(
        title=title,
        slug=slugify_vi(title, max_length=100) or "bai-viet",
        section=section,
        locale=section.locale,
        lead=normalize_text(strip_tags(entry.get("summary", ""))).strip()[:2000]
        if content
        else "",
        body=sanitize_rich_text(normalize_text(body)),
        legacy_url=key,
    )
    if moment:
        article.published_at = datetime.fromtimestamp(calendar.timegm(moment), tz=UTC)
    names = [a.get("name", "") for a in entry.get("authors", [])] or [
        entry.get("author", "")
    ]
    # "Cao Biền, Minh Hằng" is two authors: Vietnamese names hold no commas.
    names = [
        part
        for n in names
        if n
        for part in split_list(normalize_text(n), AUTHOR_SEPARATORS)
    ]
    article.bylines = [byline_for(name, order) for order, name in enumerate(names)]
    for enclosure in entry.get("enclosures", []):
        if enclosure.get("type", "").startswith("video/") and article.video_id is None:
            name = PurePosixPath(urlsplit(enclosure.get("href", "")).path).name[:255]
            if name:
                article.video = Video.objects.create(
                    original_filename=name, title=title
                )
                summary.videos_named += 1
    article.keywords.set(
        [
            normalize_text(t.get("term", "")).strip()
            for t in entry.get("tags", [])
            if t.get("term")
        ]
    )
    article.live = False
    article.save()
    article.save_revision(clean=False).publish()
