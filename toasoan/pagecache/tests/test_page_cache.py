"""The page cache as readers and editors meet it: kept pages for readers, never
for a session, and every change a reader can see shown on the next request."""

from datetime import timedelta

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from toasoan.audience.tests.test_views_counting import settle_and_flush
from toasoan.news.models import Article
from toasoan.newsroom.corrections import restore_article, withdraw_article
from toasoan.newsroom.scheduling import publish_due
from toasoan.pagecache import store

pytestmark = pytest.mark.django_db
PHONE = "Mozilla/5.0 (Linux; Android 14; SM-A155F) Mobile Safari/537.36"


def title_of(response) -> str:
    return lxml.html.fromstring(response.content).cssselect("h1")[0].text_content()


def headlines(response) -> list[str]:
    page = lxml.html.fromstring(response.content)
    return [a.text_content().strip() for a in page.cssselect("main h2 a, main h3 a")]


def test_a_reader_gets_the_kept_page_with_an_etag_and_304(client, make_article):
    article = make_article("Bão số 9 đổ bộ")
    first = client.get(article.get_absolute_url())
    assert first["X-Toasoan-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        again = client.get(article.get_absolute_url())
    assert again["X-Toasoan-Cache"] == "hit"
    assert len(queries) == 0, "a kept page is served without the database"
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert "max-age=0" in again["Cache-Control"]  # browsers ask again each time
    assert again["X-Accel-Expires"] == "5"  # it shows a view count
    listing = client.get("/")
    assert listing["X-Accel-Expires"] == "60"  # listings change by publishing
    assert "s-maxage=60" in listing["Cache-Control"]
    assert again["Content-Security-Policy"]  # still added to kept pages
    not_modified = client.get(
        article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"]
    )
    assert not_modified.status_code == 304
    assert not_modified.content == b""


def test_editors_with_a_session_never_see_or_leave_kept_pages(
    client, make_article, log_in_as
):
    article = make_article("Kết quả bầu cử")
    log_in_as("Biên tập viên")
    for _ in range(2):
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        assert "X-Toasoan-Cache" not in response
    client.logout()
    client.cookies.clear()
    assert client.get(article.get_absolute_url())["X-Toasoan-Cache"] == "miss"


def test_admin_previews_and_the_api_are_never_kept(client, make_article, log_in_as):
    article = make_article("Bài có bản xem trước")
    for path in ("/api/v1/articles/", f"/api/v1/articles/{article.pk}/"):
        client.get(path)
        assert "X-Toasoan-Cache" not in client.get(path)
    log_in_as("Tổng biên tập")
    preview = client.get(
        f"/admin/snippets/news/article/preview/{article.pk}/", {"mode": ""}
    )
    assert "X-Toasoan-Cache" not in preview


def test_an_edit_published_shows_on_the_next_request(client, make_article, home):
    article = make_article("Tiêu đề cũ")
    url = article.get_absolute_url()
    section_url = article.section.get_url()
    for path in (url, section_url, "/", "/rss/"):
        client.get(path)
        assert client.get(path)["X-Toasoan-Cache"] == "hit"
    article.title = "Tiêu đề mới"
    article.save_revision().publish()
    assert title_of(client.get(url)) == "Tiêu đề mới"  # same address, new page
    assert "Tiêu đề mới" in headlines(client.get(section_url))
    assert "Tiêu đề mới" in headlines(client.get("/"))
    assert "Tiêu đề mới" in client.get("/rss/").content.decode()


def test_unpublish_withdrawal_restore_and_deletion_show_at_once(
    client, make_article, admin_user
):
    article = make_article("Tin sẽ gỡ")
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    withdraw_article(article, admin_user, "Thông tin chưa được kiểm chứng")
    gone = client.get(url)
    assert gone.status_code == 410
    assert "chưa được kiểm chứng" in gone.content.decode()
    assert "Tin sẽ gỡ" not in headlines(client.get("/"))
    restore_article(article, admin_user)
    assert client.get(url).status_code == 200
    article.unpublish()
    assert client.get(url).status_code == 404
    article.save_revision().publish()
    assert client.get(url).status_code == 200
    article.delete()
    assert client.get(url).status_code == 404


def test_a_scheduled_article_going_live_shows_on_the_home_page(client, make_article):
    make_article("Tin đã đăng")
    assert client.get("/")["X-Toasoan-Cache"] == "miss"
    due = make_article("Tin hẹn giờ", publish=False)
    revision = due.save_revision()
    revision.approved_go_live_at = timezone.now() - timedelta(seconds=1)
    revision.save()
    assert client.get("/")["X-Toasoan-Cache"] == "hit"
    assert [a.title for a in publish_due()] == ["Tin hẹn giờ"]
    assert "Tin hẹn giờ" in headlines(client.get("/"))


def test_views_are_counted_behind_the_kept_page(client, make_article):
    article = make_article("Tin được đọc", view_count=264)
    for n in range(3):
        page = client.get(article.get_absolute_url())
        assert lxml.html.fromstring(page.content).cssselect("main[data-article-id]")
        beacon = client.post(f"/api/views/{article.pk}", HTTP_USER_AGENT=f"{PHONE} {n}")
        assert beacon.status_code == 204
    assert page["X-Toasoan-Cache"] == "hit"
    assert settle_and_flush() == 3
    assert Article.objects.get(pk=article.pk).view_count == 267


def test_each_address_and_query_is_kept_apart_and_bad_ones_are_not_kept(
    client, make_article
):
    for n in range(25):
        make_article(f"Tin số {n}")
    assert client.get("/?page=2").content != client.get("/").content
    assert client.get("/?page=2")["X-Toasoan-Cache"] == "hit"
    hostile = "/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E&page=%00"
    assert client.get(hostile).status_code in (200, 400)
    missing = "/khong-co-trang-nay/"
    assert client.get(missing).status_code == 404
    assert "X-Toasoan-Cache" not in client.get(missing)  # a 404 is not kept
    # A refresh needs the secret: without it the header is only a header.
    response = client.get("/", HTTP_X_TOASOAN_REFRESH="")
    assert response["X-Toasoan-Cache"] == "hit"


def test_a_publish_in_another_process_purges_this_ones_pages(client, make_article):
    """Embedded mode: the worker publishes, runserver keeps the pages. The
    generation lives in a file both see (here: changed as the worker would)."""
    article = make_article("Tin sáng")
    client.get("/")
    before = store.current_generation()
    Article.objects.filter(pk=article.pk).update(title="Tin trưa")
    store.generation_file().write_text("x")  # another process's swap-in
    assert store.current_generation() != before
    assert "Tin trưa" in headlines(client.get("/"))


def test_pages_kept_in_redis_are_shared_and_purged_for_every_app_server(
    client, make_article, settings
):
    from toasoan.audience.tests.test_views_counting import empty_test_redis

    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "toasoan.core.cache.ForgivingRedisCache",
            "LOCATION": empty_test_redis(),
        },
    }
    settings.TOASOAN_PAGE_CACHE_ALIAS = "shared"
    article = make_article("Tin chung")
    assert client.get("/")["X-Toasoan-Cache"] == "miss"
    from django.test import Client

    other_server = Client()  # same Redis, so the same kept page
    assert other_server.get("/")["X-Toasoan-Cache"] == "hit"
    article.title = "Tin chung, đã sửa"
    article.save_revision().publish()
    assert "Tin chung, đã sửa" in headlines(other_server.get("/"))


def test_a_page_rendered_across_a_publish_is_not_kept(
    client, make_article, monkeypatch
):
    """A reader's render that began before a publish and ended after it may show
    the old page: neither we nor nginx keep it (the purge's fresh copy stays)."""
    article = make_article("Tin đang sửa")
    generations = iter(["trước khi đăng", "sau khi đăng"])
    monkeypatch.setattr(
        store, "current_generation", lambda: next(generations, "sau khi đăng")
    )
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "X-Accel-Expires" not in response
    assert "X-Toasoan-Cache" not in response
    monkeypatch.undo()
    assert client.get(article.get_absolute_url())["X-Toasoan-Cache"] == "miss"
