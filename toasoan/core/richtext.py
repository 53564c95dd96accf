"""Sanitising article bodies: whatever arrives (editor, importer, API) is cleaned."""

from __future__ import annotations

import re

import nh3

# Wagtail's stored rich-text format uses <a linktype="page" id="…"> and
# <embed embedtype="image" …/>; they must survive so that links and images resolve.
ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "b", "i", "strong",
    "em", "u", "s", "sub", "sup", "a", "embed", "blockquote", "hr", "code",
    "table", "thead", "tbody", "tr", "th", "td", "figure", "figcaption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "linktype", "id", "title"},
    "embed": {"embedtype", "id", "format", "alt", "url"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}


_EMBED_END = re.compile(r"<embed\b([^>]*?)\s*/?>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')
# Wagtail looks up what a link or embed points at by its attributes when the page
# is shown; a value it cannot use (id="abc", an unknown picture format, an embed
# without its url) raised there and turned every page showing the body into a 500.
_WHAT_EMBEDS_NEED = {"image": {"id", "format"}, "media": {"url"}}


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    """nh3's per-attribute check: only values Wagtail can expand are kept."""
    if name == "id" and tag in ("a", "embed"):
        return value if value.isascii() and value.isdigit() else None
    if tag == "a" and name == "linktype":
        return value if value in ("page", "document") else None
    if tag == "embed":
        if name == "embedtype":
            return value if value in _WHAT_EMBEDS_NEED else None
        if name == "format":
            return value if value in _image_format_names() else None
        if name == "url":
            return value if value.lower().startswith(("https://", "http://")) else None
    return value


def _image_format_names() -> set[str]:
    from wagtail.images.formats import get_image_formats

    return {image_format.name for image_format in get_image_formats()}


_LINK_START = re.compile(r"<a\b([^>]*)>", re.IGNORECASE)


def _whole_link(match: re.Match) -> str:
    """A page or document link without a usable id is a plain link: Wagtail
    reads the id of every typed link when it indexes references."""
    attributes = dict(_ATTRIBUTE.findall(match.group(1)))
    if "linktype" not in attributes or "id" in attributes:
        return match.group(0)
    kept = "".join(f' {k}="{v}"' for k, v in attributes.items() if k != "linktype")
    return f"<a{kept}>"


def _whole_embed(match: re.Match) -> str:
    """An embed Wagtail can expand, written <embed …/> (nh3 writes <embed …>,
    which Wagtail does not expand: every picture in a body would vanish); one it
    cannot is dropped."""
    attributes = dict(_ATTRIBUTE.findall(match.group(1)))
    needed = _WHAT_EMBEDS_NEED.get(attributes.get("embedtype", ""))
    if needed is None or not needed <= attributes.keys():
        return ""
    return f"<embed{match.group(1)}/>"


def sanitize_rich_text(html: str) -> str:
    """Drop scripts, event handlers, styles and unknown tags; keep Wagtail's markup."""
    if not html:
        return ""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel=None,
    )
    return _LINK_START.sub(_whole_link, _EMBED_END.sub(_whole_embed, cleaned))


_IMAGE_EMBED = re.compile(r"<embed\b[^>]*\bembedtype=\"image\"[^>]*>", re.IGNORECASE)
_ALT = re.compile(r"\balt=\"([^\"]*)\"", re.IGNORECASE)


def images_without_alt(html: str) -> int:
    """How many images in a stored body have no alt text (Wagtail's chooser
    lets an editor leave it empty, or mark an image decorative)."""
    missing = 0
    for embed in _IMAGE_EMBED.findall(html or ""):
        alt = _ALT.search(embed)
        missing += not (alt and alt.group(1).strip())
    return missing


# What XML 1.0 cannot hold: control characters (a vertical tab pasted from Word)
# and the non-characters U+FFFE and U+FFFF. Django's feed writer raises on the
# first kind (a 500 for the whole feed); a sitemap written with them is no XML.
_NOT_XML = re.compile(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters an XML document cannot contain."""
    return _NOT_XML.sub("", text)
