"""The period review against an archive whose figures are known: every number
in the JSON, the CSV and the Word document, across period boundaries and a
year without data; and the command's refusals."""

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from docx import Document
from wagtail.models import Locale

from conftest import vn_time
from toasoan.audience.models import ArticleViewHour
from toasoan.news.models import Article

pytestmark = pytest.mark.django_db


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def archive(make_article, make_section, make_video, section):
    """Six months of 2019 with known figures (see the expected values below)."""
    culture = make_section("Văn hóa")
    local = make_section("Địa phương", parent=section)
    make_section("Kinh tế")  # publishes nothing: a gap the review must show
    english = Locale.objects.get_or_create(language_code="en")[0]
    election = make_article(
        "Bầu cử đại biểu Quốc hội", published_at=vn_time(2019, 3, 10, 9, 0),
        keywords=["Bầu cử", "Quốc hội"], video=make_video(duration=120),
    )  # fmt: skip
    # 23:59:59 on 30 June in Vietnam is 16:59:59 UTC: the first half still.
    festival = make_article(
        "Lễ hội Khai hạ", section=culture, authors=("Minh Hằng",),
        published_at=vn_time(2019, 6, 30, 23, 59, 59), keywords=["Lễ hội"],
        correction_note="Sửa ngày khai mạc.",
    )  # fmt: skip
    flood = make_article(
        "Lũ trên sông Hồng", section=local, authors=("Cao Biền", "Minh Hằng"),
        published_at=vn_time(2019, 1, 1, 0, 0), keywords=["Bầu cử"],
        video=make_video(duration=60),
    )  # fmt: skip
    Article.objects.filter(pk=flood.pk).update(withdrawn_at=timezone.now())
    # The 19h bulletin's video serves a second article too: one video, counted once.
    make_article(
        "Foreign investment", published_at=vn_time(2019, 4, 1, 10), locale=english,
        video=election.video,
    )  # fmt: skip
    make_article("Tháng Bảy", section=culture, published_at=vn_time(2019, 7, 1, 0, 0))
    last_year = make_article(
        "Cuối năm 2018", published_at=vn_time(2018, 12, 31, 23, 59, 59)
    )
    make_article("Bản nháp", publish=False, published_at=vn_time(2019, 2, 1))
    for article, hour, views in (
        (election, utc(2019, 3, 10, 2), 100),
        (election, utc(2019, 6, 30, 16), 50),  # 23:00 on 30 June in Vietnam
        (election, utc(2019, 6, 30, 17), 7),  # 00:00 on 1 July: the second half
        (festival, utc(2019, 6, 30, 16), 30),
        (last_year, utc(2019, 1, 5, 3), 40),  # an older article read in the period
        (last_year, utc(2018, 12, 31, 10), 25),
    ):
        ArticleViewHour.objects.create(article=article, hour=hour, views=views)
    return {"election": election, "festival": festival, "last_year": last_year}


EXPECTED_OUTPUT = {
    "published": 4,
    "by_section": [
        {"section": "Thời sự", "articles": 2},
        {"section": "Văn hóa", "articles": 1},
        {"section": "Địa phương", "articles": 1},
    ],
    "by_author": [
        {"author": "Cao Biền", "articles": 3},
        {"author": "Minh Hằng", "articles": 2},
    ],
    "by_kind": {"text": 1, "video": 3, "corrected": 1, "withdrawn": 1},
    "by_language": [
        {"language": "Tiếng Việt", "articles": 3},
        {"language": "Tiếng Anh", "articles": 1},
    ],
    "videos": 2,
    "video_minutes": 3.0,
}


def write_report(out, *args):
    """The report command as an editor runs it, its output to ``out``."""
    call_command(
        "report", *args, "-o", str(out), stdout=io.StringIO(), stderr=io.StringIO()
    )
    return out


def report_json(tmp_path, *args) -> dict:
    return json.loads(write_report(tmp_path / "bao-cao.json", *args).read_text("utf-8"))


