"""Fault drill: the worker is killed (kill -9) while it publishes scheduled
articles (issue 12). The next round publishes the rest; every article is
published once, with its go-live time as its date, and none twice."""

import signal
import subprocess
import time

import pytest

ARTICLES = 80
SCHEDULE = f"""
from datetime import timedelta
from django.utils import timezone
from toasoan.news.models import Article, HomePage, SectionPage

home = HomePage.objects.first()
section = SectionPage(title="Thời sự", slug="thoi-su")
home.add_child(instance=section)
section.save_revision().publish()
due = timezone.now().replace(microsecond=0) - timedelta(minutes=1)
for n in range({ARTICLES}):
    article = Article(
        title=f"Tin hẹn giờ số {{n}}", section=section, lead="Sapo.",
        body="<p>Nội dung.</p>", published_at=due - timedelta(days=1),
        locale=section.locale, live=False,
        go_live_at=timezone.now() + timedelta(hours=1),
    )
    article.save()
    article.save_revision(clean=False).publish()  # scheduled, an hour ahead
    # The clock moves on: the schedule is now a minute ago, so it is due.
    revision = article.latest_revision
    revision.approved_go_live_at = due
    revision.content["go_live_at"] = due.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
print(due.isoformat())
"""
REPORT = """
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from wagtail.models import ModelLogEntry, Revision
from toasoan.news.models import Article

article_type = ContentType.objects.get_for_model(Article)
publishes = ModelLogEntry.objects.filter(
    content_type=article_type, action="wagtail.publish.scheduled"
)
print(Article.objects.filter(live=True).count())
print(publishes.count())
print(publishes.values("object_id").annotate(n=Count("id")).filter(n__gt=1).count())
print(Revision.objects.filter(
    base_content_type=article_type, approved_go_live_at__isnull=False
).count())
print(sorted({a.published_at.isoformat() for a in Article.objects.all()}))
"""


@pytest.mark.sqlite_pass_only
def test_scheduled_publishing_cut_off_by_kill_9_completes_once(
    site_in_its_own_process,
):
    site = site_in_its_own_process
    made = site.run("shell", "--no-imports", "-c", SCHEDULE)
    assert made.returncode == 0, made.stderr
    due = made.stdout.split()[-1]
    live = "select count(*) from news_article where live"

    worker = subprocess.Popen(site.command("worker", "--once"), env=site.env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and site.count(live) == 0:
        time.sleep(0.02)
    worker.send_signal(signal.SIGKILL)
    worker.wait(10)
    published_before_the_kill = site.count(live)
    assert 0 < published_before_the_kill < ARTICLES, "not caught midway"

    again = site.run("worker", "--once", timeout=300)
    assert again.returncode == 0, again.stderr
    report = site.run("shell", "--no-imports", "-c", REPORT)
    assert report.returncode == 0, report.stderr
    lines = report.stdout.strip().splitlines()
    live_now, publishes, published_twice, still_scheduled = map(int, lines[:4])
    assert live_now == ARTICLES
    assert publishes == ARTICLES  # each once: none lost, none twice
    assert published_twice == 0
    assert still_scheduled == 0
    # Each article's date is its go-live time, also those the killed round
    # published before it died.
    assert lines[4] == repr([due])
