"""Sitemaps and robots.txt, validated with lxml against the official XSDs."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from lxml import etree

from toasoan.news.models import Article
from toasoan.sitemaps import services

pytestmark = pytest.mark.django_db
SCHEMAS = Path(__file__).resolve().parents[4] / "shared" / "schemas"
NS = {
    "s": services.SITEMAP_NS,
    "image": services.IMAGE_NS,
    "video": services.VIDEO_NS,
    "news": services.NEWS_NS,
}


def schema(name: str) -> etree.XMLSchema:
    path = SCHEMAS / name
    if not path.exists():
        pytest.skip(f"../shared/schemas is absent: {path} not found")
    parser = etree.XMLParser(no_network=True)
    return etree.XMLSchema(etree.parse(str(path), parser))


def fetch(client, url: str) -> etree._Element:
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    return etree.fromstring(body)


def valid(document: etree._Element, xsd: etree.XMLSchema) -> etree._Element:
    assert xsd.validate(document), xsd.error_log
    return document


def test_index_and_every_sitemap_validate_and_list_only_what_readers_can_read(
    client, make_article, make_image, make_video
):
    now = timezone.now()
    video = make_video("Bản tin thời sự")
    with_media = make_article(
        "Hội nghị sơ kết công tác thông tin đối ngoại & tuyên truyền",
        published_at=now - timedelta(hours=3),
        featured_image=make_image(),
        featured_image_caption="Quang cảnh hội nghị <trực tuyến>",
        video=video,
    )
    plain = make_article("Đà Nẵng đón khách", published_at=now - timedelta(days=5))
    draft = make_article("Bản nháp", publish=False)
    future = make_article("Hẹn giờ", published_at=now + timedelta(days=1))
    withdrawn = make_article("Bài đã gỡ")
    Article.objects.filter(pk=withdrawn.pk).update(withdrawn_at=now)

    index = valid(fetch(client, "/sitemap.xml"), schema("siteindex.xsd"))
    locations = index.xpath("//s:sitemap/s:loc/text()", namespaces=NS)
    assert [loc.rsplit("/", 1)[-1] for loc in locations] == [
        "sections.xml",
        "articles-1.xml",
        "news.xml",
    ]
    xsd = schema("all-sitemaps.xsd")
    sitemaps = {
        loc.rsplit("/", 1)[-1]: valid(fetch(client, loc), xsd) for loc in locations
    }

    sections = sitemaps["sections.xml"].xpath("//s:loc/text()", namespaces=NS)
    assert sections == ["http://testserver/", "http://testserver/thoi-su/"]

    articles = sitemaps["articles-1.xml"]
    urls = articles.xpath("//s:url/s:loc/text()", namespaces=NS)
    assert urls == [
        f"http://testserver{with_media.get_absolute_url()}",
        f"http://testserver{plain.get_absolute_url()}",
    ]
    for hidden in (draft, future, withdrawn):
        assert f"http://testserver{hidden.get_absolute_url()}" not in urls
    [image] = articles.xpath("//image:image", namespaces=NS)
    assert image.findtext("image:loc", namespaces=NS).startswith(
        "http://testserver/media/"
    )
    assert (
        image.findtext("image:caption", namespaces=NS)
        == "Quang cảnh hội nghị <trực tuyến>"
    )
    [entry] = articles.xpath("//video:video", namespaces=NS)
    assert entry.findtext("video:title", namespaces=NS) == "Bản tin thời sự"
    assert entry.findtext("video:duration", namespaces=NS) == "184"
    assert entry.findtext("video:content_loc", namespaces=NS).endswith(".mp4")

    news = sitemaps["news.xml"]
    assert news.xpath("//s:loc/text()", namespaces=NS) == [urls[0]]  # 48 hours only
    assert news.xpath("//news:language/text()", namespaces=NS) == ["vi"]
    assert news.xpath("//news:title/text()", namespaces=NS) == [with_media.title]


def test_article_sitemaps_split_by_id_range_and_refuse_made_up_names(
    client, make_article, monkeypatch
):
    monkeypatch.setattr(services, "ARTICLES_PER_SITEMAP", 2)
    articles = [make_article() for _ in range(6)]
    number_of = {a.pk: (a.pk - 1) // 2 + 1 for a in articles}  # file of each id
    # Every article of the third article's file is a draft: that file is left out.
    hidden = number_of[articles[2].pk]
    Article.objects.filter(
        pk__in=[p for p, n in number_of.items() if n == hidden]
    ).update(live=False)
    expected = sorted({n for n in number_of.values() if n != hidden})
    index = fetch(client, "/sitemap.xml")
    names = [
        loc.rsplit("/", 1)[-1] for loc in index.xpath("//s:loc/text()", namespaces=NS)
    ]
    assert [n for n in names if n.startswith("articles-")] == [
        f"articles-{n}.xml" for n in expected
    ]
    xsd = schema("all-sitemaps.xsd")
    for number in expected:
        document = valid(fetch(client, f"/sitemaps/articles-{number}.xml"), xsd)
        urls = document.xpath("//s:url/s:loc/text()", namespaces=NS)
        assert urls == [
            f"http://testserver{a.get_absolute_url()}"
            for a in articles
            if number_of[a.pk] == number
        ]
    assert client.get(f"/sitemaps/articles-{hidden}.xml").status_code == 404
    for bad in (
        "articles-99",
        "articles-0",
        "articles-01",
        "articles-abc",
        "articles-",
        "x",
        "..%2Fsettings",
    ):
        assert client.get(f"/sitemaps/{bad}.xml").status_code == 404, bad


def test_news_sitemap_stays_valid_on_a_day_without_news(client, home):
    news = valid(fetch(client, "/sitemaps/news.xml"), schema("all-sitemaps.xsd"))
    assert news.xpath("//news:news", namespaces=NS) == []


def test_news_sitemap_names_the_publication_from_site_settings(client, make_article):
    from toasoan.core.models import PressSettings

    article = make_article(published_at=timezone.now() - timedelta(minutes=5))
    PressSettings.objects.update_or_create(
        site=article.section.get_site(),
        defaults={"outlet_name": "Đài Phát thanh và Truyền hình Hoà Bình"},
    )
    news = valid(fetch(client, "/sitemaps/news.xml"), schema("all-sitemaps.xsd"))
    assert news.xpath("//news:name/text()", namespaces=NS) == [
        "Đài Phát thanh và Truyền hình Hoà Bình"
    ]


def test_robots_txt_points_crawlers_to_the_sitemaps_and_away_from_the_admin(
    client, home
):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemaps/news.xml" in lines
