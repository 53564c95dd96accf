"""Vietnamese text as a search index sees it: cleaned, cut into syllables, keyed.

Pure Python, no Django. Two keys per syllable, both ASCII so that neither SQLite's
FTS5 tokenizer nor PostgreSQL's parser (whatever the cluster's locale) can change
them:

- the folded key: no marks, đ → d, tone placement and i/y spelling unified
  ("Đà" → "da", "kỹ" → "ki");
- the exact key: the same syllable with its marks spelled VNI-style after the
  vowel they sit on ("hòa" and "hoà" → "ho2a", "Nẵng" → "na84ng").

Bump ``KEY_VERSION`` whenever a key changes: the index is rebuilt when it differs.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

KEY_VERSION = 2  # 2: English editions get English keys (english.py)

# Spaces that are not U+0020: no-break, thin, narrow no-break, ideographic…
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\r\n\f\v]")
# Invisible characters that either glue syllables together or sit inside one.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_LOOKALIKES = str.maketrans(
    {"Ð": "Đ", "ð": "đ", "’": "'", "ʼ": "'", "‘": "'", "`": "'"}
)
# Translating looks up every character; most texts hold no look-alike at all.
_ANY_LOOKALIKE = re.compile(f"[{re.escape(''.join(map(chr, _LOOKALIKES)))}]")

TONE_MARKS = {"\u0301": 1, "\u0300": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}
# Vowel marks, numbered as VNI types them: â ê ô = 6, ơ ư = 7, ă = 8.
_VOWEL_MARK_NUMBER = {"\u0302": 6, "\u031b": 7, "\u0306": 8}
_PLAIN_VOWELS = set("aeiouy")
_ONSETS = (
    "ngh", "ch", "gh", "gi", "kh", "ng", "nh", "ph", "qu", "th", "tr",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
)  # fmt: skip
# k ends highland place names (Đắk Lắk, Đắk Nông).
_CODAS = ("ng", "nh", "ch", "c", "k", "m", "n", "p", "t", "i", "y", "o", "u", "")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


def clean_text(text: str) -> str:
    """NFC text with odd spaces made plain, look-alikes fixed, invisible characters
    resolved: removed inside a syllable ("Nguy\u200bễn"), a space between two
    ("Hà\u200bNội")."""
    text = unicodedata.normalize("NFC", text)
    if _ANY_LOOKALIKE.search(text):
        text = text.translate(_LOOKALIKES)
    text = _SPACES.sub(" ", text)
    if any(ch in text for ch in _INVISIBLE):
        text = re.sub(f"[{_INVISIBLE}]+", _join_or_split, text)
    return unicodedata.normalize("NFC", text)


def _join_or_split(match: re.Match) -> str:
    before = re.search(r"(\w+)$", match.string[: match.start()])
    after = re.match(r"(\w+)", match.string[match.end() :])
    if before and after and is_syllable((before.group(1) + after.group(1)).lower()):
        return ""
    return "" if not (before and after) else " "


@dataclass(frozen=True)
class Syllable:
    """One syllable as it stands in the text (``start``/``end`` index the text)."""

    text: str
    start: int
    end: int
    folded: str
    exact: str


# A run of letters and digits, with apostrophes inside words kept (H'Mông).
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*", re.UNICODE)


def syllables(text: str) -> list[Syllable]:
    """Cut cleaned ``text`` into syllables with both keys. Letters and digits are
    split apart (COVID-19 → covid, 19); full-width letters count as ASCII."""
    found = []
    for word in _WORD.finditer(text):
        start = word.start()
        for offset, piece, folded, exact in _word_syllables(word.group()):
            at = start + offset
            found.append(Syllable(piece, at, at + len(piece), folded, exact))
    return found


def syllable_keys_joined(text: str, limit: int) -> tuple[str, str]:
    """The folded and exact keys, space-separated, of the first ``limit``
    syllables of cleaned ``text``: what the index stores, without building a
    ``Syllable`` for each (an archive import indexes hundreds of articles a
    second)."""
    keyed = list(map(_word_keys, _WORD.findall(text)))
    if not keyed:
        return "", ""
    counts, folded, exact = zip(*keyed, strict=True)
    if sum(counts) > limit:
        return (
            " ".join(" ".join(folded).split()[:limit]),
            " ".join(" ".join(exact).split()[:limit]),
        )
    return " ".join(folded), " ".join(exact)


@lru_cache(maxsize=200_000)
def _word_keys(word: str) -> tuple[int, str, str]:
    """(syllables, folded keys, exact keys) of one word, keys space-separated."""
    found = _word_syllables(word)
    return (
        len(found),
        " ".join(folded for _, _, folded, _ in found),
        " ".join(exact for _, _, _, exact in found),
    )


# A news archive repeats a few thousand words: cutting and keying each one once
# makes indexing and snippets several times faster. The cache is bounded, and
# its entries are small tuples.
@lru_cache(maxsize=200_000)
def _word_syllables(word: str) -> tuple[tuple[int, str, str, str], ...]:
    """(offset in word, text, folded key, exact key) for each syllable of a word."""
    found = []
    for part in re.finditer(r"\d+|[^\W\d_]+(?:'[^\W\d_]+)*", word):
        offset = part.start()
        for piece in _glued_pieces(part.group()) or [part.group()]:
            found.append((offset, piece, *syllable_keys(piece)))
            offset += len(piece)
    return tuple(found)


def _glued_pieces(word: str, depth: int = 0) -> list[str] | None:
    if is_syllable(word.lower()):
        return [word]
    if word.isascii() or depth > 4 or len(word) > 40:
        return None

    # Try a cut where a capital starts a syllable first ("HàNội"), then cuts
    # whose right part starts with a consonant, longest left part first.
    def preference(cut: int) -> tuple[bool, bool, int]:
        right = word[cut]
        capital = word[cut - 1].islower() and right.isupper()
        consonant = _fold(right.lower()) not in _PLAIN_VOWELS
        return (capital, consonant, cut)

    for cut in sorted(range(1, len(word)), key=preference, reverse=True):
        left = word[:cut]
        if is_syllable(left.lower()):
            rest = _glued_pieces(word[cut:], depth + 1)
            if rest:
                return [left, *rest]
    return None


def syllable_keys(word: str) -> tuple[str, str]:
    """(folded, exact) keys of one syllable or word."""
    lowered = unicodedata.normalize("NFKC", word).lower().replace("'", "")
    canonical = canonical_syllable(lowered)
    canonical = unify_i_y(canonical)
    return _fold(canonical), _vni(canonical)


def _decompose(syllable: str) -> list[tuple[str, set[str]]]:
    """[(base letter, {combining marks})] for each letter of an NFC syllable."""
    letters: list[tuple[str, set[str]]] = []
    for ch in unicodedata.normalize("NFD", syllable):
        if unicodedata.combining(ch) and letters:
            letters[-1][1].add("\u0300" if ch == "\u0340" else ch)
        else:
            letters.append((ch, set()))
    return letters


def _compose(letters: list[tuple[str, set[str]]]) -> str:
    order = {"\u0302": 0, "\u031b": 0, "\u0306": 0}
    text = "".join(
        base + "".join(sorted(marks, key=lambda m: order.get(m, 1)))
        for base, marks in letters
    )
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=100_000)
def is_syllable(word: str) -> bool:
    """Could ``word`` (lower case) be one Vietnamese syllable?"""
    return _parse(word) is not None


def _parse(word: str):
    """Split a lower-case syllable into onset, vowels, coda; None if not Vietnamese."""
    letters = _decompose(word)
    plain = "".join(base for base, _ in letters).lower()
    if not plain.isalpha() or not all(c.isascii() or c == "đ" for c in plain):
        return None
    tones = [m for _, marks in letters for m in marks if m in TONE_MARKS]
    if len(tones) > 1:
        return None
    onset = next((o for o in _ONSETS if plain.startswith(o)), "")
    rest = plain[len(onset) :]
    if onset == "gi" and not any(c in _PLAIN_VOWELS for c in rest):
        onset, rest = "g", plain[1:]  # gì, gìn: the i is the vowel
    vowels = re.match(r"[aeiouy]*", rest).group()
    coda = rest[len(vowels) :]
    if not vowels or coda not in _CODAS or len(vowels) > 3:
        return None
    return onset, len(onset), vowels, coda, letters


def canonical_syllable(word: str) -> str:
    """Put the tone mark where the traditional rule puts it: hoà → hòa, thuỷ → thủy,
    cuả → của, khủyu → khuỷu. Words that are not Vietnamese syllables (José,
    COVID) are returned unchanged."""
    parsed = _parse(word)
    if parsed is None:
        return word
    onset, at, vowels, coda, letters = parsed
    tone = next((m for _, marks in letters for m in marks if m in TONE_MARKS), None)
    if tone is None:
        return word
    for _, marks in letters:
        marks.discard(tone)
    nucleus = list(range(at, at + len(vowels)))
    marked = [i for i in nucleus if letters[i][1]]
    if marked:
        # ươ takes the tone on ơ; otherwise the one vowel with a mark has it.
        target = marked[-1] if len(marked) > 1 else marked[0]
    elif len(nucleus) == 3:
        target = nucleus[1]
    elif len(nucleus) == 2 and not coda:
        target = nucleus[0]
    else:
        target = nucleus[-1]
    letters[target][1].add(tone)
    return _compose(letters)


def unify_i_y(syllable: str) -> str:
    """kỹ/kĩ, lý/lí, quy/qui, hy/hi: a final y that is the whole vowel after a
    consonant is written i. tuy (u+y) and a lone y (y tế) are left alone."""
    parsed = _parse(syllable)
    if parsed is None:
        return syllable
    onset, at, vowels, coda, letters = parsed
    if onset and vowels == "y" and not coda:
        letters[at] = ("i", letters[at][1])
        return _compose(letters)
    return syllable


def _fold(syllable: str) -> str:
    return _ascii(
        "".join("d" if base == "đ" else base for base, _ in _decompose(syllable))
    )


def _ascii(key: str) -> str:
    """Letters of other scripts (Lao, Khmer, Chinese…) as u<hex>: keys stay
    [a-z0-9] whatever the database's tokenizer or locale."""
    return "".join(c if c.isascii() and c.isalnum() else f"u{ord(c):x}" for c in key)


