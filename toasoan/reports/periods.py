"""Report periods as a Vietnamese newsroom names them: quý I–IV, 6 tháng đầu năm,
6 tháng cuối năm, cả năm, or any range of days; the title of the report each
gives; the periods it is compared with. Pure Python: days, not instants (the
database layer turns a day into Vietnam's midnight)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MAX_YEARS = 10
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class PeriodError(ValueError):
    """A period no report can be made for; the message is Vietnamese / English."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    name: str  # "6 tháng đầu năm 2019"
    kind: str = "custom"  # quarter, first-half, second-half, year, custom

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def title(self) -> str:
        """The report's title line, in capitals as administrative reports write it."""
        if self.kind in ("first-half", "second-half"):
            return f"BÁO CÁO SƠ KẾT CÔNG TÁC THÔNG TIN {self.name.upper()}"
        if self.kind == "year":
            return f"BÁO CÁO TỔNG KẾT CÔNG TÁC THÔNG TIN {self.name.upper()}"
        return f"BÁO CÁO CÔNG TÁC THÔNG TIN {self.name.upper()}"

    def previous(self) -> Period:
        """The period of the same length just before this one (a preset's
        predecessor is the preset before it: Q1 before Q2, H1 before H2)."""
        if self.kind == "quarter":
            year, quarter = self.start.year, (self.start.month - 1) // 3 + 1
            return (
                quarter_of(year - 1, 4)
                if quarter == 1
                else quarter_of(year, quarter - 1)
            )
        if self.kind == "first-half":
            return half_of(self.start.year - 1, 2)
        if self.kind == "second-half":
            return half_of(self.start.year, 1)
        if self.kind == "year":
            return year_of(self.start.year - 1)
        end = self.start - timedelta(days=1)
        return custom(end - timedelta(days=self.days - 1), end)

    def year_before(self) -> Period:
        """The same days a year earlier (29 February becomes the 28th)."""
        if self.kind == "quarter":
            return quarter_of(self.start.year - 1, (self.start.month - 1) // 3 + 1)
        if self.kind in ("first-half", "second-half"):
            return half_of(self.start.year - 1, 1 if self.kind == "first-half" else 2)
        if self.kind == "year":
            return year_of(self.start.year - 1)
        return custom(_a_year_before(self.start), _a_year_before(self.end))


def _a_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def quarter_of(year: int, quarter: int) -> Period:
    start = date(year, 3 * quarter - 2, 1)
    following = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return Period(
        start,
        following - timedelta(days=1),
        f"quý {ROMAN[quarter]} năm {year}",
        "quarter",
    )


def half_of(year: int, half: int) -> Period:
    if half == 1:
        return Period(
            date(year, 1, 1), date(year, 6, 30), f"6 tháng đầu năm {year}", "first-half"
        )
    return Period(
        date(year, 7, 1), date(year, 12, 31), f"6 tháng cuối năm {year}", "second-half"
    )


def year_of(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), f"năm {year}", "year")


def custom(start: date, end: date) -> Period:
    if end < start:
        raise PeriodError(
            f"Ngày kết thúc {end:%d/%m/%Y} trước ngày bắt đầu {start:%d/%m/%Y} / "
            "the end is before the start"
        )
    if end >= _years_after(start, MAX_YEARS):
        raise PeriodError(
            f"Khoảng thời gian quá {MAX_YEARS} năm / "
            f"the range is over {MAX_YEARS} years"
        )
    return Period(start, end, f"từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}")


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


PRESET = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<half>H[12])|(?P<quarter>Q[1-4])))?$")


def parse_preset(text: str) -> Period:
    """ "2019-H1", "2019-H2", "2019-Q3", "2019" → the period."""
    found = PRESET.match((text or "").strip().upper())
    if not found or not 1900 <= int(found["year"]) <= 2999:
        raise PeriodError(
            f"Không hiểu kỳ báo cáo “{text}”: dùng 2019, 2019-H1, 2019-H2 "
            "hoặc 2019-Q1…Q4 / unknown period: use 2019, 2019-H1, 2019-H2 or "
            "2019-Q1…Q4"
        )
    year = int(found["year"])
    if found["half"]:
        return half_of(year, int(found["half"][1]))
    if found["quarter"]:
        return quarter_of(year, int(found["quarter"][1]))
    return year_of(year)


def parse_day(text: str) -> date:
    """ "2019-06-30" or "30/06/2019" → a day; anything else is a PeriodError."""
    text = (text or "").strip()
    for pattern, order in (
        (r"(\d{4})-(\d{1,2})-(\d{1,2})", "ymd"),
        (r"(\d{1,2})/(\d{1,2})/(\d{4})", "dmy"),
    ):
        found = re.fullmatch(pattern, text)
        if found:
            parts = dict(zip(order, map(int, found.groups()), strict=True))
            try:
                return date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                break
    raise PeriodError(f"Ngày không hợp lệ “{text}” (YYYY-MM-DD) / invalid date")
