"""/api/v1/ as a client meets it: filters, pages, details, refusals, caching."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import vn_time
from toasoan.audience.models import ArticleViewHour
from toasoan.news.models import Article, Author

pytestmark = pytest.mark.django_db


def get(client, url, status=200, **params):
    response = client.get(url, params)
    assert response.status_code == status, (url, params, response.content[:300])
    assert response["Content-Type"] == "application/json"
    return response.json()


def titles(data) -> list[str]:
    return [item["title"] for item in data["results"]]


@pytest.fixture
def newsroom(make_article, make_section, section):
    """Two sections (one inside Thời sự), a staff author, keywords, and the
    articles readers must never see through the API."""
    local = make_section("Địa phương", parent=section)
    culture = make_section("Văn hóa")
    profile = Author.objects.create(name="Nguyễn Thu Hà", role="Phóng viên")
    election = make_article(
        "Bầu cử đại biểu Quốc hội", published_at=vn_time(2026, 11, 3, 0, 30),
        keywords=["Bầu cử"], view_count=11_364,
    )  # fmt: skip
    flood = make_article(
        "Lũ trên sông Hồng", section=local, published_at=vn_time(2026, 11, 2, 23, 59),
        keywords=["Thời tiết"],
    )  # fmt: skip
    festival = make_article(
        "Lễ hội Khai hạ", section=culture, published_at=vn_time(2026, 11, 1, 8, 0)
    )
    festival.bylines.all().update(author=profile, name_slug=profile.slug)
    # Hidden: a draft, a scheduled one, a withdrawn one.
    make_article("Bản nháp", publish=False, published_at=vn_time(2026, 11, 2))
    make_article("Hẹn giờ", published_at=timezone.now() + timedelta(days=1))
    withdrawn = make_article("Bài đã gỡ", published_at=vn_time(2026, 11, 2, 12))
    Article.objects.filter(pk=withdrawn.pk).update(
        withdrawn_at=timezone.now(), withdrawal_reason="Sai nguồn"
    )
    return {
        "election": election, "flood": flood, "festival": festival,
        "withdrawn": withdrawn, "local": local, "culture": culture, "profile": profile,
    }  # fmt: skip


def test_article_list_filters_by_section_keyword_author_and_vietnamese_days(
    client, newsroom, section
):
    everything = get(client, "/api/v1/articles")
    assert titles(everything) == [
        "Bầu cử đại biểu Quốc hội",
        "Lũ trên sông Hồng",
        "Lễ hội Khai hạ",
    ]
    assert everything["count"] == 3
    # A section includes the sections inside it.
    assert titles(get(client, "/api/v1/articles", section=section.pk)) == [
        "Bầu cử đại biểu Quốc hội", "Lũ trên sông Hồng",
    ]  # fmt: skip
    assert titles(get(client, "/api/v1/articles", keyword="bau-cu")) == [
        "Bầu cử đại biểu Quốc hội"
    ]
    assert titles(get(client, "/api/v1/articles", author="nguyen-thu-ha")) == [
        "Lễ hội Khai hạ"
    ]
    assert titles(get(client, "/api/v1/articles", author="cao-bien")) == [
        "Bầu cử đại biểu Quốc hội", "Lũ trên sông Hồng",
    ]  # fmt: skip
    # Days are Vietnamese days: 00:30 on the 3rd (+07) is the 3rd, not the 2nd.
    assert titles(get(client, "/api/v1/articles", since="2026-11-03")) == [
        "Bầu cử đại biểu Quốc hội"
    ]
    assert titles(
        get(client, "/api/v1/articles", until="2026-11-02", since="2026-11-02")
    ) == ["Lũ trên sông Hồng"]
    assert (
        titles(get(client, "/api/v1/articles", language="vi"))[0]
        == "Bầu cử đại biểu Quốc hội"
    )


def test_pages_are_stable_when_articles_share_a_minute(client, make_article):
    same_time = vn_time(2026, 11, 5, 8, 0)
    made = [make_article(f"Tin {n}", published_at=same_time) for n in range(5)]
    expected = [a.title for a in sorted(made, key=lambda a: -a.pk)]
    seen, url, pages = [], "/api/v1/articles?limit=2", 0
    while url:
        data = get(client, url.removeprefix("http://testserver"))
        seen += titles(data)
        url, pages = data["next"], pages + 1
    assert seen == expected and pages == 3
    last = get(client, "/api/v1/articles", limit=2, offset=4)
    assert last["previous"] == "http://testserver/api/v1/articles?limit=2&offset=2"


def test_article_detail_has_body_byline_keywords_video_views_and_correction(
    client, make_article, make_image, make_video
):
    video = make_video("Bản tin 19h")
    article = make_article(
        "Hội nghị sơ kết", body="<p>Đồng chí <b>Bùi Văn Khánh</b> chủ trì.</p>",
        keywords=["Ban Chỉ đạo 35"], video=video, view_count=264,
        featured_image=make_image(), correction_note="Sửa chức danh.",
        corrected_at=vn_time(2026, 11, 2, 9, 0),
    )  # fmt: skip
    data = get(client, f"/api/v1/articles/{article.pk}")
    assert data["body_html"] == "<p>Đồng chí <b>Bùi Văn Khánh</b> chủ trì.</p>"
    assert data["authors"] == [
        {
            "name": "Cao Biền",
            "slug": "cao-bien",
            "url": "http://testserver/tac-gia/cao-bien/",
        }
    ]
    assert data["keywords"][0]["slug"] == "ban-chi-dao-35"
    assert data["video"]["duration_seconds"] == 184.4
    assert data["video"]["url"].endswith(".mp4")
    assert data["view_count"] == 264
    assert data["correction"] == {
        "note": "Sửa chức danh.",
        "corrected_at": "2026-11-02T09:00:00+07:00",
    }
    assert data["image"]["width"] == 1600
    assert data["published_at"] == "2026-11-01T08:00:00+07:00"


def test_hidden_articles_are_not_served(client, newsroom):
    withdrawn = get(client, f"/api/v1/articles/{newsroom['withdrawn'].pk}", status=410)
    assert "Sai nguồn" in withdrawn["error"]["message"]
    for bad in ("999999", "-1", "0", "abc", "1.5", "%F0%9F%98%80", "9" * 40):
        get(client, f"/api/v1/articles/{bad}", status=404)
    draft = Article.objects.get(title="Bản nháp")
    assert (
        get(client, f"/api/v1/articles/{draft.pk}", status=404)["error"]["status"]
        == 404
    )
    get(client, "/api/v1/khong-co", status=404)
    get(client, "/api/v1/articles/", status=404)


@pytest.mark.parametrize(
    "params, field",
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "1000"}, "limit"),
        ({"limit": "2.0"}, "limit"),
        ({"limit": ""}, "limit"),
        ({"offset": "20000"}, "offset"),
        ({"offset": "-1"}, "offset"),
        ({"since": "2026-02-30"}, "since"),
        ({"since": "hôm qua"}, "since"),
        ({"since": "2026-11-05", "until": "2026-11-01"}, "since"),
        ({"section": "abc"}, "section"),
        ({"section": "9" * 30}, "section"),
        ({"keyword": "<script>alert(1)</script>"}, "keyword"),
        ({"author": "../../etc/passwd"}, "author"),
        ({"language": "' OR 1=1 --"}, "language"),
    ],
)
def test_bad_filters_get_a_400_naming_the_field_in_two_languages(
    client, newsroom, params, field
):
    error = get(client, "/api/v1/articles", status=400, **params)["error"]
    assert error["message"] == "Tham số không hợp lệ / invalid parameters"
    [problem] = error["fields"][field]
    vietnamese, english = problem.split(" / ")
    assert vietnamese and english and vietnamese != english


def test_a_parameter_given_twice_is_refused(client, newsroom):
    response = client.get("/api/v1/articles?limit=1&limit=50")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["limit"]


@pytest.mark.parametrize(
    "params",
    [
        {"section": "999999"},
        {"keyword": "khong-co"},
        {"author": "khong-ai"},
        {"language": "fr"},
    ],
)
def test_unknown_section_keyword_author_or_edition_is_404(client, newsroom, params):
    error = get(client, "/api/v1/articles", status=404, **params)["error"]
    assert " / " in error["message"]


def test_sections_keywords_and_authors(client, newsroom, section):
    sections = get(client, "/api/v1/sections")
    by_title = {s["title"]: s for s in sections}
    assert by_title["Địa phương"]["parent"] == section.pk
    assert by_title["Thời sự"]["parent"] is None
    assert by_title["Văn hóa"]["url"] == "http://testserver/van-hoa/"
    keywords = get(client, "/api/v1/keywords")
    assert [k["slug"] for k in keywords["results"]] == ["bau-cu", "thoi-tiet"]
    authors = get(client, "/api/v1/authors")
    assert authors["results"] == [
        {"name": "Nguyễn Thu Hà", "slug": "nguyen-thu-ha", "role": "Phóng viên",
         "url": "http://testserver/tac-gia/nguyen-thu-ha/"}
    ]  # fmt: skip
    get(client, "/api/v1/keywords", status=400, limit="many")


def test_search_finds_vietnamese_without_diacritics(client, newsroom):
    data = get(client, "/api/v1/search", q="bau cu quoc hoi")
    assert [hit["article"]["title"] for hit in data["results"]] == [
        "Bầu cử đại biểu Quốc hội"
    ]
    assert "<mark>" in data["results"][0]["title_html"]
    assert get(client, "/api/v1/search", q="\x00\x01")["total"] == 0
    assert get(client, "/api/v1/search", q='"bầu cử" OR NEAR(x) *')["total"] >= 0
    get(client, "/api/v1/search", status=400)
    get(client, "/api/v1/search", status=400, q="x" * 301)
    get(client, "/api/v1/search", status=404, q="lũ", section="999999")
    withdrawn = get(client, "/api/v1/search", q="bài đã gỡ")
    assert all(hit["article"]["title"] != "Bài đã gỡ" for hit in withdrawn["results"])


def test_most_read_follows_the_views_of_the_period(client, newsroom):
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    ArticleViewHour.objects.create(article=newsroom["flood"], hour=now, views=500)
    ArticleViewHour.objects.create(article=newsroom["festival"], hour=now, views=90)
    ArticleViewHour.objects.create(
        article=newsroom["election"], hour=now - timedelta(days=3), views=9_000
    )
    day = get(client, "/api/v1/most-read", period="24h")
    assert day["label"] == "24 giờ"
    assert titles(day) == ["Lũ trên sông Hồng", "Lễ hội Khai hạ"]
    week = get(client, "/api/v1/most-read", period="7d")
    assert titles(week)[0] == "Bầu cử đại biểu Quốc hội"
    get(client, "/api/v1/most-read", status=400, period="1y")


def test_conditional_requests_get_304(client, newsroom):
    first = client.get("/api/v1/articles")
    assert first["ETag"] and first["Last-Modified"]
    assert (
        client.get("/api/v1/articles", HTTP_IF_NONE_MATCH=first["ETag"]).status_code
        == 304
    )
    modified = client.get(
        "/api/v1/articles", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )
    assert modified.status_code == 304
    detail = client.get(f"/api/v1/articles/{newsroom['flood'].pk}")
    again = client.get(
        f"/api/v1/articles/{newsroom['flood'].pk}", HTTP_IF_NONE_MATCH=detail["ETag"]
    )
    assert again.status_code == 304


def test_other_sites_scripts_may_read_it_and_the_origins_are_configurable(
    client, newsroom, settings
):
    response = client.get("/api/v1/sections", HTTP_ORIGIN="https://baothaibinh.vn")
    assert response["Access-Control-Allow-Origin"] == "*"
    settings.CORS_ALLOW_ALL_ORIGINS = False
    settings.CORS_ALLOWED_ORIGINS = ["https://baothaibinh.vn"]
    allowed = client.get("/api/v1/sections", HTTP_ORIGIN="https://baothaibinh.vn")
    assert allowed["Access-Control-Allow-Origin"] == "https://baothaibinh.vn"
    other = client.get("/api/v1/sections", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in other
    # The reader site is not part of it.
    page = client.get("/", HTTP_ORIGIN="https://baothaibinh.vn")
    assert "Access-Control-Allow-Origin" not in page


def test_writes_are_refused(client, newsroom):
    for method in (client.post, client.put, client.delete, client.patch):
        response = method(
            "/api/v1/articles", data="{}", content_type="application/json"
        )
        assert response.status_code == 405
        assert response.json()["error"]["status"] == 405


def test_openapi_schema_describes_every_endpoint(client, home):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/articles", "/api/v1/articles/{id}", "/api/v1/sections",
        "/api/v1/keywords", "/api/v1/authors", "/api/v1/search", "/api/v1/most-read",
    }  # fmt: skip


def test_openapi_schema_is_valid_openapi_without_warnings(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "openapi.yaml"
    # --validate checks it against the OpenAPI 3 meta-schema; a warning fails.
    call_command(
        "spectacular", urlconf="toasoan.api.urls", validate=True, fail_on_warn=True,
        file=str(out),
    )  # fmt: skip
    assert "/api/v1/most-read" in out.read_text()
