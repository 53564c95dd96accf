"""Share previews and structured data, read back with extruct (strict), as
Facebook, Zalo and search engines read them."""

from datetime import timedelta

import extruct
import lxml.html
import pytest
from django.utils import timezone
from PIL import Image as PILImage

from conftest import vn_time
from toasoan.core.models import PressSettings
from toasoan.news.metadata import iso_duration
from toasoan.news.models import Author, Byline
from toasoan.newsroom.corrections import withdraw_article

pytestmark = pytest.mark.django_db


def extract(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    data = extruct.extract(
        html,
        base_url=f"http://testserver{url}",
        syntaxes=["json-ld", "opengraph"],
        errors="strict",
    )
    by_type = {doc["@type"]: doc for doc in data["json-ld"]}
    [graph] = data["opengraph"]
    properties = {}
    for name, value in graph["properties"]:
        properties.setdefault(name, value)  # the first of repeated ones
    tags = [value for name, value in graph["properties"] if name == "article:tag"]
    return by_type, properties | {"article:tag": tags}, lxml.html.fromstring(html)


def open_media(url: str):
    from django.core.files.storage import default_storage

    name = url.removeprefix("http://testserver/media/")
    return PILImage.open(default_storage.open(name))


@pytest.fixture
def video_article(make_article, make_image, make_video, make_section, home):
    logo = make_image("Logo", width=512, height=512)
    PressSettings.objects.update_or_create(
        site=home.get_site(),
        defaults={"outlet_name": "Đài PT-TH Thái Bình", "logo": logo},
    )
    politics = make_section("Chính trị", parent=make_section("Thời sự trong nước"))
    video = make_video("Bản tin thời sự 19h")
    article = make_article(
        "Sơ kết công tác đấu tranh chống âm mưu “diễn biến hòa bình” </script><b>",
        section=politics,
        lead="Sáng 26/7, Ban Chỉ đạo 35 tỉnh họp sơ kết.",
        published_at=vn_time(2026, 11, 3, 17, 30, 59),
        keywords=["Thông tin đối ngoại", "Ban Chỉ đạo 35"],
        featured_image=make_image(width=1600, height=900),
        video=video,
    )
    profile = Author.objects.create(name="Nguyễn Thu Hà")
    article.bylines = [
        Byline(author=profile, sort_order=0),
        Byline(name="Cao Biền", sort_order=1),
    ]
    article.save()
    return article


def test_article_page_describes_itself_as_google_and_facebook_need(
    client, video_article
):
    article = video_article
    url = article.get_absolute_url()
    ld, og, page = extract(client, url)

    news = ld["NewsArticle"]
    assert news["headline"] == article.title[:110]
    assert news["datePublished"] == "2026-11-03T17:30:59+07:00"
    assert news["dateModified"] >= news["datePublished"]
    assert news["mainEntityOfPage"]["@id"] == f"http://testserver{url}"
    assert news["author"] == [
        {
            "@type": "Person",
            "name": "Nguyễn Thu Hà",
            "url": "http://testserver/tac-gia/nguyen-thu-ha/",
        },
        {
            "@type": "Person",
            "name": "Cao Biền",
            "url": "http://testserver/tac-gia/cao-bien/",
        },
    ]
    publisher = news["publisher"]
    assert publisher["@type"] == "NewsMediaOrganization"
    assert publisher["name"] == "Đài PT-TH Thái Bình"
    assert open_media(publisher["logo"]["url"]).size == (512, 512)
    # 1:1, 4:3 and 16:9, each the largest crop of the 1600×900 original.
    sizes = [open_media(image).size for image in news["image"]]
    assert sizes == [(900, 900), (1200, 900), (1200, 675)]

    crumbs = ld["BreadcrumbList"]["itemListElement"]
    assert [c["name"] for c in crumbs] == [
        "Trang chủ", "Thời sự trong nước", "Chính trị", article.title,
    ]  # fmt: skip
    assert [c["position"] for c in crumbs] == [1, 2, 3, 4]

    video = ld["VideoObject"]
    assert video["name"] == "Bản tin thời sự 19h"
    assert video["duration"] == "PT3M4S"
    assert video["contentUrl"] == "http://testserver" + article.video.web_mp4.url
    # The poster first, then the article's three crops.
    assert video["thumbnailUrl"] == [
        "http://testserver" + article.video.poster.url,
        *news["image"],
    ]
    assert video["uploadDate"] and video["description"]

    assert og["og:type"] == "article"
    assert og["og:title"] == article.title
    assert og["og:description"] == article.lead
    assert og["og:url"] == f"http://testserver{url}"
    assert open_media(og["og:image"]).size == (1200, 630)
    assert (og["og:image:width"], og["og:image:height"]) == ("1200", "630")
    assert og["article:published_time"] == "2026-11-03T17:30:59+07:00"
    assert og["article:section"] == "Chính trị"
    assert og["article:tag"] == ["Thông tin đối ngoại", "Ban Chỉ đạo 35"]
    assert page.xpath("//meta[@name='twitter:card']/@content") == [
        "summary_large_image"
    ]
    # The title's "</script>" stayed inside the JSON: one script, nothing injected.
    assert not page.xpath("//head//b")
    assert page.xpath("//link[@rel='canonical']/@href") == [f"http://testserver{url}"]


def test_article_without_image_or_logo_still_has_valid_structured_data(
    client, make_article
):
    article = make_article("Tin ngắn không ảnh", lead="")
    ld, og, page = extract(client, article.get_absolute_url())
    assert set(ld) == {"NewsArticle", "BreadcrumbList"}
    assert "logo" not in ld["NewsArticle"]["publisher"]
    assert og["og:description"].startswith("Nội dung bài")
    assert page.xpath("//meta[@name='twitter:card']/@content") == ["summary"]


def test_list_pages_have_canonical_urls_with_their_page_number(client, make_article):
    article = make_article(keywords=["Bầu cử"])
    section_url = article.section.url
    for url, canonical in (
        ("/", "http://testserver/"),
        (f"{section_url}?utm_source=zalo", f"http://testserver{section_url}"),
        (f"{section_url}?page=1", f"http://testserver{section_url}"),
        ("/tu-khoa/bau-cu/?page=abc", "http://testserver/tu-khoa/bau-cu/"),
    ):
        page = lxml.html.fromstring(client.get(url).content)
        assert page.xpath("//link[@rel='canonical']/@href") == [canonical], url
        assert page.xpath("//meta[@property='og:url']/@content") == [canonical]


def test_print_view_shows_the_article_alone_and_is_not_indexed(
    client, make_article, admin_user
):
    article = make_article(
        "Hội nghị sơ kết", body="<p>Đồng chí Bùi Văn Khánh chủ trì.</p>",
        correction_note="Sửa chức danh.", corrected_at=timezone.now(),
    )  # fmt: skip
    page = lxml.html.fromstring(client.get(article.get_absolute_url()).content)
    [link] = page.cssselect(".article__tools a")
    assert link.get("href") == f"/bai-viet/{article.pk}/in/"
    response = client.get(link.get("href"))
    assert response.status_code == 200
    printed = lxml.html.fromstring(response.content)
    assert printed.cssselect("h1")[0].text == "Hội nghị sơ kết"
    assert "Bùi Văn Khánh" in printed.cssselect(".print-body")[0].text_content()
    assert "Sửa chức danh." in printed.cssselect(".print-correction")[0].text_content()
    assert printed.xpath("//meta[@name='robots']/@content") == ["noindex"]
    assert not printed.cssselect("nav, .menu, form")
    withdraw_article(article, admin_user, "Sai chức danh")
    assert client.get(f"/bai-viet/{article.pk}/in/").status_code == 404
    future = make_article(published_at=timezone.now() + timedelta(days=1))
    assert client.get(f"/bai-viet/{future.pk}/in/").status_code == 404


def test_share_image_is_exactly_1200_by_630_even_from_a_1200_wide_original(
    client, make_article, make_image
):
    article = make_article(featured_image=make_image(width=1200, height=675))
    _, og, _ = extract(client, article.get_absolute_url())
    assert open_media(og["og:image"]).size == (1200, 630)


def test_iso_durations():
    assert iso_duration(184.4) == "PT3M4S"
    assert iso_duration(3600) == "PT1H0S"
    assert iso_duration(0.2) == "PT0S"
    assert iso_duration(3725) == "PT1H2M5S"


def test_video_news_without_a_picture_is_previewed_with_its_poster(
    client, make_article, make_video
):
    article = make_article("Bản tin 19h ngày 3/11", video=make_video())
    poster = "http://testserver" + article.video.poster.url
    ld, og, page = extract(client, article.get_absolute_url())
    assert og["og:image"] == poster
    assert page.xpath("//meta[@name='twitter:card']/@content") == [
        "summary_large_image"
    ]
    assert page.xpath("//meta[@name='twitter:image']/@content") == [poster]
    assert ld["NewsArticle"]["image"] == [poster]
    assert ld["VideoObject"]["thumbnailUrl"] == [poster]
