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


def sanitize_rich_text(html: str) -> str:
    """Drop scripts, event handlers, styles and unknown tags; keep Wagtail's markup."""
    if not html:
        return ""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel=None,
    )
    # nh3 writes <embed …> as HTML does; Wagtail only expands <embed …/>, so
    # without the slash every picture in a body would vanish from the page.
    return _EMBED_END.sub(r"<embed\1/>", cleaned)


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
