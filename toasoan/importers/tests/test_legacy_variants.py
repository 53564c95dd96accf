"""Legacy text archives in their real-world variants (issue 11)."""

from datetime import datetime

import pytest

from toasoan.core.vietnamese import parse_date_line, parse_view_line
from toasoan.importers.services import import_text_article
from toasoan.importers.textformat import parse_text_article, repair_text
from toasoan.news.models import Article


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Thứ 3, 20/01/2015 | 16:25:05", datetime(2015, 1, 20, 16, 25, 5)),
        ("Thứ Năm, 16.07.2020 - 10:19:53", datetime(2020, 7, 16, 10, 19, 53)),
        ("THỨ SÁU, 22/10/2021 10:20:32", datetime(2021, 10, 22, 10, 20, 32)),
        ("Thứ ba, 26/8/2014, 11:04 (GMT+7)", datetime(2014, 8, 26, 11, 4)),
        (
            "Thứ ba, 26/8/2014, 04:04 (GMT+0)",
            datetime(2014, 8, 26, 11, 4),
        ),  # moved to +7
        ("Chủ nhật, 5/1/2014 – 07:00", datetime(2014, 1, 5, 7, 0)),
    ],
)
def test_date_lines_of_old_portals(line, expected):
    assert parse_date_line(line) == expected


@pytest.mark.parametrize(
    "line, views",
    [("11,364 lượt xem", 11364), ("11.364 lượt xem", 11364), ("Lượt xem: 7370", 7370),
     ("LƯỢT XEM 12", 12), ("lượt xem", None), ("Lượt xem: nhiều", None)],
)  # fmt: skip
def test_view_lines(line, views):
    assert parse_view_line(line) == views


def test_repairs_eth_for_d_and_glued_words_but_not_names_or_numbers():
    assert repair_text("ÐÀ NẴNG, ðà lạt") == "ĐÀ NẴNG, đà lạt"
    assert repair_text("Thái Bình.Sáng nay, tỉnhThái Bình họp.") == (
        "Thái Bình. Sáng nay, tỉnh Thái Bình họp."
    )
    kept = "iPhone, TikTok, YouTube, TP.HCM, 11.364 đồng, thaibinh.gov.vn"
    assert repair_text(kept) == kept


ARCHIVE = """Lễ hội Khai hạ đền Trần
Thứ Năm, 16.07.2020 - 10:19:53
Lượt xem: 7370
Sáng nay, tại đền Trần (Ðông Hưng), lễ hội khai mạc.Hàng nghìn du khách về dự.
Video: 20200716_LEHOI.mp4
Audio: 20200716_LEHOI_PT.mp3
Minh Hằng
"""


def test_an_archive_file_with_audio_video_views_and_old_date(tmp_path):
    parsed = parse_text_article(ARCHIVE)
    assert parsed.published_at == datetime(2020, 7, 16, 10, 19, 53)
    assert parsed.view_count == 7370
    assert parsed.video_filename == "20200716_LEHOI.mp4"
    assert parsed.audio_filename == "20200716_LEHOI_PT.mp3"
    assert parsed.paragraphs == [
        "Sáng nay, tại đền Trần (Đông Hưng), lễ hội khai mạc. Hàng nghìn du khách về dự."
    ]
    assert parsed.authors == ["Minh Hằng"]


@pytest.mark.django_db
def test_the_same_article_under_two_old_urls_is_kept_once_and_redirected(
    tmp_path, section, client
):
    first, second = tmp_path / "article-47082.txt", tmp_path / "article-51234.txt"
    first.write_text(ARCHIVE, "utf-8")
    second.write_text(ARCHIVE, "utf-8")
    kept = import_text_article(first, section)
    twin = import_text_article(second, section)
    assert twin.duplicate and twin.article.pk == kept.article.pk
    assert Article.objects.count() == 1
    for old in (
        "/tin-tuc/46/47082/le-hoi",
        "/tin-tuc/46/51234/le-hoi",
        "/news/46/51234",
    ):
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == kept.article.get_absolute_url()
    again = import_text_article(second, section)  # a second run changes nothing
    assert again.duplicate and Article.objects.count() == 1
    assert client.get("/tin-tuc/46/99999/").status_code == 404
