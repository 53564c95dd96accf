"""'Có phải bạn muốn tìm: …': one-letter typos corrected from the index's own words."""

from __future__ import annotations

import re
import string

from toasoan.search.query import SearchQuery
from toasoan.search.typing import convert_typing

_LETTERS = string.ascii_lowercase


def one_edit_away(word: str) -> dict[str, int]:
    """Every word one deletion, swap, change or insertion away (Norvig's edits1),
    with a preference: two swapped letters ("bihn") are the commonest slip on a
    phone keyboard, then a letter too many or too few, then a wrong letter."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    found: dict[str, int] = {}
    for preference, edits in (
        (1, (a + c + b[1:] for a, b in splits if b for c in _LETTERS)),
        (2, (a + c + b for a, b in splits for c in _LETTERS)),
        (2, (a + b[1:] for a, b in splits if b)),
        (3, (a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1)),
    ):
        for edit in edits:
            found[edit] = max(preference, found.get(edit, 0))
    found.pop(word, None)
    found.pop("", None)
    return found


def _spelled(backend, folded: str) -> str:
    """The folded key written the way the archive most often writes it."""
    lead = re.match(r"[^aeiouy]*[aeiouy]?", folded).group()
    forms = {
        key: count
        for key, count in backend.keys_starting(lead).items()
        if re.sub(r"\d", "", key) == folded
    }
    # The folded key itself is in the same vocabulary; a written form with marks
    # (digits in the key) is preferred when the archive has one.
    accented = {key: n for key, n in forms.items() if key != folded}
    if not accented:
        return folded
    return convert_typing(max(accented, key=accented.get)) or folded


def suggest_spelling(query: SearchQuery, backend) -> str | None:
    """The query with each unknown word replaced by the most used word one letter
    away, or None when no word needs or has a correction."""
    words = [t for t in query.required if len(t.folded) == 1 and not t.prefix]
    if not words or len(words) != len(query.required):
        return None
    known = backend.document_counts([t.folded[0] for t in words])
    corrected, changed = [], False
    for term in words:
        key = term.folded[0]
        if known.get(key) or len(key) < 3 or key.isdigit():
            corrected.append(_spelled(backend, key))
            continue
        edits = one_edit_away(key)
        counts = backend.document_counts(sorted(edits))
        if not counts:
            return None
        best = max(counts, key=lambda word: (counts[word], edits[word]))
        corrected.append(_spelled(backend, best))
        changed = True
    return " ".join(corrected) if changed else None
