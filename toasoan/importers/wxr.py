"""Reading a WordPress export (WXR 1.0–1.2) into plain records: no Django here.

The XML is parsed with defusedxml with DTDs forbidden: an export never has one,
and a DTD is how external entities and "billion laughs" expansions get in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

# Plugins keep a post's view count under one of these keys.
VIEW_COUNT_KEYS = ("post_views_count", "views", "_post_views", "wpb_post_views_count",
                   "_jetpack_post_views", "post_view", "tie_views")  # fmt: skip
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"


class WxrError(ValueError):
    """Not a WordPress export we can read; the message says why (vi / en)."""


@dataclass
class WxrCategory:
    slug: str
    name: str
    parent: str  # the parent's slug, "" at the top
    description: str = ""


@dataclass
class WxrAuthor:
    login: str
    display_name: str


@dataclass
class WxrItem:
    post_id: int
    post_type: str
    status: str
    title: str
    link: str
    content: str
    excerpt: str
    creator: str
    published_at: datetime | None  # UTC
    categories: list[str] = field(default_factory=list)  # slugs
    tags: list[str] = field(default_factory=list)  # names
    meta: dict[str, str] = field(default_factory=dict)
    comments: int = 0
    attachment_url: str = ""
    parent_id: int = 0


@dataclass
class WxrExport:
    version: str
    base_url: str
    authors: dict[str, WxrAuthor]
    categories: list[WxrCategory]
    items: list[WxrItem]


def read_wxr(path: Path, max_bytes: int) -> WxrExport:
    size = path.stat().st_size
    if size > max_bytes:
        raise WxrError(f"Tệp quá lớn ({size / 2**20:,.0f} MB) / the file is too large")
    data = path.read_bytes()
    if not data.strip():
        raise WxrError("Tệp rỗng / the file is empty")
    try:
        root = ElementTree.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise WxrError(
            f"Tệp chứa khai báo DTD/thực thể bị cấm / forbidden DTD or entity ({error})"
        ) from error
    except ElementTree.ParseError as error:
        line = getattr(error, "position", (0, 0))[0]
        raise WxrError(
            f"Tệp XML hỏng ở dòng {line}: không phải bản xuất WordPress hợp lệ / "
            f"malformed XML at line {line}"
        ) from error
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise WxrError("Không phải tệp xuất WordPress (WXR) / not a WordPress export")
    namespace = _wp_namespace(root, channel)
    version = (channel.findtext(f"{{{namespace}}}wxr_version") or "").strip()
    if not version:
        raise WxrError("Thiếu phiên bản WXR / no WXR version: not a WordPress export")
    wp = "{" + namespace + "}"
    authors = {}
    for node in channel.findall(f"{wp}author"):
        login = _text(node, f"{wp}author_login")
        authors[login] = WxrAuthor(
            login, _text(node, f"{wp}author_display_name") or login
        )
    categories = [
        WxrCategory(
            slug=_text(node, f"{wp}category_nicename"),
            name=_text(node, f"{wp}cat_name"),
            parent=_text(node, f"{wp}category_parent"),
            description=_text(node, f"{wp}category_description"),
        )
        for node in channel.findall(f"{wp}category")
    ]
    items = [_item(node, wp) for node in channel.findall("item")]
    return WxrExport(
        version, _text(channel, f"{wp}base_site_url"), authors, categories, items
    )


def _wp_namespace(root: Element, channel: Element) -> str:
    """http://wordpress.org/export/1.1/ or https://…/1.2/ (both are in the wild)."""
    for element in channel.iter():
        namespace = element.tag[1:].split("}")[0] if element.tag.startswith("{") else ""
        if "wordpress.org/export/" in namespace and not namespace.endswith("excerpt/"):
            return namespace
    raise WxrError("Không phải tệp xuất WordPress (WXR) / not a WordPress export")


def _text(node: Element, tag: str) -> str:
    return (node.findtext(tag) or "").strip()


def _item(node: Element, wp: str) -> WxrItem:
    categories, tags = [], []
    for term in node.findall("category"):
        if term.get("domain") == "category":
            categories.append(term.get("nicename") or "")
        elif term.get("domain") == "post_tag":
            tags.append((term.text or "").strip())
    meta = {
        _text(m, f"{wp}meta_key"): _text(m, f"{wp}meta_value")
        for m in node.findall(f"{wp}postmeta")
    }
    post_id = _text(node, f"{wp}post_id")
    return WxrItem(
        post_id=int(post_id) if post_id.isdigit() else 0,
        post_type=_text(node, f"{wp}post_type") or "post",
        status=_text(node, f"{wp}status") or "publish",
        title=(node.findtext("title") or "").strip(),
        link=_text(node, "link"),
        content=node.findtext(CONTENT) or "",
        excerpt=next(
            (c.text or "" for c in node if c.tag.endswith("excerpt/}encoded")), ""
        ),
        creator=(node.findtext(DC_CREATOR) or "").strip(),
        published_at=_gmt(_text(node, f"{wp}post_date_gmt")),
        categories=[c for c in categories if c],
        tags=[t for t in tags if t],
        meta=meta,
        comments=len(node.findall(f"{wp}comment")),
        attachment_url=_text(node, f"{wp}attachment_url"),
        parent_id=int(_text(node, f"{wp}post_parent") or 0)
        if _text(node, f"{wp}post_parent").isdigit()
        else 0,
    )


def _gmt(value: str) -> datetime | None:
    """WordPress writes "0000-00-00 00:00:00" for a draft never published."""
    try:
        moment = datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC)


def view_count(item: WxrItem) -> int:
    for key in VIEW_COUNT_KEYS:
        raw = item.meta.get(key, "").replace(",", "").replace(".", "").strip()
        if raw.isdigit():
            return int(raw)
    return 0
