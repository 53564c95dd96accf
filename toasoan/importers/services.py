"""Importing archives into toasoan. Each file imports whole or not at all."""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django.utils.html import escape
from modelcluster.models import get_all_child_relations
from wagtail.models import ModelLogEntry, ReferenceIndex, Revision

from toasoan.core.richtext import sanitize_rich_text
from toasoan.core.vietnamese import slugify_vi
from toasoan.importers.reader import start_reader
from toasoan.importers.textformat import (
    TextArticle,
    TextArticleError,
    decode_article_bytes,
    legacy_id_from_filename,
    parse_text_article,
)
from toasoan.news.models import (
    Article,
    ArticleKeyword,
    Author,
    Byline,
    Keyword,
    SectionPage,
)
from toasoan.news.services import refresh_listings
from toasoan.search.services import index_articles
from toasoan.videos.models import Video

PORTAL_TIME_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


class ImportFailed(Exception):
    """One file failed; ``str()`` is the one line an operator reads."""

    def __init__(self, path: Path, error: TextArticleError):
        where = f"{path}:{error.line}" if error.line else str(path)
        super().__init__(f"{where}: {error.message}")

    def __reduce__(self):
        # Read in another process and sent back: only its line of text travels.
        return (_import_failed, (str(self),))


def _import_failed(message: str) -> ImportFailed:
    failed = ImportFailed.__new__(ImportFailed)
    Exception.__init__(failed, message)
    return failed


@dataclass
class ImportOutcome:
    path: Path
    article: Article
    created: bool
    # The same article already came in under another old URL: this file's URL
    # now redirects to it, and no second copy is made.
    duplicate: bool = False
    # Imported before and the file still says the same: nothing was written.
    unchanged: bool = False


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


BATCH_SIZE = 500


def import_text_article(
    path: Path, section: SectionPage, *, dry_run: bool = False
) -> ImportOutcome:
    """Import one seed-format file as a published article, or update the one it
    imported before (same legacy id, or same title and time in the section)."""
    (result,) = import_text_batch([path], section, dry_run=dry_run)
    if isinstance(result, ImportFailed):
        raise result
    return result


def import_text_batch(
    paths: list[Path], section: SectionPage, *, dry_run: bool = False
) -> list[ImportOutcome | ImportFailed]:
    """Import a batch of files in one transaction: each file's outcome, or why
    it failed, in the order given."""
    return save_text_batch(read_text_batch(paths), section, dry_run=dry_run)


def read_text_batch(paths: list[Path]) -> list[IncomingFile | ImportFailed]:
    """Each file read and parsed, or why it cannot be: no database, so the
    import command can read the next batch in another process."""
    read: list[IncomingFile | ImportFailed] = []
    for path in paths:
        try:
            read.append(IncomingFile.read(path))
        except ImportFailed as failed:
            read.append(failed)
    return read


def read_batches_ahead(
    batches: list[list[Path]],
) -> Iterator[list[IncomingFile | ImportFailed]]:
    """``read_text_batch`` of each batch in order, read one batch ahead in a
    second process: parsing (a fifth of an import's time) runs on another core
    while this process writes the batch before."""
    if len(batches) < 2:
        yield from map(read_text_batch, batches)
        return
    # A fresh interpreter, not a fork: nothing of this process's database
    # connection or state goes across; Django is set up there from the same
    # settings module.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=context, initializer=start_reader) as reader:
        waiting: deque = deque()
        for batch in batches:
            waiting.append(reader.submit(read_text_batch, batch))
            if len(waiting) > 2:  # two batches read ahead at most, in memory
                yield waiting.popleft().result()
        while waiting:
            yield waiting.popleft().result()


def save_text_batch(
    read: list[IncomingFile | ImportFailed],
    section: SectionPage,
    *,
    dry_run: bool = False,
) -> list[ImportOutcome | ImportFailed]:
    """Store a read batch in one transaction; failures are passed through.

    A batch commits whole or not at all, so an import killed midway leaves only
    whole articles, and running it again picks up where it stopped (articles
    already in are found by their old id and left alone)."""
    results: list[ImportOutcome | ImportFailed] = list(read)
    readable = [item for item in read if isinstance(item, IncomingFile)]
    position = {id(item): number for number, item in enumerate(read)}
    with transaction.atomic():
        for item, outcome in _save_batch(readable, section):
            results[position[id(item)]] = outcome
        if dry_run:
            transaction.set_rollback(True)
    return results


