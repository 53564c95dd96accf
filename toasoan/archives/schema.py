"""What each file of an export holds: its fields and their types, what names a
record, what refers to what. format.py checks records against it, checking.py
checks references with it, and export.py and restore.py copy the plain fields by
it; docs/export-format.md describes the same for people (a test holds them
together)."""

from __future__ import annotations


class Optional:
    """A nested object that may be null."""

    def __init__(self, schema: dict):
        self.schema = schema


# Each file's records: field → type. "?" means "or null"; a list holding a type
# or an object schema is a list of those; "label" is "app_label.model";
# "permission" is "app_label.codename"; "object" is any JSON object.
_FOCAL = {"focal_point_x": "int?", "focal_point_y": "int?"} | {
    "focal_point_width": "int?",
    "focal_point_height": "int?",
}
_PAGE_STATE = {
    "live": "bool",
    "has_unpublished_changes": "bool",
    "first_published_at": "datetime?",
    "last_published_at": "datetime?",
    "go_live_at": "datetime?",
    "expire_at": "datetime?",
    "expired": "bool",
    "locked": "bool",
    "locked_at": "datetime?",
    "locked_by": "int?",
    "latest_revision": "int?",
    "live_revision": "int?",
}
SCHEMAS: dict[str, dict] = {
    "locales.jsonl": {"language_code": "str"},
    "collections.jsonl": {"id": "int", "name": "str", "parent": "int?"},
    "groups.jsonl": {
        "name": "str",
        "permissions": ["permission"],
        "collection_permissions": [{"collection": "int", "permission": "permission"}],
        "page_permissions": [{"page": "int", "permission": "permission"}],
        "site_permissions": [{"site": "int", "permission": "permission"}],
    },
    "users.jsonl": {
        "id": "int",
        "username": "str",
        "first_name": "str",
        "last_name": "str",
        "email": "str",
        "is_active": "bool",
        "is_staff": "bool",
        "is_superuser": "bool",
        "date_joined": "datetime",
        "last_login": "datetime?",
        "password": "str?",
        "groups": ["str"],
        "permissions": ["permission"],
    },
    "images.jsonl": {
        "id": "int",
        "title": "str",
        "description": "str",
        "file": "str",
        "width": "int",
        "height": "int",
        "created_at": "datetime",
        "uploaded_by_user": "int?",
        "collection": "int",
        **_FOCAL,
        "file_size": "int?",
        "file_hash": "str",
        "tags": ["str"],
    },
    "documents.jsonl": {
        "id": "int",
        "title": "str",
        "file": "str",
        "created_at": "datetime",
        "uploaded_by_user": "int?",
        "collection": "int",
        "file_size": "int?",
        "file_hash": "str",
        "tags": ["str"],
    },
    "videos.jsonl": {
        "id": "int",
        "title": "str",
        "original_filename": "str",
        "file": "str",
        "captions": "str",
        "poster": "str",
        "web_mp4": "str",
        "hls_master": "str",
        "outputs": ["str"],
        "status": "str",
        "failure_reason": "str",
        "attempts": "int",
        "processing_started_at": "datetime?",
        "processed_at": "datetime?",
        "duration_seconds": "float?",
        "width": "int?",
        "height": "int?",
        "video_codec": "str",
        "audio_codec": "str",
        "size_bytes": "int?",
        "created_at": "datetime",
    },
    "pages.jsonl": {
        "id": "int",
        "type": "label",
        "parent": "int?",
        "locale": "str",
        "translation_key": "uuid",
        "title": "str",
        "draft_title": "str",
        "slug": "str",
        "seo_title": "str",
        "search_description": "str",
        "show_in_menus": "bool",
        "owner": "int?",
        "alias_of": "int?",
        "latest_revision_created_at": "datetime?",
        **_PAGE_STATE,
        "section": Optional({"description": "str", "legacy_id": "int?"}),
        "about": Optional({"intro": "str", "body": "str"}),
        "home": Optional(
            {"outlet_name": "str", "governing_agency": "str", "address": "str"}
        ),
    },
    "sites.jsonl": {
        "id": "int",
        "hostname": "str",
        "port": "int",
        "site_name": "str",
        "root_page": "int",
        "is_default_site": "bool",
    },
    "settings.jsonl": {
        "site": "int",
        "outlet_name": "str",
        "short_name": "str",
        "governing_agency": "str",
        "licence_number": "str",
        "licence_date": "date?",
        "licence_issuer": "str",
        "editor_in_chief": "str",
        "address": "str",
        "phone": "str",
        "email": "str",
        "logo": "int?",
    },
    "authors.jsonl": {
        "id": "int",
        "name": "str",
        "slug": "str",
        "role": "str",
        "bio": "str",
        "user": "int?",
        "photo": "int?",
    },
    "keywords.jsonl": {"id": "int", "name": "str", "slug": "str"},
    "articles.jsonl": {
        "id": "int",
        "locale": "str",
        "translation_key": "uuid",
        "title": "str",
        "slug": "str",
        "lead": "str",
        "body": "str",
        "section": "int",
        "published_at": "datetime",
        "updated_at": "datetime",
        "featured_image": "int?",
        "featured_image_caption": "str",
        "featured_image_alt": "str",
        "featured_image_credit": "str",
        "video": "int?",
        "is_lead_story": "bool",
        "view_count": "int",
        "legacy_id": "int?",
        "legacy_section_id": "int?",
        "legacy_url": "str",
        "correction_note": "str",
        "corrected_at": "datetime?",
        "withdrawn_at": "datetime?",
        "withdrawal_reason": "str",
        "owner": "int?",
        **_PAGE_STATE,
        "bylines": [
            {
                "id": "int",
                "author": "int?",
                "name": "str",
                "name_slug": "str",
                "sort_order": "int?",
            }
        ],
        "keywords": [{"id": "int", "keyword": "int"}],
        "related": [{"id": "int", "target": "int", "sort_order": "int?"}],
    },
    "revisions.jsonl": {
        "id": "int",
        "content_type": "label",
        "base_content_type": "label",
        "object_id": "int",
        "created_at": "datetime",
        "user": "int?",
        "object_str": "str",
        "approved_go_live_at": "datetime?",
        "content": "object",
    },
    "view-hours.jsonl": {"article": "int", "hour": "datetime", "views": "int"},
    "redirects.jsonl": {
        "site": "int?",
        "old_path": "str",
        "is_permanent": "bool",
        "redirect_page": "int?",
        "redirect_page_route_path": "str",
        "redirect_link": "str",
        "automatically_created": "bool",
        "created_at": "datetime?",
    },
    "comments.jsonl": {
        "article": "int",
        "author": "int?",
        "text": "str",
        "mentions": ["int"],
        "created_at": "datetime",
    },
    "log.jsonl": {
        "table": "str",
        "content_type": "label",
        "object_id": "str",
        "label": "str",
        "action": "str",
        "data": "object",
        "timestamp": "datetime",
        "uuid": "uuid?",
        "user": "int?",
        "revision": "int?",
        "content_changed": "bool",
        "deleted": "bool",
    },
}
# In the order restore reads them: a file refers only to files before it, except
# where restore.py says otherwise (a page's alias, a group's page permissions).
JSONL_FILES = list(SCHEMAS)


