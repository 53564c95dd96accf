"""Template filters for Vietnamese dates and counts, and the section menu."""

from django import template
from django.utils import timezone, translation

from toasoan.core import english, vietnamese

register = template.Library()


def _style():
    """The edition's way with dates and numbers: Vietnamese in the Vietnamese
    edition, English in every other (a Korean reader reads English dates more
    easily than Vietnamese ones)."""
    return vietnamese if translation.get_language() in (None, "vi") else english


@register.filter
def date_line(value):
    """26 Jul 2019 17:30:59 → "Thứ 6, 26.07.2019 | 17:30:59" in the site's time
    zone; "Friday, 26 July 2019, 17:30" in the English edition."""
    return _style().format_date_line(timezone.localtime(value)) if value else ""


@register.filter
def short_date(value):
    return _style().format_short_date(timezone.localtime(value)) if value else ""


@register.filter
def count(value):
    """1234 → "1.234" in Vietnamese, "1,234" in English."""
    return _style().format_count(int(value or 0))


@register.filter
def figure(value):
    """A report's figure, Vietnamese style: "213.661", "6.104,6"."""
    return vietnamese.format_figure(value if value is not None else 0)


@register.filter
def ld_json(documents):
    """JSON-LD documents for <script type="application/ld+json">, escaped."""
    from django.utils.safestring import mark_safe

    from toasoan.news.metadata import ld_json as write

    return mark_safe(write(documents))


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """This page's address without its query string, but with ?page=N past the
    first page of a list (each page of a list is its own canonical page)."""
    request = context["request"]
    url = f"{request.scheme}://{request.get_host()}{request.path}"
    page = request.GET.get("page", "")
    if page.isascii() and page.isdigit() and int(page) > 1:
        url += f"?page={int(page)}"
    return url


RESPONSIVE_WIDTHS = (480, 800, 1200)


def responsive_widths(original_width: int) -> list[int]:
    """The widths to offer: the standard ones below the original, and the
    original itself when it is smaller than the largest (never upscaled, never
    the same width twice: the HTML checker refuses duplicate candidates)."""
    widths = [w for w in RESPONSIVE_WIDTHS if w < original_width]
    largest = min(original_width, RESPONSIVE_WIDTHS[-1])
    return [*widths, largest] if largest not in widths else widths


@register.simple_tag
def responsive_picture(image, alt: str, sizes: str = "100vw", loading: str = "lazy"):
    """A <picture> of WebP renditions with a JPEG fallback at several widths, so
    a phone on 3G downloads a phone-sized picture."""
    from django.utils.html import format_html

    if image is None:
        return ""
    widths = responsive_widths(image.width)
    specs = [f"width-{w}|format-{kind}" for kind in ("webp", "jpeg") for w in widths]
    made = image.get_renditions(*specs)

    def srcset(kind):
        chosen = [made[f"width-{w}|format-{kind}"] for w in widths]
        return ", ".join(f"{r.url} {r.width}w" for r in chosen)

    fallback = made[f"width-{widths[-1]}|format-jpeg"]
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" '
        'loading="{}" decoding="async"></picture>',
        srcset("webp"), sizes, fallback.url, srcset("jpeg"), sizes,
        fallback.width, fallback.height, alt, loading,
    )  # fmt: skip


@register.simple_tag(takes_context=True)
def main_sections(context):
    """Top-level sections of the edition being read, for the menu."""
    from wagtail.models import Site

    from toasoan.news.models import SectionPage

    site = Site.find_for_request(context.get("request"))
    if site is None:
        return []
    # The site's root is the default edition's home; ``localized`` is the home
    # of the edition being read (Wagtail routes /en/ the same way).
    return list(SectionPage.objects.child_of(site.root_page.localized).live().in_menu())