@dataclass
class IncomingFile:
    """A file read and parsed, not yet stored."""

    path: Path
    parsed: TextArticle
    legacy_id: int | None
    published_at: datetime

    @classmethod
    def read(cls, path: Path) -> IncomingFile:
        parsed = read_text_article(path)
        return cls(
            path=path,
            parsed=parsed,
            legacy_id=legacy_id_from_filename(path.stem),
            published_at=timezone.make_aware(parsed.published_at, PORTAL_TIME_ZONE),
        )

    @property
    def title_and_time(self) -> tuple[str, datetime]:
        return (self.parsed.title, self.published_at)


def _save_batch(
    batch: list[IncomingFile], section: SectionPage
) -> Iterator[tuple[IncomingFile, ImportOutcome]]:
    """New articles go in together (create_published_articles); the few that
    are already here and changed, or that repeat a file earlier in the batch, go
    one by one."""
    known = _articles_already_imported(batch, section)
    new: list[IncomingFile] = []
    one_by_one: list[IncomingFile] = []
    claimed: set = set()
    for item in batch:
        article = known.get(_identity(item))
        if article is not None and _says_the_same(article, item):
            yield item, ImportOutcome(item.path, article, False, unchanged=True)
            continue
        keys = {_identity(item), item.title_and_time}
        if article is not None or known.get(item.title_and_time) or keys & claimed:
            one_by_one.append(item)
        else:
            new.append(item)
        claimed |= keys
    created = create_published_articles(new, section)
    for item, article in zip(new, created, strict=True):
        yield item, ImportOutcome(item.path, article, created=True)
    for item in one_by_one:
        yield item, save_article_alone(item, section)


def _identity(item: IncomingFile) -> tuple:
    """What makes an incoming file the same article as one already in."""
    if item.legacy_id is not None:
        return ("legacy", item.legacy_id)
    return item.title_and_time


def _articles_already_imported(
    batch: list[IncomingFile], section: SectionPage
) -> dict[tuple, Article]:
    """The section's articles that files in ``batch`` may already have made,
    keyed both by ``_identity`` and by (title, time), in two queries."""
    in_section = Article.objects.select_related("video").prefetch_related(
        "bylines__author", "tagged_keywords__tag"
    )
    legacy_ids = [item.legacy_id for item in batch if item.legacy_id is not None]
    if section.legacy_id is not None:
        by_legacy = in_section.filter(
            legacy_id__in=legacy_ids, legacy_section_id=section.legacy_id
        )
    else:
        # Without the old portal's section id, an old article id is only known
        # to be the same article within the same section.
        by_legacy = in_section.filter(legacy_id__in=legacy_ids, section=section)
    by_title = in_section.filter(
        section=section, title__in={item.parsed.title for item in batch}
    )
    known: dict[tuple, Article] = {}
    for article in by_title:
        known.setdefault((article.title, article.published_at), article)
    for article in by_legacy:
        known[("legacy", article.legacy_id)] = article
    return known


def _says_the_same(article: Article, item: IncomingFile) -> bool:
    """Would importing ``item`` again change nothing a reader or editor sees?"""
    parsed = item.parsed
    video = article.video.original_filename if article.video_id else None
    keywords = {tag.tag.slug for tag in article.tagged_keywords.all()}
    return (
        article.title == parsed.title
        and article.published_at == item.published_at
        and article.body == sanitize_rich_text(body_html(parsed))
        and article.view_count >= parsed.view_count
        and video == parsed.video_filename
        and article.byline_names == parsed.authors
        and {Keyword.slug_for(k) for k in parsed.keywords} <= keywords
    )


