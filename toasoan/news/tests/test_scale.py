"""A section with tens of thousands of articles costs what a section with five does.

Articles hang off their section by an indexed foreign key rather than sitting in
Wagtail's page tree, so neither reading nor writing depends on the section's size.
The timing side of this lives in bench/large_section.py; here we count SQL queries,
which is exact, and check that the queries use the section index.
"""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from conftest import vn_time
from toasoan.importers.services import import_text_article
from toasoan.news.models import Article

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
LARGE = 20_000


def bulk_fill(section, count):
    locale = Locale.get_default()
    Article.objects.bulk_create(
        (
            Article(
                title=f"Tin lưu trữ {n}",
                slug=f"tin-luu-tru-{n}",
                section=section,
                locale=locale,
                translation_key=uuid.uuid4(),
                published_at=vn_time(2010, 1, 1, 0, 0),
                live=True,
            )
            for n in range(count)
        ),
        batch_size=2000,
    )


def sqlite_plan(sql: str, params=()) -> str:
    """SQLite's query plan for ``sql``, as one string; skips on other databases."""
    if connection.vendor != "sqlite":
        pytest.skip("plan check written for SQLite; PostgreSQL plans by statistics")
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " ".join(str(row) for row in cursor.fetchall())


def queries_for(client, url):
    """Queries of a repeat visit: the first fills per-process caches (site, locale)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_large_section_reads_and_writes_like_a_small_one(
    client, make_section, make_article, tmp_path
):
    small, large = make_section("Nhỏ"), make_section("Lớn")
    bulk_fill(large, LARGE)
    bulk_fill(small, 5)
    small_article = make_article("Tin mới mục nhỏ", section=small)
    large_article = make_article("Tin mới mục lớn", section=large)

    assert queries_for(client, "/nho/") == queries_for(client, "/lon/")
    assert queries_for(client, "/nho/?page=1") == queries_for(client, "/lon/?page=900")
    assert queries_for(client, small_article.get_absolute_url()) == queries_for(
        client, large_article.get_absolute_url()
    )

    text = "Tin nhập\nThứ 2, 22.07.2019 | 08:00:00\nMột đoạn.\nMinh Thu\n"
    counts = []
    for section in (small, large):
        path = tmp_path / f"nhap-{section.pk}.txt"
        path.write_text(text, encoding="utf-8")
        with CaptureQueriesContext(connection) as captured:
            import_text_article(path, section)
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_section_listing_uses_the_section_index(make_section):
    section = make_section("Lớn")
    bulk_fill(section, 2000)
    listing = Article.objects.published().in_section(section).order_by("-published_at")
    sql, params = listing[:20].query.sql_with_params()
    plan = sqlite_plan(sql, params)
    assert "article_section_idx" in plan
    assert "TEMP B-TREE" not in plan  # no sort of the whole section


def test_section_count_is_answered_from_the_index(make_section):
    section = make_section("Lớn")
    bulk_fill(section, 2000)
    listing = Article.objects.published().in_section(section)
    sql, params = listing.values("pk").query.sql_with_params()
    plan = sqlite_plan(f"SELECT COUNT(*) FROM ({sql})", params)
    assert "COVERING INDEX article_section_idx" in plan


def test_deep_pages_read_ids_from_the_index_only(make_section):
    from toasoan.news.services import paginate_articles

    section = make_section("Lớn")
    bulk_fill(section, 2000)
    listing = Article.objects.published().in_section(section).for_listing()
    with CaptureQueriesContext(connection) as captured:
        page = paginate_articles(listing, "90", count_key="test")
    assert page.number == 90 and len(page.object_list) == 20
    id_query = next(q["sql"] for q in captured.captured_queries if "OFFSET" in q["sql"])
    assert "COVERING INDEX article_section_idx" in sqlite_plan(id_query)


def test_a_pages_rows_are_fetched_by_primary_key(make_section):
    from toasoan.news.services import paginate_articles

    section = make_section("Lớn")
    bulk_fill(section, 500)
    listing = Article.objects.published().in_section(section).for_listing()
    with CaptureQueriesContext(connection) as captured:
        paginate_articles(listing, "3", count_key="rows")
    row_query = next(q["sql"] for q in captured.captured_queries if " IN (" in q["sql"])
    assert "section_id" not in row_query.split("WHERE", 1)[1]
