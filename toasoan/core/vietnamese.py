"""Vietnamese text rules the whole platform shares: folding, slugs, date lines.

Pure functions with no Django imports, so they are tested with plain strings.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta

# Letters that NFD does not decompose: đ is a letter of its own, and Ð (U+00D0,
# Icelandic eth) is what legacy converters and careless typists put for Đ.
_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans({"đ": "d", "Đ": "D", "Ð": "D", "ð": "d"})
# Invisible characters that sit inside syllables in pasted or converted text.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)

WEEKDAY_NAMES = ("Thứ 2", "Thứ 3", "Thứ 4", "Thứ 5", "Thứ 6", "Thứ 7", "Chủ nhật")


def normalize_text(text: str) -> str:
    """Return ``text`` in NFC without byte-order marks or Windows line ends."""
    text = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def fold_diacritics(text: str) -> str:
    """Strip tone marks and vowel marks and turn đ into d: "Đà Nẵng" → "Da Nang"."""
    text = text.translate(_INVISIBLE).translate(_LETTERS_WITHOUT_DECOMPOSITION)
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


def slugify_vi(text: str, max_length: int = 80) -> str:
    """An ASCII slug with Vietnamese folded correctly.

    "Ủy ban nhân dân" → "uy-ban-nhan-dan", "Đà Nẵng" → "da-nang". Wagtail's default
    turns đ into "dj" and Django's drops it; readers type the folded form.
    The slug is cut at a word boundary so that it never ends in half a syllable.
    """
    folded = fold_diacritics(text).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut[:max_length]
    return slug.strip("-")


def format_date_line(moment: datetime) -> str:
    """The portal's date line: "Thứ 6, 26.07.2019 | 17:30:59" (local time given)."""
    weekday = WEEKDAY_NAMES[moment.weekday()]
    return f"{weekday}, {moment:%d.%m.%Y} | {moment:%H:%M:%S}"


def format_short_date(moment: datetime) -> str:
    """A compact date for lists: "26/07/2019 17:30"."""
    return f"{moment:%d/%m/%Y %H:%M}"


def format_count(number: int) -> str:
    """Thousands separated by dots, as Vietnamese writes them: 11364 → "11.364"."""
    return f"{number:,}".replace(",", ".")


def format_figure(value: float) -> str:
    """A report's figure: 213661 → "213.661", 6104.6 → "6.104,6", -3 → "-3"."""
    if isinstance(value, float) and not value.is_integer():
        whole, decimals = f"{value:,.1f}".split(".")
        return f"{whole.replace(',', '.')},{decimals}"
    return format_count(int(value))


# The portal's "Thứ 6, 26.07.2019 | 17:30:59" and the variants old archives
# carry: "Thứ Năm, 16.07.2020 - 10:19:53", "THỨ SÁU, 22/10/2021 10:20:32",
# "Thứ ba, 26/8/2014, 11:04 (GMT+7)".
_DATE_LINE = re.compile(
    r"^\s*(?:(?P<weekday>thứ\s*(?:[2-7]|hai|ba|tư|năm|sáu|bảy)|chủ\s*nhật)\s*,?\s*)?"
    r"(?P<day>\d{1,2})[./-](?P<month>\d{1,2})[./-](?P<year>\d{4})"
    r"\s*(?:\|\s*|,\s*|[-–]\s*|\s+)"
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"\s*(?:\(?\s*GMT\s*(?P<offset>[+-]\d{1,2})(?::?00)?\s*\)?)?\s*$",
    re.IGNORECASE,
)
PORTAL_OFFSET = 7  # hours: Vietnam, where the old portals' clocks were


class DateLineError(ValueError):
    """The text looks like no date line we know, or names a day that doesn't exist."""


def looks_like_date_line(line: str) -> bool:
    return bool(_DATE_LINE.match(normalize_text(line)))


def parse_date_line(line: str) -> datetime:
    """Parse "Thứ 6, 26.07.2019 | 17:30:59" or "26/07/2019 | 17:30" to a naive datetime.

    The weekday name is decoration on the portal and is not checked: old archives
    carry wrong ones, and the date itself is what the newsroom published.
    """
    match = _DATE_LINE.match(normalize_text(line))
    if not match:
        raise DateLineError(f"không đọc được ngày giờ / unreadable date line: {line!r}")
    parts = {k: int(v) for k, v in match.groupdict().items() if v and k != "weekday"}
    try:
        moment = datetime(
            parts["year"],
            parts["month"],
            parts["day"],
            parts["hour"],
            parts["minute"],
            parts.get("second", 0),
        )
    except ValueError as exc:
        raise DateLineError(
            f"ngày giờ không tồn tại / no such date or time: {line.strip()!r}"
        ) from exc
    # A line that names another zone (GMT+0) is moved to Vietnam's time.
    offset = parts.get("offset", PORTAL_OFFSET)
    if not -12 <= offset <= 14:
        raise DateLineError(f"múi giờ lạ / odd time zone: {line.strip()!r}")
    return moment + timedelta(hours=PORTAL_OFFSET - offset)


_NUMBER = r"\d{1,3}(?:[.,]\d{3})+|\d+"
# "11,364 lượt xem", "11.364 lượt xem", "Lượt xem: 7370"
_VIEW_LINE = re.compile(
    rf"^\s*(?:(?P<before>{_NUMBER})\s+lượt\s+xem|lượt\s+xem\s*:?\s*(?P<after>{_NUMBER}))\s*$"
)


def parse_view_line(line: str) -> int | None:
    """ "11,364 lượt xem", "11.364 lượt xem", "Lượt xem: 7370" → the number;
    anything else → None."""
    match = _VIEW_LINE.match(normalize_text(line).lower())
    if not match:
        return None
    return int(re.sub(r"[.,]", "", match.group("before") or match.group("after")))
