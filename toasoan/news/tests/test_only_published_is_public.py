"""Nothing a reader, a feed reader, a search engine or an API client can reach
shows a draft, a scheduled article before its time, or a withdrawn article
(issue 12). The withdrawn article's own address answers 410 with the notice."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from toasoan.newsroom import roles
from toasoan.newsroom.corrections import withdraw_article
from toasoan.search.services import index_article

SECRET = "Xylofon"  # a word no other article has
# What only the hidden articles say: found anywhere means leaked (the search
# page repeats the query, so the word alone proves nothing there).
PLACES = ["Quỳnh Côi", "Tiền Hải", "Kiến Xương"]


@pytest.fixture
def hidden_articles(make_article):
    keyword, author = "bầu cử", "Lê Bí Mật"
    common = {"keywords": [keyword], "authors": [author]}
    shown = make_article("Tin công khai về bầu cử", **common)
    draft = make_article(f"{SECRET} {PLACES[0]}", publish=False, **common)
    scheduled = make_article(f"{SECRET} {PLACES[1]}", publish=False, **common)
    scheduled.go_live_at = timezone.now() + timedelta(days=1)
    scheduled.save_revision(clean=False).publish()
    scheduled.refresh_from_db()
    assert not scheduled.live
    withdrawn = make_article(f"{SECRET} {PLACES[2]}", **common)
    chief = get_user_model().objects.create_user("tongbientap", password="x")
    chief.groups.add(Group.objects.get(name=roles.EDITOR_IN_CHIEF))
    withdraw_article(withdrawn, chief, "Thông tin chưa được kiểm chứng.")
    for article in (shown, draft, scheduled, withdrawn):
        index_article(article)
    return shown, [draft, scheduled, withdrawn]


PUBLIC_LISTINGS = [
    "/",
    "/{section}",
    "/tu-khoa/bau-cu/",
    "/tac-gia/le-bi-mat/",
    "/video/",
    "/tim-kiem/?q=xylofon",
    "/tim-kiem/?q=bau+cu",
    "/rss/",
    "/atom/",
    "/{section}rss/",
    "/tu-khoa/bau-cu/rss/",
    "/tac-gia/le-bi-mat/atom/",
    "/sitemap.xml",
    "/sitemaps/news.xml",
    "/sitemaps/articles-1.xml",
    "/api/v1/articles",
    "/api/v1/articles?keyword=bau-cu",
    "/api/v1/search?q=xylofon",
    "/api/v1/most-read",
    "/api/search?q=xylofon",
    "/api/search/autocomplete?q=xylo",
]


def body_of(response) -> str:
    if response.streaming:  # sitemaps are streamed
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.django_db
def test_listings_feeds_sitemaps_and_api_show_only_published_articles(
    client, section, hidden_articles
):
    shown, hidden = hidden_articles
    for template in PUBLIC_LISTINGS:
        url = template.format(section=section.url.lstrip("/"))
        response = client.get(url)
        assert response.status_code == 200, url
        text = body_of(response)
        assert not [place for place in PLACES if place in text], url
        for article in hidden:
            assert f"/api/v1/articles/{article.pk}" not in text, url
    # The control: the published one is there, so the pages were not empty.
    assert shown.title in client.get("/rss/").content.decode()
    assert shown.title in client.get("/tu-khoa/bau-cu/").content.decode()


@pytest.mark.django_db
def test_a_hidden_article_s_own_addresses_are_not_found(client, hidden_articles):
    _, (draft, scheduled, withdrawn) = hidden_articles
    for article in (draft, scheduled):
        for url in (
            article.get_absolute_url(),
            f"/bai-viet/{article.pk}/",
            f"/bai-viet/{article.pk}/in/",
            f"/api/v1/articles/{article.pk}",
        ):
            response = client.get(url)
            assert response.status_code == 404, url
            assert PLACES[0] not in response.content.decode(), url
            assert PLACES[1] not in response.content.decode(), url
    # Withdrawn: its page says so (410 Gone, as search engines expect), without
    # the text; everywhere else it is not found.
    page = client.get(withdrawn.get_absolute_url())
    assert page.status_code == 410
    assert "Thông tin chưa được kiểm chứng." in page.content.decode()
    assert withdrawn.body not in page.content.decode()
    for url in (f"/bai-viet/{withdrawn.pk}/in/", f"/api/v1/articles/{withdrawn.pk}"):
        response = client.get(url)
        assert response.status_code in (404, 410), url
        assert withdrawn.body not in response.content.decode(), url