def test_json_holds_every_figure_of_the_archive(tmp_path, archive):
    data = report_json(tmp_path, "--period", "2019-H1")
    assert (
        data["period"]["title"]
        == "BÁO CÁO SƠ KẾT CÔNG TÁC THÔNG TIN 6 THÁNG ĐẦU NĂM 2019"
    )
    output = data["output"]
    # Sections with equal counts come in name order ("Văn hóa" < "Địa phương" as text).
    assert output == EXPECTED_OUTPUT
    reach = data["reach"]
    assert reach["views"] == 220
    assert reach["by_section"] == [
        {"section": "Thời sự", "views": 190}, {"section": "Văn hóa", "views": 30},
    ]  # fmt: skip
    assert reach["by_kind"] == {"text": 70, "video": 150}
    assert [(a["title"], a["views"]) for a in reach["top_articles"]] == [
        ("Bầu cử đại biểu Quốc hội", 150), ("Cuối năm 2018", 40), ("Lễ hội Khai hạ", 30),
    ]  # fmt: skip
    assert reach["views_per_article"] == {"mean": 45.0, "median": 15.0}
    daily = {row["day"]: (row["published"], row["views"]) for row in data["daily"]}
    assert len(daily) == 181
    assert daily["2019-01-01"] == (1, 0)
    assert daily["2019-01-05"] == (0, 40)
    assert daily["2019-03-10"] == (1, 100)
    assert daily["2019-06-30"] == (1, 80)
    assert (
        sum(p for p, _ in daily.values()) == 4
        and sum(v for _, v in daily.values()) == 220
    )
    assert data["keywords"] == [
        {"keyword": "Bầu cử", "articles": 2}, {"keyword": "Lễ hội", "articles": 1},
        {"keyword": "Quốc hội", "articles": 1},
    ]  # fmt: skip
    assert data["silent_sections"] == ["Kinh tế"]

    previous = data["comparison"]["previous"]
    assert previous["period"]["name"] == "6 tháng cuối năm 2018"
    rows = {row["label"]: row for row in previous["rows"]}
    assert rows["Tin, bài đã đăng"] == {
        "label": "Tin, bài đã đăng", "now": 4, "before": 1, "difference": 3, "percent": 300.0,
    }  # fmt: skip
    assert rows["Lượt xem trong kỳ"]["before"] == 25
    assert rows["Lượt xem trong kỳ"]["percent"] == 780.0
    # The same half of 2018 had no data at all: no percentage, not a crash.
    empty_year = {
        row["label"]: row for row in data["comparison"]["year_before"]["rows"]
    }
    assert empty_year["Tin, bài đã đăng"] == {
        "label": "Tin, bài đã đăng", "now": 4, "before": 0, "difference": 4, "percent": None,
    }  # fmt: skip


def test_the_second_half_starts_at_vietnamese_midnight(tmp_path, archive):
    data = report_json(tmp_path, "--from", "2019-07-01", "--to", "2019-07-01")
    assert data["output"]["published"] == 1  # "Tháng Bảy", 00:00 on 1 July
    assert data["reach"]["views"] == 7
    assert data["period"]["title"] == (
        "BÁO CÁO CÔNG TÁC THÔNG TIN TỪ NGÀY 01/07/2019 ĐẾN NGÀY 01/07/2019"
    )


def test_a_year_without_data_gives_zeros_not_errors(tmp_path, archive):
    data = report_json(tmp_path, "--period", "2015")
    assert data["output"]["published"] == 0
    assert data["reach"]["views"] == 0
    assert data["reach"]["views_per_article"] == {"mean": 0.0, "median": 0.0}
    assert data["reach"]["top_articles"] == []
    assert all(row["percent"] is None for row in data["comparison"]["previous"]["rows"])


def test_csv_carries_the_same_figures(tmp_path, archive):
    out = write_report(tmp_path / "bao-cao.csv", "--period", "2019-H1")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the Vietnamese right
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == [
        "bảng",
        "mục",
        "số liệu",
        "kỳ so sánh",
        "chênh lệch",
        "tỷ lệ (%)",
    ]
    table = {(r[0], r[1]): r[2:] for r in rows[1:]}
    assert table[("Tổng quan", "Tin, bài đã đăng")] == ["4"]
    assert table[("Tổng quan", "Lượt xem trong kỳ")] == ["220"]
    assert table[("Tổng quan", "Lượt xem trung vị mỗi bài")] == ["15.0"]
    assert table[("Theo chuyên mục", "Địa phương")] == ["1"]
    assert table[("Theo tác giả", "Cao Biền")] == ["3"]
    assert table[("Theo loại", "Đã gỡ")] == ["1"]
    assert table[("Theo ấn bản ngôn ngữ", "Tiếng Anh")] == ["1"]
    assert table[("10 bài đọc nhiều nhất", "Bầu cử đại biểu Quốc hội")] == ["150"]
    assert table[("Theo ngày: lượt xem", "30/06/2019")] == ["80"]
    assert table[("So với kỳ trước (01/07/2018–31/12/2018)", "Tin, bài đã đăng")] == [
        "4",
        "1",
        "3",
        "300.0",
    ]
    assert table[
        ("So với cùng kỳ năm trước (01/01/2018–30/06/2018)", "Lượt xem trong kỳ")
    ] == ["220", "0", "220", ""]
    assert table[("Từ khóa dùng nhiều", "Bầu cử")] == ["2"]
    assert table[("Chuyên mục không có tin, bài", "Kinh tế")] == ["0"]


def docx_text(path) -> tuple[list[str], list[list[str]], int]:
    document = Document(str(path))
    paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
    tables = [
        [cell.text for cell in row.cells]
        for table in document.tables
        for row in table.rows
    ]
    images = len(document.inline_shapes)
    return paragraphs, tables, images


