"""Restoring the newsroom's content: images, documents and videos with their
files, authors, keywords, articles with their bylines, keywords and related
articles, every revision, hourly views, redirects, editorial comments and the
audit log. Each function writes one file's records through the Restorer
(restore.py), which knows the ids and what was already here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import ModelLogEntry, PageLogEntry, Revision

from toasoan.archives import format as fmt
from toasoan.archives.checking import VIDEO_FILES
from toasoan.archives.remap import remap_content, remap_rich_text
from toasoan.news.models import (
    Article,
    ArticleKeyword,
    Author,
    Byline,
    Keyword,
    RelatedArticle,
)
from toasoan.newsroom.models import EditorialComment
from toasoan.videos.models import Video

if TYPE_CHECKING:
    from toasoan.archives.restore import Restorer

BATCH = 500
# What a log entry is about, by its content type (pages: their own table).
LOG_KINDS = {
    "news.article": "articles",
    "news.author": "authors",
    "news.keyword": "keywords",
    "videos.video": "videos",
    "wagtailimages.image": "images",
    "wagtaildocs.document": "documents",
    "wagtailcore.site": "sites",
    "wagtailcore.collection": "collections",
    "auth.user": "users",
}


def restore_files(restorer: Restorer, name: str, kind: str, model) -> None:
    storage = model._meta.get_field("file").storage
    for record in restorer.records(name):
        if restorer.merge:
            # The same stored file, name and bytes (or name only, when the
            # export had no bytes for it).
            same = model.objects.filter(file=record["file"]).first()
            if same is not None and (
                record["file"] not in restorer.media.entries
                or restorer.media.same_bytes(storage, record["file"])
            ):
                restorer.found(kind, record["id"], same.pk)
                continue
        stored = restorer.media.place(record["file"], storage=storage)
        item = model(file=stored, **restorer.row(record, name))
        item.save_base(raw=True, force_insert=True)
        if record["tags"]:
            item.tags.add(*record["tags"])
        restorer.made(kind, record["id"])


def restore_videos(restorer: Restorer) -> None:
    for record in restorer.records("videos.jsonl"):
        if restorer.merge:
            same = Video.objects.filter(
                original_filename=record["original_filename"],
                created_at=fmt.decode_datetime(record["created_at"]),
            ).first()
            if same is not None:
                restorer.found("videos", record["id"], same.pk)
                continue
        values = restorer.row(record, "videos.jsonl")
        old, new = record["id"], values["pk"]
        # What processing made lives in videos/<id>/: it moves with the id.
        folder, new_folder = f"videos/{old}/", f"videos/{new}/"
        names = {}
        for key in ("outputs", *VIDEO_FILES):
            for name in record[key] if key == "outputs" else [record[key]]:
                if not name or name in names:
                    continue
                inside = name.startswith(folder)
                target = new_folder + name[len(folder) :] if inside else name
                names[name] = restorer.media.place(name, target, folder=inside)
        files = {key: names.get(record[key], "") for key in VIDEO_FILES}
        Video(**files, **values).save_base(raw=True, force_insert=True)
        restorer.made("videos", old)


def restore_authors(restorer: Restorer) -> None:
    for record in restorer.records("authors.jsonl"):
        if restorer.merge:
            same = Author.objects.filter(slug=record["slug"]).first()
            if same is not None:
                restorer.found("authors", record["id"], same.pk)
                continue
        values = restorer.row(record, "authors.jsonl")
        user_id = values["user_id"]
        if user_id and Author.objects.filter(user_id=user_id).exists():
            values["user_id"] = None  # that account has its profile here
            restorer.summary.skipped["authors: account already has a profile"] += 1
        Author(**values).save_base(raw=True, force_insert=True)
        restorer.made("authors", record["id"])


def restore_keywords(restorer: Restorer) -> None:
    batch = []
    for record in restorer.records("keywords.jsonl"):
        if restorer.merge:
            same = Keyword.objects.filter(
                Q(slug=record["slug"]) | Q(name=record["name"])
            ).first()
            if same is not None:
                restorer.found("keywords", record["id"], same.pk)
                continue
        batch.append(Keyword(**restorer.row(record, "keywords.jsonl")))
        restorer.made("keywords", record["id"])
    Keyword.objects.bulk_create(batch, batch_size=BATCH)


def restore_articles(restorer: Restorer) -> None:
    bylines, keywords, related = [], [], []
    for record in restorer.records("articles.jsonl"):
        locale = restorer.locales[record["locale"]]
        if restorer.merge:
            same = Article.objects.filter(
                translation_key=record["translation_key"], locale=locale
            ).first()
            if same is not None:
                restorer.found("articles", record["id"], same.pk)
                continue
        # Revisions come later in the same transaction: the database checks
        # latest_revision and live_revision at commit (Django's foreign keys
        # are deferred).
        article = Article(
            locale=locale,
            body=remap_rich_text(record["body"], restorer.new_id),
            **restorer.row(record, "articles.jsonl"),
        )
        article.save_base(raw=True, force_insert=True)
        restorer.made("articles", record["id"])
        bylines += [
            Byline(
                pk=restorer.new_id("bylines", b["id"]),
                article_id=article.pk,
                author_id=restorer.ids["authors"].get(b["author"]),
                name=b["name"],
                name_slug=b["name_slug"],
                sort_order=b["sort_order"],
            )
            for b in record["bylines"]
        ]
        keywords += [
            ArticleKeyword(
                pk=restorer.new_id("article_keywords", k["id"]),
                content_object_id=article.pk,
                tag_id=restorer.ids["keywords"][k["keyword"]],
            )
            for k in record["keywords"]
        ]
        # Targets may come later in the file.
        related += [(article.pk, link) for link in record["related"]]
        restorer.summary.created["bylines"] += len(record["bylines"])
        if len(bylines) + len(keywords) >= BATCH:
            Byline.objects.bulk_create(bylines)
            ArticleKeyword.objects.bulk_create(keywords)
            bylines, keywords = [], []
    Byline.objects.bulk_create(bylines, batch_size=BATCH)
    ArticleKeyword.objects.bulk_create(keywords, batch_size=BATCH)
    RelatedArticle.objects.bulk_create(
        (
            RelatedArticle(
                pk=restorer.new_id("related", link["id"]),
                article_id=article_id,
                target_id=restorer.ids["articles"][link["target"]],
                sort_order=link["sort_order"],
            )
            for article_id, link in related
        ),
        batch_size=BATCH,
    )


def _content_in(restorer: Restorer, content: dict, kind: str) -> dict:
    """Revision content as Wagtail stores it here: locale and content type
    as this database numbers them, and every id as it is here."""
    content = dict(content)
    if isinstance(content.get("locale"), str):
        content["locale"] = restorer.locales[content["locale"]].pk
    if isinstance(content.get("content_type"), str):
        content["content_type"] = restorer.content_type(content["content_type"]).pk
    return remap_content(content, kind, restorer.ref)


def restore_revisions(restorer: Restorer) -> None:
    batch = []
    for record in restorer.records("revisions.jsonl"):
        base = record["base_content_type"]
        kind = "pages" if base == "wagtailcore.page" else "articles"
        if record["object_id"] not in restorer.fresh[kind]:
            restorer.summary.existing["revisions"] += 1
            continue
        revision = Revision(
            content_type=restorer.content_type(record["content_type"]),
            base_content_type=restorer.content_type(base),
            object_id=str(restorer.ids[kind][record["object_id"]]),
            content=_content_in(restorer, record["content"], kind),
            **restorer.row(record, "revisions.jsonl"),
        )
        batch.append(revision)
        restorer.made("revisions", record["id"])
        if len(batch) >= BATCH:
            Revision.objects.bulk_create(batch)
            batch = []
    Revision.objects.bulk_create(batch)


def restore_article_rows(restorer: Restorer, name: str, model, label: str) -> None:
    """Rows that belong to an article and come only with a new one."""
    batch = []
    for record in restorer.records(name):
        if record["article"] not in restorer.fresh["articles"]:
            restorer.summary.existing[label] += 1
            continue
        batch.append(model(**restorer.row(record, name)))
        restorer.made(label)
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch)
            batch = []
    model.objects.bulk_create(batch)


def restore_redirects(restorer: Restorer) -> None:
    for record in restorer.records("redirects.jsonl"):
        values = restorer.row(record, "redirects.jsonl")
        if (
            restorer.merge
            and Redirect.objects.filter(
                old_path=record["old_path"], site_id=values["site_id"]
            ).exists()
        ):
            restorer.summary.existing["redirects"] += 1
            continue
        # Raw: keeps created_at, which Django would set to now.
        Redirect(**values).save_base(raw=True, force_insert=True)
        restorer.made("redirects")


def restore_comments(restorer: Restorer) -> None:
    for record in restorer.records("comments.jsonl"):
        if record["article"] not in restorer.fresh["articles"]:
            restorer.summary.existing["comments"] += 1
            continue
        comment = EditorialComment(**restorer.row(record, "comments.jsonl"))
        comment.save_base(raw=True, force_insert=True)
        comment.mentions.set([restorer.ids["users"][pk] for pk in record["mentions"]])
        restorer.made("comments")


def restore_log(restorer: Restorer) -> None:
    batches = {ModelLogEntry: [], PageLogEntry: []}
    for record in restorer.records("log.jsonl"):
        entry = _log_entry(restorer, record)
        if entry is not None:
            batches[type(entry)].append(entry)
            restorer.made("log entries")
    for model, entries in batches.items():
        model.objects.bulk_create(entries, batch_size=BATCH)


def _log_entry(restorer: Restorer, record: dict):
    try:
        content_type = restorer.content_type(record["content_type"])
    except ContentType.DoesNotExist:
        restorer.summary.skipped["log entries: unknown content type"] += 1
        return None
    page = record["table"] == "page"
    kind = "pages" if page else LOG_KINDS.get(record["content_type"])
    object_id = record["object_id"]
    old = int(object_id) if object_id.isdigit() else None
    if restorer.merge and (kind is None or old not in restorer.fresh[kind]):
        # About something that was here already, or that restore does not
        # make: its history stays as this database has it.
        restorer.summary.existing["log entries"] += 1
        return None
    if kind is not None and old is not None:
        object_id = str(restorer.ref(kind, old))
    if page and not object_id.isdigit():
        restorer.summary.skipped["log entries: no page"] += 1
        return None
    model = PageLogEntry if page else ModelLogEntry
    target = {"page_id": int(object_id)} if page else {"object_id": object_id}
    timestamp = fmt.decode_datetime(record["timestamp"])
    if (
        restorer.merge
        and model.objects.filter(
            content_type=content_type,
            action=record["action"],
            timestamp=timestamp,
            **target,
        ).exists()
    ):
        # The same entry, kept here after its object was deleted.
        restorer.summary.existing["log entries"] += 1
        return None
    return model(
        content_type=content_type,
        label=record["label"],
        action=record["action"],
        data=record["data"],
        timestamp=timestamp,
        uuid=record["uuid"],
        # May name a user or revision deleted since (no constraint).
        user_id=restorer.ref("users", record["user"]),
        revision_id=restorer.ref("revisions", record["revision"]),
        content_changed=record["content_changed"],
        deleted=record["deleted"],
        **target,
    )