# What names a record in each file (its kind and key); bylines, keywords and
# related links are named inside articles.
KEYS = {
    "locales.jsonl": ("locales", "language_code"),
    "collections.jsonl": ("collections", "id"),
    "groups.jsonl": ("groups", "name"),
    "users.jsonl": ("users", "id"),
    "images.jsonl": ("images", "id"),
    "documents.jsonl": ("documents", "id"),
    "videos.jsonl": ("videos", "id"),
    "pages.jsonl": ("pages", "id"),
    "sites.jsonl": ("sites", "id"),
    "settings.jsonl": ("settings", "site"),
    "authors.jsonl": ("authors", "id"),
    "keywords.jsonl": ("keywords", "id"),
    "articles.jsonl": ("articles", "id"),
    "revisions.jsonl": ("revisions", "id"),
}
# Other values that must be unique within their file.
UNIQUE = {
    "users.jsonl": ("username",),
    "authors.jsonl": ("slug",),
    "keywords.jsonl": ("slug", "name"),
}
# Field (a dotted path through lists) → the kind it names.
REFERENCES = {
    "collections.jsonl": [("parent", "collections")],
    "groups.jsonl": [
        ("collection_permissions.collection", "collections"),
        ("page_permissions.page", "pages"),
        ("site_permissions.site", "sites"),
    ],
    "users.jsonl": [("groups", "groups")],
    "images.jsonl": [("uploaded_by_user", "users"), ("collection", "collections")],
    "documents.jsonl": [("uploaded_by_user", "users"), ("collection", "collections")],
    "pages.jsonl": [
        ("parent", "pages"),
        ("locale", "locales"),
        ("owner", "users"),
        ("locked_by", "users"),
        ("alias_of", "pages"),
        ("latest_revision", "revisions"),
        ("live_revision", "revisions"),
    ],
    "sites.jsonl": [("root_page", "pages")],
    "settings.jsonl": [("site", "sites"), ("logo", "images")],
    "authors.jsonl": [("user", "users"), ("photo", "images")],
    "articles.jsonl": [
        ("locale", "locales"),
        ("section", "sections"),
        ("featured_image", "images"),
        ("video", "videos"),
        ("owner", "users"),
        ("locked_by", "users"),
        ("latest_revision", "revisions"),
        ("live_revision", "revisions"),
        ("bylines.author", "authors"),
        ("keywords.keyword", "keywords"),
        ("related.target", "articles"),
    ],
    "revisions.jsonl": [("user", "users")],
    "view-hours.jsonl": [("article", "articles")],
    "redirects.jsonl": [("site", "sites"), ("redirect_page", "pages")],
    "comments.jsonl": [
        ("article", "articles"),
        ("author", "users"),
        ("mentions", "users"),
    ],
}