def test_word_document_is_an_administrative_report_that_libreoffice_opens(
    tmp_path, archive, home
):
    from toasoan.core.models import PressSettings

    PressSettings.objects.update_or_create(
        site=home.get_site(),
        defaults={
            "outlet_name": "Đài Phát thanh và Truyền hình Thái Bình", "short_name": "TBTV",
            "governing_agency": "Ủy ban nhân dân tỉnh Thái Bình", "editor_in_chief": "Nguyễn Văn A",
        },
    )  # fmt: skip
    out = write_report(tmp_path / "bao-cao.docx", "--period", "2019-H1")
    paragraphs, rows, images = docx_text(out)
    assert "BÁO CÁO SƠ KẾT CÔNG TÁC THÔNG TIN 6 THÁNG ĐẦU NĂM 2019" in paragraphs
    assert "I. KẾT QUẢ CÔNG TÁC THÔNG TIN" in paragraphs
    assert "II. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI" in paragraphs
    assert any(
        "đã đăng 4 tin, bài, trong đó 3 tin, bài có video; 2 video với tổng thời lượng 3 phút"
        in p
        for p in paragraphs
    )
    assert any(
        "Trong kỳ có 220 lượt xem" in p
        and "trung bình 45 lượt (trung vị 15 lượt)" in p
        and "Tin, bài viết được xem 70 lượt, tin, bài có video 150 lượt." in p
        for p in paragraphs
    )
    header = rows[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1]
    assert "Độc lập - Tự do - Hạnh phúc" in header[1]
    assert "ĐÀI PHÁT THANH VÀ TRUYỀN HÌNH THÁI BÌNH" in header[0]
    assert ["1", "Thời sự", "2"] in rows
    assert ["4", "Đã gỡ", "1"] in rows
    assert ["5", "Ấn bản tiếng Việt", "3"] in rows
    assert ["6", "Ấn bản tiếng Anh", "1"] in rows
    assert ["1", "Thời sự", "190"] in rows
    assert ["1", "Bầu cử đại biểu Quốc hội", "10/03/2019", "150"] in rows
    assert ["1", "Tin, bài đã đăng", "4", "1", "3", "+300%"] in rows
    assert ["1", "Tin, bài đã đăng", "4", "0", "4", "–"] in rows
    assert ["1", "Bầu cử", "2"] in rows
    assert any("Kinh tế." in p for p in paragraphs)
    assert images == 2  # the daily charts
    assert any("Nguyễn Văn A" in cell for row in rows for cell in row)

    soffice = shutil.which("soffice")
    if soffice is None:
        message = (
            "LibreOffice is not installed (apt-get install libreoffice-writer-nogui)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    pdf = (tmp_path / "bao-cao.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000


@pytest.mark.parametrize(
    "args, message, code",
    [
        (["--from", "2019-06-30", "--to", "2019-01-01"], "trước ngày bắt đầu", 2),
        (["--from", "2005-01-01", "--to", "2019-01-01"], "quá 10 năm", 2),
        (["--period", "2019-H3"], "Không hiểu kỳ báo cáo", 2),
        (["--period", "2019", "--from", "2019-01-01"], "không cả hai", 2),
        (["--from", "2019-01-01"], "Cần --period", 2),
        (["--from", "2019-02-30", "--to", "2019-03-01"], "Ngày không hợp lệ", 2),
        (["--period", "2019", "--format", "xlsx"], "invalid choice", None),
    ],
)
def test_bad_input_is_refused_with_a_reason_and_no_file(
    tmp_path, home, args, message, code
):
    out = tmp_path / "bao-cao.docx"
    with pytest.raises((CommandError, SystemExit)) as refused:
        call_command(
            "report", *args, "-o", str(out), stderr=io.StringIO(), stdout=io.StringIO()
        )
    if code is not None:
        assert message in str(refused.value)
        assert refused.value.returncode == code
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_output_leaves_nothing_behind(tmp_path, archive):
    not_a_folder = tmp_path / "ghi-chu.txt"
    not_a_folder.write_text("x")
    with pytest.raises(CommandError, match="Thư mục không tồn tại"):
        call_command(
            "report",
            "--period",
            "2019",
            "-o",
            str(not_a_folder / "r.docx"),
            stderr=io.StringIO(),
        )
    folder = tmp_path / "bao-cao.docx"
    folder.mkdir()  # a folder where the file should go: the rename fails
    with pytest.raises(CommandError, match="Không ghi được") as refused:
        call_command(
            "report", "--period", "2019", "-o", str(folder), stderr=io.StringIO()
        )
    assert refused.value.returncode == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bao-cao.docx", "ghi-chu.txt"]
    assert list(folder.iterdir()) == []
    old = tmp_path / "cu.json"
    old.write_text("báo cáo cũ")
    with pytest.raises(CommandError):
        call_command("report", "--period", "2019", "--format", "xlsx", "-o", str(old))
    assert old.read_text() == "báo cáo cũ"


def test_the_command_exits_non_zero_with_one_line(tmp_path, home):
    done = subprocess.run(
        [sys.executable, "-m", "toasoan", "report", "--period", "2019-H9", "-o", str(tmp_path / "r.json")],
        capture_output=True, text=True, env={**os.environ, "DJANGO_SETTINGS_MODULE": "toasoan.settings.test"},
    )  # fmt: skip
    assert done.returncode == 2
    assert "Không hiểu kỳ báo cáo" in done.stderr and "unknown period" in done.stderr
    assert not (tmp_path / "r.json").exists()
