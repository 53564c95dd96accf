"""Text archives come in by the batch (issue 11: 1,000 articles a second). An
article published in bulk must be the article Wagtail's own publish makes: the
same revision, history, "used by" records, search entry and listing."""

import json
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from wagtail.models import ModelLogEntry, ReferenceIndex

from toasoan.importers import services
from toasoan.importers.services import IncomingFile, import_text_batch
from toasoan.news.models import Article, Author
from toasoan.search.services import search_articles


def archive_file(folder: Path, legacy_id: int, title: str, extra: str = "") -> Path:
    path = folder / f"article-{legacy_id}.txt"
    path.write_text(
        f"{title}\n"
        "Thứ Năm, 16.07.2020 - 10:19:53\n"
        "Lượt xem: 7370\n"
        f"Sáng nay, bà con xã Vũ Hội thu hoạch lúa mùa. {extra}\n"
        "Video: 72619_OHAI1.mp4\n"
        "Thu Hà, Minh Đức\n"
        "• Từ khóa: nông nghiệp, Vũ Thư\n",
        encoding="utf-8",
    )
    return path


OWN_TO_EACH_ARTICLE = {
    *("pk", "id", "title", "slug", "legacy_id", "legacy_url", "translation_key"),
    *("section", "legacy_section_id"),
}


def without_ids(value):
    """A revision's children without their own and their article's ids."""
    if isinstance(value, list):
        return [
            {
                k: v
                for k, v in child.items()
                if k not in {"pk", "article", "content_object"}
            }
            for child in value
        ]
    return value


def footprint(article: Article) -> dict:
    """What an editor and a reader can see of how an article was published."""
    article_type = ContentType.objects.get_for_model(Article)
    revision = article.latest_revision.as_object()
    return {
        "live": article.live and not article.has_unpublished_changes,
        "one_revision_live": article.live_revision_id == article.latest_revision_id,
        "revision_fields": {
            name: without_ids(value)
            for name, value in article.latest_revision.content.items()
            if name not in OWN_TO_EACH_ARTICLE
            and not name.endswith(("_at", "revision"))
        },
        "revision_bylines": [b.display_name for b in revision.bylines.all()],
        "revision_keywords": sorted(k.name for k in revision.keywords.all()),
        "history": sorted(
            ModelLogEntry.objects.filter(
                content_type=article_type, object_id=str(article.pk)
            ).values_list("action", flat=True)
        ),
        "used": sorted(
            (r.to_content_type.model, r.model_path)
            for r in ReferenceIndex.objects.filter(
                base_content_type=article_type, object_id=article.pk
            )
        ),
    }


@pytest.mark.django_db
def test_an_article_published_in_bulk_is_the_one_wagtail_publishes(
    tmp_path, make_section, client
):
    Author.objects.create(name="Minh Đức", role="Phóng viên")
    bulk_section = make_section("Nông nghiệp", legacy_id=12)
    one_section = make_section("Nông thôn", legacy_id=13)
    files = [
        archive_file(tmp_path, 501, "Vũ Thư gặt lúa mùa sớm"),
        archive_file(tmp_path, 502, "Đông Hưng chuyển đổi cây trồng", "Năm nay."),
    ]
    results = import_text_batch(files, bulk_section)
    assert [r.created for r in results] == [True, True]
    bulk = Article.objects.get(legacy_id=501)

    # The same file, through Wagtail's own save_revision().publish().
    alone = archive_file(tmp_path, 601, "Vũ Thư gặt lúa mùa sớm")
    item = IncomingFile.read(alone)
    services.save_article_alone(item, one_section)
    wagtail = Article.objects.get(legacy_id=601)

    assert footprint(bulk) == footprint(wagtail)
    assert footprint(bulk)["history"] == ["wagtail.edit", "wagtail.publish"]
    assert ("author", "bylines.item.author") in footprint(bulk)["used"]
    assert bulk.byline_names == ["Thu Hà", "Minh Đức"]
    assert bulk.bylines.get(sort_order=1).author.name == "Minh Đức"

    # Readers find and read it.
    found = {h.article.pk for h in search_articles("vu thu gat lua").hits}
    assert found == {wagtail.pk, bulk.pk}
    page = client.get(bulk.get_absolute_url())
    assert page.status_code == 200
    assert "Vũ Thư gặt lúa mùa sớm" in page.content.decode()
    assert "Vũ Thư gặt lúa mùa sớm" in client.get(bulk_section.url).content.decode()