def save_article_alone(item: IncomingFile, section: SectionPage) -> ImportOutcome:
    """One file the way an editor's save and publish goes: Wagtail's
    save_revision().publish(). For changes, twins and repeats in a batch."""
    known = _articles_already_imported([item], section)
    article = known.get(_identity(item))
    if article is not None and _says_the_same(article, item):
        return ImportOutcome(item.path, article, False, unchanged=True)
    twin = known.get(item.title_and_time)
    if article is None and twin is not None and twin.legacy_id != item.legacy_id:
        _redirect_legacy_url(section, item.legacy_id, twin)
        return ImportOutcome(item.path, twin, created=False, duplicate=True)
    article = article or Article(section=section, locale=section.locale)
    created = article.pk is None
    fill_article(article, item, section)
    article.bylines = [
        byline_for(name, order) for order, name in enumerate(item.parsed.authors)
    ]
    # Keywords are added, never removed: editors tag imported articles afterwards,
    # and a re-import must not undo their work.
    article.keywords.add(*item.parsed.keywords)
    article.save()
    article.save_revision(log_action=True, clean=False).publish()
    return ImportOutcome(path=item.path, article=article, created=created)


def body_html(parsed: TextArticle) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in parsed.paragraphs)


def fill_article(
    article: Article,
    item: IncomingFile,
    section: SectionPage,
    video: Video | None = None,
) -> None:
    """Set an article's own fields from a parsed file (not bylines or keywords)."""
    parsed, legacy_id = item.parsed, item.legacy_id
    article.title = parsed.title
    article.slug = slugify_vi(parsed.title, max_length=100)
    article.section = section
    article.published_at = item.published_at
    article.body = body_html(parsed)
    article.view_count = max(article.view_count, parsed.view_count)
    article.legacy_id = legacy_id
    article.legacy_section_id = section.legacy_id
    if legacy_id is not None and section.legacy_id is not None:
        article.legacy_url = f"/tin-tuc/{section.legacy_id}/{legacy_id}/{article.slug}"
    if video is None and parsed.video_filename:
        video = Video.objects.get_or_create(
            original_filename=parsed.video_filename,
            defaults={"title": parsed.title[:300]},
        )[0]
    article.video = video


def create_published_articles(
    batch: list[IncomingFile], section: SectionPage
) -> list[Article]:
    """Publish new articles together, as Wagtail's save_revision().publish()
    would one by one, in a fixed number of queries per batch.

    One by one, an article costs some twenty queries (the row, its bylines and
    keywords, a revision, two log entries, references, the search index): about
    60 articles a second. An archive of a few hundred thousand needs the same
    rows in bulk. The published signal is not sent: what its receivers do for a
    new article (index it, refresh listings) is done here for the batch."""
    if not batch:
        return []
    now = timezone.now()
    videos = _videos_named(
        {
            item.parsed.video_filename: item.parsed.title
            for item in batch
            if item.parsed.video_filename
        }
    )
    articles = []
    for item in batch:
        article = Article(
            section=section,
            locale_id=section.locale_id,
            live=True,
            has_unpublished_changes=False,
            first_published_at=now,
            last_published_at=now,
        )
        fill_article(
            article, item, section, video=videos.get(item.parsed.video_filename)
        )
        article.body = sanitize_rich_text(article.body)
        articles.append(article)
    Article.objects.bulk_create(articles)

    authors = _BylineAuthors()
    keywords = _keywords_named({k for i in batch for k in i.parsed.keywords})
    bylines, tags = [], []
    for article, item in zip(articles, batch, strict=True):
        for order, name in enumerate(item.parsed.authors):
            byline = authors.byline(name, order)
            byline.article = article
            byline.name_slug = byline.slug
            bylines.append(byline)
        for keyword in dict.fromkeys(
            keywords[k] for k in item.parsed.keywords if k in keywords
        ):
            tags.append(ArticleKeyword(content_object=article, tag=keyword))
    Byline.objects.bulk_create(bylines)
    ArticleKeyword.objects.bulk_create(tags)
    # The saved children, held in memory, are what the revision and the index
    # read: no query per article.
    children = {a.pk: ([], []) for a in articles}
    for byline in bylines:
        children[byline.article_id][0].append(byline)
    for tag in tags:
        children[tag.content_object_id][1].append(tag)
    empty = [
        relation.get_accessor_name()
        for relation in get_all_child_relations(Article)
        if relation.get_accessor_name() not in {"bylines", "tagged_keywords"}
    ]
    for article in articles:
        article.bylines, article.tagged_keywords = children[article.pk]
        for name in empty:  # related articles: none yet
            setattr(article, name, [])

    content_type = ContentType.objects.get_for_model(Article)
    revisions = Revision.objects.bulk_create(
        Revision(
            content_type=content_type,
            base_content_type=content_type,
            object_id=str(article.pk),
            created_at=now,
            content=article.serializable_data(),
            object_str=str(article),
        )
        for article in articles
    )
    for article, revision in zip(articles, revisions, strict=True):
        article.latest_revision = article.live_revision = revision
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {Article._meta.db_table} SET latest_revision_id = %s, "
            "live_revision_id = %s WHERE id = %s",
            [(r.pk, r.pk, a.pk) for a, r in zip(articles, revisions, strict=True)],
        )
    ModelLogEntry.objects.bulk_create(
        ModelLogEntry(
            content_type=content_type,
            object_id=str(article.pk),
            label=str(article)[:255],
            action=action,
            timestamp=now,
            revision=revision,
            content_changed=True,
            data={},
        )
        for article, revision in zip(articles, revisions, strict=True)
        for action in ("wagtail.edit", "wagtail.publish")
    )
    _index_references(articles)
    index_articles(articles)
    refresh_listings()
    return articles


