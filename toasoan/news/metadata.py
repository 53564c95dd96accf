"""What an article page tells machines: Open Graph and Twitter cards, which
Facebook's and Zalo's share previews read, and JSON-LD (NewsArticle,
BreadcrumbList, VideoObject) for search engines.

The share image is cropped to 1200×630; NewsArticle gets the three ratios Google
asks for (1:1, 4:3, 16:9), all made from the article's image by Wagtail.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext
from wagtail.images.image_operations import FillOperation

from toasoan.news.editions import edition_home_url
from toasoan.news.models import Article, SectionPage

SHARE_IMAGE = "exactfill-1200x630"
SCHEMA_IMAGES = ("exactfill-1200x1200", "exactfill-1200x900", "exactfill-1200x675")
HEADLINE_LIMIT = 110  # Google cuts NewsArticle headlines longer than this
OG_LOCALES = {
    "vi": "vi_VN",
    "en": "en_US",
    "fr": "fr_FR",
    "zh-hans": "zh_CN",
    "lo": "lo_LA",
    "km": "km_KH",
    "ko": "ko_KR",
    "ja": "ja_JP",
    "ru": "ru_RU",
}


class ExactFillOperation(FillOperation):
    """Wagtail's fill, without its off-by-one: a 1200×675 original filled to
    1200×630 comes out 1200×631, since the crop box is rounded and an image no
    wider than asked is not resized. Previews want the size they asked for."""

    def run(self, transform, image):
        transform = super().run(transform, image)
        width, height = transform.size
        if (width, height) != (self.width, self.height) and (
            abs(width - self.width) <= 2 and abs(height - self.height) <= 2
        ):
            transform = transform.resize((self.width, self.height))
        return transform


@dataclass
class PageMetadata:
    """Share-preview tags (property, content) and JSON-LD documents."""

    open_graph: list[tuple[str, str]] = field(default_factory=list)
    twitter: list[tuple[str, str]] = field(default_factory=list)
    json_ld: list[dict] = field(default_factory=list)


def iso_duration(seconds: float) -> str:
    """184.4 → "PT3M4S" (ISO 8601, as schema.org wants durations)."""
    total = max(round(seconds), 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return (
        "PT"
        + (f"{hours}H" if hours else "")
        + (f"{minutes}M" if minutes else "")
        + f"{secs}S"
    )


def ld_json(documents: list[dict]) -> str:
    """JSON for a <script type="application/ld+json">: "<", ">" and "&" are
    written as escapes, so a title cannot close the script element."""
    text = json.dumps(
        documents if len(documents) != 1 else documents[0], ensure_ascii=False
    )
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def local_iso(moment) -> str:
    """In the site's time zone, as the page shows it: 2026-11-03T17:30:59+07:00."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _absolute(base_url: str, url: str) -> str:
    return url if "://" in url else base_url + url


def _renditions(image, specs: tuple[str, ...]) -> dict:
    return image.get_renditions(*specs) if image is not None else {}


def section_trail(section: SectionPage) -> list[SectionPage]:
    """The sections from the top of the edition down to this one."""
    ancestors = section.get_ancestors().type(SectionPage).specific()
    return [*ancestors, section]


def _translation_languages(article: Article) -> list[str]:
    """The other languages this article is published in."""
    return list(
        Article.objects.published()
        .filter(translation_key=article.translation_key)
        .exclude(pk=article.pk)
        .values_list("locale__language_code", flat=True)
        .order_by("locale__language_code")
    )