@pytest.mark.django_db
def test_a_bulk_revision_holds_what_serializable_data_gives(tmp_path, section):
    """Byte for byte on SQLite (the JSON is stored as text), as data on
    PostgreSQL (jsonb keeps no text)."""
    Author.objects.create(name="Minh Đức", role="Phóng viên")
    plain = tmp_path / "article-903.txt"
    plain.write_text(
        "Tin không từ khóa\nThứ 2, 22.07.2019 | 08:00:00\nMột đoạn.\nMinh Thu\n",
        encoding="utf-8",
    )
    files = [
        archive_file(tmp_path, 901, "Vũ Thư gặt lúa mùa sớm"),
        archive_file(tmp_path, 902, "Đông Hưng chuyển đổi", "“Trích” & <thẻ> ’"),
        plain,
    ]
    assert all(r.created for r in import_text_batch(files, section))
    for article in Article.objects.filter(legacy_id__in=[901, 902, 903]):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT content FROM wagtailcore_revision WHERE id = %s",
                [article.latest_revision_id],
            )
            stored = cursor.fetchone()[0]
        stored_data = json.loads(stored) if isinstance(stored, str) else stored
        # As save_revision() serialises it: before the article points at it.
        article.latest_revision = article.live_revision = None
        expected = article.serializable_data()
        # auto_now: serialising sets it to the moment of serialising.
        expected["updated_at"] = stored_data["updated_at"]
        if connection.vendor == "sqlite":
            assert stored == json.dumps(expected, cls=DjangoJSONEncoder)
        else:
            assert stored_data == json.loads(
                json.dumps(expected, cls=DjangoJSONEncoder)
            )


@pytest.mark.django_db
def test_duplicates_and_repeats_inside_one_batch(tmp_path, section):
    first = archive_file(tmp_path, 701, "Lễ hội đền Trần")
    twin = archive_file(tmp_path, 702, "Lễ hội đền Trần")  # same article, other URL
    results = import_text_batch([first, twin, first], section)
    assert [(r.created, r.duplicate) for r in results] == [
        (True, False),
        (False, True),
        (False, False),
    ]
    assert results[2].unchanged
    assert Article.objects.count() == 1
    again = import_text_batch([first, twin], section)
    assert [r.unchanged or r.duplicate for r in again] == [True, True]
    assert Article.objects.get().revisions.count() == 1


def children_of(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (Linux's /proc)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if f"\nPPid:\t{pid}\n" in text:
            found.append(int(status.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in state


def test_an_import_killed_midway_resumes_without_duplicates(site_in_its_own_process):
    """kill -9 while 3,000 files come in, then the same command again: every
    article once, each whole (revision, bylines, search entry)."""
    site = site_in_its_own_process
    make_section = (
        "from toasoan.news.models import HomePage, SectionPage; "
        "HomePage.objects.first().add_child("
        "instance=SectionPage(title='Lưu trữ', slug='luu-tru', legacy_id=46))"
    )
    site.run("shell", "-c", make_section, check=True)
    folder = site.data_dir / "archive"
    folder.mkdir()
    total = 3000
    for n in range(total):
        archive_file(folder, 10_000 + n, f"Bản tin số {n} của đài tỉnh")
    count = site.count

    articles = "select count(*) from news_article"
    first = subprocess.Popen(site.command("import-text", str(folder)), env=site.env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 120
    while count(articles) == 0 and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    reader = children_of(first.pid)  # the process reading batches ahead
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    stopped_at = count(articles)
    assert 0 < stopped_at < total, "the import was not caught midway"
    # Only whole batches went in.
    assert stopped_at % services.BATCH_SIZE == 0

    # The reader goes with it, instead of waiting forever for work.
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in reader) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert reader and not any(alive(pid) for pid in reader)

    second = site.run("import-text", str(folder))
    assert second.returncode == 0, second.stderr
    assert f"{total - stopped_at} mới / new" in second.stdout
    assert f"{stopped_at} không đổi / unchanged" in second.stdout
    assert (
        count(articles)
        == count("select count(distinct legacy_id) from news_article")
        == total
    )
    assert (
        count("select count(*) from news_article where live_revision_id is null") == 0
    )
    assert count("select count(*) from news_byline") == 2 * total
    assert count("select count(*) from search_article_fts") == total


def test_batches_read_ahead_in_another_process_come_back_in_order(tmp_path):
    """What the command's second process reads is what reading here gives,
    batch by batch, a bad file's error line included."""
    files = [archive_file(tmp_path, 800 + n, f"Bản tin {n}") for n in range(5)]
    bad = tmp_path / "bad-9.txt"
    bad.write_text("Tiêu đề\nkhông phải ngày\nNội dung.\n", encoding="utf-8")
    batches = [files[:2], [files[2], bad], files[3:]]
    ahead = list(services.read_batches_ahead(batches))
    here = [services.read_text_batch(batch) for batch in batches]
    assert [[repr(r) for r in batch] for batch in ahead] == [
        [repr(r) for r in batch] for batch in here
    ]
    failed = ahead[1][1]
    assert isinstance(failed, services.ImportFailed)
    assert str(failed) == str(here[1][1])
    assert str(failed).startswith(f"{bad}:2: không đọc được ngày giờ")
    assert ahead[2][1].parsed.title == "Bản tin 4"
