"""English text as the English edition's search index sees it. Pure Python, no
Django: words lower-cased, marks folded ("café" → "cafe"), possessives dropped,
then two ASCII keys per word, like syllables.py gives Vietnamese:

- the folded key is the word's Snowball (Porter 2) stem, so "investors",
  "investor" and "investing" all find each other;
- the exact key is the whole word, lower-cased, which ranks the spelling the
  reader typed first.

Both are [a-z0-9] only, so the same FTS5 and tsvector index serves both
languages, and nothing typed can become query syntax.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

from toasoan.search.syllables import Syllable

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_NOT_KEY = re.compile(r"[^a-z0-9]+")
_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=100_000)
def word_keys(word: str) -> tuple[str, str]:
    """(folded, exact) keys of one word; ("", "") for a word with no Latin
    letter or digit. "Investors'" → ("investor", "investors")."""
    lowered = unicodedata.normalize("NFKD", word.lower().replace("’", "'"))
    lowered = re.sub(r"'s$|'$", "", lowered)
    exact = _NOT_KEY.sub("", "".join(c for c in lowered if c.isascii()))
    if not exact:
        return "", ""
    if exact.isdigit():
        return exact, exact
    return _STEMMER.stemWord(exact), exact


def words(text: str) -> list[Syllable]:
    """The words of ``text`` with their keys, positions kept (for highlighting)."""
    found = []
    for match in _WORD.finditer(text):
        folded, exact = word_keys(match.group())
        if folded:
            found.append(
                Syllable(match.group(), match.start(), match.end(), folded, exact)
            )
    return found


def keys_joined(text: str, limit: int) -> tuple[str, str]:
    """The folded and exact keys, space-separated, of the first ``limit`` words."""
    keyed = [word_keys(w) for w in _WORD.findall(text)]
    keyed = [k for k in keyed if k[0]][:limit]
    return " ".join(k[0] for k in keyed), " ".join(k[1] for k in keyed)
