"""A reader in Debian's chromium: the seed article and the home page on a phone."""

import pytest

from toasoan.importers.services import import_text_article

pytestmark = [
    pytest.mark.browser,
    # The live server is another thread, so the data must be committed. The flush
    # after a transactional test empties what migrations made: the home fixture
    # rebuilds it (conftest).
    pytest.mark.django_db(transaction=True),
]


def test_reader_reads_the_seed_article_and_the_home_page_on_a_phone(
    browser, live_server, seed_article_path, section, make_article
):
    seed = import_text_article(seed_article_path, section).article
    seed.keywords.add("Thông tin đối ngoại", "Thái Bình")
    seed.save()
    make_article("Tin nổi bật trên điện thoại", is_lead_story=True)
    _read_seed_article(browser, live_server.url, seed)
    _read_home_page_on_a_phone(browser, live_server.url)


def _read_seed_article(browser, base_url, seed):
    tab = browser.new_page()
    tab.set_viewport_size({"width": 1280, "height": 900})
    tab.goto(base_url + seed.get_absolute_url())
    heading = tab.get_by_role("heading", level=1)
    assert heading.inner_text() == seed.title
    assert (
        tab.locator(".article__dateline").inner_text() == "Thứ 6, 26.07.2019 | 17:30:59"
    )
    assert tab.locator(".article__views").inner_text() == "264 lượt xem"
    assert tab.locator(".article__byline").inner_text() == "Cao Biền"
    keywords = tab.locator(".article__keywords")
    assert keywords.is_visible()
    assert keywords.inner_text() == "Từ khóa: Thông tin đối ngoại, Thái Bình"
    for locator in (
        heading,
        tab.locator(".article__dateline"),
        tab.locator(".article__byline"),
    ):
        assert locator.is_visible()
    tab.get_by_role("link", name="Thái Bình", exact=True).click()
    assert tab.url.endswith("/tu-khoa/thai-binh/")
    assert tab.get_by_role("link", name=seed.title).is_visible()
    tab.close()


def _read_home_page_on_a_phone(browser, base_url):
    tab = browser.new_page()
    tab.set_viewport_size({"width": 390, "height": 844})
    tab.goto(base_url + "/")
    assert (
        tab.locator(".lead-story__title").inner_text() == "Tin nổi bật trên điện thoại"
    )
    assert tab.locator(".masthead").is_visible()
    assert tab.get_by_role("navigation", name="Chuyên mục").is_visible()
    # Nothing wider than the phone: no sideways scrolling of the page.
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    assert tab.locator(".lead-story__title").bounding_box()["width"] <= 390
    tab.close()
