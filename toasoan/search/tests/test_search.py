"""Search as a reader uses it, on SQLite and PostgreSQL alike."""

from datetime import timedelta
from io import StringIO

import lxml.html
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SHARED
from toasoan.search.backends import SearchFilters
from toasoan.search.services import search_articles
from toasoan.videos.models import Video

pytestmark = pytest.mark.django_db
VECTORS = SHARED / "vi-search" / "vectors.tsv"


def titles(raw, **kwargs):
    return [hit.article.title for hit in search_articles(raw, **kwargs).hits]


def ago(**delta):
    return timezone.now() - timedelta(**delta)


def test_all_shared_vectors_pass():
    if not VECTORS.exists():
        pytest.skip(f"../shared/ is absent: {VECTORS} not found")
    out = StringIO()
    call_command("search_check", str(VECTORS), stdout=out)
    assert out.getvalue().strip().endswith("50 passed, 0 failed")


def test_search_check_reports_failures_and_bad_files(tmp_path, home):
    vectors = tmp_path / "v.tsv"
    vectors.write_text(
        "query\tdocument_text\tshould_match\tnote\n"
        "da nang\tĐà Nẵng đón khách\tyes\tok\n"
        "da nang\tĐà Nẵng đón khách\tno\twrong on purpose\n",
        encoding="utf-8",
    )
    out = StringIO()
    with pytest.raises(CommandError, match="1 vectors failed"):
        call_command("search_check", str(vectors), stdout=out)
    assert "FAIL line 3" in out.getvalue()
    assert out.getvalue().strip().endswith("1 passed, 1 failed")
    vectors.write_bytes(b"query\tdocument_text\n\xff\xfe")
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("search_check", str(vectors))
    vectors.write_text("a\tb\tc\n", encoding="utf-8")
    with pytest.raises(CommandError, match="expected columns"):
        call_command("search_check", str(vectors))


def test_exact_diacritics_rank_first(make_article):
    make_article("Chuyện con ma trong làng", published_at=ago(days=1))
    make_article("Mã số thuế mới cho hộ kinh doanh", published_at=ago(days=20))
    make_article("Đàn ngựa má hồng", published_at=ago(days=2))
    assert titles("mã")[0] == "Mã số thuế mới cho hộ kinh doanh"
    assert len(titles("mã")) == 3  # recall first: ma and má are found too
    make_article("Dong Nai province attracts investors", published_at=ago(days=1))
    make_article("Tỉnh Đồng Nai thu hút đầu tư", published_at=ago(days=30))
    assert titles("Đồng Nai") == [
        "Tỉnh Đồng Nai thu hút đầu tư",
        "Dong Nai province attracts investors",
    ]


def test_title_outranks_body_and_phrase_outranks_scattered(make_article):
    make_article("Tin tổng hợp", body="<p>Đê điều được gia cố trước mùa mưa.</p>")
    make_article("Gia cố đê điều ở Tiền Hải")
    assert titles("đê điều")[0] == "Gia cố đê điều ở Tiền Hải"
    make_article("Tin rời rạc", body="<p>Đê làng mới đắp, có điều người dân lo.</p>")
    make_article("Tin khác", body="<p>Nói về đê điều của tỉnh</p>")
    found = titles("đê điều")
    assert found.index("Tin khác") < found.index("Tin rời rạc")
    make_article("Tin ngược", body="<p>Có điều lạ ở con đê</p>")
    assert "Tin ngược" not in titles("đê điều")  # typed order kept


def test_freshness_helps_but_does_not_bury_a_strong_older_match(make_article):
    make_article(
        "Bão số 3 đổ bộ", lead="Bão số 3 gây mưa lớn.", published_at=ago(days=400)
    )
    make_article(
        "Tin tổng hợp", body="<p>Nhắc lại cơn bão cũ.</p>", published_at=ago(hours=1)
    )
    assert titles("bão")[0] == "Bão số 3 đổ bộ"
    make_article(
        "Bão số 4 đổ bộ", lead="Bão số 4 gây mưa lớn.", published_at=ago(days=1)
    )
    assert titles("bão")[0] == "Bão số 4 đổ bộ"
    assert titles("bão", newest_first=True)[0] == "Tin tổng hợp"


