"""Vietnamese text as the index sees it (pure functions, no database)."""

import pytest

from toasoan.search.syllables import (
    canonical_syllable,
    clean_text,
    is_syllable,
    syllable_keys,
    syllables,
    unify_i_y,
)
from toasoan.search.typing import convert_typing


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("hoà", "hòa"), ("thuỷ", "thủy"), ("khoẻ", "khỏe"), ("cuả", "của"),
        ("khủyu", "khuỷu"), ("ngòai", "ngoài"), ("hoàn", "hoàn"), ("quà", "quà"),
        ("giá", "giá"), ("gì", "gì"), ("người", "người"), ("ngừơi", "người"),
        ("Uỷ", "Ủy"), ("José", "José"), ("café", "café"),
    ],
)  # fmt: skip
def test_tone_mark_goes_where_the_rule_puts_it(written, canonical):
    assert canonical_syllable(written) == canonical


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("kỹ", "kĩ", True), ("lý", "lí", True), ("tỷ", "tỉ", True), ("quy", "qui", True),
        ("hy", "hi", True), ("Mỹ", "mĩ", True), ("tuy", "tui", False), ("y", "i", False),
        ("Đà", "Ðà", True), ("hòa", "hoà", True), ("mã", "ma", False),
    ],
)  # fmt: skip
def test_exact_keys_unify_only_what_vietnamese_allows(a, b, same):
    assert (syllable_keys(clean_text(a))[1] == syllable_keys(clean_text(b))[1]) is same


def test_y_stays_in_y_te():
    assert unify_i_y("y") == "y"
    assert [s.folded for s in syllables("y tế")] == ["y", "te"]


def test_folded_and_exact_keys_are_ascii():
    folded, exact = syllable_keys("Nẵng")
    assert (folded, exact) == ("nang", "na84ng")
    assert syllable_keys("người") == ("nguoi", "ngu7o72i")
    assert syllable_keys("ĐẮK") == ("dak", "d9a81k")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hà\u200bNội", ["Hà", "Nội"]),  # ZWSP between syllables is a space
        ("Nguy\u200bễn Thị", ["Nguyễn", "Thị"]),  # inside a syllable, it is nothing
        ("\ufeffHà\u200dNội", ["Hà", "Nội"]),
        ("kh\u00adỏe", ["khỏe"]),
        ("HàNội", ["Hà", "Nội"]),  # glued where HTML was stripped
        ("ASEAN ĐẮK LẮK iPhone", ["ASEAN", "ĐẮK", "LẮK", "iPhone"]),
        ("COVID-19", ["COVID", "19"]),
        ("10\u202f000 tỷ", ["10", "000", "tỷ"]),
        ("H’Mông", ["H'Mông"]),
    ],
)
def test_text_is_cut_into_the_syllables_a_reader_sees(text, expected):
    assert [s.text for s in syllables(clean_text(text))] == expected


def test_syllable_check():
    assert is_syllable("nguyễn") and is_syllable("khuỷu") and is_syllable("gì")
    assert (
        not is_syllable("fox") and not is_syllable("jose") and not is_syllable("xyzw")
    )


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("hoaf binhf", "hòa bình"), ("ddaf nawxng", "đà nẵng"), ("hoa2 bi2nh", "hòa bình"),
        ("vieetj nam", "việt nam"), ("nguwowif", "người"), ("thuyr", "thủy"),
        ("ddoongf nai", "đồng nai"), ("fox", None), ("hello world", None), ("ha noi", None),
    ],
)  # fmt: skip
def test_telex_and_vni_typing_is_read(typed, meant):
    assert convert_typing(typed) == meant


@pytest.mark.parametrize(
    ("glued", "expected"),
    [
        ("ngườidân", ["người", "dân"]),
        ("thànhphốHồChíMinh", ["thành", "phố", "Hồ", "Chí", "Minh"]),
        ("hòabình", ["hòa", "bình"]),
        ("ĐẮKLẮK", ["ĐẮK", "LẮK"]),
        ("tiếngAnh", ["tiếng", "Anh"]),
        ("McDonald", ["McDonald"]),
    ],
)
def test_syllables_glued_by_stripped_html_come_apart(glued, expected):
    assert [s.text for s in syllables(clean_text(glued))] == expected


def test_first_match_finds_the_first_real_syllable_quickly():
    from toasoan.search.syllables import first_match

    text = clean_text("Khoa học kỹ thuật ở HàNội và Hòa Bình; hoa nở.")
    assert first_match(text, {"hoa"}).text == "Hòa"  # not inside "Khoa"
    assert first_match(text, {"ki"}).text == "kỹ"  # kĩ = kỹ
    assert first_match(text, {"noi"}).text == "Nội"  # inside a glued word
    assert first_match(text, set(), ("thu",)).text == "thuật"
    assert first_match(text, {"hoan"}) is None
    assert first_match(text, set()) is None
