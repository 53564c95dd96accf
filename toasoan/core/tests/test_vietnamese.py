from datetime import datetime

import pytest

from toasoan.core.vietnamese import (
    DateLineError,
    fold_diacritics,
    format_count,
    format_date_line,
    normalize_text,
    parse_date_line,
    parse_view_line,
    slugify_vi,
)


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Đà Nẵng", "da-nang"),
        ("Ủy ban nhân dân", "uy-ban-nhan-dan"),
        ("ĐẢNG BỘ TỈNH", "dang-bo-tinh"),
        ("Ðê điều", "de-dieu"),  # U+00D0 look-alike for Đ
        (
            "Sơ kết công tác “Diễn biến hòa bình” – 6 tháng…",
            "so-ket-cong-tac-dien-bien-hoa-binh-6-thang",
        ),
        ("Nguye\u0302\u0303n Va\u0306n An", "nguyen-van-an"),  # NFD input
        ("kh\u00adỏe", "khoe"),  # soft hyphen inside a syllable
        ("!!!", ""),
    ],
)
def test_slug_folds_vietnamese_to_ascii(title, slug):
    assert slugify_vi(title) == slug


def test_long_slug_is_cut_at_a_word_boundary():
    slug = slugify_vi("Hội nghị " * 30, max_length=40)
    assert len(slug) <= 40
    assert set(slug.split("-")) == {"hoi", "nghi"}  # no syllable cut in half


def test_fold_diacritics_keeps_case_and_spaces():
    assert fold_diacritics("Đà Nẵng đón khách") == "Da Nang don khach"


@pytest.mark.parametrize(
    ("moment", "line"),
    [
        (datetime(2019, 7, 26, 17, 30, 59), "Thứ 6, 26.07.2019 | 17:30:59"),
        (datetime(2019, 7, 22, 8, 0, 0), "Thứ 2, 22.07.2019 | 08:00:00"),
        (datetime(2019, 7, 27, 23, 59, 1), "Thứ 7, 27.07.2019 | 23:59:01"),
        (datetime(2019, 7, 28, 6, 5, 9), "Chủ nhật, 28.07.2019 | 06:05:09"),
    ],
)
def test_date_line_matches_the_portal(moment, line):
    assert format_date_line(moment) == line


@pytest.mark.parametrize(
    "line",
    [
        "Thứ 6, 26.07.2019 | 17:30:59",
        "Thứ 6, 26/07/2019 | 17:30:59",
        "  thứ sáu, 26/07/2019 | 17:30:59 ",
        "26/07/2019 17:30:59",
    ],
)
def test_date_line_variants_parse(line):
    assert parse_date_line(line) == datetime(2019, 7, 26, 17, 30, 59)


def test_date_line_without_seconds():
    assert parse_date_line("Chủ nhật, 28.07.2019 | 06:05") == datetime(
        2019, 7, 28, 6, 5
    )


@pytest.mark.parametrize(
    "line",
    ["", "hôm qua", "Thứ 6, 32.13.2019 | 17:30:59", "Thứ 6, 26.07.2019 | 25:00:00"],
)
def test_bad_date_lines_raise(line):
    with pytest.raises(DateLineError):
        parse_date_line(line)


@pytest.mark.parametrize(
    ("line", "views"),
    [
        ("264 lượt xem", 264),
        ("11,364 lượt xem", 11364),
        ("11.364 lượt xem", 11364),
        ("1.234.567 lượt xem", 1234567),
        ("0 lượt xem", 0),
    ],
)
def test_view_lines_parse_with_thousand_separators(line, views):
    assert parse_view_line(line) == views


@pytest.mark.parametrize(
    "line", ["lượt xem", "12,34 lượt xem", "264 views", "-5 lượt xem"]
)
def test_other_lines_are_not_view_lines(line):
    assert parse_view_line(line) is None


def test_count_uses_dots_for_thousands():
    assert format_count(264) == "264"
    assert format_count(11364) == "11.364"


def test_normalize_text_is_nfc_without_bom_or_crlf():
    assert normalize_text("\ufeffNgo\u0302 \r\nx") == "Ngô \nx"


def test_report_figures_are_written_the_vietnamese_way():
    from toasoan.core.vietnamese import format_figure

    assert format_figure(213661) == "213.661"
    assert format_figure(6104.6) == "6.104,6"
    assert format_figure(15.0) == "15"
    assert format_figure(-1234) == "-1.234"
    assert format_figure(2.5) == "2,5"
