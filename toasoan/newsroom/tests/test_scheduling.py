"""Scheduled articles go live on time, by the worker, with nobody running cron."""

import signal
import subprocess
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from toasoan.news.models import Article
from toasoan.newsroom.scheduling import (
    overdue_articles,
    publish_due,
    scheduled_articles,
)
from toasoan.search.services import search_articles

pytestmark = pytest.mark.django_db


def schedule(article, go_live_at, expire_at=None):
    article.go_live_at = go_live_at
    article.expire_at = expire_at
    article.save_revision().publish()
    article.refresh_from_db()
    return article


def move_schedule(article, go_live_at):
    """As if the clock had moved on: the schedule now stands at ``go_live_at``."""
    revision = article.latest_revision
    revision.approved_go_live_at = go_live_at
    revision.content["go_live_at"] = go_live_at.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    return revision


def test_a_scheduled_article_waits_then_goes_live_everywhere_at_once(
    make_article, client, section
):
    soon = timezone.now() + timedelta(minutes=1)
    article = schedule(make_article("Bầu cử: kết quả sơ bộ", publish=False), soon)
    assert not article.live
    assert [s.article.pk for s in scheduled_articles()] == [article.pk]
    assert publish_due() == []  # not yet
    assert client.get(section.url).content.decode().count("kết quả sơ bộ") == 0

    revision = move_schedule(article, timezone.now() - timedelta(seconds=1))
    went_live = publish_due()
    assert [a.pk for a in went_live] == [article.pk]
    article.refresh_from_db()
    assert article.live
    assert article.published_at == revision.approved_go_live_at  # its date is its time
    assert "Bầu cử: kết quả sơ bộ" in client.get(section.url).content.decode()
    assert "Bầu cử: kết quả sơ bộ" in client.get("/").content.decode()
    assert [h.article.pk for h in search_articles("ket qua so bo").hits] == [article.pk]
    assert scheduled_articles() == []


def test_an_expired_article_comes_down(make_article):
    article = make_article("Thông báo tạm thời")
    article.expire_at = timezone.now() - timedelta(seconds=1)
    article.save(update_fields=["expire_at"])
    publish_due()
    article.refresh_from_db()
    assert not article.live and article.expired
    assert search_articles("thong bao tam thoi").total == 0


def test_an_article_the_worker_missed_is_overdue_until_published(make_article):
    article = schedule(
        make_article("Tin bị lỡ giờ", publish=False),
        timezone.now() + timedelta(minutes=5),
    )
    assert overdue_articles() == []
    later = timezone.now() + timedelta(minutes=6, seconds=30)
    assert [s.article.pk for s in overdue_articles(later)] == [article.pk]
    move_schedule(article, timezone.now() - timedelta(minutes=3))
    assert [s.article.pk for s in overdue_articles()] == [article.pk]
    call_command("worker", "--once")
    article.refresh_from_db()
    assert article.live and overdue_articles() == []


def test_the_worker_runs_until_told_to_stop(site_in_its_own_process):
    site = site_in_its_own_process
    worker = subprocess.Popen(
        site.command("worker", "--interval", "0.2"),
        env={**site.env, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Its first line comes once it listens for SIGTERM: no guessing how long
    # Django takes to start on a busy machine.
    first_line = worker.stdout.readline()
    assert worker.poll() is None, worker.stderr.read()
    worker.send_signal(signal.SIGTERM)
    out, err = worker.communicate(timeout=10)
    assert worker.returncode == 0, err
    assert "mỗi 0.2 giây" in first_line + out


def test_the_dashboard_lists_scheduled_and_flags_overdue(make_article, admin_client):
    make_article("Tin chờ đăng", publish=False)
    waiting = schedule(
        Article.objects.get(title="Tin chờ đăng"),
        timezone.now() + timedelta(hours=1),
    )
    dashboard = admin_client.get("/admin/").content.decode()
    assert "Bài hẹn giờ đăng" in dashboard and "Tin chờ đăng" in dashboard
    assert "Quá giờ" not in dashboard
    move_schedule(waiting, timezone.now() - timedelta(minutes=2))
    dashboard = admin_client.get("/admin/").content.decode()
    assert "Quá giờ" in dashboard and "tiến trình nền (worker)" in dashboard
