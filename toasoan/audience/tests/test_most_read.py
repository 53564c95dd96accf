""" "Đọc nhiều" on the home and section pages: 24 hours, 7 days and 30 days, from
the hourly views, kept ready by the worker."""

import uuid
from datetime import timedelta

import lxml.html
import pytest
from django.core.cache import cache
from django.utils import timezone

from toasoan.audience.models import ArticleViewHour
from toasoan.audience.most_read import refresh_most_read

pytestmark = pytest.mark.django_db


def most_read(client, address: str) -> dict[str, list[str]]:
    """The lists as a reader sees them: period → titles. A new address each
    time, so the page cache cannot answer with an earlier rendering."""
    response = client.get(f"{address}?lan={uuid.uuid4().hex}")
    assert response.status_code == 200
    box = lxml.html.fromstring(response.content).cssselect(".most-read")[0]
    periods = [h.text_content() for h in box.cssselect(".most-read__period")]
    lists = [
        [a.text_content() for a in ol.cssselect("a")] for ol in box.cssselect("ol")
    ]
    return dict(zip(periods, lists, strict=True))


@pytest.fixture
def reads(make_article, make_section, section):
    """Reads an hour, three days and twenty days ago; the imported totals
    (view_count) say otherwise and must not matter."""
    culture = make_section("Văn hóa")
    festival = make_section("Lễ hội", parent=culture)
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    articles = {
        "storm": make_article("Bão số 3 đổ bộ", view_count=1),
        "flood": make_article("Lũ trên sông Hồng", view_count=99_999),
        "keo": make_article("Lễ hội chùa Keo", section=festival),
        "cheo": make_article("Hội diễn chèo", section=culture),
    }
    for name, ago, views in (
        ("storm", timedelta(hours=1), 300),
        ("keo", timedelta(hours=2), 40),
        ("flood", timedelta(days=3), 900),
        ("cheo", timedelta(days=20), 5_000),
    ):
        ArticleViewHour.objects.create(
            article=articles[name], hour=hour - ago, views=views
        )
    cache.clear()  # lists from an earlier test's archive
    return {"culture": culture, **articles}


def test_home_lists_the_most_read_of_each_period(client, reads):
    assert most_read(client, "/") == {
        "24 giờ": ["Bão số 3 đổ bộ", "Lễ hội chùa Keo"],
        "7 ngày": ["Lũ trên sông Hồng", "Bão số 3 đổ bộ", "Lễ hội chùa Keo"],
        "30 ngày": [
            "Hội diễn chèo",
            "Lũ trên sông Hồng",
            "Bão số 3 đổ bộ",
            "Lễ hội chùa Keo",
        ],
    }


def test_a_section_lists_its_own_and_its_subsections_reads(client, reads):
    assert most_read(client, reads["culture"].url) == {
        "24 giờ": ["Lễ hội chùa Keo"],
        "7 ngày": ["Lễ hội chùa Keo"],
        "30 ngày": ["Hội diễn chèo", "Lễ hội chùa Keo"],
    }


def test_pages_read_the_lists_the_worker_keeps_ready(client, reads):
    """The worker's minute refresh computes the lists; pages only read them, so
    new reads appear at the next refresh, not on every page."""
    assert refresh_most_read() >= 3 * 3  # three periods, site and each section
    ArticleViewHour.objects.filter(article=reads["keo"]).update(views=10_000)
    assert most_read(client, "/")["24 giờ"] == ["Bão số 3 đổ bộ", "Lễ hội chùa Keo"]
    refresh_most_read()
    assert most_read(client, "/")["24 giờ"] == ["Lễ hội chùa Keo", "Bão số 3 đổ bộ"]
