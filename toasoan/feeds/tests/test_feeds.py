"""RSS and Atom feeds, read back with feedparser as feed readers do."""

import calendar
from datetime import timedelta

import feedparser
import lxml.html
import pytest
from django.utils import timezone

from conftest import vn_time
from toasoan.news.models import Article, Author

pytestmark = pytest.mark.django_db


def parse(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed, response


def unix(moment) -> int:
    return calendar.timegm(moment.utctimetuple())


@pytest.mark.parametrize("format_name", ["rss", "atom"])
def test_edition_feed_carries_full_vietnamese_text_dates_and_enclosures(
    client, make_article, make_image, make_video, format_name
):
    video = make_video("Bản tin", size=2048)
    older = make_article(
        "Đà Nẵng đón khách",
        published_at=vn_time(2026, 11, 2, 7, 15),
        keywords=["Du lịch"],
        featured_image=make_image("Bãi biển Đồng Châu"),
    )
    newest = make_article(
        "Hội nghị sơ kết 6 tháng: “Phát huy” <vai trò> & trách nhiệm",
        published_at=vn_time(2026, 11, 3, 17, 30, 59),
        lead="Sáng 26/7, Ban Chỉ đạo họp trực tuyến.",
        body="<p>Đồng chí Bùi Văn Khánh, Phó Bí thư Tỉnh ủy, chủ trì.</p>",
        authors=("Cao Biền", "Minh Hằng"),
        keywords=["Thông tin đối ngoại"],
        featured_image=make_image(),
        video=video,
    )
    withdrawn = make_article("Bài đã gỡ", published_at=vn_time(2026, 11, 3, 9, 0))
    Article.objects.filter(pk=withdrawn.pk).update(withdrawn_at=timezone.now())
    make_article("Hẹn giờ", published_at=timezone.now() + timedelta(hours=2))

    feed, response = parse(client, f"/{format_name}/")
    assert [e.title for e in feed.entries] == [newest.title, older.title]
    entry = feed.entries[0]
    assert entry.link == f"http://testserver{newest.get_absolute_url()}"
    assert entry.id == f"http://testserver/bai-viet/{newest.pk}/"
    # Dates round-trip to the second (feedparser gives UTC).
    assert calendar.timegm(entry.published_parsed) == unix(newest.published_at)
    assert entry.summary == newest.lead
    full_text = lxml.html.fromstring(entry.content[0].value).text_content()
    assert full_text == "Đồng chí Bùi Văn Khánh, Phó Bí thư Tỉnh ủy, chủ trì."
    assert entry.author == "Cao Biền, Minh Hằng"
    assert {tag.term for tag in entry.tags} == {"Thời sự", "Thông tin đối ngoại"}
    kinds = [(link.type, int(link.length)) for link in entry.enclosures]
    if format_name == "rss":  # RSS 2.0 allows one enclosure: the video
        assert kinds == [("video/mp4", 2048)]
    else:
        assert kinds[0] == ("video/mp4", 2048) and kinds[1][0] == "image/jpeg"
    # Without a video, the picture is the enclosure, in both formats.
    [picture] = feed.entries[1].enclosures
    assert picture.type == "image/jpeg" and int(picture.length) > 0
    assert picture.href.startswith("http://testserver/media/")
    assert feed.feed.language == "vi"
    assert response["Last-Modified"]


def test_full_text_links_and_pictures_work_outside_the_site(
    client, make_article, make_image
):
    image = make_image("Cầu Tân Đệ")
    article = make_article(
        "Tin có ảnh trong bài",
        body=f'<p>Xem thêm mục <a linktype="page" id="{make_article().section.pk}">'
        'Thời sự</a> và <a href="https://baochinhphu.vn/">Báo Chính phủ</a>.</p>'
        f'<embed embedtype="image" id="{image.pk}" format="fullwidth" '
        'alt="Cầu Tân Đệ"/>',
    )
    for url in ("/rss/", "/atom/"):
        feed, _ = parse(client, url)
        [entry] = [e for e in feed.entries if e.title == article.title]
        body = lxml.html.fromstring(entry.content[0].value)
        assert body.xpath("//a/@href") == [
            "http://testserver/thoi-su/",
            "https://baochinhphu.vn/",
        ], url
        [picture] = body.xpath("//img/@src")
        assert picture.startswith("http://testserver/media/images/"), url
        assert client.get(picture.removeprefix("http://testserver")).status_code == 200


def test_section_keyword_and_author_feeds_list_only_their_articles(
    client, make_article, make_section
):
    culture = make_section("Văn hóa")
    profile = Author.objects.create(name="Nguyễn Thị Hoà")
    politics = make_article("Tin thời sự", keywords=["Bầu cử"], authors=("Cao Biền",))
    festival = make_article("Lễ hội Khai hạ", section=culture, keywords=["Lễ hội"])
    festival.bylines.all().update(author=profile, name_slug=profile.slug)

    for url, expected in (
        (f"{culture.url}rss/", [festival.title]),
        (f"{culture.url}atom/", [festival.title]),
        ("/tu-khoa/bau-cu/rss/", [politics.title]),
        ("/tu-khoa/bau-cu/atom/", [politics.title]),
        ("/tac-gia/cao-bien/rss/", [politics.title]),
        (f"/tac-gia/{profile.slug}/atom/", [festival.title]),
    ):
        feed, _ = parse(client, url)
        assert [e.title for e in feed.entries] == expected, url


def test_pages_announce_their_feeds(client, make_article, make_section):
    article = make_article("Tin thời sự", keywords=["Bầu cử"])
    section = article.section
    for url, expected in (
        ("/", {"/rss/", "/atom/"}),
        (section.url, {"/rss/", "/atom/", f"{section.url}rss/", f"{section.url}atom/"}),
        (
            "/tu-khoa/bau-cu/",
            {"/rss/", "/atom/", "/tu-khoa/bau-cu/rss/", "/tu-khoa/bau-cu/atom/"},
        ),
        (
            "/tac-gia/cao-bien/",
            {"/rss/", "/atom/", "/tac-gia/cao-bien/rss/", "/tac-gia/cao-bien/atom/"},
        ),
    ):
        page = lxml.html.fromstring(client.get(url).content)
        links = page.xpath("//head/link[@rel='alternate']/@href")
        assert set(links) == expected, url
        for link in links:
            parse(client, link)


def test_conditional_requests_get_304_until_something_is_published(
    client, make_article
):
    make_article("Tin thứ nhất")
    _, first = parse(client, "/rss/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get("/rss/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/rss/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    make_article("Tin thứ hai", published_at=vn_time(2026, 11, 5, 8, 0))
    fresh = client.get("/rss/", HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200
    assert fresh["ETag"] != etag
    assert feedparser.parse(fresh.content).entries[0].title == "Tin thứ hai"


@pytest.mark.parametrize(
    "url",
    [
        "/tu-khoa/khong-co/rss/",
        "/tac-gia/khong-ai/atom/",
        "/khong-co-muc/rss/",
        "/rss2/",
        "/tu-khoa/%3Cscript%3E/rss/",
        "/tac-gia/" + "a" * 5000 + "/rss/",
    ],
)
def test_unknown_feeds_are_404(client, home, url):
    assert client.get(url).status_code == 404