def test_filters_section_dates_and_video(make_article, make_section, section):
    economy = make_section("Kinh tế")
    make_article("Lúa mùa thắng lớn", published_at=ago(days=40))
    video = Video.objects.create(original_filename="lua.mp4")
    make_article(
        "Lúa đông xuân", section=economy, video=video, published_at=ago(days=2)
    )
    assert titles("lúa", filters=SearchFilters(section_ids=[economy.pk])) == [
        "Lúa đông xuân"
    ]
    assert titles("lúa", filters=SearchFilters(has_video=True)) == ["Lúa đông xuân"]
    assert titles("lúa", filters=SearchFilters(published_to=ago(days=10))) == [
        "Lúa mùa thắng lớn"
    ]


def test_index_follows_publish_edit_unpublish_and_delete(make_article):
    article = make_article("Khánh thành cầu Tân Đệ mới")
    assert titles("cau tan de") == ["Khánh thành cầu Tân Đệ mới"]
    article.title = "Thông xe cầu Tân Đệ"
    article.save_revision().publish()
    assert titles("thong xe") == ["Thông xe cầu Tân Đệ"]
    assert titles("khanh thanh") == []
    article.unpublish()
    assert titles("tan de") == []
    article.save_revision().publish()
    assert titles("tan de") == ["Thông xe cầu Tân Đệ"]
    article.delete()
    assert titles("tan de") == []
    draft = make_article("Bản nháp về cầu Tân Đệ", publish=False)
    assert titles("tan de") == []
    assert draft.pk


def test_reindex_rebuilds_from_published_articles(make_article):
    make_article("Lễ hội chùa Keo")
    make_article("Bản nháp lễ hội", publish=False)
    out = StringIO()
    call_command("reindex", stdout=out)
    assert "indexed: 1 " in out.getvalue()
    assert titles("le hoi") == ["Lễ hội chùa Keo"]


def test_search_page_highlights_in_the_original_spelling(client, make_article):
    make_article("Đà Nẵng đón khách", lead="Thành phố Đà Nẵng đón nửa triệu khách.")
    response = client.get("/tim-kiem/", {"q": "da nang"})
    tree = lxml.html.fromstring(response.content.decode())
    marks = [m.text_content() for m in tree.cssselect(".search-hit mark")]
    assert marks[:2] == ["Đà", "Nẵng"]
    assert "Tìm thấy 1 bài viết" in tree.text_content()


def test_telex_retry_says_what_it_searched(client, make_article):
    make_article("Hòa bình cho mọi nhà")
    tree = lxml.html.fromstring(
        client.get("/tim-kiem/", {"q": "hoaf binhf"}).content.decode()
    )
    assert "Kết quả cho hòa bình" in " ".join(tree.text_content().split())
    assert [a.text_content() for a in tree.cssselect(".search-hit h2 a")] == [
        "Hòa bình cho mọi nhà"
    ]


def test_json_endpoint(client, make_article):
    article = make_article("Hội nghị ASEAN khai mạc")
    data = client.get("/api/search", {"q": "ＡＳＥＡＮ"}).json()
    assert data["total"] == 1
    assert data["results"][0]["id"] == article.pk
    assert data["results"][0]["url"].endswith(article.get_absolute_url())


@pytest.mark.parametrize(
    "query",
    [
        "", " ", "x" * 10_000, "!!!", "và của là", 'NEAR("a" "b")', "a OR b", "^a", "a:b",
        "*", '"unbalanced', "“", "%", "\x00\x07", "-", "--a", "a*b*", "\u202e\u200b",
        "'; DROP TABLE news_article; --", "<script>alert(1)</script>",
    ],
)  # fmt: skip
def test_hostile_queries_give_a_normal_page(client, make_article, query):
    make_article("Tin bất kỳ")
    for params in (
        {"q": query},
        {"q": query, "page": "-1", "section": "x", "from": "2026-13-45", "video": "1"},
    ):
        page = client.get("/tim-kiem/", params)
        assert page.status_code == 200
        assert "<script>alert(1)</script>" not in page.content.decode()
        assert client.get("/api/search", params).status_code == 200


def test_invalid_percent_encoding_is_harmless(client, home):
    for raw in ["q=%E0%A4%A", "q=%FF%FE", "q=%", "q=%%%%", "page=%00&q=a"]:
        assert client.get(f"/tim-kiem/?{raw}").status_code == 200


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.text(max_size=80))
def test_no_query_raises_a_database_error(make_article, raw):
    search_articles(raw)


