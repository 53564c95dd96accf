"""Fault drill: Redis goes away under a running site and comes back (issue 12).

A real redis-server is started for the test, stopped and started again. While it
is away, pages are served (the cache misses instead of failing) and beacons are
counted in the local queue; when it is back, the site uses it again by itself,
and every view counted on either side reaches the totals exactly once."""

import os
import shutil
import subprocess
import time

import pytest

from conftest import free_port
from toasoan.audience import flushing, recording
from toasoan.audience.flushing import flush_views
from toasoan.core import cache as forgiving

PHONE = "Mozilla/5.0 (Linux; Android 14; SM-A155F) Chrome/131.0 Mobile Safari/537.36"


class RedisServer:
    """A throwaway redis-server on its own port, which the test can stop."""

    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        import redis

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                redis.Redis.from_url(self.url).ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.kill()
        self.process.wait(10)


@pytest.fixture
def redis_server():
    if shutil.which("redis-server") is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    server = RedisServer(free_port())
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.fixture
def site_on(redis_server, settings, monkeypatch):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "toasoan.core.cache.ForgivingRedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }
    # Pages are kept in Redis too, as base.py does when REDIS_URL is set.
    settings.TOASOAN_PAGE_CACHE_ALIAS = "default"
    settings.VIEWS_REDIS_URL = redis_server.url
    # Tried again after 0.2 s instead of 5, and queue files read at once.
    monkeypatch.setattr(forgiving, "RETRY_AFTER_SECONDS", 0.2)
    monkeypatch.setattr(flushing, "SETTLE_SECONDS", 0)
    return redis_server


def beacon(client, article_id, reader: int):
    return client.post(
        f"/api/views/{article_id}",
        HTTP_USER_AGENT=f"{PHONE} {reader}",
        REMOTE_ADDR="203.113.1.1",
    )


def flush_all() -> int:
    # A local queue file is renamed in one round and added in the next.
    return flush_views() + flush_views()


@pytest.mark.django_db
def test_the_site_serves_and_counts_while_redis_is_away(
    client, make_article, section, site_on
):
    import redis

    article = make_article("Bầu cử đại biểu Quốc hội: cử tri đi bầu sớm", view_count=10)
    pages = ["/", section.url, article.get_absolute_url(), "/tim-kiem/?q=bau+cu"]
    assert all(client.get(page).status_code == 200 for page in pages)
    assert beacon(client, article.pk, 1).status_code == 204
    assert redis.Redis.from_url(site_on.url).llen(recording.REDIS_QUEUE) == 1
    assert flush_all() == 1

    site_on.stop()
    for page in pages:
        assert client.get(page).status_code == 200, page
    assert beacon(client, article.pk, 2).status_code == 204
    assert beacon(client, article.pk, 2).status_code == 204  # a reload: not counted
    assert beacon(client, article.pk, 3).status_code == 204
    assert flush_all() == 2  # the worker goes on, from the local queue

    site_on.start()  # back, empty (it kept nothing on disk)
    time.sleep(0.3)
    assert beacon(client, article.pk, 4).status_code == 204
    assert redis.Redis.from_url(site_on.url).llen(recording.REDIS_QUEUE) == 1
    assert flush_all() == 1
    from django.core.cache import cache

    cache.set("toasoan:drill", "đã trở lại")
    assert cache.get("toasoan:drill") == "đã trở lại"
    assert client.get("/").status_code == 200
    article.refresh_from_db()
    assert article.view_count == 10 + 4
