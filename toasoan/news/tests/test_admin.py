"""Editors work on articles in Wagtail's admin, in Vietnamese."""

import pytest
from django.contrib.auth import get_user_model

from conftest import draftail, formsets
from toasoan.news.models import Article, Keyword

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    user = get_user_model().objects.create_superuser("bientap", "b@example.vn", "x")
    client.force_login(user)
    return client


def test_admin_speaks_vietnamese_and_lists_articles(editor_client, make_article):
    article = make_article("Tin trong trang quản trị")
    listing = editor_client.get("/admin/snippets/news/article/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Tin trong trang quản trị" in html
    assert "Bài viết" in html
    assert (
        editor_client.get(
            f"/admin/snippets/news/article/edit/{article.pk}/"
        ).status_code
        == 200
    )
    assert "Trang tổng quan" in editor_client.get("/admin/").content.decode()


def test_editor_creates_and_publishes_an_article(editor_client, section, client):
    Keyword.for_name("Đà Nẵng")  # an existing keyword, typed differently below
    form = {
        "title": "Đà Nẵng đón khách <b>quốc tế</b>",
        "lead": "Sapo bài viết.",
        "body": draftail("Nội dung đầu tiên."),
        "section": section.pk,
        "published_at": "2026-11-20 08:30:00",
        "keywords": "đà nẵng, du lịch, Du lịch",
        "slug": "",
        **formsets(["Cao Biền"]),
        "action-publish": "action-publish",
    }
    response = editor_client.post("/admin/snippets/news/article/add/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get()
    assert article.live
    assert article.slug == "da-nang-don-khach-b-quoc-te-b"
    assert article.byline_names == ["Cao Biền"]
    assert sorted(k.slug for k in article.keywords.all()) == ["da-nang", "du-lich"]
    assert article.keywords.get(slug="da-nang").name == "Đà Nẵng"
    assert Keyword.objects.count() == 2  # no second "đà nẵng" keyword page
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Nội dung đầu tiên." in page
    assert "Đà Nẵng đón khách &lt;b&gt;quốc tế&lt;/b&gt;" in page  # escaped, not markup


def test_an_article_without_title_or_byline_is_refused(editor_client, section):
    form = {
        "title": "",
        "lead": "",
        "body": draftail(""),
        "section": section.pk,
        "published_at": "not a date",
        **formsets([]),
        "action-publish": "action-publish",
    }
    response = editor_client.post("/admin/snippets/news/article/add/", form)
    assert response.status_code == 200
    assert Article.objects.count() == 0
    assert "Trường này là bắt buộc" in response.content.decode()


def test_article_list_does_not_recount_a_large_table_on_every_page(
    editor_client, make_article
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_article("Tin một")
    editor_client.get("/admin/snippets/news/article/")
    with CaptureQueriesContext(connection) as captured:
        response = editor_client.get("/admin/snippets/news/article/")
    assert response.status_code == 200 and "Tin một" in response.content.decode()
    counts = [
        q["sql"]
        for q in captured.captured_queries
        if "COUNT(" in q["sql"] and "news_article" in q["sql"]
    ]
    assert counts == []
