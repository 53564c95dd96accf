"""The admin's audience page: views over time, by hour, top articles, CSV."""

import csv
import io
from datetime import datetime, timedelta

import lxml.etree
import lxml.html
import pytest
from django.utils import timezone

from conftest import VIETNAM
from toasoan.audience.analytics import Scope, audience, clamp_range
from toasoan.audience.models import ArticleViewHour

pytestmark = pytest.mark.django_db


@pytest.fixture
def readings(make_article, make_section, section):
    culture = make_section("Văn hóa")
    storm = make_article("Bão số 3 đổ bộ")
    festival = make_article("Lễ hội chùa Keo", section=culture, authors=("Minh Hằng",))
    day = timezone.localdate() - timedelta(days=2)
    at = lambda hour: datetime(day.year, day.month, day.day, hour, tzinfo=VIETNAM)  # noqa: E731
    ArticleViewHour.objects.create(article=storm, hour=at(7), views=1_200)
    ArticleViewHour.objects.create(article=storm, hour=at(20), views=300)
    ArticleViewHour.objects.create(article=festival, hour=at(20), views=45)
    return {"storm": storm, "festival": festival, "culture": culture, "day": day}


def test_figures_per_day_hour_and_article(readings):
    start, end = clamp_range(None, None, timezone.localdate())
    figures = audience(start, end, Scope())
    assert figures.total == 1_545
    assert dict(figures.by_day)[readings["day"]] == 1_545
    assert dict(figures.by_hour)[7] == 1_200 and dict(figures.by_hour)[20] == 345
    assert [(a.title, n) for a, n in figures.top_articles] == [
        ("Bão số 3 đổ bộ", 1_500),
        ("Lễ hội chùa Keo", 45),
    ]
    culture = audience(start, end, Scope(section=readings["culture"]))
    assert culture.total == 45
    by_author = audience(start, end, Scope(author_slug="minh-hang"))
    assert by_author.total == 45
    one = audience(start, end, Scope(article=readings["storm"]))
    assert one.total == 1_500 and dict(one.by_hour)[20] == 300


def test_the_page_filters_by_author_and_article(admin_client, readings):
    def total(params) -> str:
        response = admin_client.get("/admin/luot-xem/", params)
        page = lxml.html.fromstring(response.content)
        return page.cssselect(".audience-total")[0].text_content()

    assert "45 lượt xem" in total({"author": "minh-hang"})
    assert "1.500 lượt xem" in total({"article": readings["storm"].pk})
    assert "45 lượt xem" in total({"section": readings["culture"].pk})


def test_the_page_draws_svg_charts_and_exports_csv(admin_client, readings):
    response = admin_client.get("/admin/luot-xem/")
    page = lxml.html.fromstring(response.content)
    assert "1.545 lượt xem" in page.cssselect(".audience-total")[0].text_content()
    charts = [lxml.etree.tostring(svg) for svg in page.cssselect("svg.views-chart")]
    assert len(charts) == 2
    for chart in charts:
        svg = lxml.etree.fromstring(chart)  # well-formed
        assert svg.get("role") == "img" and svg.get("aria-label")
    rows = list(
        csv.reader(
            io.StringIO(
                admin_client.get("/admin/luot-xem/", {"format": "csv"}).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert rows[0] == ["ngày", "mã bài", "tiêu đề", "chuyên mục", "lượt xem"]
    assert [r[2:] for r in rows[1:]] == [
        ["Bão số 3 đổ bộ", "Thời sự", "1500"],
        ["Lễ hội chùa Keo", "Văn hóa", "45"],
    ]


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2026-13-45", "to": "không phải ngày"},
        {"from": "2030-01-01", "to": "2020-01-01"},
        {"from": "1900-01-01"},
        {"section": "999999999999999999999", "article": "-1", "author": "<b>x</b>"},
        {"section": "abc", "format": "xml"},
    ],
)
def test_bad_filters_give_a_normal_page(admin_client, readings, params):
    response = admin_client.get("/admin/luot-xem/", params)
    assert response.status_code == 200
    assert (
        "<script>"
        not in response.content.decode()
        .split("</head>")[1]
        .replace("<script src", "")
        .split("<script")[0]
    )
