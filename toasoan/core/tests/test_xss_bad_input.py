"""What test_xss found, each pinned by a test of its own: hostile or odd input
that gave a 500 (or broke a feed) instead of being shown or refused."""

from datetime import timedelta

import pytest
from django.utils import timezone
from lxml import etree

from conftest import draftail, formsets
from toasoan.core.richtext import sanitize_rich_text, xml_text
from toasoan.news.models import Author, person_slug

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "stored",
    [
        '<a linktype="page" id="abc">trang</a>',
        '<a linktype="page" id="1 onmouseover=alert(1)">trang</a>',
        '<a linktype="page">trang</a>',
        '<embed embedtype="image" id="abc" format="left"/>',
        '<embed embedtype="image" id="1" format="khong-co"/>',
        '<embed embedtype="image" format="left"/>',
        '<embed embedtype="media" url="javascript:alert(1)"/>',
        '<embed embedtype="media"/>',
    ],
)
def test_a_link_or_embed_wagtail_cannot_expand_is_cleaned_away(
    client, make_article, stored
):
    article = make_article(body=f"<p>Trước</p>{stored}<p>Sau</p>")
    assert "alert" not in article.body and "abc" not in article.body
    for url in (article.get_absolute_url(), f"/bai-viet/{article.pk}/in/", "/rss/"):
        assert client.get(url).status_code == 200


def test_links_and_pictures_wagtail_can_expand_are_kept(make_image):
    image = make_image()
    stored = (
        f'<a linktype="page" id="3">Trang</a><embed embedtype="image" id="{image.pk}" '
        'format="left" alt="Ảnh"/><embed embedtype="media" url="https://youtu.be/x"/>'
    )
    assert sanitize_rich_text(stored) == stored


@pytest.mark.parametrize("name", ["王小明", '"><', "¿?"])
def test_an_author_whose_name_folds_to_nothing_still_has_a_page(
    client, make_article, name
):
    article = make_article(authors=(name, "Cao Biền"))
    [byline, _] = article.bylines.all()
    assert byline.name_slug == person_slug(name) != ""
    for url in (
        article.get_absolute_url(),
        f"/api/v1/articles/{article.pk}",
        byline.get_absolute_url(),
    ):
        assert client.get(url).status_code == 200
    assert Author.objects.create(name=name).slug == person_slug(name, 120)


def test_feeds_and_sitemaps_leave_out_what_xml_cannot_hold(client, make_article):
    make_article(
        "Tiêu đề\x0bcó tab dọc\x01",
        lead="sapo\x0c",
        body="<p>x\x1f</p>",
        published_at=timezone.now() - timedelta(hours=1),  # in the news sitemap
    )
    for url in ("/rss/", "/atom/", "/sitemaps/news.xml"):
        response = client.get(url)
        assert response.status_code == 200, url
        body = (
            b"".join(response.streaming_content)
            if response.streaming
            else response.content
        )
        assert "Tiêu đềcó tab dọc".encode() in body
        etree.fromstring(body)
    assert xml_text("a\x00b\x0bc\ufffed\te\n") == "abcd\te\n"


def test_a_body_that_is_not_the_editors_json_is_a_form_error(client, section):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("bt", "b@x.vn", "x"))
    form = {
        "title": "Tin", "lead": "", "body": "<script>alert(1)</script>",
        "section": section.pk, "published_at": "2026-11-20 08:30:00",
        "keywords": "", "slug": "", **formsets(["Cao Biền"]),
    }  # fmt: skip
    response = client.post("/admin/snippets/news/article/add/", form)
    assert response.status_code == 200
    assert "không đọc được" in response.content.decode()
    form["body"] = draftail("Nội dung.")
    assert client.post("/admin/snippets/news/article/add/", form).status_code == 302


@pytest.mark.parametrize(
    "url",
    [
        "/tu-khoa/%00/",
        "/tac-gia/a%00b/",
        "/tu-khoa/a%00/rss/",
        "/tac-gia/%3Cb%3E/atom/",
    ],
)
def test_a_keyword_or_author_address_that_is_no_slug_is_not_found(client, url):
    # PostgreSQL refuses a NUL byte in a query: it must never get that far.
    assert client.get(url).status_code == 404
