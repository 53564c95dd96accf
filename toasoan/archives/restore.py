"""Rebuilding a site from an export (docs/export-format.md, "Restore").

The whole export is checked first (checking.py); then everything is written in
one database transaction, media files included (media.py: moved into place
whole, deleted again if anything fails). Records keep their exported ids when
these are free (always, in an empty database), so addresses (/<slug>-<id>.html),
video folders (videos/<id>/) and the ids inside revisions and rich text stay
true; where an id is taken, remap.py gives a new one and everything follows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from django.db.models import F
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
    Page,
    ReferenceIndex,
    Revision,
    Site,
)

from toasoan.archives import format as fmt
from toasoan.archives import restore_content as content
from toasoan.archives import schema
from toasoan.archives.checking import Plan, check_export
from toasoan.archives.format import FormatError
from toasoan.archives.media import MediaConflict, MediaWriter
from toasoan.archives.remap import IdAllocator
from toasoan.audience.models import ArticleViewHour
from toasoan.core.models import PressSettings
from toasoan.news.models import (
    AboutPage,
    Article,
    ArticleKeyword,
    Author,
    Byline,
    HomePage,
    Keyword,
    RelatedArticle,
    SectionPage,
)
from toasoan.newsroom.models import EditorialComment
from toasoan.videos.models import Video

Progress = Callable[[str, int, int], None]
BATCH = 500
_MODELS = {
    "users": get_user_model,
    "collections": lambda: Collection,
    "pages": lambda: Page,
    "sites": lambda: Site,
    "images": get_image_model,
    "documents": get_document_model,
    "videos": lambda: Video,
    "authors": lambda: Author,
    "keywords": lambda: Keyword,
    "articles": lambda: Article,
    "bylines": lambda: Byline,
    "related": lambda: RelatedArticle,
    "article_keywords": lambda: ArticleKeyword,
    "revisions": lambda: Revision,
}


class RestoreError(Exception):
    """The export cannot be restored here; nothing was written."""


@dataclass
class RestoreSummary:
    merge: bool
    created: Counter = field(default_factory=Counter)
    existing: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    media_written: int = 0
    media_reused: int = 0


def database_contents() -> dict[str, int]:
    """What makes a database not empty, by what it is and how many. What
    ``migrate`` makes does not count: locales, the root page and a home page
    with nothing under it, sites, site settings, groups, workflows, the root
    image collection; nor does the audit log, which stays as it is."""
    home_type = ContentType.objects.get_for_model(HomePage)
    pages = Page.objects.filter(depth__gte=2).exclude(depth=2, content_type=home_type)
    counts = {
        _("bài viết / articles"): Article.objects.count(),
        _("chuyên mục và trang / sections and pages"): pages.count(),
        _("tác giả / authors"): Author.objects.count(),
        _("từ khóa / keywords"): Keyword.objects.count(),
        _("ảnh / images"): get_image_model().objects.count(),
        _("tài liệu / documents"): get_document_model().objects.count(),
        _("video / videos"): Video.objects.count(),
        _("lượt xem theo giờ / hourly views"): ArticleViewHour.objects.count(),
        _("chuyển hướng / redirects"): Redirect.objects.count(),
        _("người dùng / users"): get_user_model().objects.count(),
        _("bình luận biên tập / editorial comments"): EditorialComment.objects.count(),
        _("phiên bản / revisions"): Revision.objects.count(),
        _("thư mục ảnh / collections"): Collection.objects.filter(depth__gte=2).count(),
    }
    return {what: count for what, count in counts.items() if count}


def restore_site(
    directory: Path, *, merge: bool = False, progress: Progress | None = None
) -> RestoreSummary:
    """Rebuild the site from an export directory, into an empty database, or
    (``merge``) adding only what the database does not have yet."""
    if not merge:  # cheap, and before hours of checksums
        _check_empty()
    try:
        plan = check_export(Path(directory), progress)
    except FormatError as error:
        raise RestoreError(_nothing_written(error)) from error
    _check_database(plan)
    restorer = Restorer(plan, merge, progress)
    try:
        with transaction.atomic():
            restorer.run()
    except (FormatError, MediaConflict) as error:  # a file changed since checked
        restorer.media.discard()
        raise RestoreError(_nothing_written(error)) from error
    except (DatabaseError, OSError) as error:
        restorer.media.discard()
        raise RestoreError(
            _(
                "Phục hồi thất bại (%(error)s); đã hoàn tác, không ghi gì / restore "
                "failed and was undone, nothing was written"
            )
            % {"error": error}
        ) from error
    except BaseException:
        restorer.media.discard()
        raise
    finally:
        restorer.media.close()
    _refresh_caches()
    restorer.summary.media_written = len(restorer.media.written)
    restorer.summary.media_reused = restorer.media.reused
    return restorer.summary


def _nothing_written(error: Exception) -> str:
    return _("%(problem)s. Không ghi gì / nothing was written") % {
        "problem": str(error).rstrip(".")
    }


def _check_database(plan: Plan) -> None:
    """What the export names that this database must know: permissions and
    content types (they come from migrate)."""
    known = {
        f"{app}.{code}"
        for app, code in Permission.objects.values_list(
            "content_type__app_label", "codename"
        )
    }
    missing = sorted(plan.permissions - known)
    if missing:
        raise RestoreError(
            _(
                "Cơ sở dữ liệu này không có các quyền %(names)s (đã chạy migrate "
                "chưa?) / unknown permissions: run migrate"
            )
            % {"names": ", ".join(missing[:10])}
        )
    types = ContentType.objects.values_list("app_label", "model")
    missing = sorted(plan.content_types - {f"{a}.{m}" for a, m in types})
    if missing:
        raise RestoreError(
            _("Cơ sở dữ liệu này không có loại %(names)s / unknown content types")
            % {"names": ", ".join(missing)}
        )


def _check_empty() -> None:
    contents = database_contents()
    if contents:
        listed = ", ".join(f"{count} {what}" for what, count in contents.items())
        raise RestoreError(
            _(
                "Cơ sở dữ liệu không trống (%(contents)s): chỉ phục hồi vào cơ sở dữ "
                "liệu trống (sau migrate), hoặc dùng --merge để chỉ thêm những gì "
                "chưa có / the database is not empty: restore into an empty one, or "
                "use --merge"
            )
            % {"contents": listed}
        )


def _refresh_caches() -> None:
    from toasoan.core.site_chrome import bump_site_chrome_version
    from toasoan.news.services import refresh_listings
    from toasoan.pagecache.purge import purge_site

    Site.clear_site_root_paths_cache()
    bump_site_chrome_version()
    refresh_listings()
    purge_site()


def _value_in(value, kind: str):
    base = kind.rstrip("?")
    if base == "datetime":
        return fmt.decode_datetime(value)
    if base == "date":
        return fmt.decode_date(value)
    return value


class Restorer:
    """Writes an export's records in file order, keeping the id of each here."""

    def __init__(self, plan: Plan, merge: bool, progress: Progress | None):
        self.plan = plan
        self.merge = merge
        self.progress = progress
        self.summary = RestoreSummary(merge)
        self.media = MediaWriter(plan.directory, plan.manifest)
        self.ids: dict[str, dict[int, int]] = defaultdict(dict)
        # Exported ids of the records this restore made (not found here).
        self.fresh: dict[str, set[int]] = defaultdict(set)
        self._allocators: dict[str, IdAllocator] = {}
        self.locales: dict[str, Locale] = {}
        self.groups: dict[str, Group] = {}
        self._group_records: list[dict] = []
        self._permissions = {
            f"{app}.{code}": pk
            for app, code, pk in Permission.objects.values_list(
                "content_type__app_label", "codename", "pk"
            )
        }
        self._types: dict[str, ContentType] = {}

    # Helpers

    def new_id(self, kind: str, old: int | None) -> int | None:
        """The id here of the record exported as ``old`` (None: not in the
        export); a record not yet written gets its id now."""
        kind = "pages" if kind == "sections" else kind
        if old is None:
            return None
        known = self.ids[kind].get(old)
        if known is not None:
            return known
        if old not in self.plan.keys[kind]:
            return None
        if kind not in self._allocators:
            self._allocators[kind] = IdAllocator(_MODELS[kind](), self.plan.keys[kind])
        new = self._allocators[kind].take(old)
        self.ids[kind][old] = new
        return new

    def ref(self, kind: str, old: int | None) -> int | None:
        """A reference: to what the export holds, its id here; to something the
        export does not hold (history: an old revision's deleted image), the
        same number in an empty database and nothing when merging."""
        new = self.new_id(kind, old)
        if new is None and not self.merge:
            return old
        return new

    def row(self, record: dict, name: str) -> dict:
        """A record's plain values and references by id, as model arguments."""
        values = {f: _value_in(record[f], k) for f, k in schema.columns(name)}
        for key, kind in schema.foreign_keys(name):
            values[f"{key}_id"] = self.ref(kind, record[key])
        if "id" in schema.SCHEMAS[name]:
            values["pk"] = self.new_id(schema.KEYS[name][0], record["id"])
        return values

    def found(self, kind: str, old: int, pk: int) -> None:
        """A record the database already has (merging)."""
        self.ids[kind][old] = pk
        self.summary.existing[kind] += 1

    def made(self, kind: str, old: int | None = None, count: int = 1) -> None:
        if old is not None:
            self.fresh[kind].add(old)
        self.summary.created[kind] += count

    def content_type(self, label: str) -> ContentType:
        if label not in self._types:
            app_label, model = label.split(".")
            self._types[label] = ContentType.objects.get_by_natural_key(
                app_label, model
            )
        return self._types[label]

    def permissions(self, labels: list[str]) -> list[int]:
        return [self._permissions[label] for label in labels]

    def records(self, name: str):
        total = self.plan.counts[name]
        for done, record in enumerate(self.plan.records(name), start=1):
            yield record
            if self.progress and (done % BATCH == 0 or done == total):
                self.progress(name, done, total)

    # The steps, in the order of the files

    def run(self) -> None:
        if not self.merge:
            self._clear_defaults()
        self._locales()
        self._collections()
        self._groups()
        self._users()
        content.restore_files(self, "images.jsonl", "images", get_image_model())
        content.restore_files(
            self, "documents.jsonl", "documents", get_document_model()
        )
        content.restore_videos(self)
        self._pages()
        self._sites()
        self._settings()
        self._group_permissions()
        content.restore_authors(self)
        content.restore_keywords(self)
        content.restore_articles(self)
        content.restore_revisions(self)
        content.restore_article_rows(
            self, "view-hours.jsonl", ArticleViewHour, "view hours"
        )
        content.restore_redirects(self)
        content.restore_comments(self)
        content.restore_log(self)
        self._reset_sequences()
        self._rebuild_indexes()

    def _clear_defaults(self) -> None:
        """In an empty database, what migrate made in place of the exported
        site: its home page (with nothing under it) and its site record."""
        if self.plan.counts["pages.jsonl"]:
            # treebeard's delete keeps the tree whole; Page.delete would also
            # write "deleted" entries into the log.
            Page.objects.filter(depth=2).delete()
        if self.plan.counts["sites.jsonl"]:
            Site.objects.all().delete()

    def _locales(self) -> None:
        for record in self.records("locales.jsonl"):
            code = record["language_code"]
            locale, created = Locale.objects.get_or_create(language_code=code)
            self.locales[code] = locale
            if created:
                self.made("locales")
            else:
                self.summary.existing["locales"] += 1

    def _collections(self) -> None:
        for record in self.records("collections.jsonl"):
            if record["parent"] is None:
                root = Collection.get_first_root_node() or Collection.add_root(
                    instance=Collection(name=record["name"])
                )
                self.ids["collections"][record["id"]] = root.pk
                continue
            parent = Collection.objects.get(
                pk=self.ids["collections"][record["parent"]]
            )
            if self.merge:
                same = parent.get_children().filter(name=record["name"]).first()
                if same is not None:
                    self.found("collections", record["id"], same.pk)
                    continue
            new = self.new_id("collections", record["id"])
            parent.add_child(instance=Collection(pk=new, name=record["name"]))
            self.made("collections", record["id"])

    def _groups(self) -> None:
        for record in self.records("groups.jsonl"):
            group = Group.objects.filter(name=record["name"]).first()
            if group is not None and self.merge:
                self.groups[group.name] = group
                self.summary.existing["groups"] += 1
                continue
            if group is None:
                group = Group.objects.create(name=record["name"])
                self.made("groups")
            else:  # one of migrate's roles: the export says what it may do
                self.summary.existing["groups"] += 1
            self.groups[group.name] = group
            self._group_records.append(record)

    def _users(self) -> None:
        User = get_user_model()
        for record in self.records("users.jsonl"):
            if self.merge:
                same = User.objects.filter(username=record["username"]).first()
                if same is not None:
                    self.found("users", record["id"], same.pk)
                    continue
            # Without a hash in the export: a password nobody can use.
            password = record["password"] or make_password(None)
            user = User(password=password, **self.row(record, "users.jsonl"))
            user.save_base(raw=True, force_insert=True)
            user.groups.set([self.groups[name] for name in record["groups"]])
            user.user_permissions.set(self.permissions(record["permissions"]))
            self.made("users", record["id"])

    def _pages(self) -> None:
        root = Page.get_first_root_node()
        if root is None:
            raise RestoreError(
                _("Không có trang gốc: hãy chạy migrate trước / no root page: migrate")
            )
        nodes = {root.pk: root}
        last_child: dict[int, str | None] = {}
        aliases = []
        for record in self.records("pages.jsonl"):
            parent_id = (
                self.ids["pages"][record["parent"]] if record["parent"] else None
            )
            parent = nodes[parent_id or root.pk]
            locale = self.locales[record["locale"]]
            same = self._same_page(record, parent, locale)
            if same is not None:
                self.found("pages", record["id"], same.pk)
                nodes[same.pk] = same
                continue
            if parent.pk not in last_child:
                last_child[parent.pk] = (
                    Page.objects.filter(
                        path__startswith=parent.path, depth=parent.depth + 1
                    )
                    .order_by("-path")
                    .values_list("path", flat=True)
                    .first()
                )
            last = last_child[parent.pk]
            path = (
                Page(path=last)._inc_path()
                if last
                else Page._get_path(parent.path, parent.depth + 1, 1)
            )
            last_child[parent.pk] = path
            values = self.row(record, "pages.jsonl")
            page = Page(
                path=path,
                depth=parent.depth + 1,
                numchild=0,
                url_path=f"{parent.url_path}{record['slug']}/",
                content_type=self.content_type(record["type"]),
                locale=locale,
                **values,
            )
            page.save_base(raw=True, force_insert=True)
            # Multi-table inheritance, as loaddata does it: the page row, then
            # the row of its own type.
            if record["section"] is not None:
                specific = SectionPage(page_ptr_id=page.pk, **record["section"])
            elif record["about"] is not None:
                specific = AboutPage(page_ptr_id=page.pk, **record["about"])
            else:
                specific = HomePage(page_ptr_id=page.pk, **record["home"])
            specific.save_base(raw=True, force_insert=True)
            Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + 1)
            nodes[page.pk] = page
            if record["alias_of"] is not None:
                aliases.append((page.pk, record["alias_of"]))
            self.made("pages", record["id"])
        # An alias may come before the page it mirrors.
        for pk, alias_of in aliases:
            Page.objects.filter(pk=pk).update(alias_of_id=self.ref("pages", alias_of))

    def _same_page(self, record: dict, parent: Page, locale: Locale) -> Page | None:
        """The page already here that the record is (merging); in an empty
        database, a clash of addresses is an error."""
        siblings = Page.objects.filter(
            path__startswith=parent.path, depth=parent.depth + 1
        )
        if not self.merge:
            if siblings.filter(slug=record["slug"]).exists():
                raise RestoreError(
                    _("Đã có trang “%(slug)s” ở đây / a page with this slug exists")
                    % {"slug": record["slug"]}
                )
            return None
        same = Page.objects.filter(
            translation_key=record["translation_key"], locale=locale
        ).first()
        if same is None and record["parent"] is None:
            home = self.content_type("news.homepage")
            same = siblings.filter(locale=locale, content_type=home).first()
        if same is None:
            same = siblings.filter(slug=record["slug"]).first()
        wanted = self.content_type(record["type"]).pk
        if same is not None and same.content_type_id != wanted:
            raise RestoreError(
                _(
                    "Trang “%(title)s” ở đây khác loại với bản xuất / a page here has "
                    "the same address but another type"
                )
                % {"title": same.title}
            )
        return same

    def _sites(self) -> None:
        for record in self.records("sites.jsonl"):
            if self.merge:
                same = Site.objects.filter(
                    hostname=record["hostname"], port=record["port"]
                ).first()
                if same is not None:
                    self.found("sites", record["id"], same.pk)
                    continue
            values = self.row(record, "sites.jsonl")
            if self.merge and Site.objects.filter(is_default_site=True).exists():
                values["is_default_site"] = False  # the one here stays the default
            Site(**values).save_base(raw=True, force_insert=True)
            self.made("sites", record["id"])

    def _settings(self) -> None:
        for record in self.records("settings.jsonl"):
            values = self.row(record, "settings.jsonl")
            if (
                self.merge
                and PressSettings.objects.filter(site_id=values["site_id"]).exists()
            ):
                self.summary.existing["settings"] += 1
                continue
            PressSettings(**values).save_base(raw=True, force_insert=True)
            self.made("settings")

    def _group_permissions(self) -> None:
        """Groups made here, and in an empty database migrate's roles too, get
        exactly the permissions the export gives them."""
        for record in self._group_records:
            group = self.groups[record["name"]]
            group.permissions.set(self.permissions(record["permissions"]))
            for model, key, kind in (
                (GroupCollectionPermission, "collection", "collections"),
                (GroupPagePermission, "page", "pages"),
                (GroupSitePermission, "site", "sites"),
            ):
                model.objects.filter(group=group).delete()
                model.objects.bulk_create(
                    model(
                        group=group,
                        permission_id=self._permissions[item["permission"]],
                        **{f"{key}_id": self.ids[kind][item[key]]},
                    )
                    for item in record[f"{key}_permissions"]
                )

    def _reset_sequences(self) -> None:
        """PostgreSQL hands out ids from sequences, which rows written with
        their own ids do not move."""
        models = [factory() for factory in _MODELS.values()]
        statements = connection.ops.sequence_reset_sql(no_style(), models)
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def _rebuild_indexes(self) -> None:
        """What restore does not read but derives: our search index, Wagtail's
        (sections, images, documents) and its reference index ("Usage")."""
        from modelsearch.index import insert_or_update_object

        from toasoan.search.services import reindex_all

        reindex_all()
        for kind in ("pages", "images", "documents", "articles", "authors", "videos"):
            model = _MODELS[kind]()
            ids = sorted(self.ids[kind][old] for old in self.fresh[kind])
            for start in range(0, len(ids), BATCH):
                objects = model.objects.filter(pk__in=ids[start : start + BATCH])
                if model is Page:
                    objects = objects.specific()
                for item in objects:
                    if kind in ("pages", "images", "documents"):
                        insert_or_update_object(item)
                    if ReferenceIndex.is_indexed(type(item)):
                        ReferenceIndex.create_or_update_for_object(item)
