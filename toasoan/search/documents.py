"""What the search index holds for one article: the one place a backend's document
is built (an OpenSearch backend would take the same ``SearchDocument``)."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

from toasoan.search.syllables import clean_text, syllable_keys_joined

# The fields, in the order backends store them, with their ranking weights.
FIELDS = ("title", "lead", "body", "keywords", "byline")
WEIGHTS = {"title": 10.0, "lead": 4.0, "body": 1.0, "keywords": 6.0, "byline": 3.0}
MAX_KEYS_PER_FIELD = 20_000  # a 100,000-word body is indexed up to here


@dataclass(frozen=True)
class Facets:
    """What a reader's filters select on, kept in the index itself so that an
    unfiltered or section-filtered search never joins the article table."""

    locale_id: int | None = None
    section_id: int | None = None
    has_video: bool = False

    def keys(self) -> list[str]:
        keys = [f"l{self.locale_id}"] if self.locale_id else []
        keys += [f"s{self.section_id}"] if self.section_id else []
        return keys + (["video"] if self.has_video else [])


@dataclass(frozen=True)
class SearchDocument:
    article_id: int
    folded: dict[str, str]  # field → space-separated folded keys
    exact: dict[str, str]  # field → space-separated exact keys
    facets: Facets = Facets()


def html_to_text(markup: str) -> str:
    """Rich text to plain text, paragraphs kept apart so syllables never glue."""
    text = re.sub(r"<(?:br|/p|/h[1-6]|/li|/blockquote|/td)\b[^>]*>", "\n", markup or "")
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def field_keys(text: str, language: str = "vi") -> tuple[str, str]:
    """The folded and exact keys the index holds for one field's text: the
    Vietnamese edition's syllables, or for every other edition English words
    and their stems (english.py)."""
    if language != "vi":
        from toasoan.search import english

        return english.keys_joined(clean_text(text), MAX_KEYS_PER_FIELD)
    return syllable_keys_joined(clean_text(text), MAX_KEYS_PER_FIELD)


def build_document(
    article_id: int,
    fields: dict[str, str],
    facets: Facets | None = None,
    known_keys: Mapping[str, tuple[str, str]] | None = None,
    language: str = "vi",
) -> SearchDocument:
    """``known_keys`` holds ``field_keys`` of texts worked out before (an
    import does it while reading files, in another process), Vietnamese ones."""
    known_keys = known_keys if language == "vi" and known_keys else {}
    folded, exact = {}, {}
    for name in FIELDS:
        text = fields.get(name) or ""
        keys = known_keys.get(text)
        folded[name], exact[name] = (
            keys if keys is not None else field_keys(text, language)
        )
    return SearchDocument(article_id, folded, exact, facets or Facets())
