"""The English edition searches English text as English: lower-cased, stemmed
(Snowball), the typed spelling first; the Vietnamese edition keeps its own."""

import lxml.html
import pytest

from conftest import create_article
from toasoan.news.editions import translated_section
from toasoan.search.backends import SearchFilters
from toasoan.search.english import keys_joined, word_keys
from toasoan.search.query import parse_query
from toasoan.search.services import search_articles


def test_english_words_are_stemmed_and_folded():
    assert word_keys("Investors") == ("investor", "investors")
    assert word_keys("investing")[0] == word_keys("invests")[0] == "invest"
    assert word_keys("industrial")[0] == word_keys("industry")[0]
    assert word_keys("province's") == word_keys("province")
    assert word_keys("Café") == ("cafe", "cafe")
    assert word_keys("2026") == ("2026", "2026")
    assert word_keys("—") == ("", "")
    assert keys_joined("Thai Binh's investors", 10) == (
        "thai binh investor",
        "thai binh investors",
    )


def test_english_queries_cannot_become_syntax_and_prefixes_stay_unstemmed():
    query = parse_query('"industrial parks" -"rice" invest* OR NEAR(', "en")
    assert [t.folded for t in query.required] == [
        ("industri", "park"),
        ("invest",),
        ("or",),
        ("near",),
    ]
    assert query.required[1].prefix
    assert [t.folded for t in query.excluded] == [("rice",)]
    keys = [k for t in query.required + query.excluded for k in t.folded + t.exact]
    assert all(k.isascii() and k.isalnum() for k in keys)


@pytest.fixture
def two_editions(english_home, section, make_article):
    english_section = translated_section(section, english_home.locale)
    english = english_home.locale
    create_article(
        english_section,
        "Korean investors visit the industrial parks",
        locale=english,
        lead="Investment in the province keeps growing.",
        body="<p>The delegation toured three parks.</p>",
    )
    create_article(
        english_section,
        "Rice harvest breaks a record",
        locale=english,
        lead="Farmers harvested more rice than ever.",
    )
    make_article("Nhà đầu tư Hàn Quốc thăm khu công nghiệp")
    return english, section.locale


@pytest.mark.django_db
def test_english_edition_finds_other_forms_of_a_word(two_editions):
    english, vietnamese = two_editions
    filters = SearchFilters(locale_id=english.pk)
    for typed in ("investor", "INVESTING", "industry", "park", "invest*"):
        hits = search_articles(typed, filters).hits
        assert [h.article.title for h in hits] == [
            "Korean investors visit the industrial parks"
        ], typed
    assert search_articles("harvests records", filters).total == 1
    assert search_articles("investors -korean", filters).total == 0
    # The Vietnamese edition's search does not see English articles.
    vi = SearchFilters(locale_id=vietnamese.pk)
    assert [h.article.title for h in search_articles("khu cong nghiep", vi).hits] == [
        "Nhà đầu tư Hàn Quốc thăm khu công nghiệp"
    ]
    assert search_articles("investors", vi).total == 0


@pytest.mark.django_db
def test_english_search_page_marks_the_matched_words(client, two_editions):
    response = client.get("/en/tim-kiem/?q=harvested")
    doc = lxml.html.fromstring(response.content.decode())
    assert doc.get("lang") == "en"
    # Title and snippet: each form of the word, as the article spells it.
    assert [m.text for m in doc.cssselect(".search-hit mark")] == [
        "harvest",
        "harvested",
    ]
    assert "1 article found." in doc.text_content()
    empty = lxml.html.fromstring(client.get("/en/tim-kiem/?q=zzqqxx").content)
    assert "No articles found for “zzqqxx”" in empty.text_content()
    # No Vietnamese typing guesses or suggestions in the English edition.
    assert not empty.cssselect(".search-suggestion, .search-note")
