"""The language switcher and hreflang alternates of the page being read."""

from django import template

from toasoan.news.editions import alternates_for, edition_home_url

register = template.Library()


@register.simple_tag(takes_context=True)
def edition_alternates(context):
    """Links to this page in every edition (news/editions.py): an article page
    passes its article, a Wagtail page is in ``page``, other pages map by address."""
    request = context.get("request")
    if request is None:
        return []
    if "alternates" in context:
        return context["alternates"]
    article = context.get("article")
    page = context.get("page")
    return alternates_for(
        request,
        article=article if hasattr(article, "translation_key") else None,
        page=page if hasattr(page, "translation_key") else None,
    )


@register.simple_tag
def hreflang_links(alternates):
    """Only where the same content exists in another language: a page and its
    translations name each other, and each names itself."""
    same = [a for a in alternates if a.same_content]
    return same if len(same) > 1 else []


@register.simple_tag
def edition_home(code):
    return edition_home_url(code)


@register.simple_tag
def og_locale(code):
    """Open Graph's locale for an edition's language ("vi" → "vi_VN")."""
    from toasoan.news.metadata import OG_LOCALES

    return OG_LOCALES.get(code, code)


@register.simple_tag(takes_context=True)
def about_page(context):
    """The edition's "Giới thiệu – Liên hệ" page, for the footer's link."""
    from django.utils import translation

    from toasoan.news.models import AboutPage

    # By language code, joined: Locale.get_active() would cost a query of its own.
    return (
        AboutPage.objects.live()
        .filter(locale__language_code=translation.get_language())
        .order_by("path")
        .first()
    )
