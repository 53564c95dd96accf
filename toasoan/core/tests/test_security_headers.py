"""Security headers on every kind of response: reader pages, the admin, the API,
feeds, sitemaps and uploaded media (docs/security.md)."""

import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from wagtail.documents import get_document_model

from toasoan.core.tests.test_settings import SETUP, run_python

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "SAMEORIGIN",
}
# What both policies hold, the reader site's and the admin's.
RESTRICTIONS = {
    "default-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
    "connect-src": ["'self'"],
}


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part)
    }


def assert_reader_policy(response):
    for name, value in COMMON.items():
        assert response[name] == value, name
    found = policy(response)
    assert found | RESTRICTIONS == found  # all of them, unchanged
    for directive in ("script-src", "style-src", "img-src", "media-src", "font-src"):
        assert found[directive] == ["'self'"], directive
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


@pytest.fixture
def articles(make_article, make_image):
    return make_article("Tin có ảnh", featured_image=make_image(), keywords=["Huế"])


def test_reader_pages_api_feeds_and_sitemaps_carry_the_reader_policy(
    client, section, articles
):
    urls = [
        "/",
        section.url,
        articles.get_absolute_url(),
        f"/bai-viet/{articles.pk}/in/",
        "/tu-khoa/hue/",
        "/tim-kiem/?q=tin",
        "/video/",
        "/khong-co-trang-nay/",  # a 404
        "/api/v1/articles",
        f"/api/v1/articles/{articles.pk}",
        "/api/v1/openapi.json",
        "/api/search?q=tin",
        "/api/health",
        "/rss/",
        "/atom/",
        f"{section.url}rss/",
        "/sitemap.xml",
        "/sitemaps/news.xml",
        "/robots.txt",
        "/admin/login/",  # anyone reaches it: the reader site's policy
        "/admin/password_reset/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert_reader_policy(response)
    beacon = client.post(f"/api/views/{articles.pk}", HTTP_USER_AGENT="Mozilla/5.0")
    assert beacon.status_code == 204
    assert_reader_policy(beacon)


def test_the_admin_has_its_own_policy_and_the_same_other_headers(
    log_in_as, make_article
):
    article = make_article()
    client = log_in_as("Biên tập viên")
    for url in ("/admin/", f"/admin/snippets/news/article/edit/{article.pk}/"):
        response = client.get(url)
        assert response.status_code == 200
        for name, value in COMMON.items():
            assert response[name] == value, name
        found = policy(response)
        assert found | RESTRICTIONS == found
        # Wagtail's inline scripts and styles, and nothing from other origins.
        assert found["script-src"] == ["'self'", "'unsafe-inline'"]
        assert found["style-src"] == ["'self'", "'unsafe-inline'"]
        assert found["img-src"] == ["'self'", "data:", "blob:"]
        assert found["frame-src"] == ["'self'"]  # the preview
    preview = client.get(f"/admin/snippets/news/article/preview/{article.pk}/")
    assert preview.status_code == 200
    assert preview["X-Frame-Options"] == "SAMEORIGIN"


def test_uploaded_media_can_never_run_as_a_page_of_ours(
    client, make_article, make_video
):
    # An HTML page uploaded as a published video's captions: readers may fetch
    # it (media_access.py), and it must still run nothing.
    video = make_video()
    video.captions.save("trang.html", ContentFile(b"<script>1</script>"))
    make_article("Bản tin có phụ đề", video=video)
    name = video.captions.name
    try:
        for headers in ({}, {"HTTP_RANGE": "bytes=0-3"}):
            response = client.get("/media/" + name, **headers)
            assert response.status_code in (200, 206)
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
        etag = response["ETag"]
        unchanged = client.get("/media/" + name, HTTP_IF_NONE_MATCH=etag)
        assert unchanged.status_code == 304
        assert unchanged["Content-Security-Policy"] == "default-src 'none'; sandbox"
    finally:
        default_storage.delete(name)


def test_wagtail_documents_keep_their_own_policy(client):
    document = get_document_model().objects.create(
        title="Công văn", file=ContentFile(b"<script>1</script>", name="cong-van.html")
    )
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_media_from_an_object_store_is_allowed_by_the_policy(tmp_path):
    code = SETUP + (
        "from django.test import Client; "
        "r = Client().get('/api/health', secure=True); "
        "print(r['Content-Security-Policy'])"
    )
    result = run_python(
        code,
        "toasoan.settings.production",
        SECRET_KEY="Q7!vz" * 12,
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
        TOASOAN_S3_BUCKET="tbtv-media",
        TOASOAN_S3_CUSTOM_DOMAIN="media.tbtv.example.vn",
    )
    assert result.returncode == 0, result.stderr
    found = {
        name: values
        for name, *values in (p.split() for p in result.stdout.strip().split(";"))
    }
    cdn = "https://media.tbtv.example.vn"
    assert found["img-src"] == ["'self'", cdn]
    assert found["media-src"] == ["'self'", cdn]
    assert found["script-src"] == ["'self'"]


def test_no_template_has_inline_scripts_styles_or_event_handlers():
    inline = re.compile(
        r"<script(?![^>]*\b(src=|type=\"application/ld\+json\"))[^>]*>"
        r"|<style\b|\sstyle=|\son[a-z]+=|javascript:",
        re.IGNORECASE,
    )
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        for match in inline.finditer(path.read_text())
    ]
    assert found == []


def test_development_sends_the_headers_too(tmp_path):
    code = SETUP + (
        "from django.test import Client; "
        "r = Client().get('/api/health', HTTP_HOST='localhost'); "
        "print(r['X-Content-Type-Options'], r['Referrer-Policy'], "
        "r['X-Frame-Options'], r['Content-Security-Policy'] != '')"
    )
    result = run_python(
        code, "toasoan.settings.dev", DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "nosniff", "strict-origin-when-cross-origin", "SAMEORIGIN", "True",
    ]  # fmt: skip
