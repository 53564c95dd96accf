"""Writing the whole site into a directory (docs/export-format.md).

The records are read in one transaction, so the files agree with each other
(PostgreSQL: a repeatable-read snapshot; SQLite: writers wait meanwhile); media
files are copied after it. Everything goes into a temporary directory beside the
target, which is renamed into place only when complete: a failure leaves nothing.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils.translation import gettext as _
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
    Locale,
    ModelLogEntry,
    Page,
    PageLogEntry,
    Revision,
    Site,
)

from toasoan.archives import format as fmt
from toasoan.archives import schema
from toasoan.archives.checking import VIDEO_FILES
from toasoan.audience.models import ArticleViewHour
from toasoan.core.models import PressSettings
from toasoan.news.models import (
    AboutPage,
    Article,
    Author,
    HomePage,
    Keyword,
    SectionPage,
)
from toasoan.newsroom.models import EditorialComment
from toasoan.videos.models import Video

Progress = Callable[[str, int, int], None]
CHUNK = 500
PAGE_TYPES = {
    "news.homepage": HomePage,
    "news.sectionpage": SectionPage,
    "news.aboutpage": AboutPage,
}


class ExportError(Exception):
    """The export could not be made; the message is for people."""


@dataclass
class ExportSummary:
    directory: Path
    records: dict[str, int] = field(default_factory=dict)
    media_files: int = 0
    media_bytes: int = 0
    missing_media: list[str] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)


def export_site(
    directory: Path, *, with_passwords: bool = False, progress: Progress | None = None
) -> ExportSummary:
    """Write the site into ``directory``, which must not exist or be empty."""
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise ExportError(
            _(
                "%(path)s đã có và không trống: chọn một thư mục mới / the target "
                "exists and is not empty"
            )
            % {"path": directory}
        )
    if not directory.parent.is_dir():
        raise ExportError(
            _("Không có thư mục %(path)s / no such directory")
            % {"path": directory.parent}
        )
    summary = ExportSummary(directory)
    try:
        work = Path(
            tempfile.mkdtemp(dir=directory.parent, prefix=f".{directory.name}.")
        )
    except OSError as error:
        raise _write_failed(directory, error) from error
    try:
        entries = _write_records(work, with_passwords, summary, progress)
        media_names = _media_names(work)
        entries += _copy_media(work, media_names, summary, progress)
        manifest = fmt.build_manifest(entries, with_passwords, summary.missing_media)
        (work / fmt.MANIFEST).write_bytes(fmt.dump_manifest(manifest))
        _fsync_directory(work)
        if directory.exists():
            directory.rmdir()  # empty, checked above
        os.rename(work, directory)
    except OSError as error:
        shutil.rmtree(work, ignore_errors=True)
        raise _write_failed(directory, error) from error
    except fmt.FormatError as error:
        shutil.rmtree(work, ignore_errors=True)
        raise ExportError(str(error)) from error
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return summary


def _write_failed(directory: Path, error: OSError) -> ExportError:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        reason = _("hết chỗ trên đĩa / no space left on the disk")
    else:
        reason = error.strerror or str(error)
    return ExportError(
        _(
            "Không ghi được bản xuất %(path)s: %(reason)s; không để lại gì / cannot "
            "write the export, nothing was left behind"
        )
        % {"path": directory, "reason": reason}
    )


def _fsync_directory(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# Records -------------------------------------------------------------------


def _write_records(
    work: Path, with_passwords: bool, summary: ExportSummary, progress
) -> list[fmt.FileEntry]:
    entries = []
    # Inside a transaction already (the tests), SET TRANSACTION would come late.
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"
                )
        exported = _Exported()
        writers = {
            "locales.jsonl": _locales,
            "collections.jsonl": _collections,
            "groups.jsonl": _groups,
            "users.jsonl": lambda e, s: _users(with_passwords),
            "images.jsonl": _images,
            "documents.jsonl": _documents,
            "videos.jsonl": _videos,
            "pages.jsonl": _pages,
            "sites.jsonl": _sites,
            "settings.jsonl": _settings,
            "authors.jsonl": _authors,
            "keywords.jsonl": _keywords,
            "articles.jsonl": _articles,
            "revisions.jsonl": _revisions,
            "view-hours.jsonl": _view_hours,
            "redirects.jsonl": _redirects,
            "comments.jsonl": _comments,
            "log.jsonl": _log,
        }
        assert list(writers) == schema.JSONL_FILES
        # Groups name pages and sites, written later: they are read first.
        exported.pages = _exported_page_ids()
        exported.sites = set(
            Site.objects.filter(root_page__in=exported.pages).values_list(
                "pk", flat=True
            )
        )
        for name, records in writers.items():
            writer = fmt.JsonlWriter(work, name)
            try:
                for record in records(exported, summary):
                    writer.write(record)
                    if progress and writer.lines % CHUNK == 0:
                        progress(name, writer.lines, 0)
            except BaseException:
                writer.abort()
                raise
            entries.append(writer.close())
            summary.records[name] = writer.lines
            if progress:
                progress(name, writer.lines, writer.lines)
    return entries


@dataclass
class _Exported:
    """The pages and sites the export holds (groups' permissions, sites and
    redirects name them only if they are there)."""

    pages: set[int] = field(default_factory=set)
    sites: set[int] = field(default_factory=set)


def _dt(value):
    return fmt.encode_datetime(value)


def _value_out(value, kind: str):
    base = kind.rstrip("?")
    if base == "datetime":
        return fmt.encode_datetime(value)
    if base == "date":
        return fmt.encode_date(value)
    if base == "uuid" and value is not None:
        return str(value)
    return value


def _row(item, name: str) -> dict:
    """A record's plain values and references by id, read from the model's
    attributes of the same names (schema.py says which)."""
    row = {f: _value_out(getattr(item, f), k) for f, k in schema.columns(name)}
    for key, _kind in schema.foreign_keys(name):
        row[key] = getattr(item, f"{key}_id")
    if "id" in schema.SCHEMAS[name]:
        row["id"] = item.pk
    return row


def _label(content_type_id: int) -> str:
    content_type = ContentType.objects.get_for_id(content_type_id)
    return f"{content_type.app_label}.{content_type.model}"


def _permission_label(permission) -> str:
    return f"{permission.content_type.app_label}.{permission.codename}"


def _chunks(queryset, size: int = CHUNK) -> Iterator:
    """A large table in primary-key order, a chunk of rows at a time."""
    last = None
    while True:
        chunk = queryset.filter(pk__gt=last) if last is not None else queryset
        rows = list(chunk.order_by("pk")[:size])
        if not rows:
            return
        yield from rows
        last = rows[-1].pk


def _locales(exported, summary):
    for code in Locale.objects.order_by("pk").values_list("language_code", flat=True):
        yield {"language_code": code}


def _collections(exported, summary):
    ids_by_path = {}
    for collection in Collection.objects.order_by("path"):
        ids_by_path[collection.path] = collection.pk
        parent = ids_by_path.get(collection.path[: -Collection.steplen])
        yield {"id": collection.pk, "name": collection.name, "parent": parent}


def _groups(exported, summary):
    for group in sorted(Group.objects.all(), key=lambda g: g.name):
        permissions = group.permissions.select_related("content_type")
        yield {
            "name": group.name,
            "permissions": sorted(_permission_label(p) for p in permissions),
            "collection_permissions": _object_permissions(
                GroupCollectionPermission, group, "collection"
            ),
            "page_permissions": _object_permissions(
                GroupPagePermission, group, "page", keep=exported.pages, summary=summary
            ),
            "site_permissions": _object_permissions(
                GroupSitePermission, group, "site", keep=exported.sites, summary=summary
            ),
        }


def _object_permissions(model, group, name, keep=None, summary=None) -> list[dict]:
    rows = []
    for row in model.objects.filter(group=group).select_related(
        "permission__content_type"
    ):
        target = getattr(row, f"{name}_id")
        if keep is not None and target not in keep:
            summary.skipped[f"groups: {name} permission outside the export"] += 1
            continue
        rows.append({name: target, "permission": _permission_label(row.permission)})
    return sorted(rows, key=lambda r: (r[name], r["permission"]))


def _users(with_passwords: bool):
    users = get_user_model().objects.prefetch_related(
        "groups", "user_permissions__content_type"
    )
    for user in _chunks(users):
        yield _row(user, "users.jsonl") | {
            "password": user.password if with_passwords else None,
            "groups": sorted(g.name for g in user.groups.all()),
            "permissions": sorted(
                _permission_label(p) for p in user.user_permissions.all()
            ),
        }


def _files(model, name: str):
    for item in _chunks(model.objects.prefetch_related("tags")):
        yield _row(item, name) | {
            "file": item.file.name,
            "tags": sorted(tag.name for tag in item.tags.all()),
        }


def _images(exported, summary):
    yield from _files(get_image_model(), "images.jsonl")


def _documents(exported, summary):
    yield from _files(get_document_model(), "documents.jsonl")


def video_outputs(video_id: int) -> list[str]:
    """Every file under videos/<id>/ in the storage: what processing made (the
    poster, the web MP4, HLS playlists and segments)."""
    names = []

    def walk(folder: str) -> None:
        try:
            folders, files = default_storage.listdir(folder)
        except (FileNotFoundError, NotADirectoryError):
            return
        names.extend(f"{folder}/{name}" for name in files)
        for sub in folders:
            walk(f"{folder}/{sub}")

    walk(f"videos/{video_id}")
    return sorted(names)


def _videos(exported, summary):
    for video in _chunks(Video.objects.all()):
        yield (
            _row(video, "videos.jsonl")
            | {key: getattr(video, key).name or "" for key in VIDEO_FILES}
            | {"outputs": video_outputs(video.pk)}
        )


def _exported_page_ids() -> set[int]:
    """Home pages under the root and the sections below them; a page of another
    type (none in toasoan) and what lies under it are left out."""
    wanted = {
        ContentType.objects.get_for_model(model).pk for model in PAGE_TYPES.values()
    }
    ids_by_path: dict[str, int] = {}
    for pk, path, depth, type_id in (
        Page.objects.filter(depth__gte=2)
        .order_by("path")
        .values_list("pk", "path", "depth", "content_type_id")
    ):
        parent_ok = depth == 2 or path[: -Page.steplen] in ids_by_path
        if type_id in wanted and parent_ok:
            ids_by_path[path] = pk
    return set(ids_by_path.values())


def _pages(exported, summary):
    sections = {
        s.pk: s
        for s in SectionPage.objects.filter(pk__in=exported.pages).only(
            "pk", "legacy_id", "description"
        )
    }
    homes = {
        h.pk: h
        for h in HomePage.objects.filter(pk__in=exported.pages).only(
            "pk", *HomePage.EDITION_PRESS_FIELDS
        )
    }
    abouts = {
        a.pk: a
        for a in AboutPage.objects.filter(pk__in=exported.pages).only(
            "pk", "intro", "body"
        )
    }
    skipped = Page.objects.filter(depth__gte=2).exclude(pk__in=exported.pages).count()
    if skipped:
        summary.skipped["pages: not a home page or section"] = skipped
    ids_by_path = {}
    pages = Page.objects.filter(pk__in=exported.pages).select_related("locale")
    for page in pages.order_by("path"):
        ids_by_path[page.path] = page.pk
        section = sections.get(page.pk)
        about = abouts.get(page.pk)
        home = homes.get(page.pk)
        yield _row(page, "pages.jsonl") | {
            "type": _label(page.content_type_id),
            "parent": ids_by_path.get(page.path[: -Page.steplen]),
            "alias_of": page.alias_of_id,
            "locale": page.locale.language_code,
            "section": (
                {"description": section.description, "legacy_id": section.legacy_id}
                if section
                else None
            ),
            "about": {"intro": about.intro, "body": about.body} if about else None,
            "home": (
                {name: getattr(home, name) for name in HomePage.EDITION_PRESS_FIELDS}
                if home
                else None
            ),
        }


def _sites(exported, summary):
    skipped = Site.objects.exclude(pk__in=exported.sites).count()
    if skipped:
        summary.skipped["sites: root page outside the export"] = skipped
    for site in Site.objects.filter(pk__in=exported.sites).order_by("pk"):
        yield _row(site, "sites.jsonl")


def _settings(exported, summary):
    settings = PressSettings.objects.filter(site__in=exported.sites)
    for item in settings.order_by("site"):
        yield _row(item, "settings.jsonl")


def _authors(exported, summary):
    for author in _chunks(Author.objects.all()):
        yield _row(author, "authors.jsonl")


def _keywords(exported, summary):
    for keyword in _chunks(Keyword.objects.all()):
        yield _row(keyword, "keywords.jsonl")


def _articles(exported, summary):
    articles = Article.objects.select_related("locale").prefetch_related(
        "bylines", "tagged_keywords", "related_links"
    )
    for article in _chunks(articles):
        bylines = sorted(article.bylines.all(), key=lambda b: b.pk)
        keywords = sorted(article.tagged_keywords.all(), key=lambda k: k.pk)
        related = sorted(article.related_links.all(), key=lambda r: r.pk)
        yield _row(article, "articles.jsonl") | {
            "locale": article.locale.language_code,
            "body": article.body,
            "bylines": [
                {
                    "id": b.pk,
                    "author": b.author_id,
                    "name": b.name,
                    "name_slug": b.name_slug,
                    "sort_order": b.sort_order,
                }
                for b in bylines
            ],
            "keywords": [{"id": k.pk, "keyword": k.tag_id} for k in keywords],
            "related": [
                {"id": r.pk, "target": r.target_id, "sort_order": r.sort_order}
                for r in related
            ],
        }


def revision_content_out(content: dict, locale_codes: dict[int, str]) -> dict:
    """Wagtail's revision content with the two numbers that differ between
    databases for the same thing spelled out: the locale as its language code
    and a page's content type as "app_label.model"."""
    content = dict(content)
    if isinstance(content.get("locale"), int):
        content["locale"] = locale_codes.get(content["locale"])
    if isinstance(content.get("content_type"), int):
        content["content_type"] = _label(content["content_type"])
    return content