def article_metadata(
    article: Article,
    base_url: str,
    outlet_name: str,
    logo=None,
    other_languages: list[str] | None = None,
) -> PageMetadata:
    """``other_languages``: those the article is also published in, when the
    caller knows them already (the view, from its language switcher)."""
    if other_languages is None:
        other_languages = _translation_languages(article)
    url = base_url + article.get_absolute_url()
    description = article.lead or strip_tags(article.body)[:300]
    published = local_iso(article.published_at)
    modified = local_iso(max(filter(None, [article.changed_at, article.corrected_at])))
    keywords = [k.name for k in article.keywords.all()]
    language = article.locale.language_code
    images = _renditions(article.featured_image, (SHARE_IMAGE, *SCHEMA_IMAGES))
    share = images.get(SHARE_IMAGE)
    video = article.video
    poster = (
        _absolute(base_url, video.poster.url)
        if video is not None and video.is_ready and video.poster
        else None
    )
    # Video news often has no picture of its own (an archive names only its
    # video): the poster frame is then what share previews and search show.
    share_url = _absolute(base_url, share.url) if share else poster

    meta = PageMetadata()
    meta.open_graph = [
        ("og:type", "article"),
        ("og:site_name", outlet_name),
        ("og:locale", OG_LOCALES.get(language, language)),
        *(
            ("og:locale:alternate", OG_LOCALES.get(code, code))
            for code in other_languages
        ),
        ("og:title", article.title),
        ("og:description", description),
        ("og:url", url),
    ]
    if share:
        meta.open_graph += [
            ("og:image", share_url),
            ("og:image:width", str(share.width)),
            ("og:image:height", str(share.height)),
            ("og:image:alt", article.featured_image_alt_text or article.title),
        ]
    elif poster:
        meta.open_graph += [("og:image", poster), ("og:image:alt", article.title)]
    meta.open_graph += [
        ("article:published_time", published),
        ("article:modified_time", modified),
        ("article:section", article.section.title),
        *(("article:tag", keyword) for keyword in keywords),
    ]
    meta.twitter = [
        ("twitter:card", "summary_large_image" if share_url else "summary"),
        ("twitter:title", article.title),
        ("twitter:description", description),
    ]
    if share_url:
        meta.twitter.append(("twitter:image", share_url))

    publisher = {
        "@type": "NewsMediaOrganization",
        "name": outlet_name,
        "url": base_url + "/",
    }
    if logo is not None:
        rendition = logo.get_rendition("max-600x600")
        publisher["logo"] = {
            "@type": "ImageObject",
            "url": _absolute(base_url, rendition.url),
            "width": rendition.width,
            "height": rendition.height,
        }
    news_article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.title[:HEADLINE_LIMIT],
        "description": description,
        "datePublished": published,
        "dateModified": modified,
        "inLanguage": language,
        "articleSection": article.section.title,
        "author": [
            {
                "@type": "Person",
                "name": byline.display_name,
                "url": base_url + byline.get_absolute_url(),
            }
            for byline in article.bylines.all()
        ],
        "publisher": publisher,
    }
    if keywords:
        news_article["keywords"] = ", ".join(keywords)
    if images:
        news_article["image"] = [
            _absolute(base_url, images[spec].url) for spec in SCHEMA_IMAGES
        ]
    elif poster:
        news_article["image"] = [poster]

    trail = (
        [(gettext("Trang chủ"), base_url + edition_home_url(language))]
        + [
            (section.title, _absolute(base_url, section.get_url()))
            for section in section_trail(article.section)
        ]
        + [(article.title, url)]
    )
    breadcrumbs = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": item}
            for n, (name, item) in enumerate(trail, start=1)
        ],
    }
    meta.json_ld = [news_article, breadcrumbs]

    # Only a processed video is described: its poster is the thumbnail Google
    # needs, its web MP4 the content (with the article's images as well).
    if poster:
        video_object = {
            "@context": "https://schema.org",
            "@type": "VideoObject",
            "name": video.title or article.title,
            "description": description or article.title,
            "thumbnailUrl": list(dict.fromkeys([poster, *news_article["image"]])),
            "uploadDate": local_iso(video.created_at or article.published_at),
            "contentUrl": _absolute(base_url, video.web_mp4.url),
        }
        if video.duration_seconds:
            video_object["duration"] = iso_duration(video.duration_seconds)
        meta.json_ld.append(video_object)
        meta.open_graph += [
            ("og:video", _absolute(base_url, video.web_mp4.url)),
            ("og:video:type", "video/mp4"),
        ]
    return meta
