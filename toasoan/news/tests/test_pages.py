"""The reader site as a reader meets it: pages, links, dates, errors."""

from datetime import UTC, datetime, timedelta

import lxml.html
import pytest
from django.utils import timezone

from conftest import vn_time
from toasoan.core.models import PressSettings
from toasoan.importers.services import import_text_article
from toasoan.news.models import Article, Author, Byline, RelatedArticle

pytestmark = pytest.mark.django_db


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return lxml.html.fromstring(response.content.decode())


def text(tree, css):
    found = tree.cssselect(css)
    assert found, f"nothing matches {css}"
    return " ".join(found[0].text_content().split())


@pytest.fixture
def seed(seed_article_path, section):
    return import_text_article(seed_article_path, section).article


def test_seed_article_page_shows_what_the_portal_showed(client, seed):
    tree = page(client, seed.get_absolute_url())
    assert text(tree, "h1") == seed.title
    assert text(tree, ".article__dateline") == "Thứ 6, 26.07.2019 | 17:30:59"
    assert text(tree, ".article__views") == "264 lượt xem"
    assert text(tree, ".article__byline") == "Cao Biền"
    assert tree.cssselect(".article__byline a")[0].get("href") == "/tac-gia/cao-bien/"
    assert tree.cssselect("main")[0].get("data-article-id") == str(seed.pk)
    assert "72619_OHAI1.mp4" in text(tree, ".article__video .notice")
    assert not tree.cssselect("video")
    paragraphs = [
        " ".join(p.text_content().split()) for p in tree.cssselect(".article__body p")
    ]
    assert len(paragraphs) == 6
    assert paragraphs[0].startswith("Sáng 26-7, Ban Chỉ đạo")


def test_canonical_url_is_readable_ascii(seed):
    assert seed.get_absolute_url() == (
        "/so-ket-cong-tac-dau-tranh-chong-am-muu-dien-bien-hoa-binh-va-cong-tac-thong-tin"
        f"-doi-ngoai-{seed.pk}.html"
    )


@pytest.mark.parametrize("prefix", ["tin-tuc", "news"])
def test_legacy_urls_redirect_permanently(client, seed, prefix):
    response = client.get(f"/{prefix}/46/47082/so-ket-cong-tac-bat-ky")
    assert response.status_code == 301
    assert response["Location"] == seed.get_absolute_url()
    assert client.get(f"/{prefix}/46/47082").status_code == 301
    assert client.get(f"/{prefix}/46/99999/x").status_code == 404


def test_every_article_is_reachable_by_id_and_old_slugs_redirect(client, make_article):
    article = make_article("Đà Nẵng đón khách quốc tế")
    assert article.get_absolute_url() == f"/da-nang-don-khach-quoc-te-{article.pk}.html"
    response = client.get(f"/bai-viet/{article.pk}/")
    assert (response.status_code, response["Location"]) == (
        301,
        article.get_absolute_url(),
    )
    response = client.get(f"/tieu-de-cu-{article.pk}.html")
    assert (response.status_code, response["Location"]) == (
        301,
        article.get_absolute_url(),
    )
    assert client.get("/bai-viet/999999/").status_code == 404


def test_drafts_and_future_articles_are_not_public(client, make_article):
    draft = make_article("Bản nháp", publish=False)
    future = make_article("Tin hẹn giờ", published_at=datetime(2099, 1, 1, tzinfo=UTC))
    for article in (draft, future):
        assert client.get(article.get_absolute_url()).status_code == 404
        assert client.get(f"/bai-viet/{article.pk}/").status_code == 404
    assert "Bản nháp" not in client.get("/").content.decode()


def test_dates_are_shown_in_vietnam_time_with_sunday_named(client, make_article):
    article = make_article(published_at=datetime(2019, 7, 27, 23, 30, tzinfo=UTC))
    tree = page(client, article.get_absolute_url())
    assert text(tree, ".article__dateline") == "Chủ nhật, 28.07.2019 | 06:30:00"
    assert tree.cssselect(".article__dateline time")[0].get("datetime") == (
        "2019-07-28T06:30:00+07:00"
    )


def test_body_is_sanitised_on_save(client, make_article):
    article = make_article(
        body='<p onclick="x()">An toàn<script>alert(1)</script></p><iframe src="//x"></iframe>'
    )
    assert article.body == "<p>An toàn</p>"
    html = client.get(article.get_absolute_url()).content.decode()
    assert "alert(1)" not in html and "<iframe" not in html


