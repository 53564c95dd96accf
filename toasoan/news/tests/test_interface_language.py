"""Every public page type, rendered in each edition, speaks only that edition's
language: no Vietnamese interface word on an English page, and no English
interface word on a Vietnamese one (content is the newsroom's, not checked).
Text inside an element marked with another language (the switcher's "English"
on a Vietnamese page) is the exception the lang attribute announces."""

import re

import pytest
from django.test import override_settings
from django.utils import translation
from lxml import html as lxml_html
from wagtail.models import Site

from conftest import create_article
from toasoan.core.models import PressSettings
from toasoan.news.editions import translated_section
from toasoan.news.models import Author, Byline

pytestmark = pytest.mark.django_db

# Words and phrases of the Vietnamese interface (never of the English content
# below); matched as text.
VIETNAMESE_INTERFACE = [
    "Trang chủ", "Tin mới", "Đọc nhiều", "Tìm kiếm", "Tìm", "Chuyên mục",
    "lượt xem", "Từ khóa", "Tác giả", "Tin liên quan", "Đính chính", "In bài",
    "Trang sau", "Trang trước", "Chưa có bài viết", "Không tìm thấy",
    "Cơ quan chủ quản", "Giấy phép", "Tổng biên tập", "Địa chỉ", "Điện thoại",
    "Thư điện tử", "Ghi rõ nguồn", "Chuyển đến", "Lọc kết quả", "Sắp xếp",
    "Mới nhất", "đang được xử lý", "gỡ bỏ", "Lý do", "Nguồn", "Thứ ", "giờ",
    "ngày", "Phân trang", "Đường dẫn", "Ngôn ngữ", "Về bài viết", "Bản tin",
    "Giới thiệu", "Liên hệ", "Có phải bạn",
]  # fmt: skip
# Words of the English interface; matched as whole words, any case.
ENGLISH_INTERFACE = [
    "Home", "Latest", "Most read", "Search", "Sections", "views", "Keywords",
    "Author", "Related", "Correction", "Print", "Next page", "Previous page",
    "Page not found", "Skip to", "Licence", "Editor-in-chief", "Address",
    "Telephone", "Email", "Filter", "Sort by", "Newest", "Relevance",
    "withdrawn", "Reason", "Source", "Language", "Download", "processed",
    "About", "Contact", "Did you mean", "found", "Breadcrumb", "Pages",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
    "Sunday", "January", "July", "November",
]  # fmt: skip
ATTRIBUTES = ("aria-label", "placeholder", "title", "alt", "content")


def interface_text(markup: str) -> tuple[str, str]:
    """The page's language and what it says: its text and the attributes people
    read (labels, placeholders, alt text), less any part in another language."""
    doc = lxml_html.fromstring(markup)
    language = doc.get("lang")
    for element in doc.xpath("//*[@lang]"):
        if element is not doc and element.get("lang") != language:
            element.drop_tree()
    for element in doc.xpath("//script|//style"):
        element.drop_tree()
    parts = [doc.text_content()]
    for element in doc.iter():
        if element.tag == "meta" and element.get("name") not in (
            "description",
            "twitter:title",
        ):
            continue
        parts += [element.get(name, "") for name in ATTRIBUTES]
    return language, re.sub(r"\s+", " ", " ".join(parts))


def vietnamese_words_in(text: str) -> list[str]:
    return [word for word in VIETNAMESE_INTERFACE if word in text]


def english_words_in(text: str) -> list[str]:
    return [
        word
        for word in ENGLISH_INTERFACE
        if re.search(rf"\b{re.escape(word)}\b", text, re.IGNORECASE)
    ]


def _press(**fields):
    press = PressSettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in fields.items():
        setattr(press, name, value)
    press.save()


