"""What search engines are told: the sitemap index, the sitemaps of sections and
articles (with their images and videos), the Google News sitemap, robots.txt.

Django's sitemap framework builds each file as a list in memory and pages with
OFFSET, which at 1,000,000 articles is slow and large; so the article sitemaps
are streamed, and split by id range instead of by page: file n holds the
published articles whose id lies in ((n-1)·50,000, n·50,000], read in id order
through the primary key. A file never exceeds 50,000 URLs, costs the same to
build wherever it falls in the archive, and a URL stays in the same file.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Page

from toasoan.core.richtext import xml_text
from toasoan.news.models import Article, HomePage, SectionPage

ARTICLES_PER_SITEMAP = 50_000
NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1_000  # Google News reads at most 1,000 URLs per sitemap
ROWS_PER_CHUNK = 500  # URLs written to the response at a time

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
IMAGE_NS = "http://www.google.com/schemas/sitemap-image/1.1"
VIDEO_NS = "http://www.google.com/schemas/sitemap-video/1.1"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def element(name: str, text: str) -> str:
    # A title may hold characters XML cannot (a pasted vertical tab): left in,
    # the whole sitemap would be refused.
    return f"<{name}>{escape(xml_text(text))}</{name}>"


def w3c_datetime(value: datetime) -> str:
    return value.astimezone(timezone.get_current_timezone()).isoformat(
        timespec="seconds"
    )


def article_sitemap_numbers() -> list[int]:
    """The article sitemaps that hold at least one URL (an empty urlset is
    invalid): one cheap primary-key range probe per 50,000 ids."""
    ids = Article.objects.aggregate(low=Min("pk"), high=Max("pk"))
    if ids["low"] is None:
        return []
    published = Article.objects.published()
    return [
        number
        for number in range(_number_of(ids["low"]), _number_of(ids["high"]) + 1)
        if _in_range(published, number).exists()
    ]


def article_sitemap_exists(number: int) -> bool:
    return number >= 1 and _in_range(Article.objects.published(), number).exists()


def _number_of(article_id: int) -> int:
    return (article_id - 1) // ARTICLES_PER_SITEMAP + 1


def _in_range(articles, number: int):
    """The articles of file ``number``: a primary-key range, two bounds (a list
    of 50,000 ids would be a 400 kB query, past some SQLite builds' limit)."""
    ids = _id_range(number)
    return articles.filter(pk__gte=ids.start, pk__lt=ids.stop)


def _id_range(number: int) -> range:
    return range(
        (number - 1) * ARTICLES_PER_SITEMAP + 1, number * ARTICLES_PER_SITEMAP + 1
    )


def write_sitemap_index(base_url: str) -> Iterator[str]:
    yield XML_DECLARATION + f'<sitemapindex xmlns="{SITEMAP_NS}">\n'
    names = ["sections", *(f"articles-{n}" for n in article_sitemap_numbers()), "news"]
    for name in names:
        url = base_url + reverse("sitemap_file", kwargs={"name": name})
        yield f"<sitemap>{element('loc', url)}</sitemap>\n"
    yield "</sitemapindex>\n"


def write_section_sitemap(base_url: str) -> Iterator[str]:
    """The home page of every edition and every live section."""
    yield XML_DECLARATION + f'<urlset xmlns="{SITEMAP_NS}">\n'
    pages = Page.objects.live().public().type(HomePage, SectionPage).specific()
    for section in pages.order_by("path"):
        url = section.get_url()
        if not url:  # a section outside any site has no address to give
            continue
        if url.startswith("/"):
            url = base_url + url
        changed = section.last_published_at or section.first_published_at
        yield (
            "<url>"
            + element("loc", url)
            + (element("lastmod", w3c_datetime(changed)) if changed else "")
            + "<changefreq>hourly</changefreq></url>\n"
        )
    yield "</urlset>\n"


class _ArticlePaths:
    """An article's path without calling reverse() 50,000 times: the pattern is
    "/<slug>-<id>.html", behind the edition's language prefix ("/en")."""

    def __init__(self):
        self._prefixes: dict[str, str] = {}

    def __call__(self, language_code: str, slug: str, pk: int) -> str:
        prefix = self._prefixes.get(language_code)
        if prefix is None:
            with translation.override(language_code):
                sample = reverse("article", kwargs={"slug": "a", "pk": 1})
            prefix = self._prefixes[language_code] = sample[: -len("/a-1.html")]
        return f"{prefix}/{slug}-{pk}.html"


ARTICLE_ROW = (
    "pk",
    "slug",
    "title",
    "lead",
    "locale__language_code",
    "published_at",
    "updated_at",
    "featured_image__file",
    "featured_image_caption",
    "video__status",
    "video__web_mp4",
    "video__poster",
    "video__title",
    "video__duration_seconds",
)


def write_article_sitemap(base_url: str, number: int) -> Iterator[str]:
    """One article sitemap, streamed: constant memory whatever the archive."""
    yield (
        XML_DECLARATION + f'<urlset xmlns="{SITEMAP_NS}" xmlns:image="{IMAGE_NS}" '
        f'xmlns:video="{VIDEO_NS}">\n'
    )
    rows = (
        _in_range(Article.objects.published(), number)
        .order_by("pk")
        .values_list(*ARTICLE_ROW)
        .iterator(chunk_size=2_000)
    )
    path_of = _ArticlePaths()
    chunk: list[str] = []
    for row in rows:
        chunk.append(
            _article_url(base_url, path_of, dict(zip(ARTICLE_ROW, row, strict=True)))
        )
        if len(chunk) >= ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk) + "</urlset>\n"