def test_keywords_link_to_their_own_pages(client, make_article):
    article = make_article("Tin một", keywords=["Đà Nẵng", "Ủy ban nhân dân"])
    make_article("Tin hai", keywords=["đà nẵng"])
    tree = page(client, article.get_absolute_url())
    links = {
        a.text_content(): a.get("href") for a in tree.cssselect(".article__keywords a")
    }
    assert links == {
        "Đà Nẵng": "/tu-khoa/da-nang/",
        "Ủy ban nhân dân": "/tu-khoa/uy-ban-nhan-dan/",
    }
    keyword_page = page(client, "/tu-khoa/da-nang/")
    assert text(keyword_page, "h1") == "Từ khóa Đà Nẵng"
    titles = [a.text_content() for a in keyword_page.cssselect(".card__title a")]
    assert sorted(titles) == ["Tin hai", "Tin một"]
    page(client, "/tu-khoa/khong-co/", status=404)


def test_author_pages_for_profiles_and_free_text_names(client, make_article):
    profile = Author.objects.create(name="Nguyễn Thu Hà", role="Phóng viên")
    article = make_article("Bài của Hà", authors=())
    article.bylines = [
        Byline(author=profile, sort_order=0),
        Byline(name="Minh Khôi (CTV)", sort_order=1),
    ]
    article.save()
    tree = page(client, article.get_absolute_url())
    bylines = [
        (a.text_content(), a.get("href")) for a in tree.cssselect(".article__byline a")
    ]
    assert bylines == [
        ("Nguyễn Thu Hà", "/tac-gia/nguyen-thu-ha/"),
        ("Minh Khôi (CTV)", "/tac-gia/minh-khoi-ctv/"),
    ]
    for url, name in [
        ("/tac-gia/nguyen-thu-ha/", "Nguyễn Thu Hà"),
        ("/tac-gia/minh-khoi-ctv/", "Minh Khôi (CTV)"),
    ]:
        tree = page(client, url)
        assert text(tree, "h1") == f"Tác giả {name}"
        assert [a.text_content() for a in tree.cssselect(".card__title a")] == [
            "Bài của Hà"
        ]
    page(client, "/tac-gia/khong-ai/", status=404)


@pytest.mark.parametrize(
    "raw",
    ["abc", "-3", "0", "99999", "1e9999", "9" * 400, "２", "%00", "1;DROP TABLE", ""],
)
def test_bad_page_numbers_never_fail(client, section, make_article, raw):
    for n in range(25):
        make_article(f"Tin {n:02d}", published_at=vn_time(2026, 1, 1 + n, 8, 0))
    tree = page(client, f"/{section.slug}/?page={raw}")
    titles = [a.text_content() for a in tree.cssselect(".card__title a")]
    assert titles  # a page of articles, never an error or an empty list
    if raw in ("99999", "9" * 400, "２"):
        assert titles == [
            "Tin 04",
            "Tin 03",
            "Tin 02",
            "Tin 01",
            "Tin 00",
        ]  # the last page
    else:
        assert titles[0] == "Tin 24"
        assert len(titles) == 20


def test_section_lists_its_subsections_articles(
    client, section, make_section, make_article
):
    child = make_section("Trong tỉnh", parent=section)
    make_article("Tin trong tỉnh", section=child)
    tree = page(client, f"/{section.slug}/")
    assert [a.text_content() for a in tree.cssselect(".card__title a")] == [
        "Tin trong tỉnh"
    ]
    assert [a.text_content() for a in tree.cssselect(".subsections a")] == [
        "Trong tỉnh"
    ]
    page(client, f"/{section.slug}/trong-tinh/")


def ago(**delta):
    return timezone.now() - timedelta(**delta)


def test_home_has_lead_latest_sections_and_most_read(
    client, make_section, make_article
):
    economy = make_section("Kinh tế")
    make_article("Tin đọc nhiều", view_count=9000, published_at=ago(days=5))
    make_article("Tin cũ đọc nhiều", view_count=99000, published_at=ago(days=60))
    make_article("Tin tiêu điểm", is_lead_story=True, published_at=ago(days=6))
    make_article("Tin kinh tế mới", section=economy, published_at=ago(hours=1))
    tree = page(client, "/")
    assert text(tree, ".lead-story__title") == "Tin tiêu điểm"
    latest = [
        a.text_content() for a in tree.cssselect("#tin-moi ~ .grid .card__title a")
    ]
    assert latest == ["Tin kinh tế mới", "Tin đọc nhiều", "Tin cũ đọc nhiều"]
    blocks = [h.text_content() for h in tree.cssselect(".section-block h2")]
    assert blocks == ["Thời sự", "Kinh tế"]
    # "Đọc nhiều" is about the last 30 days, not all time.
    assert text(tree, ".most-read li") == "Tin đọc nhiều"


