"""A cold render (nothing kept) costs a small, fixed number of SQL queries,
whatever an article's number of keywords, authors or related articles."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from toasoan.news.models import Author

pytestmark = pytest.mark.django_db
# Measured when this test was written (21 and 30), with a little room; a change
# that adds a query per keyword, byline or related article breaks the equality
# below long before these limits.
ARTICLE_PAGE_QUERIES = 24
HOME_PAGE_QUERIES = 32


def cold_queries(client, path: str) -> int:
    for cache in caches.all():
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture(autouse=True)
def nothing_kept(settings):
    settings.TOASOAN_PAGE_CACHE_SECONDS = 0


def test_article_page_queries_do_not_grow_with_keywords_authors_or_related(
    client, make_article
):
    client.get("/")  # the site's one-off settings rows exist from here on
    small = make_article("Tin ngắn", keywords=["Đà Nẵng"], authors=["Cao Biền"])
    authors = [Author.objects.create(name=f"Phóng viên {n}") for n in range(12)]
    keywords = [f"Từ khóa {n}" for n in range(15)]
    for n in range(30):  # related articles share its keywords
        make_article(f"Tin liên quan {n}", keywords=keywords[:3])
    big = make_article("Tin dài", keywords=keywords, authors=authors)
    small_count = cold_queries(client, small.get_absolute_url())
    big_count = cold_queries(client, big.get_absolute_url())
    assert big_count == small_count, (small_count, big_count)
    assert big_count <= ARTICLE_PAGE_QUERIES


def test_home_page_queries_do_not_grow_with_articles(client, make_article):
    client.get("/")
    # Enough for every block of the page (lead story, listing, most read) to
    # show something; an empty block costs less than a full one.
    for n in range(6):
        make_article(f"Tin số {n}", keywords=["Đà Nẵng"])
    few = cold_queries(client, "/")
    for n in range(40):
        make_article(f"Tin thêm {n}", keywords=[f"k{n}", "Đà Nẵng"], authors=["A", "B"])
    many = cold_queries(client, "/")
    assert many == few, (few, many)
    assert many <= HOME_PAGE_QUERIES
