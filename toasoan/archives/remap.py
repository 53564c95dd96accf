"""Ids on the way in: which number an exported record gets here, and the ids
inside Wagtail's revision content and rich text that must follow it."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.db.models import Max

Lookup = Callable[[str, int], int | None]


class IdAllocator:
    """An exported id keeps its number where that is free here; otherwise it
    gets one above everything, here and in the export, so that no id given
    later can meet one kept."""

    def __init__(self, model, exported: set[int]):
        manager = model._base_manager
        self.taken: set[int] = set()
        top = 0
        if manager.exists():
            ordered = sorted(exported)
            for start in range(0, len(ordered), 900):
                chunk = ordered[start : start + 900]
                self.taken.update(
                    manager.filter(pk__in=chunk).values_list("pk", flat=True)
                )
            top = manager.aggregate(top=Max("pk"))["top"] or 0
        self.next = max(top, max(exported, default=0)) + 1

    def take(self, old: int) -> int:
        if old not in self.taken:
            self.taken.add(old)
            return old
        self.next += 1
        return self.next - 1


# Ids inside Wagtail's revision content, by field, and the kind they name.
ARTICLE_REFS = {
    "pk": "articles",
    "section": "pages",
    "featured_image": "images",
    "video": "videos",
    "owner": "users",
    "locked_by": "users",
    "latest_revision": "revisions",
    "live_revision": "revisions",
}
ARTICLE_CHILDREN = {
    "bylines": {"pk": "bylines", "article": "articles", "author": "authors"},
    "related_links": {"pk": "related", "article": "articles", "target": "articles"},
    "tagged_keywords": {
        "pk": "article_keywords",
        "content_object": "articles",
        "tag": "keywords",
    },
}
PAGE_REFS = {
    "pk": "pages",
    "owner": "users",
    "locked_by": "users",
    "latest_revision": "revisions",
    "live_revision": "revisions",
    "alias_of": "pages",
}


def remap_content(content: dict, kind: str, ref: Lookup) -> dict:
    """An article's or page's revision content with its ids as ``ref`` says
    (child rows included: a revision published later must save its bylines
    under their ids here, not over another article's)."""
    content = dict(content)
    refs = ARTICLE_REFS if kind == "articles" else PAGE_REFS
    for key, target in refs.items():
        if isinstance(content.get(key), int):
            content[key] = ref(target, content[key])
    if kind != "articles":
        return content
    for key, child_refs in ARTICLE_CHILDREN.items():
        if isinstance(content.get(key), list):
            content[key] = [_remap_child(c, child_refs, ref) for c in content[key]]
    if isinstance(content.get("body"), str):
        content["body"] = remap_rich_text(content["body"], ref)
    return content


def _remap_child(child, refs: dict, ref: Lookup):
    if not isinstance(child, dict):
        return child
    child = dict(child)
    for key, target in refs.items():
        if isinstance(child.get(key), int):
            child[key] = ref(target, child[key])
    return child


_RICH_TAG = re.compile(r"<(a|embed)\b[^>]*>", re.IGNORECASE)
_RICH_ATTR = re.compile(r"\b(linktype|embedtype)=\"([^\"]*)\"")
_RICH_ID = re.compile(r"(?<=\s)id=\"(\d+)\"")
_RICH_KINDS = {
    ("a", "page"): "pages",
    ("a", "document"): "documents",
    ("embed", "image"): "images",
}


def remap_rich_text(html: str, lookup: Lookup) -> str:
    """Wagtail's stored rich text with the ids of linked pages and documents and
    embedded images changed as ``lookup`` says (None: left as it is)."""

    def tag(match: re.Match) -> str:
        text = match.group(0)
        kinds = dict(_RICH_ATTR.findall(text))
        kind = _RICH_KINDS.get(
            (match.group(1).lower(), kinds.get("linktype") or kinds.get("embedtype"))
        )
        found = _RICH_ID.search(text)
        if kind is None or found is None:
            return text
        new = lookup(kind, int(found.group(1)))
        if new is None:
            return text
        return text[: found.start(1)] + str(new) + text[found.end(1) :]

    return _RICH_TAG.sub(tag, html or "")
