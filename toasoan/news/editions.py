"""Editions: the site in each language of ``settings.LANGUAGES``.

Each edition is a Wagtail locale with its own home page (a translation of the
default home, so Wagtail routes /en/ to it) and its own sections. An article and
its translations share a ``translation_key``; the first one written is the
original. Readers switch editions with a link per language: the same article or
section when it is published in that language, else that edition's home.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import timezone, translation
from wagtail.models import Locale, Page

from toasoan.news.models import Article, HomePage, RelatedArticle, SectionPage


def language_name(code: str) -> str:
    return dict(settings.LANGUAGES).get(code, code)


# The newsroom works in Vietnamese: "Bản tiếng Anh: đã đăng".
ADMIN_LANGUAGE_NAMES = {
    "vi": "tiếng Việt",
    "en": "tiếng Anh",
    "zh-hans": "tiếng Trung",
    "lo": "tiếng Lào",
    "km": "tiếng Khmer",
    "ko": "tiếng Hàn",
    "ja": "tiếng Nhật",
    "fr": "tiếng Pháp",
    "ru": "tiếng Nga",
}


def admin_language_name(code: str) -> str:
    return ADMIN_LANGUAGE_NAMES.get(code, language_name(code))


def edition_codes() -> list[str]:
    return [code for code, _ in settings.LANGUAGES]


def edition_home_url(code: str) -> str:
    """ "/" for the default edition, "/en/" for English, and so on."""
    with translation.override(code):
        return reverse("wagtail_serve", args=[""])


def default_home() -> HomePage | None:
    return (
        HomePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
        .order_by("path")
        .first()
    )


def ensure_editions() -> list[str]:
    """A locale and a published home page for every configured language (run
    after `migrate`); returns the codes of the editions it had to create. The
    default home's sections are not copied: an edition starts empty, and its
    sections come with its first translated articles or from the editors."""
    home = default_home()
    if home is None:  # before the home page's migration
        return []
    created = []
    for code in edition_codes():
        locale, _ = Locale.objects.get_or_create(language_code=code)
        if home.has_translation(locale):
            continue
        with translation.override(code):
            title = translation.gettext("Trang chủ")
        # Made as migration news/0002 made the default home: live, without a
        # revision, so that a database fresh from `migrate` still counts as
        # empty for `restore`. It is the default home's translation: Wagtail
        # routes /<code>/ to it.
        home.get_parent().add_child(
            instance=HomePage(
                title=title,
                draft_title=title,
                slug=f"{home.slug}-{code}",
                locale=locale,
                translation_key=home.translation_key,
                live=True,
                has_unpublished_changes=False,
            )
        )
        created.append(code)
    return created


def translated_section(section: SectionPage, locale: Locale) -> SectionPage:
    """The section's page in ``locale``, made (with its parents) as a published
    copy if missing: a translated article needs a section in its edition."""
    existing = section.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    parent = section.get_parent().specific
    if isinstance(parent, SectionPage):
        translated_section(parent, locale)
    copy = section.copy_for_translation(locale, copy_parents=True).specific
    copy.save_revision().publish()
    return copy


def original_of(article: Article) -> Article | None:
    """The article this one was translated from (None for an original): the
    first one written in its translation group that still exists."""
    first = (
        Article.objects.filter(translation_key=article.translation_key)
        .order_by("pk")
        .only("pk")
        .first()
    )
    if first is None or first.pk == article.pk:
        return None
    return Article.objects.select_related("locale").get(pk=first.pk)


def create_translation(article: Article, locale: Locale, user=None) -> Article:
    """A draft of ``article`` in ``locale`` for a translator: the same structure,
    section (its translation), bylines, pictures, video and related articles, the
    text copied to be translated; keywords are the translator's to choose in the
    new language. Raises ValueError when that translation exists already."""
    if article.has_translation(locale):
        raise ValueError("Bản dịch này đã có / this translation exists already")
    with transaction.atomic():
        copy = article.copy_for_translation(locale)
        copy.section = translated_section(article.section.specific, locale)
        copy.live = False
        copy.has_unpublished_changes = True
        copy.first_published_at = copy.last_published_at = None
        copy.live_revision = copy.latest_revision = None
        copy.view_count = 0
        copy.is_lead_story = False
        copy.owner = user
        copy.withdrawn_at, copy.withdrawal_reason = None, ""
        copy.correction_note, copy.corrected_at = "", None
        copy.legacy_id = copy.legacy_section_id = None
        copy.legacy_url = ""
        # Whole seconds, as the admin's date field gives: a page's <time>
        # may carry at most three decimals.
        copy.published_at = timezone.now().replace(microsecond=0)
        copy.translation_synced_at = timezone.now()
        copy.keywords.set([])
        # Related articles: their own translations where they have one.
        copy.related_links = [
            RelatedArticle(target=target, sort_order=n)
            for n, target in enumerate(
                link.target.get_translation_or_none(locale)
                for link in article.related_links.select_related("target")
            )
            if target is not None
        ]
        copy.save()
        copy.save_revision(user=user, clean=False)
    return copy


# The editors' view of a translation group ("Bản tiếng Anh: đã đăng").
MISSING, DRAFT, PUBLISHED = "missing", "draft", "published"


@dataclass
class TranslationState:
    code: str
    name: str
    state: str  # MISSING, DRAFT or PUBLISHED
    article: Article | None = None
    out_of_date: bool = False

    @property
    def admin_name(self) -> str:
        return admin_language_name(self.code)


def translation_states(article: Article) -> list[TranslationState]:
    """Every other edition's version of ``article``: none, a draft, or published."""
    found = {
        a.locale.language_code: a
        for a in article.get_translations().select_related("locale")
    }
    states = []
    for code in edition_codes():
        if code == article.locale.language_code:
            continue
        other = found.get(code)
        if other is None:
            state = MISSING
        elif other.live and not other.withdrawn_at:
            state = PUBLISHED
        else:
            state = DRAFT
        states.append(
            TranslationState(
                code,
                language_name(code),
                state,
                other,
                bool(other and is_out_of_date(other)),
            )
        )
    return states


