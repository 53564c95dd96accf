"""Report periods: presets, titles, the periods compared with, bad ranges."""

from datetime import date

import pytest

from toasoan.reports.periods import PeriodError, custom, parse_day, parse_preset


@pytest.mark.parametrize(
    "text, start, end, title",
    [
        ("2019-H1", date(2019, 1, 1), date(2019, 6, 30),
         "BÁO CÁO SƠ KẾT CÔNG TÁC THÔNG TIN 6 THÁNG ĐẦU NĂM 2019"),
        ("2019-h2", date(2019, 7, 1), date(2019, 12, 31),
         "BÁO CÁO SƠ KẾT CÔNG TÁC THÔNG TIN 6 THÁNG CUỐI NĂM 2019"),
        ("2019-Q3", date(2019, 7, 1), date(2019, 9, 30),
         "BÁO CÁO CÔNG TÁC THÔNG TIN QUÝ III NĂM 2019"),
        ("2020-Q1", date(2020, 1, 1), date(2020, 3, 31),
         "BÁO CÁO CÔNG TÁC THÔNG TIN QUÝ I NĂM 2020"),
        (" 2019 ", date(2019, 1, 1), date(2019, 12, 31),
         "BÁO CÁO TỔNG KẾT CÔNG TÁC THÔNG TIN NĂM 2019"),
    ],
)  # fmt: skip
def test_presets(text, start, end, title):
    period = parse_preset(text)
    assert (period.start, period.end, period.title) == (start, end, title)


def test_compared_periods():
    h1 = parse_preset("2019-H1")
    assert (h1.previous().start, h1.previous().end) == (
        date(2018, 7, 1),
        date(2018, 12, 31),
    )
    assert h1.year_before().name == "6 tháng đầu năm 2018"
    assert parse_preset("2019-Q1").previous().name == "quý IV năm 2018"
    assert parse_preset("2019-Q3").previous().name == "quý II năm 2019"
    assert parse_preset("2019-H2").previous().name == "6 tháng đầu năm 2019"
    span = custom(date(2020, 2, 20), date(2020, 3, 1))  # 11 days, over 29 February
    assert (span.previous().start, span.previous().end) == (
        date(2020, 2, 9),
        date(2020, 2, 19),
    )
    leap = custom(date(2020, 2, 29), date(2020, 2, 29)).year_before()
    assert (leap.start, leap.end) == (date(2019, 2, 28), date(2019, 2, 28))
    assert custom(date(2019, 1, 1), date(2019, 3, 15)).title == (
        "BÁO CÁO CÔNG TÁC THÔNG TIN TỪ NGÀY 01/01/2019 ĐẾN NGÀY 15/03/2019"
    )


@pytest.mark.parametrize(
    "text", ["2019-H3", "2019-Q5", "19", "năm ngoái", "", "2019-Q1; DROP", "0999"]
)
def test_unknown_presets_are_refused_in_two_languages(text):
    with pytest.raises(PeriodError, match="Không hiểu kỳ báo cáo.*unknown period"):
        parse_preset(text)


def test_bad_ranges_and_days():
    with pytest.raises(PeriodError, match="trước ngày bắt đầu.*before the start"):
        custom(date(2019, 6, 30), date(2019, 1, 1))
    with pytest.raises(PeriodError, match="quá 10 năm.*over 10 years"):
        custom(date(2009, 1, 1), date(2019, 1, 1))
    assert custom(date(2009, 1, 2), date(2019, 1, 1)).days == 3652  # ten years exactly
    assert parse_day("30/06/2019") == parse_day("2019-06-30") == date(2019, 6, 30)
    for bad in ("2019-02-30", "30-06-2019", "hôm nay", "2019-06-30T00:00"):
        with pytest.raises(PeriodError, match="Ngày không hợp lệ"):
            parse_day(bad)
