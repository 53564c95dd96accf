"""What a reader typed into the search box, understood. Pure Python, no Django.

    bão số 3              every syllable required; adjacent ranks higher
    "hòa bình" / “hòa bình”   a phrase: these syllables, in this order
    -nữ   -"bóng đá"      must not appear
    thanh pho ho chi m*   the last syllable is a prefix

Nothing typed can become database syntax: a query is reduced to ASCII syllable keys
([a-z0-9]) before any backend sees it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from toasoan.search.syllables import clean_text, has_marks, syllables

MAX_QUERY_LENGTH = 300
MAX_TERMS = 24
MAX_ORDERED = 6  # longer plain queries are ordered by their first six words
MAX_KEY_LENGTH = 40  # longer "syllables" are noise, never in the index
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "″": '"'})


@dataclass(frozen=True)
class Term:
    """A word or a phrase: its syllables' folded and exact keys, in order."""

    folded: tuple[str, ...]
    exact: tuple[str, ...]
    accented: bool  # typed with marks: exact spelling ranks first
    phrase: bool = False
    prefix: bool = False  # the last syllable is a prefix


@dataclass
class SearchQuery:
    text: str
    required: list[Term] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.required

    @property
    def folded_keys(self) -> set[str]:
        return {key for term in self.required for key in term.folded}

    @property
    def plain_words(self) -> list[str]:
        """Folded keys of the one-syllable words typed without quotes or *."""
        return [t.folded[0] for t in self.required if not t.phrase and not t.prefix]

    @property
    def ordered_keys(self) -> list[str]:
        """Plain words typed together keep their order: "Thái Bình" is not
        "Bình Thái", though words in between are allowed ("Nguyễn An" finds
        "Nguyễn Văn An")."""
        words = self.plain_words
        return words[:MAX_ORDERED] if len(words) > 1 else []

    @property
    def adjacent_keys(self) -> tuple[str, ...]:
        """The plain words as one phrase, which scores higher when found so."""
        words = self.plain_words
        return tuple(words) if len(words) > 1 else ()


def order_pattern(keys: list[str]) -> str:
    """A regular expression, read alike by Python and PostgreSQL, that finds the
    keys in this order in an index text (keys separated by spaces, fields by
    newlines). Keys are [a-z0-9] only, so nothing here needs escaping."""
    gap = "([ \n].*?)?[ \n]"
    return "(?s)(^|[ \n])" + gap.join(keys) + "([ \n]|$)"


def parse_query(raw: str, language: str = "vi") -> SearchQuery:
    """Understand a query; anything that is not a syllable is ignored. Every
    edition but the Vietnamese one reads words as English (english.py)."""
    text = clean_text(
        "".join(ch for ch in raw[: MAX_QUERY_LENGTH * 4] if ch.isprintable())
    )
    text = text.translate(_QUOTES)[:MAX_QUERY_LENGTH]
    query = SearchQuery(text=text)
    # Quoted phrases first (an unbalanced quote is just ignored), then words.
    pattern = re.compile(r'(-?)"([^"]*)"(\*?)|(-?)([^\s"]+)')
    for match in pattern.finditer(text):
        if len(query.required) + len(query.excluded) >= MAX_TERMS:
            break
        negative = bool(match.group(1) or match.group(4))
        quoted = match.group(2) is not None
        chunk = match.group(2) + match.group(3) if quoted else match.group(5)
        term = (
            _term(chunk, phrase=quoted)
            if language == "vi"
            else _english_term(chunk, phrase=quoted)
        )
        if term is None:
            continue
        (query.excluded if negative else query.required).append(term)
    return query


def _english_term(chunk: str, phrase: bool) -> Term | None:
    from toasoan.search.english import words

    prefix = chunk.endswith("*") and chunk.rstrip("*")[-1:].isalnum()
    found = [w for w in words(chunk) if len(w.exact) <= MAX_KEY_LENGTH]
    if not found:
        return None
    folded = [w.folded for w in found]
    if prefix:
        # A word still being typed is no word yet: its letters so far are the
        # prefix ("invest*" finds "investors", stemmed "investor").
        folded[-1] = found[-1].exact
    return Term(
        folded=tuple(folded),
        exact=tuple(w.exact for w in found),
        # The word as typed ranks above its other forms.
        accented=True,
        phrase=phrase or len(found) > 1,
        prefix=prefix,
    )


def _term(chunk: str, phrase: bool) -> Term | None:
    # word* and "a phrase"* (what autocomplete sends) end in a prefix.
    prefix = chunk.endswith("*")
    found = [s for s in syllables(chunk) if len(s.folded) <= MAX_KEY_LENGTH]
    if not found:
        return None
    if prefix and not chunk.rstrip("*")[-1:].isalnum():
        prefix = False
    return Term(
        folded=tuple(s.folded for s in found),
        exact=tuple(s.exact for s in found),
        accented=has_marks(chunk),
        phrase=phrase or len(found) > 1,
        prefix=prefix,
    )