def test_one_letter_typo_gets_a_suggestion_in_the_archives_spelling(
    client, make_article
):
    make_article("Lễ hội Thái Bình", body="<p>Thái Bình mở hội.</p>")
    make_article("Thái Bình đón khách")
    results = search_articles("thai bihn")
    assert results.total == 0
    assert results.suggestion == "thái bình"
    tree = lxml.html.fromstring(
        client.get("/tim-kiem/", {"q": "thai bihn"}).content.decode()
    )
    link = tree.cssselect(".search-suggestion a")[0]
    assert link.text_content() == "thái bình"
    assert "q=th%C3%A1i+b%C3%ACnh" in link.get("href")
    assert search_articles("xyzzyq").suggestion is None


def test_autocomplete_offers_keywords_and_titles_from_a_prefix(client, make_article):
    make_article("Thái Bình đón khách", keywords=["Thái Bình"])
    make_article("Thái Thụy trúng vụ ngao")
    for typed in ("thai b", "Thái B", "THÁI B"):
        data = client.get("/api/search/autocomplete", {"q": typed}).json()
        assert data["keywords"] == [{"name": "Thái Bình", "url": "/tu-khoa/thai-binh/"}]
        assert [a["title"] for a in data["articles"]] == ["Thái Bình đón khách"]
    for junk in ("", "a", "*", "x" * 10_000, "%", '"'):
        response = client.get("/api/search/autocomplete", {"q": junk})
        assert response.status_code == 200


def test_a_new_key_version_rebuilds_the_index(make_article, monkeypatch):
    from toasoan.search import services
    from toasoan.search.models import IndexState

    make_article("Cầu Tân Đệ")
    services.get_backend().clear()
    assert titles("tan de") == []
    assert services.ensure_index_current() is False  # same version: left alone
    monkeypatch.setattr(services, "KEY_VERSION", services.KEY_VERSION + 1)
    assert services.ensure_index_current() is True
    assert titles("tan de") == ["Cầu Tân Đệ"]
    assert IndexState.objects.get().key_version == services.KEY_VERSION
    assert services.ensure_index_current() is False


def test_other_languages_and_moved_articles_filter_without_joins(
    make_article, make_section, section
):
    from wagtail.models import Locale

    english = Locale.objects.create(language_code="en")
    make_article("Lễ hội chùa Keo")
    make_article("Keo pagoda festival", locale=english)
    vietnamese = Locale.get_default()
    assert titles("keo", filters=SearchFilters(locale_id=vietnamese.pk)) == [
        "Lễ hội chùa Keo"
    ]
    assert titles("keo", filters=SearchFilters(locale_id=english.pk)) == [
        "Keo pagoda festival"
    ]
    culture = make_section("Văn hóa")
    article = make_article("Hội Lim mùa xuân")
    article.section = culture
    article.save_revision().publish()
    assert titles("hoi lim", filters=SearchFilters(section_ids=[culture.pk])) == [
        "Hội Lim mùa xuân"
    ]
    assert titles("hoi lim", filters=SearchFilters(section_ids=[section.pk])) == []


def test_a_large_result_says_about_how_many(client, make_article, monkeypatch):
    from toasoan.search import services

    for n in range(6):
        make_article(f"Thái Bình tin số {n}", published_at=ago(days=n + 1))
    for n in range(4):
        make_article(f"Bình Thái tin số {n}", published_at=ago(hours=n + 1))
    exact = search_articles("thái bình")
    assert (exact.total, exact.total_estimated) == (6, False)
    # 10 articles hold both words; when only 4 candidates are checked for the
    # typed order, the rest are counted in proportion.
    monkeypatch.setattr(services, "window_for", lambda offset, limit: 4)
    results = search_articles("thái bình", per_page=2)
    assert results.total_estimated and 2 <= results.total <= 10
    page = client.get("/tim-kiem/", {"q": "thái bình"}).content.decode()
    count = lxml.html.fromstring(page).cssselect(".search-count")[0].text
    assert count.startswith("Tìm thấy khoảng ")


def test_articles_dated_in_the_future_wait_for_their_time(make_article):
    make_article("Bão số 9 đổ bộ", published_at=timezone.now() + timedelta(hours=2))
    make_article("Bão số 8 tan", published_at=ago(days=1))
    results = search_articles("bão")
    assert [hit.article.title for hit in results.hits] == ["Bão số 8 tan"]
    assert results.total == 1
