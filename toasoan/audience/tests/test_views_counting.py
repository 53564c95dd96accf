"""Counting readers: the beacon, its refusals, and adding views exactly once."""

import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from datetime import timedelta

import lxml.html
import pytest
from django.utils import timezone

from conftest import free_port
from toasoan.audience import flushing
from toasoan.audience.flushing import flush_views
from toasoan.audience.models import AddedBatch, ArticleViewHour, ReaderKeySecret
from toasoan.audience.recording import (
    REDIS_UNFLUSHED,
    forget_old_secrets,
    queue_dir,
    secret_of_the_day,
)
from toasoan.news.models import Article

pytestmark = pytest.mark.django_db
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Safari/604.1"
ANDROID = "Mozilla/5.0 (Linux; Android 14; SM-A155F) Chrome/126.0 Mobile Safari/537.36"


def beacon(client, article_id, agent=PHONE, ip="203.113.1.1", **extra):
    return client.post(
        f"/api/views/{article_id}", HTTP_USER_AGENT=agent, REMOTE_ADDR=ip, **extra
    )


def settle_and_flush():
    """Two rounds, as the worker does: take the queue, then add it."""
    flush_views()
    for path in queue_dir().glob("processing-*.log"):
        os.utime(path, (time.time() - 5, time.time() - 5))
    return flush_views()


def test_one_view_per_reader_per_half_hour_and_carrier_nat_is_many_readers(
    client, make_article
):
    article = make_article("Bầu cử đại biểu Quốc hội", view_count=11_363)
    assert beacon(client, article.pk).status_code == 204
    for _ in range(3):  # reloads
        beacon(client, article.pk)
    # Another phone behind the same carrier address is another reader.
    beacon(client, article.pk, agent=ANDROID)
    assert settle_and_flush() == 2
    article.refresh_from_db()
    assert article.view_count == 11_365  # the imported total, plus two readers
    assert ArticleViewHour.objects.get(article=article).views == 2
    page = lxml.html.fromstring(client.get(article.get_absolute_url()).content)
    assert page.cssselect(".article__views")[0].text == "11.365 lượt xem"
    assert page.cssselect("main")[0].get("data-article-id") == str(article.pk)
    assert settle_and_flush() == 0  # nothing is added twice


def shown_views(client, article) -> tuple[str, int]:
    """What a reader sees on the page, and what the API says. Each time a new
    address: the page cache would give the first rendering for a few seconds."""
    address = f"{article.get_absolute_url()}?lan={uuid.uuid4().hex}"
    page = lxml.html.fromstring(client.get(address).content)
    api = client.get(f"/api/v1/articles/{article.pk}").json()
    return page.cssselect(".article__views")[0].text, api["view_count"]


def test_the_count_shown_includes_views_not_added_yet_and_none_twice(
    client, make_article, monkeypatch
):
    article = make_article("Lễ hội Khai hạ", view_count=11_363)
    other = make_article("Tin khác")
    beacon(client, article.pk)
    beacon(client, article.pk, agent=ANDROID)
    beacon(client, other.pk)
    # Before the worker's round: the stored total plus the two queued views.
    assert shown_views(client, article) == ("11.365 lượt xem", 11_365)
    flush_views()  # the queue is taken (renamed), not added yet
    assert shown_views(client, article) == ("11.365 lượt xem", 11_365)
    # The moment a batch is in the totals but its file not deleted yet.
    [batch] = queue_dir().glob("processing-*.log")
    flushing._add_batch(batch.stem, batch.read_text())
    assert Article.objects.get(pk=article.pk).view_count == 11_365
    assert shown_views(client, article) == ("11.365 lượt xem", 11_365)
    assert settle_and_flush() == 0 and not batch.exists()
    beacon(client, article.pk, agent=f"{ANDROID} Zalo")
    assert shown_views(client, article) == ("11.366 lượt xem", 11_366)
    # A queue grown past the limit (a worker stopped long) is not read per page.
    monkeypatch.setattr(flushing, "UNFLUSHED_READ_LIMIT", 10)
    assert shown_views(client, article) == ("11.365 lượt xem", 11_365)
    assert settle_and_flush() == 1  # the queue is left empty for the next test


class ShiftedClock:
    """The cache's clock, moved on: Django's local-memory cache expires keys by
    time.time(), so the 30 minutes pass without waiting for them."""

    def __init__(self):
        self.minutes = 0

    def time(self) -> float:
        return time.time() + self.minutes * 60


