"""Importing archives into toasoan. Each file imports whole or not at all."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from toasoan.core.vietnamese import slugify_vi
from toasoan.importers.textformat import (
    TextArticle,
    TextArticleError,
    decode_article_bytes,
    legacy_id_from_filename,
    parse_text_article,
)
from toasoan.news.models import Article, Author, Byline, SectionPage
from toasoan.videos.models import Video

PORTAL_TIME_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


class ImportFailed(Exception):
    """One file failed; ``str()`` is the one line an operator reads."""

    def __init__(self, path: Path, error: TextArticleError):
        where = f"{path}:{error.line}" if error.line else str(path)
        super().__init__(f"{where}: {error.message}")


@dataclass
class ImportOutcome:
    path: Path
    article: Article
    created: bool
    # The same article already came in under another old URL: this file's URL
    # now redirects to it, and no second copy is made.
    duplicate: bool = False


def find_text_files(paths: list[str | Path]) -> list[Path]:
    """The files named, and every .txt file under the folders named, in order."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.txt") if p.is_file()))
        else:
            found.append(path)
    return found


def read_text_article(path: Path) -> TextArticle:
    try:
        size = path.stat().st_size
        limit = settings.TOASOAN_IMPORT_MAX_BYTES
        if size > limit:
            raise TextArticleError(
                f"tệp quá lớn / file too large: {size:,} bytes > {limit:,}"
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(
            path,
            TextArticleError(f"không đọc được tệp / cannot read file: {exc.strerror}"),
        ) from exc
    except TextArticleError as exc:
        raise ImportFailed(path, exc) from exc
    try:
        return parse_text_article(decode_article_bytes(raw, limit))
    except TextArticleError as exc:
        raise ImportFailed(path, exc) from exc


def default_import_section() -> SectionPage:
    section = SectionPage.objects.order_by("path").first()
    if section is None:
        raise TextArticleError(
            "chưa có chuyên mục nào / no section exists: create one first"
        )
    return section


def import_text_article(
    path: Path, section: SectionPage, *, dry_run: bool = False
) -> ImportOutcome:
    """Import one seed-format file as a published article, or update the one it
    imported before (same legacy id, or same title and time in the section)."""
    parsed = read_text_article(path)
    legacy_id = legacy_id_from_filename(path.stem)
    with transaction.atomic():
        outcome = _save_article(path, parsed, section, legacy_id)
        if dry_run:
            transaction.set_rollback(True)
    return outcome


def _save_article(
    path: Path, parsed: TextArticle, section: SectionPage, legacy_id: int | None
) -> ImportOutcome:
    published_at = timezone.make_aware(parsed.published_at, PORTAL_TIME_ZONE)
    if legacy_id is not None and section.legacy_id is not None:
        existing = Article.objects.filter(
            legacy_id=legacy_id, legacy_section_id=section.legacy_id
        )
    elif legacy_id is not None:
        # Without the old portal's section id, an old article id is only known
        # to be the same article within the same section.
        existing = Article.objects.filter(legacy_id=legacy_id, section=section)
    else:
        existing = Article.objects.filter(
            section=section, title=parsed.title, published_at=published_at
        )
    article = existing.first()
    if article is None and legacy_id is not None:
        twin = Article.objects.filter(
            section=section, title=parsed.title, published_at=published_at
        ).first()
        if twin is not None and twin.legacy_id != legacy_id:
            _redirect_legacy_url(section, legacy_id, twin)
            return ImportOutcome(path=path, article=twin, created=False, duplicate=True)
    article = article or Article(section=section, locale=section.locale)
    created = article.pk is None

    article.title = parsed.title
    article.slug = slugify_vi(parsed.title, max_length=100)
    article.section = section
    article.published_at = published_at
    article.body = "".join(f"<p>{escape(p)}</p>" for p in parsed.paragraphs)
    article.view_count = max(article.view_count, parsed.view_count)
    article.legacy_id = legacy_id
    article.legacy_section_id = section.legacy_id
    if legacy_id is not None and section.legacy_id is not None:
        article.legacy_url = f"/tin-tuc/{section.legacy_id}/{legacy_id}/{article.slug}"
    article.video = (
        Video.objects.get_or_create(
            original_filename=parsed.video_filename,
            defaults={"title": parsed.title[:300]},
        )[0]
        if parsed.video_filename
        else None
    )
    article.bylines = [
        byline_for(name, order) for order, name in enumerate(parsed.authors)
    ]
    # Keywords are added, never removed: editors tag imported articles afterwards,
    # and a re-import must not undo their work.
    article.keywords.add(*parsed.keywords)
    article.save()
    article.save_revision(log_action=True, clean=False).publish()
    return ImportOutcome(path=path, article=article, created=created)


def _redirect_legacy_url(
    section: SectionPage, legacy_id: int, article: Article
) -> None:
    """The old portal's other address of an article (/tin-tuc/46/47083/…), kept
    alive as a permanent redirect (news.views.legacy_article_redirect reads it)."""
    from wagtail.contrib.redirects.models import Redirect

    section_id = section.legacy_id if section.legacy_id is not None else 0
    for prefix in ("tin-tuc", "news"):
        Redirect.objects.update_or_create(
            old_path=Redirect.normalise_path(f"/{prefix}/{section_id}/{legacy_id}"),
            site=None,
            defaults={
                "redirect_link": article.get_absolute_url(),
                "is_permanent": True,
            },
        )


def byline_for(name: str, order: int) -> Byline:
    profile = Author.objects.filter(name__iexact=name).first()
    if profile:
        return Byline(author=profile, sort_order=order)
    return Byline(name=name, sort_order=order)
