"""Importing archives into toasoan. Each file imports whole or not at all."""

from __future__ import annotations

import functools
import multiprocessing
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRel
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django.utils.html import escape
from modelcluster.fields import ParentalKey
from modelcluster.models import (
    ClusterableModel,
    get_all_child_relations,
    get_field_value,
    get_serializable_data_for_fields,
)
from wagtail.models import ModelLogEntry, ReferenceIndex, Revision

from toasoan.core.richtext import sanitize_rich_text
from toasoan.core.vietnamese import normalize_text, slugify_vi
from toasoan.importers.bulk import NewRows, new_ids
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
from toasoan.pagecache.purge import purge_site
from toasoan.search.documents import field_keys, html_to_text
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


# Files per batch (one transaction). 1,000 rather than 500: the fixed cost of a
# batch (lookups, the listing refresh, the commit) was a tenth of the import
# at 500 (bench/imports.py, 20,000 files: 866 → 962 articles/s); 2,000 gained
# nothing more, and a killed import redoes at most one batch.
BATCH_SIZE = 1000


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
    """A file read and parsed, not yet stored, with the text work its article
    needs done: in an import, by the process reading ahead, on another core."""

    path: Path
    parsed: TextArticle
    legacy_id: int | None
    published_at: datetime
    slug: str
    body: str  # sanitised, as stored
    # ``field_keys`` of the texts its search entry will most likely hold.
    search_keys: dict[str, tuple[str, str]]

    @classmethod
    def read(cls, path: Path) -> IncomingFile:
        parsed = read_text_article(path)
        body = sanitize_rich_text(body_html(parsed))
        keywords = {}
        for name in parsed.keywords:  # as _keywords_named will find or make them
            if slug := Keyword.slug_for(name):
                keywords.setdefault(slug, normalize_text(name).strip()[:100])
        texts = [
            parsed.title,
            html_to_text(body),
            " ; ".join(parsed.authors),
            " ; ".join(keywords.values()),
        ]
        return cls(
            path=path,
            parsed=parsed,
            legacy_id=legacy_id_from_filename(path.stem),
            published_at=timezone.make_aware(parsed.published_at, PORTAL_TIME_ZONE),
            slug=slugify_vi(parsed.title, max_length=100),
            body=body,
            search_keys={text: field_keys(text) for text in texts},
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
    # By time as well: the section's (section, published_at) index finds them,
    # where title alone would read every article of the section for each batch.
    by_title = in_section.filter(
        section=section,
        published_at__in={item.published_at for item in batch},
        title__in={item.parsed.title for item in batch},
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
        and article.body == item.body
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
    article.slug = item.slug
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
    would one by one, in a fixed number of statements per batch.

    One by one, an article costs some twenty queries (the row, its bylines and
    keywords, a revision, two log entries, references, the search index): about
    60 articles a second. An archive of a few hundred thousand needs the same
    rows in bulk (bulk.NewRows). The published signal is not sent: what its
    receivers do for a new article (index it, refresh listings) is done here
    for the batch."""
    if not batch:
        return []
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(Article)
    videos = _videos_named(
        {
            item.parsed.video_filename: item.parsed.title
            for item in batch
            if item.parsed.video_filename
        }
    )
    articles = []
    for item, pk in zip(batch, new_ids(Article, len(batch)), strict=True):
        article = Article(
            pk=pk,
            section=section,
            locale_id=section.locale_id,
            live=True,
            has_unpublished_changes=False,
            first_published_at=now,
            last_published_at=now,
            updated_at=now,
        )
        fill_article(
            article, item, section, video=videos.get(item.parsed.video_filename)
        )
        article.body = item.body
        articles.append(article)
    bylines, tags = _children(articles, batch)
    revisions = _revision_rows(articles, content_type, now)

    rows = NewRows(
        Article,
        {
            "section_id": section.pk,
            "locale_id": section.locale_id,
            "live": True,
            "has_unpublished_changes": False,
            "first_published_at": now,
            "last_published_at": now,
            "updated_at": now,
            "legacy_section_id": section.legacy_id,
        },
        [*_ARTICLE_OWN_FIELDS, "latest_revision_id", "live_revision_id"],
    )
    for article, revision_id in zip(articles, revisions.ids, strict=True):
        own = [getattr(article, name) for name in _ARTICLE_OWN_FIELDS]
        rows.add(*own, revision_id, revision_id)
        article.latest_revision_id = article.live_revision_id = revision_id
    rows.write()
    for article in articles:
        article._state.adding = False
        article._state.db = connection.alias
    for model, children in ((Byline, bylines), (ArticleKeyword, tags)):
        child_rows = NewRows(
            model, {}, [f.attname for f in model._meta.concrete_fields]
        )
        for child in children:
            child_rows.add(
                *[getattr(child, f.attname) for f in model._meta.concrete_fields]
            )
            child._state.adding = False
        child_rows.write()
    revisions.rows.write()
    _write_log_entries(articles, revisions.ids, content_type, now)
    _index_references(articles, content_type)
    known_keys = {}
    for item in batch:
        known_keys.update(item.search_keys)
    index_articles(articles, known_keys)
    refresh_listings()
    purge_site()  # new articles on home and section pages
    return articles


# What fill_article sets, the id and the translation key: everything else in a
# new article's row, and in its revision's JSON, is the same for the whole batch.
_ARTICLE_OWN_FIELDS = (
    "id",
    "translation_key",
    "title",
    "slug",
    "body",
    "published_at",
    "view_count",
    "legacy_id",
    "legacy_url",
    "video_id",
)


def _children(
    articles: list[Article], batch: list[IncomingFile]
) -> tuple[list[Byline], list[ArticleKeyword]]:
    """Each article's bylines and keywords, with their ids, set on the article
    as its child objects (what its revision, references and search entry read:
    no query per article)."""
    authors = _BylineAuthors()
    keywords = _keywords_named({k for i in batch for k in i.parsed.keywords})
    per_article = []
    for article, item in zip(articles, batch, strict=True):
        bylines = [
            authors.byline(name, n) for n, name in enumerate(item.parsed.authors)
        ]
        for byline in bylines:
            byline.article = article
            byline.name_slug = byline.slug
        tags = [
            ArticleKeyword(content_object=article, tag=keyword)
            for keyword in dict.fromkeys(
                keywords[k] for k in item.parsed.keywords if k in keywords
            )
        ]
        per_article.append((bylines, tags))
    all_bylines = [b for bylines, _ in per_article for b in bylines]
    all_tags = [t for _, tags in per_article for t in tags]
    for child, pk in zip(all_bylines, new_ids(Byline, len(all_bylines)), strict=True):
        child.pk = pk
    for child, pk in zip(all_tags, new_ids(ArticleKeyword, len(all_tags)), strict=True):
        child.pk = pk
    empty = [
        relation.get_accessor_name()
        for relation in get_all_child_relations(Article)
        if relation.get_accessor_name() not in {"bylines", "tagged_keywords"}
    ]
    for article, (bylines, tags) in zip(articles, per_article, strict=True):
        article.bylines, article.tagged_keywords = bylines, tags
        for name in empty:  # related articles: none yet
            setattr(article, name, [])
    return all_bylines, all_tags


@dataclass
class _Revisions:
    ids: list[int]
    rows: NewRows


def _revision_rows(
    articles: list[Article], content_type: ContentType, now: datetime
) -> _Revisions:
    """Each new article's first revision, its content what Wagtail's
    serializable_data() gives (taken before the article points at it). The
    fields every article of the batch shares are serialised once."""
    fields = [f for f in Article._meta.fields if f.serialize]
    own = [f for f in fields if f.attname in _ARTICLE_OWN_FIELDS]
    relations = [r.get_accessor_name() for r in get_all_child_relations(Article)]
    shared = get_serializable_data_for_fields(articles[0])
    # What the row holds: serialising an auto_now field sets it to a moment later.
    shared["updated_at"] = articles[0].updated_at = now
    ids = new_ids(Revision, len(articles))
    rows = NewRows(
        Revision,
        {
            "content_type_id": content_type.pk,
            "base_content_type_id": content_type.pk,
            "created_at": now,
        },
        ["id", "object_id", "content", "object_str"],
    )
    for article, pk in zip(articles, ids, strict=True):
        content = shared.copy()
        content["pk"] = article.pk
        for field in own:
            content[field.name] = get_field_value(field, article)
        for name in relations:
            content[name] = [
                get_serializable_data_for_fields(child)
                for child in getattr(article, name).all()
            ]
        rows.add(pk, str(article.pk), content, str(article))
    return _Revisions(ids, rows)


def _write_log_entries(
    articles: list[Article],
    revision_ids: list[int],
    content_type: ContentType,
    now: datetime,
) -> None:
    """The history an editor sees: "edited", then "published"."""
    actions = ("wagtail.edit", "wagtail.publish")
    rows = NewRows(
        ModelLogEntry,
        {
            "content_type_id": content_type.pk,
            "timestamp": now,
            "content_changed": True,
            "data": {},
        },
        ["id", "object_id", "label", "action", "revision_id"],
    )
    ids = iter(new_ids(ModelLogEntry, len(articles) * len(actions)))
    for article, revision_id in zip(articles, revision_ids, strict=True):
        label = str(article)[:255]
        for action in actions:
            rows.add(next(ids), str(article.pk), label, action, revision_id)
    rows.write()


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


def _index_references(articles: list[Article], content_type: ContentType) -> None:
    """The admin's "used by" records (Wagtail's reference index) for new
    articles, written together instead of one task per saved article."""
    found = []
    for article in articles:
        for target_type, target_id, model_path, content_path in set(
            _references(article)
        ):
            hashed = ReferenceIndex._get_content_path_hash(content_path)
            found.append((str(article.pk), target_type, target_id, model_path,
                          content_path, hashed))  # fmt: skip
    # A new article has no records yet; any left under its id are stale. (The
    # ORM's delete() would first read them all back.)
    ReferenceIndex.objects.filter(
        base_content_type=content_type, object_id__in=[str(a.pk) for a in articles]
    )._raw_delete(connection.alias)
    rows = NewRows(
        ReferenceIndex,
        {"content_type_id": content_type.pk, "base_content_type_id": content_type.pk},
        ["id", "object_id", "to_content_type_id", "to_object_id", "model_path",
         "content_path", "content_path_hash"],
    )  # fmt: skip
    for pk, row in zip(new_ids(ReferenceIndex, len(found)), found, strict=True):
        rows.add(pk, *row)
    rows.write()


def _references(instance) -> Iterator[tuple[int, str, str, str]]:
    """What ReferenceIndex._extract_references_from_object finds, with the
    fields to look at and their content types worked out once per model (which
    took most of its time); models it treats otherwise go to it."""
    plan = _reference_plan(type(instance))
    if plan is None:
        yield from ReferenceIndex._extract_references_from_object(instance)
        return
    foreign_keys, extractors, relations = plan
    for name, attname, target_model in foreign_keys:
        value = getattr(instance, attname)
        if value is not None:
            # Asked each time (Django caches it): a content type's id is the
            # database's, and a cached plan may outlive it (a flushed test
            # database recreates them under new ids).
            target_type = ReferenceIndex._get_base_content_type(target_model).id
            yield target_type, str(value), name, name
    for field in extractors:
        value = field.value_from_object(instance)
        if value is not None:
            for to_model, to_id, model_path, content_path in field.extract_references(
                value
            ):
                yield (
                    ReferenceIndex._get_base_content_type(to_model).id,
                    to_id,
                    f"{field.name}.{model_path}",
                    f"{field.name}.{content_path}",
                )
    for relation in relations:
        for child in getattr(instance, relation).all():
            for target_type, target_id, model_path, content_path in _references(child):
                yield (
                    target_type,
                    target_id,
                    f"{relation}.item.{model_path}",
                    f"{relation}.{child.pk}.{content_path}",
                )


@functools.cache
def _reference_plan(model):
    """(foreign keys with their target models, fields that find references in
    their value, child relations) as Wagtail looks at them; None for a model
    with a generic foreign key."""
    foreign_keys, extractors = [], []
    for field in model._meta.get_fields():
        if field.is_relation and field.many_to_one:
            if isinstance(field, GenericForeignKey):
                return None
            if not (
                getattr(field, "wagtail_reference_index_ignore", False)
                or getattr(field.related_model, "wagtail_reference_index_ignore", False)
                or isinstance(field, ParentalKey | GenericRel)
            ):
                foreign_keys.append((field.name, field.attname, field.related_model))
        if hasattr(field, "extract_references"):
            extractors.append(field)
    relations = []
    if issubclass(model, ClusterableModel):
        relations = [r.get_accessor_name() for r in get_all_child_relations(model)]
    return foreign_keys, extractors, relations


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
