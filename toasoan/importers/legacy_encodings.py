"""Vietnamese text from before Unicode: TCVN3 (ABC, the north's 8-bit standard,
TCVN 5712:1993 VN3) and VNI (the south's, a base letter followed by a mark byte).
Archives from the 1990s–2000s hold files in either, often re-saved as UTF-8
after being read as Latin-1 ("Hµ Néi" for "Hà Nội"). Pure Python, no Django.

Both tables are built from the standards' layout rather than typed out: TCVN3
gives each vowel its five toned forms in the order huyền, hỏi, ngã, sắc, nặng;
VNI follows a vowel with one mark character per accent.
"""

from __future__ import annotations

import re
import unicodedata

# Tone combining marks, in TCVN3's order: huyền, hỏi, ngã, sắc, nặng.
TONES = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")

# TCVN3: the vowel (as Unicode), then the bytes of its five toned forms.
_TCVN3_TONED = {
    "a": (0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
# Letters without a tone; TCVN3 has capitals only for these (toned capitals
# were written with an all-capitals font, i.e. the lowercase codes).
_TCVN3_PLAIN = {
    "ă": 0xA8, "â": 0xA9, "ê": 0xAA, "ô": 0xAB, "ơ": 0xAC, "ư": 0xAD, "đ": 0xAE,
    "Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7,
    "\u00a0": 0xA0,
}  # fmt: skip


def _toned(vowel: str, tone: int) -> str:
    return unicodedata.normalize("NFC", vowel + TONES[tone])


def _tcvn3_table() -> dict[int, str]:
    table = {code: char for char, code in _TCVN3_PLAIN.items()}
    for vowel, codes in _TCVN3_TONED.items():
        for tone, code in enumerate(codes):
            table[code] = _toned(vowel, tone)
    return table


TCVN3_TO_UNICODE = _tcvn3_table()
UNICODE_TO_TCVN3 = {char: code for code, char in TCVN3_TO_UNICODE.items()}

# VNI (Windows): marks written after the base letter, as Windows-1252 characters.
# Lowercase forms; a capital letter takes the capital form of the same mark.
_VNI_TONE = ("ø", "û", "õ", "ù", "ï")  # huyền, hỏi, ngã, sắc, nặng
_VNI_CIRCUMFLEX = ("à", "å", "ã", "á", "ä")  # â ê ô with a tone
_VNI_BREVE = ("è", "ú", "ü", "é", "ë")  # ă with a tone
_VNI_SINGLE = {  # letters VNI writes as one character
    "đ": "ñ", "Đ": "Ñ", "ơ": "ô", "Ơ": "Ô", "ư": "ö", "Ư": "Ö",
    "ì": "ì", "ỉ": "æ", "ĩ": "ó", "í": "í", "ị": "ò",
    "Ì": "Ì", "Ỉ": "Æ", "Ĩ": "Ó", "Í": "Í", "Ị": "Ò",
}  # fmt: skip


def _vni_table() -> dict[str, str]:
    """Unicode letter → its VNI spelling."""
    table = dict(_VNI_SINGLE)
    for lower in "aăâeêoôơuưy":
        for case in (str.lower, str.upper):
            letter = case(lower)
            base = unicodedata.normalize("NFD", letter)[0]
            if lower in "âêô":
                table[letter] = base + case("â")
                marks = _VNI_CIRCUMFLEX
            elif lower == "ă":
                table[letter] = base + case("ê")
                marks = _VNI_BREVE
            elif lower in "ơư":
                table[letter] = _VNI_SINGLE[letter]
                marks = _VNI_TONE
            else:
                marks = _VNI_TONE
            prefix = table.get(letter, base)
            if lower in "ơư":
                prefix = _VNI_SINGLE[letter]
            elif lower in "âêôă":
                prefix = base
            for tone, mark in enumerate(marks):
                table[_toned(letter, tone)] = prefix + case(mark)
    return table


UNICODE_TO_VNI = _vni_table()
VNI_TO_UNICODE = {spelling: letter for letter, spelling in UNICODE_TO_VNI.items()}
# Every VNI spelling, two-character ones first so "ô" + "ù" is read as one
# letter before "ô" alone: one regular expression pass over the text.
_VNI_SPELLING = re.compile(
    "|".join(map(re.escape, sorted(VNI_TO_UNICODE, key=len, reverse=True)))
)


def encode_tcvn3(text: str) -> bytes:
    """Unicode → TCVN3 bytes (for tests: archives are made like this)."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        if char in UNICODE_TO_TCVN3:
            out.append(UNICODE_TO_TCVN3[char])
        elif char.isupper() and char.lower() in UNICODE_TO_TCVN3:
            out.append(UNICODE_TO_TCVN3[char.lower()])  # the all-capitals font
        else:
            out += char.encode("ascii")
    return bytes(out)


def encode_vni(text: str) -> bytes:
    spelled = "".join(
        UNICODE_TO_VNI.get(c, c) for c in unicodedata.normalize("NFC", text)
    )
    return spelled.encode("cp1252")


def decode_tcvn3(raw: bytes) -> str:
    return "".join(TCVN3_TO_UNICODE.get(b, chr(b)) for b in raw)


def decode_vni(raw: bytes) -> str:
    text = raw.decode("cp1252", errors="replace")
    return _VNI_SPELLING.sub(lambda match: VNI_TO_UNICODE[match.group()], text)


# Characters that belong in Vietnamese; in decoded text, anything else from the
# Latin-1 range is a sign the guess was wrong.
_VIETNAMESE = set("àáâãèéêìíòóôõùúýăđĩũơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")


# Anything but ASCII and Vietnamese letters: a clean text costs one C-level
# scan, and its letters are counted only when a suspect turns up.
_SUSPECT = re.compile("[^\x00-\x7f" + "".join(sorted(_VIETNAMESE)) + "]")
_NOT_LETTERS = re.compile(r"[\W\d_]+")


def _oddness(text: str) -> float:
    """Share of letters that are neither ASCII nor Vietnamese."""
    lowered = text.lower()
    odd = sum(c.isalpha() for c in _SUSPECT.findall(lowered))
    if not odd:
        return 0.0
    return odd / len(_NOT_LETTERS.sub("", lowered))


def _syllable_share(text: str) -> float:
    """Of the words with a Vietnamese letter, how many are real syllables: the
    wrong table also yields Vietnamese letters, but in impossible places
    ("Haứ Noọi" is VNI read as TCVN3)."""
    from toasoan.search.syllables import is_syllable

    words = [w for w in re.findall(r"[^\W\d_]+", text) if any(ord(c) > 0x7F for c in w)]
    if not words:
        return 0.0
    return sum(is_syllable(w.lower()) for w in words) / len(words)


def guess_legacy_text(raw: bytes) -> tuple[str, str] | None:
    """(text, "TCVN3" or "VNI") when ``raw`` reads as Vietnamese in one of them;
    None when it reads as neither."""
    candidates = []
    for name, decode in (("TCVN3", decode_tcvn3), ("VNI", decode_vni)):
        text = decode(raw)
        if _oddness(text) < 0.01:
            candidates.append((_syllable_share(text), name, text))
    if not candidates:
        return None
    share, name, text = max(candidates)
    return (text, name) if share >= 0.8 else None


def repair_mojibake(text: str) -> tuple[str, str] | None:
    """UTF-8 text that is TCVN3 or VNI read as Latin-1 and saved again ("Hµ Néi"):
    the repaired text and the encoding, or None when the text looks right."""
    if _oddness(text) < 0.02:
        return None
    try:
        raw = text.encode("cp1252")
    except UnicodeEncodeError:
        try:
            raw = text.encode("latin-1")
        except UnicodeEncodeError:
            return None
    found = guess_legacy_text(raw)
    if found and _oddness(found[0]) < _oddness(text):
        return found
    return None