def test_a_reader_counts_again_after_half_an_hour(client, make_article, monkeypatch):
    from django.core.cache.backends import base, locmem

    clock = ShiftedClock()
    monkeypatch.setattr(locmem, "time", clock)
    monkeypatch.setattr(base, "time", clock)
    article = make_article("Giá lúa vụ mùa")
    beacon(client, article.pk)
    clock.minutes = 29
    beacon(client, article.pk)  # still the same visit
    clock.minutes = 31
    beacon(client, article.pk)  # a new one
    assert settle_and_flush() == 2


def test_nothing_kept_names_a_reader(client, make_article):
    """No cookie, and neither the address nor the browser in the queue."""
    article = make_article("Tin riêng tư")
    response = beacon(client, article.pk, agent=f"{PHONE} Zalo/24.1", ip="203.113.77.9")
    assert response.status_code == 204 and not response.cookies
    queued = b"".join(p.read_bytes() for p in queue_dir().glob("*.log"))
    assert queued.startswith(b"%d\t" % article.pk)
    assert b"203.113" not in queued and b"Zalo" not in queued
    assert settle_and_flush() == 1


def test_robots_and_scripts_do_not_count(client, make_article):
    article = make_article("Tin cho máy đọc")
    for agent in (
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "facebookexternalhit/1.1",
        "curl/8.5.0",
        "python-requests/2.32",
        "",
        "x" * 600,
    ):
        assert beacon(client, article.pk, agent=agent).status_code == 204
    assert settle_and_flush() == 0


def test_bad_beacons_get_a_4xx_and_never_a_count(client, make_article):
    article = make_article("Bài công khai")
    draft = make_article("Bản nháp", publish=False)
    withdrawn = make_article("Bài đã gỡ")
    Article.objects.filter(pk=withdrawn.pk).update(withdrawn_at=timezone.now())
    for missing in (draft.pk, withdrawn.pk, 999_999, 10**30):
        assert beacon(client, missing).status_code == 404
    for malformed in ("abc", "-1", "1.5", "%F0%9F%98%80", "١٢٣", "1;DROP"):
        response = client.post(f"/api/views/{malformed}", HTTP_USER_AGENT=PHONE)
        assert response.status_code == 404, malformed
    assert client.get(f"/api/views/{article.pk}").status_code == 405
    huge = client.post(
        f"/api/views/{article.pk}",
        data=b"\xff" * 100_000,
        content_type="application/octet-stream",
        HTTP_USER_AGENT=PHONE,
    )
    assert huge.status_code == 413
    odd = beacon(client, article.pk, CONTENT_LENGTH="nhiều")
    assert odd.status_code == 413
    assert settle_and_flush() == 0


def test_a_flood_from_one_reader_is_limited_but_not_a_whole_carrier(
    client, make_article
):
    articles = [make_article(f"Tin {n}") for n in range(3)]
    statuses = [beacon(client, articles[n % 3].pk).status_code for n in range(70)]
    assert statuses.count(429) == 10  # 60 a minute per reader
    # 1,000 different phones behind one address all count, once each, though
    # each reloads: their marks must outlive a small cache.
    for _ in range(2):  # every phone reads, then every phone reloads
        for n in range(1_000):
            beacon(client, articles[0].pk, agent=f"{ANDROID} build/{n}", ip="10.0.0.1")
    assert settle_and_flush() == 3 + 1_000


def test_a_batch_is_added_exactly_once_even_after_a_crash(make_article):
    article = make_article("Tin sau sự cố")
    hour = timezone.now().replace(minute=0, second=0, microsecond=0).isoformat()
    lines = f"{article.pk}\t{hour}\n" * 5
    added = queue_dir() / "processing-1-added.log"
    added.write_text(lines)
    AddedBatch.objects.create(name="processing-1-added")  # died before deleting
    fresh = queue_dir() / "processing-2-fresh.log"
    fresh.write_text(lines + "rác\tkhông phải số\n\n")
    assert settle_and_flush() == 5
    assert not added.exists() and not fresh.exists()
    article.refresh_from_db()
    assert article.view_count == 5