def _revisions(exported, summary):
    page_type = ContentType.objects.get_for_model(Page).pk
    article_type = ContentType.objects.get_for_model(Article).pk
    article_ids = set(Article.objects.values_list("pk", flat=True))
    locale_codes = dict(Locale.objects.values_list("pk", "language_code"))
    revisions = Revision.objects.filter(
        base_content_type_id__in=[page_type, article_type]
    )
    for revision in _chunks(revisions):
        object_id = int(revision.object_id)
        wanted = (
            exported.pages
            if revision.base_content_type_id == page_type
            else article_ids
        )
        if object_id not in wanted:
            summary.skipped["revisions: object outside the export"] += 1
            continue
        yield _row(revision, "revisions.jsonl") | {
            "content_type": _label(revision.content_type_id),
            "base_content_type": _label(revision.base_content_type_id),
            "object_id": object_id,
            "content": revision_content_out(revision.content, locale_codes),
        }


def _view_hours(exported, summary):
    rows = ArticleViewHour.objects.order_by("article_id", "hour").values_list(
        "article_id", "hour", "views"
    )
    for article_id, hour, views in rows.iterator(chunk_size=2000):
        yield {"article": article_id, "hour": _dt(hour), "views": views}


def _redirects(exported, summary):
    for redirect in Redirect.objects.order_by("pk"):
        if redirect.site_id is not None and redirect.site_id not in exported.sites:
            summary.skipped["redirects: site outside the export"] += 1
        elif (
            redirect.redirect_page_id is not None
            and redirect.redirect_page_id not in exported.pages
        ):
            summary.skipped["redirects: page outside the export"] += 1
        else:
            yield _row(redirect, "redirects.jsonl")