def mark_translation_synced(translation_: Article) -> None:
    """The translator has brought this translation up to its original."""
    translation_.translation_synced_at = timezone.now()
    Article.objects.filter(pk=translation_.pk).update(
        translation_synced_at=translation_.translation_synced_at
    )


def is_out_of_date(translation_: Article) -> bool:
    """The original was published again after this translation was made (or
    last marked as following it)."""
    original = original_of(translation_)
    if original is None or translation_.translation_synced_at is None:
        return False
    changed = original.last_published_at
    return bool(changed and changed > translation_.translation_synced_at)


@dataclass
class Alternate:
    """A link to this page in another edition (or this one)."""

    code: str
    name: str
    url: str
    current: bool
    same_content: bool  # the same article or section: a hreflang alternate


def _translated_article_urls(article: Article) -> dict[str, str]:
    group = (
        Article.objects.published()
        .filter(translation_key=article.translation_key)
        .select_related("locale")
        .only("pk", "slug", "locale__language_code")
    )
    return {a.locale.language_code: a.get_absolute_url() for a in group}


def translation_languages(alternates: list[Alternate]) -> list[str]:
    """The other languages an article is published in, from its alternates."""
    return [a.code for a in alternates if a.same_content and not a.current]


def _translated_page_urls(page: Page) -> dict[str, str]:
    # Live ones; a private section's translation still asks for its password.
    group = Page.objects.live().filter(translation_key=page.translation_key)
    urls = {}
    for other in group.select_related("locale"):
        url = other.get_url()
        if url:
            urls[other.locale.language_code] = url
    return urls


def _is_page_route(request) -> bool:
    """Wagtail's catch-all answered: with no page in the context, a 404."""
    try:
        return resolve(request.path_info).url_name == "wagtail_serve"
    except Resolver404:
        return True


def alternates_for(request, article=None, page=None) -> list[Alternate]:
    """The language switcher's links for the page being read: the same article or
    section in each edition where it is published, else that edition's home; for
    pages that every edition has (search, video, a keyword), the same address in
    the other edition."""
    current = translation.get_language()
    if article is not None and article.pk:
        same = _translated_article_urls(article)
    elif page is not None and page.pk:
        same = _translated_page_urls(page)
    else:
        same = None
    links = []
    for code in edition_codes():
        if same is not None:
            url = same.get(code)
            exact = url is not None
            url = url or edition_home_url(code)
        else:
            here = request.get_full_path()
            url = translate_url(here, code)
            if code != current and (url == here or _is_page_route(request)):
                # A page that is not there (a 404): the other edition's home.
                url = edition_home_url(code)
            exact = False
        links.append(Alternate(code, language_name(code), url, code == current, exact))
    return links


def edition_press(request):
    """The site settings (Law on Press particulars) as the edition being read
    shows them: its home page's own outlet name, governing agency and address
    where set ("Thai Binh Radio and Television"), the settings' elsewhere."""
    import copy

    from toasoan.core.models import PressSettings

    press = copy.copy(PressSettings.for_request(request))
    home = (
        HomePage.objects.filter(locale__language_code=translation.get_language())
        .only(*HomePage.EDITION_PRESS_FIELDS)
        .first()
    )
    for name in HomePage.EDITION_PRESS_FIELDS:
        if home is not None and getattr(home, name):
            setattr(press, name, getattr(home, name))
    return press


def edition_chrome(request) -> dict:
    """Context processor (after core's site_chrome): the outlet's particulars
    and name in the edition's language; the name is kept like core's."""
    from django.core.cache import cache
    from django.utils.functional import SimpleLazyObject

    from toasoan.core.site_chrome import site_chrome_version

    key = (
        f"toasoan:edition-name:{request.get_host()}:{translation.get_language()}:"
        f"{site_chrome_version()}"
    )
    name = cache.get(key)
    if name is None:
        name = edition_press(request).outlet_name or "toasoan"
        cache.set(key, name, 600)
    return {
        "edition_press": SimpleLazyObject(lambda: edition_press(request)),
        "site_name": name,
    }
