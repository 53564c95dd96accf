"""A reader in Debian's chromium switches between the Vietnamese and English
editions, on an article with a translation and on one without."""

import pytest

from toasoan.news.editions import create_translation

pytestmark = [
    pytest.mark.browser,
    # The live server is another thread: the data must be committed.
    pytest.mark.django_db(transaction=True),
]


def test_reader_switches_language_on_articles(
    browser, live_server, english_home, make_article
):
    original = make_article("Thái Bình đón nhà đầu tư Hàn Quốc")
    english = create_translation(original, english_home.locale)
    english.title, english.slug = "Thai Binh welcomes Korean investors", ""
    english.save()
    english.save_revision(clean=False).publish()
    english.refresh_from_db()
    alone = make_article("Tin chỉ có bản tiếng Việt")

    tab = browser.new_page()
    tab.goto(live_server.url + original.get_absolute_url())
    assert tab.locator("html").get_attribute("lang") == "vi"
    switcher = tab.get_by_role("navigation", name="Ngôn ngữ")
    switcher.get_by_role("link", name="English").click()
    tab.wait_for_url(live_server.url + english.get_absolute_url())
    assert tab.locator("html").get_attribute("lang") == "en"
    assert tab.get_by_role("heading", level=1).inner_text() == english.title
    assert tab.get_by_role("link", name="Home").first.is_visible()

    # And back: the same article in Vietnamese.
    tab.get_by_role("navigation", name="Language").get_by_role(
        "link", name="Tiếng Việt"
    ).click()
    tab.wait_for_url(live_server.url + original.get_absolute_url())
    assert tab.get_by_role("heading", level=1).inner_text() == original.title

    # No English version: the switcher leads to the English edition's home.
    tab.goto(live_server.url + alone.get_absolute_url())
    tab.get_by_role("navigation", name="Ngôn ngữ").get_by_role(
        "link", name="English"
    ).click()
    tab.wait_for_url(live_server.url + "/en/")
    assert tab.locator("html").get_attribute("lang") == "en"
    assert tab.get_by_role("heading", name="Latest news").is_visible()
    tab.close()