@pytest.fixture
def editions(english_home, section, make_image, make_video):
    """Both editions with every kind of content a reader page shows."""
    # The outlet's particulars are content; neutral ones keep the check to the
    # interface.
    _press(
        outlet_name="TBTV", governing_agency="UBND TB", licence_number="000/GP",
        licence_issuer="BTTTT", editor_in_chief="Nguyen Van A",
        address="1 Le Loi", phone="0227 000 0000", email="tbtv@example.vn",
    )  # fmt: skip
    english_section = translated_section(section, english_home.locale)
    english_section.title = english_section.draft_title = "Politics"
    english_section.save_revision().publish()
    profile = Author.objects.create(name="Nguyễn Thu Hà", slug="nguyen-thu-ha")
    made = {}
    for code, home_section, words in [
        ("vi", section, ("Cầu Tân Đệ", "Bà con nông dân", "Thái Bình", "Lũ lụt")),
        ("en", english_section, ("Tan De bridge", "Farmers", "Thai Binh", "Flood")),
    ]:
        title, lead, keyword, withdrawn_title = words
        article = create_article(
            home_section, title, locale=home_section.locale, lead=lead,
            body=f"<p>{lead}.</p>", keywords=[keyword],
            featured_image=make_image(), video=make_video(),
            correction_note=lead, view_count=1234,
        )  # fmt: skip
        article.bylines = [Byline(author=profile)]
        article.save()
        create_article(home_section, lead, locale=home_section.locale)
        withdrawn = create_article(
            home_section, withdrawn_title, locale=home_section.locale
        )
        withdrawn.withdrawn_at = article.published_at
        withdrawn.withdrawal_reason = lead
        withdrawn.save()
        prefix = "" if code == "vi" else "/en"
        with translation.override(code):
            keyword_url = article.keywords.first().get_absolute_url()
            author_url = profile.get_absolute_url()
        made[code] = {
            "home": "/" if code == "vi" else "/en/",
            "section": home_section.url,
            "section page 2": home_section.url + "?page=2",
            "article": article.get_absolute_url(),
            "print": article.get_absolute_url().replace(
                f"{article.slug}-{article.pk}.html", f"bai-viet/{article.pk}/in/"
            ),
            "withdrawn": withdrawn.get_absolute_url(),
            "keyword": keyword_url,
            "author": author_url,
            "free author": prefix + "/tac-gia/cao-bien/",
            "video": ("/" if code == "vi" else "/en/") + "video/",
            "search": ("/" if code == "vi" else "/en/") + f"tim-kiem/?q={keyword}",
            "search nothing": ("/" if code == "vi" else "/en/") + "tim-kiem/?q=zzzyyqq",
            "not found": ("/" if code == "vi" else "/en/") + "khong-co-trang/",
            "about": _about_page(code, english_home.locale).url,
        }
    return made


def _about_page(code, english_locale):
    from toasoan.news.models import AboutPage, HomePage

    home = HomePage.objects.get(locale__language_code=code)
    page = AboutPage(title="TBTV", slug=f"tbtv-{code}", body="<p>TBTV.</p>")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.mark.parametrize("code", ["en", "vi"])
def test_server_error_page_speaks_the_edition_language(code):
    from django.template.loader import render_to_string

    with translation.override(code):
        language, text = interface_text(render_to_string("500.html"))
    assert language == code
    wrong = vietnamese_words_in(text) if code == "en" else english_words_in(text)
    assert wrong == []


@override_settings(ARTICLES_PER_PAGE=1)
@pytest.mark.parametrize("code", ["en", "vi"])
def test_every_page_type_speaks_only_its_edition_language(client, editions, code):
    problems = {}
    for name, url in editions[code].items():
        response = client.get(url)
        assert response.status_code in (200, 404, 410), (name, url)
        language, text = interface_text(response.content.decode())
        assert language == code, (name, url, language)
        wrong = vietnamese_words_in(text) if code == "en" else english_words_in(text)
        if wrong:
            problems[name] = wrong
    assert problems == {}


def test_the_checks_would_see_a_stray_word():
    """The word lists catch what they are for (a check that cannot fail is none)."""
    assert vietnamese_words_in("Latest news · 3 lượt xem") == ["lượt xem"]
    assert english_words_in("Tin mới · Most read") == ["Most read"]
    language, text = interface_text(
        '<html lang="en"><body><p>News</p><a lang="vi">Tiếng Việt</a>'
        '<input placeholder="Tìm kiếm"></body></html>'
    )
    assert language == "en" and "Tiếng Việt" not in text and "Tìm kiếm" in text
