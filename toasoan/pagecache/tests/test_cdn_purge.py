"""A CDN in front is purged by the same mechanism: Wagtail's frontend cache
backends (here its HTTP backend, as Varnish or a CDN's purge API receives it)
get every address a publish changes, after the commit."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from toasoan.pagecache import purge

pytestmark = pytest.mark.django_db


@pytest.fixture
def cdn(settings):
    """A stand-in CDN on loopback that records the PURGE requests it gets."""
    received: list[tuple[str, str]] = []

    class Recorder(BaseHTTPRequestHandler):
        def do_PURGE(self):  # noqa: N802 - the HTTP method's name
            received.append((self.headers["Host"], self.path))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.WAGTAILFRONTENDCACHE = {
        "cdn": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_port}",
        }
    }
    settings.ALLOWED_HOSTS = ["baotinh.vn"]
    yield received
    server.shutdown()


def test_a_publish_purges_its_pages_from_the_cdn(
    cdn, make_article, django_capture_on_commit_callbacks
):
    article = make_article("Tin trước", keywords=["Bầu cử"])
    cdn.clear()
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Tin sau khi sửa"
        article.save_revision().publish()
    purge.wait_for_refreshes()
    paths = {path for host, path in cdn if host == "baotinh.vn"}
    assert {
        article.get_absolute_url(),
        "/",
        article.section.get_url(),
        "/tu-khoa/bau-cu/",
        "/rss/",
        "/sitemaps/news.xml",
    } <= paths


def test_no_cdn_configured_means_no_purge_requests(settings, make_article):
    settings.WAGTAILFRONTENDCACHE = {}
    article = make_article("Tin không có CDN")
    assert purge.refresh_now(purge.article_addresses(article)) == []
