"""The review in the admin: only the Tổng biên tập and Quản trị see it."""

import json

import lxml.html
import pytest

from toasoan.newsroom import roles
from toasoan.reports.tests.test_reports import archive  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
PAGE = "/admin/bao-cao/"


def menu_labels(user) -> list[str]:
    """The admin menu as Wagtail builds it for this user (the page draws it
    with JavaScript, so it is read here from the menu itself)."""
    from django.test import RequestFactory
    from wagtail.admin.menu import admin_menu

    request = RequestFactory().get("/admin/")
    request.user = user
    return [str(item.label) for item in admin_menu.menu_items_for_request(request)]


@pytest.mark.parametrize("group", [roles.EDITOR_IN_CHIEF, roles.ADMINISTRATOR])
def test_editor_in_chief_and_administrator_read_the_review(log_in_as, archive, group):  # noqa: F811
    reader = log_in_as(group)
    assert "Báo cáo sơ kết" in menu_labels(reader.user)
    response = reader.get(PAGE, {"ky": "2019-H1"})
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content)
    assert page.cssselect(".period-review__title")[0].text == (
        "BÁO CÁO SƠ KẾT CÔNG TÁC THÔNG TIN 6 THÁNG ĐẦU NĂM 2019"
    )
    overview = {
        row.cssselect("th")[0].text: row.cssselect("td")[0].text
        for row in page.cssselect(".period-review__overview tr")
    }
    assert overview["Tin, bài đã đăng"] == "4"
    assert overview["Lượt xem trong kỳ"] == "220"
    assert len(page.cssselect("svg.views-chart")) == 2
    cells = [td.text_content() for td in page.cssselect("td")]
    assert "Ấn bản tiếng Việt" in cells and "Ấn bản tiếng Anh" in cells
    download = reader.get(PAGE, {"ky": "2019-H1", "format": "json"})
    assert download["Content-Disposition"] == (
        'attachment; filename="bao-cao-20190101-20190630.json"'
    )
    assert json.loads(download.content)["reach"]["views"] == 220
    docx = reader.get(PAGE, {"ky": "2019-H1", "format": "docx"})
    assert docx.content.startswith(b"PK")  # a zip: the Word document


@pytest.mark.parametrize("group", [roles.REPORTER, roles.EDITOR])
def test_reporters_and_editors_do_not(log_in_as, archive, group):  # noqa: F811
    reader = log_in_as(group)
    assert (
        "Báo cáo sơ kết"
        not in lxml.html.fromstring(reader.get("/admin/").content).text_content()
    )
    for params in ({"ky": "2019-H1"}, {"ky": "2019-H1", "format": "docx"}):
        response = reader.get(PAGE, params)
        assert response.status_code in (302, 403)
        assert b"PK" != response.content[:2]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"ky": "2019-H7"}, "Không hiểu kỳ báo cáo"),
        ({"tu": "2019-06-30", "den": "2019-01-01"}, "trước ngày bắt đầu"),
        ({"tu": "2000-01-01", "den": "2019-01-01"}, "quá 10 năm"),
        ({"tu": "<script>", "den": ""}, "Ngày không hợp lệ"),
        ({"ky": "x" * 10_000}, "Không hiểu kỳ báo cáo"),
    ],
)
def test_bad_periods_show_a_reason_not_an_error(log_in_as, params, message):
    reader = log_in_as(roles.EDITOR_IN_CHIEF)
    response = reader.get(PAGE, params)
    assert response.status_code == 200
    alert = lxml.html.fromstring(response.content).cssselect("[role=alert]")[0]
    assert message in alert.text_content()
    refused = reader.get(PAGE, {**params, "format": "docx"})
    assert refused["Content-Type"].startswith("text/html")  # no file for a bad period
