"""Read replicas (DATABASE_REPLICA_URLS): a reader's page is read from a
replica; the admin, commands and the purge's refresh read the primary.

Two SQLite files stand in for a primary and a replica that has not caught up
yet (the replica still has the old title): which title a request shows says
which database it read."""

import shutil
import sqlite3
import textwrap

import pytest

from toasoan.operations.replicas import replica_settings

pytestmark = pytest.mark.sqlite_pass_only

MAKE_ARTICLE = textwrap.dedent(
    """
    from conftest import create_article
    from wagtail.models import Site
    from toasoan.news.models import SectionPage
    home = Site.objects.get(is_default_site=True).root_page
    section = home.add_child(instance=SectionPage(title="Thời sự", slug="thoi-su"))
    article = create_article(section, "Tiêu đề mới trên máy chính",
                             published_at=__import__("django.utils.timezone",
                             fromlist=["now"]).now())
    print(article.get_absolute_url())
    """
)
READ_THREE_WAYS = textwrap.dedent(
    """
    import lxml.html
    from django.test import Client
    from toasoan.news.models import Article
    url = {url!r}
    def h1(response):
        return lxml.html.fromstring(response.content).cssselect("h1")[0].text_content()
    reader = Client()
    print("reader:", h1(reader.get(url)))
    print("refresh:", h1(reader.get(url, HTTP_X_TOASOAN_REFRESH="bi-mat")))
    print("command:", Article.objects.get().title)
    """
)


def test_readers_read_a_replica_and_everything_else_the_primary(
    site_in_its_own_process,
):
    site = site_in_its_own_process
    made = site.run("shell", "-c", MAKE_ARTICLE, cwd=str(_repo()))
    assert made.returncode == 0, made.stderr
    url = made.stdout.strip().splitlines()[-1]
    replica = site.data_dir / "replica.sqlite3"
    shutil.copyfile(site.database, replica)
    with sqlite3.connect(replica) as db:  # the replica is behind
        db.execute("UPDATE news_article SET title = 'Tiêu đề cũ trên bản sao'")
    site.env.update(
        DATABASE_REPLICA_URLS=f"sqlite:///{replica}",
        TOASOAN_PAGE_CACHE_REFRESH_SECRET="bi-mat",
        ALLOWED_HOSTS="testserver",
    )
    read = site.run("shell", "-c", READ_THREE_WAYS.format(url=url), cwd=str(_repo()))
    assert read.returncode == 0, read.stderr
    assert read.stdout.splitlines()[-3:] == [
        "reader: Tiêu đề cũ trên bản sao",
        "refresh: Tiêu đề mới trên máy chính",
        "command: Tiêu đề mới trên máy chính",
    ]


def test_replica_urls_become_mirrored_aliases_and_bad_ones_are_skipped():
    import dj_database_url

    entries = replica_settings(
        " postgres://r1.local/toasoan , ,postgres://r2.local/toasoan",
        dj_database_url.parse,
    )
    assert list(entries) == ["replica_0", "replica_1"]
    assert entries["replica_1"]["HOST"] == "r2.local"
    assert entries["replica_0"]["TEST"] == {"MIRROR": "default"}
    assert replica_settings("", dj_database_url.parse) == {}


def _repo():
    from pathlib import Path

    return Path(__file__).resolve().parents[3]
