"""The seed format, parsed without a database."""

from datetime import datetime

import pytest

from toasoan.importers.legacy_encodings import _oddness
from toasoan.importers.textformat import (
    TextArticleError,
    decode_article_bytes,
    legacy_id_from_filename,
    parse_text_article,
    repair_text,
)

ARTICLE = """Hội nghị tổng kết năm

Chủ nhật, 28/07/2019 | 08:15:00
11,364 lượt xem

Đoạn một “trích dẫn” – gạch ngang…

Video: 73011_DEDIEU.mp4

Đoạn hai kết thúc./.

Minh Thu, Cao Biền

  • Từ khóa: Thái Bình, đê điều
nông thôn mới
"""


def test_every_part_is_read():
    article = parse_text_article(ARTICLE)
    assert article.title == "Hội nghị tổng kết năm"
    assert article.published_at == datetime(2019, 7, 28, 8, 15)
    assert article.view_count == 11364
    assert article.video_filename == "73011_DEDIEU.mp4"
    assert article.paragraphs == [
        "Đoạn một “trích dẫn” – gạch ngang…",
        "Đoạn hai kết thúc./.",
    ]
    assert article.authors == ["Minh Thu", "Cao Biền"]
    assert article.keywords == ["Thái Bình", "đê điều", "nông thôn mới"]


def test_seed_file_parses(seed_article_path):
    text = decode_article_bytes(seed_article_path.read_bytes(), 10**6)
    article = parse_text_article(text)
    assert article.title.startswith("Sơ kết công tác đấu tranh chống âm mưu")
    assert article.published_at == datetime(2019, 7, 26, 17, 30, 59)
    assert article.view_count == 264
    assert article.video_filename == "72619_OHAI1.mp4"
    assert article.authors == ["Cao Biền"]
    assert article.keywords == []
    assert len(article.paragraphs) == 6
    assert article.paragraphs[-1].endswith("các thế lực thù địch./.")


def test_view_line_is_optional():
    article = parse_text_article(
        "Tiêu đề\nThứ 2, 22.07.2019 | 08:00:00\nMột đoạn.\nTác Giả\n"
    )
    assert article.view_count == 0
    assert article.authors == ["Tác Giả"]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("   \n\n", 1, "empty"),
        ("Thứ 6, 26.07.2019 | 17:30:59\nNội dung.\n", 1, "no title"),
        ("\n\nTiêu đề\nhôm qua\nNội dung.\n", 4, "unreadable date"),
        ("Tiêu đề\nThứ 6, 31.02.2019 | 17:30:59\nNội dung.\n", 2, "no such date"),
        ("Tiêu đề\n", 2, "no date line"),
        ("Tiêu đề\nThứ 6, 26.07.2019 | 17:30:59\n264 lượt xem\n", 3, "no body"),
        ("T" * 301 + "\nThứ 6, 26.07.2019 | 17:30:59\nx.\n", 1, "title longer"),
    ],
)
def test_bad_articles_name_the_line(text, line, words):
    with pytest.raises(TextArticleError) as caught:
        parse_text_article(text)
    assert caught.value.line == line
    assert words in caught.value.message


@pytest.mark.parametrize(
    ("raw", "words", "line"),
    [
        (b"", "empty", 1),
        (b"Ti\xeau \xf0\xe8 line\n", "not UTF-8", 1),
        (b"Title\nline two \xff\n", "not UTF-8", 2),
        (b"PK\x03\x04\x00\x00zip", "binary", 1),
        (b"x" * 101, "too large", None),
    ],
)
def test_bad_bytes_are_refused_with_a_reason(raw, words, line):
    with pytest.raises(TextArticleError) as caught:
        decode_article_bytes(raw, max_bytes=100)
    assert words in caught.value.message
    assert caught.value.line == line


def test_text_is_normalised_to_nfc():
    nfd = "Nguye\u0302\u0303n\nThứ 6, 26.07.2019 | 17:30:59\nDie\u0302\u0303n bie\u0302\u0301n.\n"
    article = parse_text_article(decode_article_bytes(nfd.encode(), 1000))
    assert article.title == "Nguyễn"
    assert article.paragraphs == ["Diễn biến."]


def test_legacy_id_comes_from_the_file_name():
    assert legacy_id_from_filename("article-47082") == 47082
    assert legacy_id_from_filename("tin-moi") is None


@pytest.mark.parametrize(
    "text, repaired",
    [
        ("tỉnhThái Bình.Sáng nay", "tỉnh Thái Bình. Sáng nay"),
        ("iPhone và TikTok", "iPhone và TikTok"),
        ("TP.HCM, 11.364", "TP.HCM, 11.364"),
        (".Sáng", ".Sáng"),
        ("a中Bình", "a中 Bình"),  # a letter without case before the capital
        ("x𝐀 tỉnhThái", "x𝐀 tỉnh Thái"),  # beyond the Basic Multilingual Plane
        ("𝐚.Bình", "𝐚. Bình"),
    ],
)
def test_glued_words_and_sentences_are_parted(text, repaired):
    assert repair_text(text) == repaired


def test_oddness_counts_only_letters_foreign_to_vietnamese():
    assert _oddness("Hà Nội “mới” – 2019…") == 0.0
    assert _oddness("Hµ Néi") == 1 / 5
    assert _oddness("") == 0.0