def _videos_named(titles_by_name: dict[str, str]) -> dict[str, Video]:
    """The videos an archive's "Video:" lines name, made as placeholders (no
    file yet) where new, as ``fill_article``'s get_or_create would."""
    found = {
        v.original_filename: v
        for v in Video.objects.filter(original_filename__in=titles_by_name)
    }
    missing = [
        Video(original_filename=name, title=title[:300])
        for name, title in titles_by_name.items()
        if name not in found
    ]
    found.update((v.original_filename, v) for v in Video.objects.bulk_create(missing))
    return found


def _keywords_named(names: set[str]) -> dict[str, Keyword]:
    """Each keyword name to its Keyword, matched by folded slug as
    ``Keyword.for_name`` does; new ones are created."""
    slugs = {name: Keyword.slug_for(name) for name in names}
    known = {k.slug: k for k in Keyword.objects.filter(slug__in=set(slugs.values()))}
    found = {}
    for name, slug in slugs.items():
        if not slug:
            continue
        if slug not in known:
            known[slug] = Keyword.for_name(name)
        found[name] = known[slug]
    return found


class _BylineAuthors:
    """``byline_for`` for a whole batch: the staff profiles read once."""

    def __init__(self):
        self.by_name = {}
        for author in Author.objects.order_by("pk"):
            self.by_name.setdefault(author.name.casefold(), author)

    def byline(self, name: str, order: int) -> Byline:
        profile = self.by_name.get(name.casefold())
        if profile:
            return Byline(author=profile, sort_order=order)
        return Byline(name=name, sort_order=order)


def _index_references(articles: list[Article]) -> None:
    """The admin's "used by" records (Wagtail's reference index) for new
    articles, written together instead of one task per saved article."""
    rows = []
    content_type = ContentType.objects.get_for_model(Article)
    for article in articles:
        for target_type, target_id, model_path, content_path in set(
            ReferenceIndex._extract_references_from_object(article)
        ):
            rows.append(
                ReferenceIndex(
                    content_type=content_type,
                    base_content_type=content_type,
                    object_id=article.pk,
                    to_content_type_id=target_type,
                    to_object_id=target_id,
                    model_path=model_path,
                    content_path=content_path,
                    content_path_hash=ReferenceIndex._get_content_path_hash(
                        content_path
                    ),
                )
            )
    ReferenceIndex.objects.bulk_create(rows, ignore_conflicts=True)


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
    """A byline for ``name``: linked to the staff profile of that name if any."""
    return _BylineAuthors().byline(name, order)