# Fields that are not simply the model's attribute of the same name (or, for a
# reference by id, "<name>_id"): export.py and restore.py handle them by hand.
CUSTOM = {
    "users.jsonl": {"password"},
    "images.jsonl": {"file"},
    "documents.jsonl": {"file"},
    "videos.jsonl": {"file", "captions", "poster", "web_mp4", "hls_master"},
    "pages.jsonl": {"parent", "alias_of"},
    "articles.jsonl": {"body"},
    "revisions.jsonl": {"object_id"},
}
_BY_NAME = {"locales", "groups"}  # kinds referred to by name, not id
_NOT_COLUMNS = {"label", "object", "permission"}


def columns(name: str) -> list[tuple[str, str]]:
    """(field, type) of the plain values of a file's records: text, numbers,
    flags, times, each the model attribute of the same name."""
    references = {field for field, _kind in REFERENCES.get(name, ())}
    return [
        (field, kind)
        for field, kind in SCHEMAS[name].items()
        if isinstance(kind, str)
        and kind.rstrip("?") not in _NOT_COLUMNS
        and field != "id"
        and field not in references
        and field not in CUSTOM.get(name, ())
    ]


def foreign_keys(name: str) -> list[tuple[str, str]]:
    """(field, kind) of a file's references by id that are the model's
    "<field>_id"."""
    return [
        (field, kind)
        for field, kind in REFERENCES.get(name, ())
        if "." not in field
        and kind not in _BY_NAME
        and isinstance(SCHEMAS[name][field], str)
        and field not in CUSTOM.get(name, ())
    ]
