"""Importing a WordPress export: posts become articles, categories sections (the
tree kept), tags keywords, authors bylines, attachments images, old permalinks
permanent redirects. Each post imports in its own transaction, keyed by its old
permalink: a second run changes nothing, and a run cut short by a crash or a
`kill -9` continues where it stopped.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.html import strip_tags
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model

from toasoan.core.richtext import sanitize_rich_text
from toasoan.core.vietnamese import normalize_text, slugify_vi
from toasoan.importers.wxr import WxrExport, WxrItem, read_wxr, view_count
from toasoan.news.models import (
    Article,
    Author,
    Byline,
    HomePage,
    SectionPage,
    person_slug,
)

ARTICLE_TYPES = {"post"}
PUBLIC = "publish"
KEPT_PRIVATE = {"draft", "pending", "private", "future"}
BLOCK = re.compile(
    r"^\s*<(p|div|h[1-6]|ul|ol|li|blockquote|table|figure|pre|hr|embed)\b", re.I
)
IMG = re.compile(r"<img\b[^>]*>", re.I)
ATTRIBUTE = re.compile(r'\b(src|alt)\s*=\s*"([^"]*)"', re.I)
SIZED = re.compile(r"-\d+x\d+(?=\.[a-z0-9]+$)", re.I)  # photo-300x200.jpg


@dataclass
class WxrSummary:
    imported: int = 0
    unchanged: int = 0
    kept_private: int = 0
    images: int = 0
    redirects: int = 0
    comments_skipped: int = 0
    body_images_dropped: int = 0  # <img> whose file is not in the export's folder
    skipped: Counter = field(default_factory=Counter)  # reason → count
    missing_files: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def accounted(self) -> int:
        return (
            self.imported + self.unchanged + self.images
            + sum(self.skipped.values()) + len(self.failed)
        )  # fmt: skip


def import_wordpress(
    path: Path, *, media_dir: Path | None = None, dry_run: bool = False, progress=None
) -> WxrSummary:
    export = read_wxr(path, settings.TOASOAN_WXR_MAX_BYTES)
    summary = WxrSummary()
    media_dir = media_dir or path.parent
    # A real run commits post by post, so a run cut short (a crash, a kill -9)
    # keeps what it finished and the next run goes on from there; a dry run is
    # one transaction, rolled back.
    with transaction.atomic() if dry_run else nullcontext():
        home = HomePage.objects.order_by("path").first()
        with transaction.atomic():
            sections = _sections(export, home)
        images = {} if dry_run else _images(export, media_dir, summary)
        if dry_run:
            summary.images = sum(1 for i in export.items if i.post_type == "attachment")
        for n, item in enumerate(export.items, start=1):
            if item.post_type != "attachment":
                _import_item(item, export, sections, images, summary, home)
            if progress:
                progress(n, len(export.items))
        if dry_run:
            transaction.set_rollback(True)
    return summary


def _sections(export: WxrExport, home) -> dict[str, SectionPage]:
    """Categories as sections under the home page, parents first."""
    by_slug = {c.slug: c for c in export.categories}
    made: dict[str, SectionPage] = {}

    def section_for(slug: str, seen=()) -> SectionPage:
        if slug in made:
            return made[slug]
        category = by_slug[slug]
        parent = home
        if (
            category.parent
            and category.parent in by_slug
            and category.parent not in seen
        ):
            parent = section_for(category.parent, (*seen, slug))
        page_slug = slugify_vi(unquote(category.slug), max_length=80) or "chuyen-muc"
        existing = SectionPage.objects.child_of(parent).filter(slug=page_slug).first()
        if existing is None:
            existing = SectionPage(
                title=normalize_text(category.name)[:255] or page_slug,
                slug=page_slug,
                description=strip_tags(category.description)[:1000],
                show_in_menus=parent == home,
            )
            parent.add_child(instance=existing)
            existing.save_revision().publish()
        made[slug] = existing.specific
        return made[slug]

    for category in export.categories:
        section_for(category.slug)
    return made


def _images(export: WxrExport, media_dir: Path, summary: WxrSummary) -> dict[str, int]:
    """Attachments that are images, from the export's folder: key → image id,
    keyed by attachment id and by file URL."""
    found: dict[str, int] = {}
    Image = get_image_model()
    for item in export.items:
        if item.post_type != "attachment" or not item.attachment_url:
            continue
        summary.images += 1
        url_path = unquote(urlsplit(item.attachment_url).path)
        file = _local_file(media_dir, url_path)
        if file is None:
            summary.missing_files.append(url_path)
            continue
        existing = Image.objects.filter(title=f"wp-{item.post_id}").first()
        if existing is None:
            with file.open("rb") as handle:
                existing = Image(
                    title=f"wp-{item.post_id}",
                    description=item.meta.get("_wp_attachment_image_alt", "")[:255],
                    file=ImageFile(handle, name=file.name),
                )
                existing.save()
        found[str(item.post_id)] = found[url_path] = existing.pk
    return found


def _local_file(media_dir: Path, url_path: str) -> Path | None:
    """The attachment in the given folder: by its path under wp-content/uploads,
    or its name; never outside the folder."""
    root = media_dir.resolve()
    relative = url_path.split("/uploads/", 1)[-1].lstrip("/")
    for candidate in (root / relative, root / Path(relative).name):
        candidate = candidate.resolve()
        if root in candidate.parents and candidate.is_file():
            return candidate
    return None


def _import_item(item: WxrItem, export, sections, images, summary, home) -> None:
    if item.post_type not in ARTICLE_TYPES:
        summary.skipped[f"{item.post_type}: không phải bài viết / not an article"] += 1
        return
    if item.status == "trash":
        summary.skipped["trash: bài đã xóa / trashed"] += 1
        return
    summary.comments_skipped += item.comments
    key = item.link or f"wp:{item.post_id}"
    if Article.objects.filter(legacy_url=key[:500]).exists():
        summary.unchanged += 1
        return
    try:
        with transaction.atomic():
            public = _save_post(item, export, sections, images, summary, key)
    except Exception as error:  # one bad post must not stop the archive
        summary.failed.append(f"{item.post_id} “{item.title[:60]}”: {error}")
        return
    summary.imported += 1
    summary.kept_private += not public


def _save_post(item, export, sections, images, summary, key) -> bool:
    section = (
        next((sections[s] for s in item.categories if s in sections), None)
        or SectionPage.objects.order_by("path").first()
    )
    # A WordPress title may hold markup ("Title <em>With</em> Markup") and
    # entities; ours is text.
    title = normalize_text(html.unescape(strip_tags(item.title))).strip()[:300]
    title = title or f"(không tiêu đề) {item.post_id}"
    article = Article(
        title=title,
        slug=slugify_vi(title, max_length=100) or f"bai-{item.post_id}",
        section=section,
        locale=section.locale,
        lead=normalize_text(strip_tags(item.excerpt)).strip(),
        body=sanitize_rich_text(_body(item.content, images, summary)),
        legacy_id=item.post_id or None,
        legacy_url=key[:500],
        view_count=view_count(item),
    )
    if item.published_at:
        article.published_at = item.published_at
    thumbnail = item.meta.get("_thumbnail_id", "")
    if thumbnail in images:
        article.featured_image_id = images[thumbnail]
    author = export.authors.get(item.creator)
    name = (
        normalize_text(author.display_name if author else item.creator) or "WordPress"
    )
    profile = Author.objects.filter(
        slug=person_slug(name, max_length=120)
    ).first() or Author.objects.create(name=name)
    article.bylines = [Byline(author=profile, sort_order=0)]
    article.keywords.set([normalize_text(t) for t in item.tags])
    article.live = False
    article.save()
    revision = article.save_revision(clean=False)
    public = item.status == PUBLIC
    if public:
        revision.publish()
        article.refresh_from_db()
        summary.redirects += _redirect_old_addresses(item, article)
    return public


def _body(content: str, images: dict, summary: WxrSummary) -> str:
    """WordPress stores paragraphs as blank lines (wpautop); images as <img>."""

    def image(match):
        attributes = dict((k.lower(), v) for k, v in ATTRIBUTE.findall(match.group(0)))
        path = SIZED.sub("", unquote(urlsplit(attributes.get("src", "")).path))
        image_id = images.get(path)
        if image_id is None:
            summary.body_images_dropped += 1
            return ""
        alt = attributes.get("alt", "").replace('"', "")
        return (
            f'<embed embedtype="image" id="{image_id}" alt="{alt}" format="fullwidth"/>'
        )

    content = IMG.sub(image, content.replace("\r\n", "\n"))
    blocks = []
    for chunk in re.split(r"\n\s*\n", content):
        if not chunk.strip():
            continue
        if BLOCK.match(chunk):
            blocks.append(chunk)
        else:
            blocks.append("<p>" + chunk.strip().replace("\n", "<br>") + "</p>")
    return "".join(blocks)


def _redirect_old_addresses(item: WxrItem, article: Article) -> int:
    made = 0
    target = article.get_absolute_url()
    paths = {urlsplit(item.link).path or "", f"/?p={item.post_id}"}
    for old in paths:
        normalised = Redirect.normalise_path(old)
        if not normalised or normalised == "/" or normalised == target:
            continue
        _, created = Redirect.objects.get_or_create(
            old_path=normalised, site=None,
            defaults={"redirect_link": target, "is_permanent": True},
        )  # fmt: skip
        made += created
    return made
