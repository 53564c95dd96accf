"""The English edition's date lines and counts, as British-style news sites
write them. Pure functions with no Django imports, like vietnamese.py."""

from __future__ import annotations

from datetime import datetime

WEEKDAY_NAMES = (
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
)  # fmt: skip
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)  # fmt: skip


def format_date_line(moment: datetime) -> str:
    """ "Friday, 26 July 2019, 17:30" (local time given). Month names are
    written here, not by strftime, whose names follow the server's C locale."""
    weekday = WEEKDAY_NAMES[moment.weekday()]
    month = MONTH_NAMES[moment.month - 1]
    return f"{weekday}, {moment.day} {month} {moment.year}, {moment:%H:%M}"


def format_short_date(moment: datetime) -> str:
    """A compact date for lists: "26 Jul 2019, 17:30"."""
    month = MONTH_NAMES[moment.month - 1][:3]
    return f"{moment.day} {month} {moment.year}, {moment:%H:%M}"


def format_count(number: int) -> str:
    """Thousands separated by commas: 11364 → "11,364"."""
    return f"{number:,}"
