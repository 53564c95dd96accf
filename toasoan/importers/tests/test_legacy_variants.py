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


ARCHIVE_1998 = """Tỉnh Thái Bình tổng kết công tác thông tin năm 1998
Thứ 5, 31/12/1998 | 16:00
Sáng nay, Ủy ban nhân dân tỉnh họp tổng kết. Đồng chí Chủ tịch phát biểu: người dân đã được thông tin kịp thời về lũ lụt, dịch bệnh và giá lúa.
Quang Hưng
"""


@pytest.mark.parametrize(
    "encoding", ["TCVN3", "VNI", "TCVN3 read as Latin-1", "VNI read as Windows-1252"]
)
def test_tcvn3_and_vni_archives_are_detected_and_converted(tmp_path, section, encoding):
    from toasoan.importers.legacy_encodings import encode_tcvn3, encode_vni

    raw = {
        "TCVN3": lambda: encode_tcvn3(ARCHIVE_1998),
        "VNI": lambda: encode_vni(ARCHIVE_1998),
        # Once opened as Latin-1 / Windows-1252 and saved again as UTF-8.
        "TCVN3 read as Latin-1": lambda: (
            encode_tcvn3(ARCHIVE_1998).decode("latin-1").encode("utf-8")
        ),
        "VNI read as Windows-1252": lambda: (
            encode_vni(ARCHIVE_1998).decode("cp1252").encode("utf-8")
        ),
    }[encoding]()
    assert "Thái Bình".encode() not in raw  # really not Unicode any more
    path = tmp_path / "article-1998.txt"
    path.write_bytes(raw)
    article = import_text_article(path, section).article
    # TCVN3 has no toned capitals of its own (they were a font): "Ủy" comes back
    # as "ủy" there; everything else is exact.
    expected_title = "Tỉnh Thái Bình tổng kết công tác thông tin năm 1998"
    assert article.title == expected_title
    assert "người dân đã được thông tin kịp thời về lũ lụt" in article.body
    assert article.byline_names == ["Quang Hưng"]


def test_text_in_no_known_encoding_is_still_refused(tmp_path, section):
    from toasoan.importers.services import ImportFailed

    path = tmp_path / "article-2.txt"
    path.write_bytes(
        "Château près de la rivière\n26/07/2019 | 10:00\nTexte français.\n".encode(
            "latin-1"
        )
    )
    with pytest.raises(ImportFailed, match="không phải UTF-8, TCVN3 hay VNI"):
        import_text_article(path, section)