def _vni(syllable: str) -> str:
    out = []
    for base, marks in _decompose(syllable):
        if base == "đ":
            out.append("d9")
            continue
        out.append(_ascii(base))
        out.extend(
            str(_VOWEL_MARK_NUMBER[m]) for m in sorted(marks) if m in _VOWEL_MARK_NUMBER
        )
        out.extend(str(TONE_MARKS[m]) for m in marks if m in TONE_MARKS)
    return "".join(out)


def has_marks(text: str) -> bool:
    """Did the reader type any Vietnamese mark (or đ)?"""
    return any(
        unicodedata.combining(ch) or ch in "đĐ"
        for ch in unicodedata.normalize("NFD", text)
    )


def _build_fold_table() -> dict[int, str]:
    """One ASCII lower-case letter for each Latin letter with marks (and for A–Z),
    so that folding keeps every character where it was."""
    table = {ord(c): c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        base = unicodedata.normalize("NFD", chr(code))[0].lower()
        if base.isascii() and base.isalpha():
            table[code] = base
    table[ord("đ")] = table[ord("Đ")] = "d"
    return table


_FOLD_TABLE = _build_fold_table()


def fold_in_place(text: str) -> str:
    """``text`` lower-cased without marks, character for character (same length,
    same offsets): a cheap way to find where a folded key might be."""
    return text.translate(_FOLD_TABLE)


def first_match(
    text: str, keys: set[str], prefixes: tuple[str, ...] = ()
) -> Syllable | None:
    """The first syllable of cleaned ``text`` whose folded key is in ``keys`` or
    starts with one of ``prefixes``, without cutting the whole text: candidates are
    found in ``fold_in_place(text)`` and only their surroundings are cut."""
    words = [re.escape(k) for k in keys] + [re.escape(p) + "[a-z]*" for p in prefixes]
    if not words:
        return None
    # A folded key's i may be written y ("ki" for "kỹ"); the check below decides.
    alternatives = "|".join(w.replace("i", "[iy]") for w in sorted(words, key=len))
    # No boundary before: a key may start inside a glued word ("HàNội").
    pattern = re.compile(f"(?:{alternatives})(?![0-9])")
    folded = fold_in_place(text)
    for candidate in pattern.finditer(folded):
        start = text.rfind(" ", 0, candidate.start()) + 1
        end = text.find(" ", candidate.end())
        piece = text[start : len(text) if end < 0 else end]
        for syllable in syllables(piece):
            if syllable.folded in keys or (
                prefixes and syllable.folded.startswith(prefixes)
            ):
                at = start + syllable.start
                return Syllable(
                    syllable.text, at, at + len(syllable.text), syllable.folded,
                    syllable.exact,
                )  # fmt: skip
    return None