def _comments(exported, summary):
    for comment in _chunks(EditorialComment.objects.prefetch_related("mentions")):
        yield _row(comment, "comments.jsonl") | {
            "mentions": sorted(user.pk for user in comment.mentions.all())
        }


def _log(exported, summary):
    for table, model in (("model", ModelLogEntry), ("page", PageLogEntry)):
        for entry in _chunks(model.objects.all()):
            object_id = entry.page_id if table == "page" else entry.object_id
            yield {
                "table": table,
                "content_type": _label(entry.content_type_id),
                "object_id": str(object_id),
                "label": entry.label,
                "action": entry.action,
                "data": entry.data if isinstance(entry.data, dict) else {},
                "timestamp": _dt(entry.timestamp),
                "uuid": str(entry.uuid) if entry.uuid else None,
                "user": entry.user_id,
                "revision": entry.revision_id,
                "content_changed": entry.content_changed,
                "deleted": entry.deleted,
            }


# Media ---------------------------------------------------------------------


def _media_names(work: Path) -> list[str]:
    """Every stored file the records name, read back from the files written."""
    names = set()
    for name, fields in (
        ("images.jsonl", ("file",)),
        ("documents.jsonl", ("file",)),
        ("videos.jsonl", ("file", "captions", "poster", "web_mp4", "hls_master")),
    ):
        for _line, record in fmt.read_jsonl(work / name, name):
            names.update(record[f] for f in fields if record[f])
            names.update(record.get("outputs", ()))
    return sorted(names)


def _copy_media(
    work: Path, names: list[str], summary: ExportSummary, progress
) -> list[fmt.FileEntry]:
    entries = []
    for done, name in enumerate(names, start=1):
        target = work / fmt.media_path(name)
        if not default_storage.exists(name):
            summary.missing_media.append(name)
            continue
        with default_storage.open(name, "rb") as source:
            digest, size = fmt.copy_file(source, target)
        entries.append(fmt.FileEntry(fmt.media_path(name), digest, size))
        summary.media_files += 1
        summary.media_bytes += size
        if progress:
            progress("media", done, len(names))
    return entries