def test_a_stale_lead_story_gives_way_to_the_latest(client, make_article):
    make_article("Tiêu điểm tuần trước", is_lead_story=True, published_at=ago(days=8))
    make_article("Tin mới nhất", published_at=ago(hours=2))
    assert text(page(client, "/"), ".lead-story__title") == "Tin mới nhất"


def test_related_articles_prefer_editor_picks_then_shared_keywords(
    client, make_article
):
    article = make_article("Bài chính", keywords=["đê điều", "Thái Bình"])
    same_section = make_article(
        "Cùng chuyên mục", published_at=vn_time(2026, 11, 5, 8, 0)
    )
    two_shared = make_article("Chung hai từ khóa", keywords=["Đê điều", "thái bình"])
    one_shared = make_article("Chung một từ khóa", keywords=["Đê điều"])
    picked = make_article("Biên tập viên chọn")
    RelatedArticle.objects.create(article=article, target=picked, sort_order=0)
    tree = page(client, article.get_absolute_url())
    titles = [a.text_content() for a in tree.cssselect(".related .card__title a")]
    assert titles == [
        picked.title,
        two_shared.title,
        one_shared.title,
        same_section.title,
    ]


def test_masthead_and_footer_carry_the_legal_notice(client, home, section):
    from wagtail.models import Site

    press = PressSettings.for_site(Site.objects.get())
    press.outlet_name = "Báo điện tử Thử Nghiệm"
    press.governing_agency = "Ủy ban nhân dân tỉnh"
    press.licence_number = "123/GP-BTTTT"
    press.licence_date = datetime(2020, 5, 4).date()
    press.licence_issuer = "Bộ Thông tin và Truyền thông"
    press.editor_in_chief = "Trần Văn B"
    press.address = "1 Lê Lợi"
    press.phone = "0227 123 456"
    press.email = "toasoan@example.vn"
    press.save()
    tree = page(client, "/")
    assert text(tree, ".masthead__name") == "Báo điện tử Thử Nghiệm"
    footer = text(tree, "footer")
    for value in (
        "Ủy ban nhân dân tỉnh",
        "Số 123/GP-BTTTT ngày 04/05/2020 của Bộ Thông tin",
        "Trần Văn B",
        "1 Lê Lợi",
        "0227 123 456",
        "toasoan@example.vn",
    ):
        assert value in footer
    press.editor_in_chief = "Lê Thị C"
    press.save()
    assert "Lê Thị C" in text(
        page(client, "/"), "footer"
    )  # cached footer follows the edit


def test_not_found_page_is_vietnamese(client, home):
    tree = page(client, "/khong-co-trang-nay/", status=404)
    assert text(tree, "h1") == "Không tìm thấy trang"
    assert tree.get("lang") == "vi"


def test_server_error_page_is_vietnamese(client, make_article, monkeypatch):
    from toasoan.news import views

    article = make_article()

    def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(views, "related_articles", broken)
    client.raise_request_exception = False
    tree = page(client, article.get_absolute_url(), status=500)
    assert text(tree, "h1") == "Xin lỗi, hệ thống đang gặp sự cố"


def test_article_is_created_with_the_default_vietnamese_locale(make_article):
    article = make_article()
    assert article.locale.language_code == "vi"
    assert Article.objects.filter(locale__language_code="vi").count() == 1


@pytest.mark.parametrize(
    "url",
    [
        "/tu-khoa/%3Cscript%3Ealert(1)%3C%2Fscript%3E/",
        "/tac-gia/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E/",
        "/tu-khoa/" + "a" * 5000 + "/",
        "/tac-gia/..%2F..%2Fetc%2Fpasswd/",
        "/tin-tuc/46/" + "9" * 30 + "/x",
        "/bai-viet/" + "9" * 30 + "/",
        "/" + "9" * 30 + ".html",
        "/x-" + "9" * 30 + ".html",
        "/tu-khoa/%FF%FE/",
    ],
)
def test_hostile_paths_get_a_vietnamese_not_found(client, home, url):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html
    assert "<script>alert" not in html and "onerror=alert" not in html