def test_yesterdays_reader_secret_is_forgotten():
    yesterday = timezone.now() - timedelta(days=1)
    old = secret_of_the_day(yesterday)
    assert secret_of_the_day() != old
    forget_old_secrets()
    assert list(ReaderKeySecret.objects.values_list("day", flat=True)) == [
        timezone.localdate()
    ]


def empty_test_redis() -> str:
    """The test Redis (database 15), emptied; skipped, or failed in CI, if down."""
    import redis

    url = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url).ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {url}")
        pytest.skip(f"Redis is not reachable at {url}")
    redis.Redis.from_url(url).flushdb()
    return url


@pytest.fixture
def redis_views(settings):
    """Beacons recorded in a real Redis."""
    settings.VIEWS_REDIS_URL = empty_test_redis()
    return settings.VIEWS_REDIS_URL


def test_redis_queue_counts_the_same(client, make_article, redis_views):
    article = make_article("Tin qua Redis", view_count=264)
    for n in range(5):
        assert beacon(client, article.pk, agent=f"{PHONE} {n}").status_code == 204
    beacon(client, article.pk, agent=f"{PHONE} 0")  # a reload
    assert flush_views() == 5
    assert flush_views() == 0
    article.refresh_from_db()
    assert article.view_count == 269


def test_redis_mode_shows_views_not_added_yet_and_none_twice(
    client, make_article, redis_views
):
    import redis

    article = make_article("Tin qua Redis", view_count=264)
    for n in range(3):
        beacon(client, article.pk, agent=f"{PHONE} {n}")
    beacon(client, article.pk, agent=f"{PHONE} 0")  # a reload
    assert shown_views(client, article) == ("267 lượt xem", 267)
    assert flush_views() == 3
    assert shown_views(client, article) == ("267 lượt xem", 267)
    assert not redis.Redis.from_url(redis_views).exists(REDIS_UNFLUSHED)
    beacon(client, article.pk, agent=f"{PHONE} 9")
    assert shown_views(client, article) == ("268 lượt xem", 268)
    assert flush_views() == 1


def test_redis_keeps_a_reader_half_an_hour_and_never_the_address(
    client, make_article, redis_views
):
    import redis

    store = redis.Redis.from_url(redis_views)
    article = make_article("Tin riêng tư")
    response = beacon(client, article.pk, agent=f"{PHONE} Zalo/24.1", ip="203.113.77.9")
    assert response.status_code == 204 and not response.cookies
    [seen] = store.keys(f"toasoan:seen:{article.pk}:*")
    assert 1_790 <= store.ttl(seen) <= 1_800  # 30 minutes, then Redis forgets it
    # Every key and value Redis holds (it may save them to disk).
    kept = []
    for key in store.scan_iter():
        kept.append(key)
        kind = store.type(key)
        if kind == b"string":
            kept.append(store.get(key))
        elif kind == b"list":
            kept += store.lrange(key, 0, -1)
        elif kind == b"hash":
            kept += [*store.hkeys(key), *store.hvals(key)]
    everything = b" ".join(kept)
    assert b"203.113" not in everything and b"Zalo" not in everything
    assert b"toasoan:limit:address:" in everything  # the limit is there, keyed
    assert flush_views() == 1


def test_redis_mode_refuses_and_limits_as_embedded_mode_does(
    client, make_article, redis_views
):
    articles = [make_article(f"Tin {n}") for n in range(3)]
    withdrawn = make_article("Bài đã gỡ")
    Article.objects.filter(pk=withdrawn.pk).update(withdrawn_at=timezone.now())
    draft = make_article("Bản nháp", publish=False)
    for missing in (draft.pk, withdrawn.pk, 999_999):
        assert beacon(client, missing, agent=ANDROID).status_code == 404
    # The reader already spent 3 of 60 on the refused beacons above.
    statuses = [
        beacon(client, articles[n % 3].pk, agent=ANDROID).status_code for n in range(60)
    ]
    assert statuses.count(429) == 3
    assert beacon(client, withdrawn.pk, agent=ANDROID).status_code == 429
    for n in range(200):  # phones behind one carrier address: each counts once
        beacon(client, articles[0].pk, agent=f"{PHONE} {n}", ip="10.0.0.1")
        beacon(client, articles[0].pk, agent=f"{PHONE} {n}", ip="10.0.0.1")
    assert flush_views() == 3 + 200
    assert Article.objects.get(pk=articles[0].pk).view_count == 201


