"""Reading a query typed with Telex or VNI keys but no Vietnamese keyboard active:
"hoaf binhf" → "hòa bình", "ddaf nawxng" → "đà nẵng", "hoa2 bi2nh" → "hòa bình".
Pure Python, no Django."""

from __future__ import annotations

import unicodedata

from toasoan.search.syllables import canonical_syllable, is_syllable

_TELEX_TONES = {
    "s": "\u0301",
    "f": "\u0300",
    "r": "\u0309",
    "x": "\u0303",
    "j": "\u0323",
}
_VNI_TONES = {"1": "\u0301", "2": "\u0300", "3": "\u0309", "4": "\u0303", "5": "\u0323"}
_CIRCUMFLEX, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
_VOWELS = set("aeiouy")


def _convert_word(word: str) -> str | None:
    letters: list[list] = []  # [base, marks]
    tone = None
    for ch in word:
        seen_vowel = any(base in _VOWELS for base, _ in letters)
        last = letters[-1] if letters else None
        if ch == "d" and last and last[0] == "d" and not last[1]:
            last[0] = "đ"
        elif ch in "aeo" and last and last[0] == ch and not last[1]:
            last[1].add(_CIRCUMFLEX)
        elif ch == "w" or ch in "678":
            if not _vowel_mark(letters, ch):
                return None
        elif ch == "9" and last and last[0] == "d":
            last[0] = "đ"
        elif seen_vowel and (ch in _TELEX_TONES or ch in _VNI_TONES):
            tone = _TELEX_TONES.get(ch) or _VNI_TONES[ch]
        elif ch.isalpha():
            letters.append([ch, set()])
        else:
            return None
    vowels = [i for i, (base, _) in enumerate(letters) if base in _VOWELS]
    if tone and vowels:
        letters[vowels[-1]][1].add(tone)
    text = unicodedata.normalize(
        "NFC", "".join(base + "".join(sorted(marks)) for base, marks in letters)
    )
    return canonical_syllable(text) if is_syllable(text) else None


def _vowel_mark(letters: list[list], key: str) -> bool:
    """Apply w (Telex) or 6/7/8 (VNI) to the right vowel; False if there is none."""
    for index in range(len(letters) - 1, -1, -1):
        base, marks = letters[index]
        if key == "6" and base in "aeo":
            marks.add(_CIRCUMFLEX)
            return True
        if key in "w8" and base == "a":
            marks.add(_BREVE)
            return True
        if key in "w7" and base in "ou":
            marks.add(_HORN)
            # uow / uo7 → ươ: the horn goes on both vowels.
            if base == "o" and index and letters[index - 1][0] == "u":
                letters[index - 1][1].add(_HORN)
            return True
    return False


def convert_typing(text: str) -> str | None:
    """The query as a Vietnamese keyboard would have written it, or None when it
    does not read as Telex/VNI (a word that is no syllable, or nothing changes)."""
    words = text.lower().split()
    if not words:
        return None
    converted = []
    for word in words:
        result = _convert_word(word)
        if result is None:
            return None
        converted.append(result)
    output = " ".join(converted)
    return output if output != " ".join(words) else None