def _media_url(base_url: str, name: str) -> str:
    url = default_storage.url(name)
    return url if "://" in url else base_url + url


def _article_url(base_url: str, path_of: _ArticlePaths, row: dict) -> str:
    loc = base_url + path_of(row["locale__language_code"], row["slug"], row["pk"])
    parts = [
        "<url>",
        element("loc", loc),
        element("lastmod", w3c_datetime(row["updated_at"])),
    ]
    image_file = row["featured_image__file"]
    image = _media_url(base_url, image_file) if image_file else None
    if image:
        caption = row["featured_image_caption"]
        parts += [
            "<image:image>",
            element("image:loc", image),
            element("image:caption", caption) if caption else "",
            "</image:image>",
        ]
    # A processed video only: its poster is the thumbnail Google needs.
    if (
        row["video__status"] == "ready"
        and row["video__web_mp4"]
        and row["video__poster"]
    ):
        duration = row["video__duration_seconds"]
        parts += [
            "<video:video>",
            element("video:thumbnail_loc", _media_url(base_url, row["video__poster"])),
            element("video:title", (row["video__title"] or row["title"])[:100]),
            element("video:description", (row["lead"] or row["title"])[:2048]),
            element("video:content_loc", _media_url(base_url, row["video__web_mp4"])),
            element("video:duration", str(min(max(round(duration), 1), 28_800)))
            if duration
            else "",
            element("video:publication_date", w3c_datetime(row["published_at"])),
            "</video:video>",
        ]
    parts.append("</url>\n")
    return "".join(parts)


def write_news_sitemap(base_url: str, publication_name: str) -> str:
    """Articles published in the last 48 hours, for Google News (at most 1,000)."""
    since = timezone.now() - NEWS_WINDOW
    rows = (
        Article.objects.published()
        .filter(published_at__gte=since)
        .order_by("-published_at")
        .values_list("pk", "slug", "title", "locale__language_code", "published_at")[
            :NEWS_LIMIT
        ]
    )
    rows = list(rows)
    path_of = _ArticlePaths()
    parts = [
        XML_DECLARATION,
        f'<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">\n',
    ]
    for pk, slug, title, language_code, published_at in rows:
        parts += [
            "<url>",
            element("loc", base_url + path_of(language_code, slug, pk)),
            "<news:news><news:publication>",
            element("news:name", publication_name),
            element("news:language", news_language(language_code)),
            "</news:publication>",
            element("news:publication_date", w3c_datetime(published_at)),
            element("news:title", title),
            "</news:news></url>\n",
        ]
    if not rows:
        # An empty urlset is invalid; the home page stands in until news comes.
        parts.append(f"<url>{element('loc', base_url + '/')}</url>\n")
    parts.append("</urlset>\n")
    return "".join(parts)


def _search_path(language_code: str) -> str:
    with translation.override(language_code):
        return reverse("search")


def news_language(language_code: str) -> str:
    """Google News wants ISO 639 ("vi", "en"), or zh-cn / zh-tw."""
    code = language_code.lower()
    return code if code in ("zh-cn", "zh-tw") else code.split("-")[0]


def write_robots_txt(base_url: str) -> str:
    # Each edition's search results (/en/tim-kiem/ …) are no pages to index.
    searches = "".join(
        f"Disallow: {_search_path(code)}\n" for code, _ in settings.LANGUAGES
    )
    return (
        "User-agent: *\n"
        "Disallow: /admin/\n"
        "Disallow: /api/\n"
        f"{searches}"
        f"\nSitemap: {base_url}{reverse('sitemap_index')}\n"
        f"Sitemap: {base_url}{reverse('sitemap_file', kwargs={'name': 'news'})}\n"
    )