NEW_SECTION = """
from toasoan.news.models import HomePage, SectionPage
section = SectionPage(title="Thời sự", slug="thoi-su")
HomePage.objects.first().add_child(instance=section)
section.save_revision().publish()
"""


@pytest.mark.parametrize("mode", ["embedded", "redis"])
def test_kill_9_of_the_web_server_loses_no_acknowledged_view(
    site_in_its_own_process, mode
):
    """A beacon answered 204 is on disk (embedded) or in Redis before the answer."""
    site = site_in_its_own_process
    port = free_port()
    env = site.env
    if mode == "redis":
        env["REDIS_URL"] = empty_test_redis()
    python = site.python
    # Four published articles (ids 1-4), the quick way: a section, then an
    # archive import into it.
    section = site.run("shell", "--no-imports", "-c", NEW_SECTION)
    assert section.returncode == 0, section.stderr
    archive = site.data_dir / "archive"
    archive.mkdir()
    for n in range(1, 5):
        (archive / f"article-{n}.txt").write_text(
            f"Bài số {n} về mùa lúa Thái Bình\n\nThứ 6, 26.07.2019 | 17:30:59\n"
            f"{n} lượt xem\n\nNông dân thu hoạch lúa, bài {n}.\n",
            encoding="utf-8",
        )
    site.run("import-text", str(archive), check=True)
    server = subprocess.Popen(
        [*python, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):  # a loaded CI machine may take a while
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the server did not start within a minute")
        acknowledged = 0
        for n in range(40):
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/api/views/{1 + n % 4}",
                method="POST",
                headers={"User-Agent": f"{PHONE} {uuid.uuid4()}"},
            )
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    acknowledged += response.status == 204
            except urllib.error.HTTPError:
                pass
        os.kill(server.pid, signal.SIGKILL)
        server.wait(10)
    finally:
        if server.poll() is None:
            server.kill()

    def total_views() -> int:
        code = (
            "from toasoan.news.models import Article; "
            "print(sum(Article.objects.values_list('view_count', flat=True)))"
        )
        done = subprocess.run(
            [*python, "shell", "-c", code], env=env, capture_output=True, text=True
        )
        return int(done.stdout.split()[-1])

    queued_in_files = list((site.data_dir / "views").glob("*.log"))
    if mode == "redis":
        import redis

        from toasoan.audience.recording import REDIS_QUEUE

        assert redis.Redis.from_url(env["REDIS_URL"]).llen(REDIS_QUEUE) == 40
        assert not queued_in_files
    else:
        assert queued_in_files
    before = total_views()
    for _ in range(2):
        subprocess.run([*python, "worker", "--once"], env=env, check=True)
        time.sleep(1.1)
    assert acknowledged == 40
    assert total_views() - before == 40


def test_a_graceful_stop_of_the_worker_adds_every_queued_view(
    site_in_its_own_process,
):
    """Views queued just before a SIGTERM (a deploy, a reboot) are in the
    totals when the worker has stopped, not left for its next start."""
    site = site_in_its_own_process
    made = site.run("shell", "--no-imports", "-c", NEW_SECTION)
    assert made.returncode == 0, made.stderr
    archive = site.data_dir / "archive"
    archive.mkdir()
    (archive / "article-1.txt").write_text(
        "Mùa lúa Thái Bình\n\nThứ 6, 26.07.2019 | 17:30:59\n\nNông dân thu hoạch.\n",
        encoding="utf-8",
    )
    site.run("import-text", str(archive), check=True)
    worker = subprocess.Popen(
        site.command("worker", "--interval", "0.2"),
        env={**site.env, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    worker.stdout.readline()  # it listens for SIGTERM from here on
    time.sleep(1)
    # What the beacon writes (audience.recording.append_view), 25 readers.
    hour = timezone.now().replace(minute=0, second=0, microsecond=0).isoformat()
    queue = site.data_dir / "views" / "current.log"
    queue.parent.mkdir(exist_ok=True)
    with queue.open("a", encoding="utf-8") as lines:
        lines.write(f"1\t{hour}\n" * 25)
    worker.send_signal(signal.SIGTERM)
    _, err = worker.communicate(timeout=30)
    assert worker.returncode == 0, err
    assert site.count("select view_count from news_article where id = 1") == 25
    queued = (site.data_dir / "views").glob("*.log")
    assert [p.name for p in queued if p.stat().st_size] == []
