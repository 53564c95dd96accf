"""Whatever a person types into the site or the admin, or puts in a file for an
importer, is harmless when it is shown again (issue 12).

A corpus of hostile text (xss_corpus.py) goes into every text field of the
content models, through the three importers and into search queries; then every
page where it shows is read: by the test client (status, XML, JSON) and in
Debian's chromium, with the reader site's Content Security Policy and without it
(the policy would hide a hole in our escaping, so the escaping is proved on its
own). A payload that runs calls __xss(n) or opens a dialog; none may.

The content is made once for the module and every page visited once with all
payloads on it: the module fixture gathers what was seen, the tests judge it.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit
from xml.sax.saxutils import escape as xml_escape

import lxml.html
import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from lxml import etree
from wagtail.rich_text import expand_db_html

from conftest import _rebuild_site_after_flush, create_article, draftail, formsets
from toasoan.core.tests.test_browser_csp import WATCH_VIOLATIONS
from toasoan.core.tests.xss_corpus import PAYLOADS, chunks, everything

# The tests only judge what the module fixture saw; the mark makes pytest-django
# set up the test database, and a flush after each test leaves it as the
# browser tests elsewhere leave it.
pytestmark = pytest.mark.django_db(transaction=True)

# Defined in every frame before the page's own scripts: a payload that runs
# reports its number.
MARKER = """
window.__xss = (n) => window.reportXss(String(n));
"""
# What a payload leaves behind when it becomes markup instead of text: an event
# handler, a script, a frame, an address with a script scheme. On the reader
# site (strict) none of these belongs at all; in the admin, which has its own
# inline scripts and handlers, only those holding a payload's "xss" count.
INSPECT = """
(strict) => {
  const found = [];
  const urlAttributes = new Set(["href", "src", "action", "formaction", "xlink:href",
    "data", "poster", "background", "cite", "ping", "codebase", "srcset"]);
  const safeSchemes = new Set(["http:", "https:", "mailto:", "tel:"]);
  const inert = new Set(["value", "title", "alt", "content", "placeholder", "label",
    "class", "id", "name", "for", "lang", "datetime", "type"]);
  const dangerous = new Set(["svg", "math", "iframe", "frame", "frameset", "object",
    "embed", "applet", "base", "template", "xmp", "noscript", "marquee", "style"]);
  const isData = (s) => ["application/ld+json", "application/json"].includes(
    (s.getAttribute("type") || "").toLowerCase());
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    const where = `${tag}${el.id ? "#" + el.id : ""}`;
    for (const attribute of el.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value;
      const hostile = /xss/i.test(value);
      if (name.startsWith("on")) {
        if (strict || hostile) found.push(`${where}[${name}=${value.slice(0, 80)}]`);
      } else if (urlAttributes.has(name)) {
        let scheme;
        try { scheme = new URL(value.trim(), document.baseURI).protocol; }
        catch (error) { scheme = "unparsable"; }
        if (!safeSchemes.has(scheme) && (strict || hostile)) {
          found.push(`${where}[${name}=${value.slice(0, 80)}]`);
        }
      } else if (name === "srcdoc" || (hostile && !inert.has(name)
                 && !name.startsWith("data-") && !name.startsWith("aria-"))) {
        found.push(`${where}[${name}=${value.slice(0, 80)}]`);
      }
    }
    if (tag === "script" && !isData(el)) {
      if (/xss/i.test(el.textContent)) found.push(`script: ${el.textContent.slice(0, 80)}`);
      if (strict && !(el.src && new URL(el.src).pathname.startsWith("/static/"))) {
        found.push(`inline script: ${el.outerHTML.slice(0, 80)}`);
      }
    }
    if (strict && (dangerous.has(tag) && document.body.contains(el)
                   || tag === "meta" && el.hasAttribute("http-equiv"))) {
      found.push(`<${tag}> ${el.outerHTML.slice(0, 80)}`);
    }
  }
  return found;
}
"""
ATOM = "http://www.w3.org/2005/Atom"
# What a reader is shown, to compare with what was typed.
SNAPSHOT = """
() => ({
  title: document.title,
  text: document.body ? document.body.textContent : "",
  alts: [...document.querySelectorAll("img[alt]")].map((i) => i.alt),
  metas: [...document.querySelectorAll("meta[content]")].map(
    (m) => [m.getAttribute("property") || m.getAttribute("name") || "", m.content]),
  inputs: Object.fromEntries([...document.querySelectorAll("input[id]")].map(
    (i) => [i.id, i.value])),
  jsonLd: [...document.querySelectorAll('script[type="application/ld+json"]')].map(
    (s) => s.textContent),
})
"""
# After a load: time for the events a payload would use (autofocus, an SVG's
# onload, a <details> toggling) to fire, then the markup and the text, in one
# call into the page.
LOOK = f"""
async (strict) => {{
  await new Promise((done) => setTimeout(done, 60));
  return {{markup: ({INSPECT})(strict), snapshot: ({SNAPSHOT})()}};
}}
"""
SETTLE = "() => new Promise((done) => setTimeout(done, 60))"


def squash(text: str) -> str:
    """Text compared without its white space: a newline typed in a correction
    note is a <br> on the page, a tab in a title is a space."""
    return re.sub(r"\s+", "", text)


@dataclass
class Visit:
    """What one page load showed: the payloads that ran, and what is wrong."""

    url: str
    status: int | None = None
    ran: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    markup: list[str] = field(default_factory=list)
    snapshot: dict = field(default_factory=dict)


@dataclass
class Seen:
    """Everything the module's pages showed, gathered once."""

    responses: dict = field(default_factory=dict)  # url → test client response
    expected: dict = field(default_factory=dict)  # url → texts a reader must see
    statuses: dict = field(default_factory=dict)  # url → expected status
    titles: dict = field(default_factory=dict)  # article id → stored title
    article_urls: dict = field(default_factory=dict)  # name → url
    preview_title: str = ""
    api_article: tuple | None = None  # (url, stored title, lead, bylines)
    json_ld: dict = field(default_factory=dict)  # url → (headline, authors)
    imported: dict = field(default_factory=dict)  # importer → articles made
    import_output: list[str] = field(default_factory=list)
    bad_input: dict = field(default_factory=dict)  # what → status
    with_policy: list[Visit] | None = None
    without_policy: list[Visit] | None = None
    control: list[str] | None = None
    autocomplete: dict = field(default_factory=dict)
    admin: list[Visit] | None = None


# ---------------------------------------------------------------------------
# The hostile content


def _image(title: str, description: str = ""):
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    buffer = io.BytesIO()
    PILImage.new("RGB", (800, 450), (180, 40, 40)).save(buffer, "JPEG")
    return get_image_model().objects.create(
        title=title[:255],
        description=description[:255],
        file=ImageFile(buffer, name="anh-doc-hai.jpg"),
    )


def _ready_video(title: str):
    from toasoan.videos.models import Video, VideoStatus

    video = Video.objects.create(
        title=title[:300],
        original_filename="ban-tin.mp4",
        file=ContentFile(b"\0" * 64, name="ban-tin.mp4"),
        duration_seconds=61,
        width=1280,
        height=720,
    )
    video.poster.save("poster.jpg", ContentFile(b"\xff\xd8" + b"\0" * 62), save=False)
    video.web_mp4.save("web.mp4", ContentFile(b"\0" * 64), save=False)
    video.hls_master.save("master.m3u8", ContentFile(b"#EXTM3U\n"), save=False)
    video.status = VideoStatus.READY
    video.save()
    return video


def _article(section, title: str, *, authors=(), **fields):
    fields.setdefault("published_at", timezone.now() - timedelta(hours=1))
    fields.setdefault("locale", section.locale)
    return create_article(section, title, authors=authors or ("Cao Biền",), **fields)


def _section(parent, title: str, slug: str, **fields):
    from toasoan.news.models import SectionPage

    page = SectionPage(title=title, slug=slug, show_in_menus=True, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _press_settings(site):
    """Each field of the legal footer holds a payload that fits it."""
    from toasoan.core.models import PressSettings

    press = PressSettings.for_site(site)
    for name, limit in [
        ("outlet_name", 200), ("short_name", 60), ("governing_agency", 200),
        ("licence_number", 100), ("licence_issuer", 200), ("editor_in_chief", 120),
        ("address", 300), ("phone", 60),
    ]:  # fmt: skip
        setattr(press, name, chunks(limit)[len(name) % len(chunks(limit))])
    # A quoted local part may hold anything, and the email validator agrees.
    press.email = '"<svg/onload=__xss(0)>"@toasoan.vn'
    press.save()
    return press


@dataclass
class Content:
    home: object
    sections: list
    author: object
    main: object
    titled: list
    withdrawn: object
    waiting_video: object
    press: object
    editor: object


def make_hostile_content() -> Content:
    from django.contrib.auth import get_user_model
    from wagtail.models import Site

    from toasoan.audience.models import ArticleViewHour
    from toasoan.news.models import Author, HomePage
    from toasoan.newsroom.corrections import withdraw_article
    from toasoan.newsroom.models import EditorialComment
    from toasoan.videos.models import Video

    home = HomePage.objects.first() or _rebuild_site_after_flush()
    editor = get_user_model().objects.create_superuser("bientap", "b@toasoan.vn", "x")
    site = Site.objects.get(is_default_site=True)
    site.site_name = chunks(255)[0]
    site.save()
    press = _press_settings(site)
    top = _section(
        home,
        chunks(255)[1],
        "chuyen-muc-doc-hai",
        description=everything(),
        seo_title=chunks(255)[2],
        search_description=everything(),
    )
    sections = [top, _section(top, chunks(255)[3], "muc-con-doc-hai")]
    sections += [
        _section(home, title, f"muc-{n}") for n, title in enumerate(chunks(255)[4:8])
    ]
    author = Author.objects.create(
        name=chunks(120)[0], role=chunks(120)[1], bio=everything()
    )
    image = _image(chunks(255)[0], description=chunks(255)[1])
    picture = (
        f'<embed embedtype="image" id="{image.pk}" format="fullwidth" '
        f'alt="{xml_escape(chunks(200)[0], {chr(34): "&quot;"})}"/>'
    )
    main = _article(
        top,
        chunks(300)[0],
        lead=everything(),
        body="".join(f"<p>{p.text}</p>" for p in PAYLOADS) + picture,
        correction_note=everything(),
        corrected_at=timezone.now(),
        featured_image=image,
        featured_image_alt=chunks(250)[0],
        featured_image_caption=chunks(500)[0],
        featured_image_credit=chunks(200)[0],
        video=_ready_video(chunks(300)[1]),
        is_lead_story=True,
        authors=[author, *[p.text[:200] for p in PAYLOADS]],
        keywords=[p.text for p in PAYLOADS],
    )
    # Every short-field chunk on an article of its own (titles, captions, alt
    # and credits are short): they show in lists, on their pages and in feeds.
    titles, alts, captions, credits = chunks(300), chunks(250), chunks(500), chunks(200)
    count = max(len(titles), len(alts), len(captions), len(credits))
    titled = [
        _article(
            sections[n % len(sections)],
            titles[n % len(titles)],
            lead=titles[(n + 1) % len(titles)],
            featured_image=image,
            featured_image_alt=alts[n % len(alts)],
            featured_image_caption=captions[n % len(captions)],
            featured_image_credit=credits[n % len(credits)],
            authors=[author],
            published_at=timezone.now() - timedelta(hours=2, minutes=n),
        )
        for n in range(1, count)
    ]
    for n, article in enumerate([main, *titled[:10]]):
        ArticleViewHour.objects.create(
            article=article,
            hour=timezone.now().replace(minute=0, second=0, microsecond=0),
            views=100 - n,
        )
        type(article).objects.filter(pk=article.pk).update(view_count=100 - n)
    # A withdrawal reason holds at most 2,000 characters: three articles.
    withdrawn = []
    for n, reason in enumerate(chunks(2000)):
        article = _article(top, chunks(300)[2 + n], lead=chunks(300)[3 + n])
        withdrawn.append(withdraw_article(article, editor, reason))
    # A video named in an archive, never uploaded: its file name is shown.
    waiting_video = _article(
        sections[1],
        chunks(300)[4],
        video=Video.objects.create(
            original_filename=chunks(255)[5], title=chunks(300)[5]
        ),
    )
    _article(  # waits for its time: on the dashboard's scheduled panel
        top,
        chunks(300)[6],
        publish=False,
        go_live_at=timezone.now() + timedelta(days=2),
    ).save_revision(clean=False)
    for text in [p.text for p in PAYLOADS[:50]] + [everything()]:
        EditorialComment.objects.create(article=main, author=editor, text=text)
    return Content(
        home, sections, author, main, titled, withdrawn, waiting_video, press, editor
    )


# ---------------------------------------------------------------------------
# The importers, fed hostile files


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _text_archive(folder: Path) -> list[Path]:
    """The old portal's plain-text pages (see importers/textformat.py)."""
    files = []
    for n, title in enumerate(chunks(300)[:3]):
        keywords = ", ".join(p.text.replace(",", " ")[:90] for p in PAYLOADS[n::3])
        path = folder / f"{47100 + n}.txt"
        path.write_text(
            f"{title.replace(chr(10), ' ')}\n\nThứ 6, 26.07.2019 | 17:30:59\n264 lượt xem\n\n"
            + "\n\n".join(p.text.replace("\n", " ") for p in PAYLOADS)
            + f"\n\n{chunks(60)[n]}\n\n• Từ khóa: {keywords}\n",
            "utf-8",
        )
        files.append(path)
    return files


def _wordpress_export(folder: Path) -> tuple[Path, Path]:
    from PIL import Image as PILImage

    uploads = folder / "uploads"
    uploads.mkdir()
    PILImage.new("RGB", (640, 360), (30, 90, 160)).save(uploads / "hinh.jpg")
    items = []
    for n, title in enumerate(chunks(300)[3:6]):
        tags = "".join(
            f'<category domain="post_tag" nicename="the-{n}-{p.number}">'
            f"{cdata(p.text[:100])}</category>"
            for p in PAYLOADS[n::3]
        )
        items.append(
            f"<item><title>{xml_escape(title)}</title>"
            f"<link>https://wp.example.vn/bai-{n}/</link>"
            f"<dc:creator>{'tac-gia' if n else 'khong-co'}</dc:creator>"
            f"<content:encoded>{cdata(everything(chr(10) * 2))}"
            f"{cdata(chr(10) * 2 + _wp_picture(chunks(100)[n]))}"
            f"</content:encoded>"
            f"<excerpt:encoded>{cdata(chunks(300)[n + 6])}</excerpt:encoded>"
            f"<wp:post_id>{900 + n}</wp:post_id>"
            "<wp:post_date_gmt>2019-07-26 10:30:59</wp:post_date_gmt>"
            "<wp:post_type>post</wp:post_type><wp:status>publish</wp:status>"
            f'<category domain="category" nicename="muc-wp">{cdata(chunks(200)[n])}</category>'
            f"{tags}"
            "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
            "<wp:meta_value>899</wp:meta_value></wp:postmeta></item>"
        )
    export = folder / "export.xml"
    export.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/">'
        f"<channel><title>{xml_escape(chunks(100)[0])}</title>"
        "<link>https://wp.example.vn</link><wp:wxr_version>1.2</wp:wxr_version>"
        "<wp:author><wp:author_login>tac-gia</wp:author_login>"
        f"<wp:author_display_name>{cdata(chunks(120)[2])}</wp:author_display_name>"
        "</wp:author>"
        "<wp:category><wp:category_nicename>muc-wp</wp:category_nicename>"
        "<wp:category_parent></wp:category_parent>"
        f"<wp:cat_name>{cdata(chunks(200)[1])}</wp:cat_name>"
        f"<wp:category_description>{cdata(everything())}</wp:category_description>"
        "</wp:category>"
        "<item><title>hinh</title><link>https://wp.example.vn/hinh/</link>"
        "<wp:post_id>899</wp:post_id><wp:post_type>attachment</wp:post_type>"
        "<wp:status>inherit</wp:status><wp:attachment_url>"
        "https://wp.example.vn/wp-content/uploads/hinh.jpg</wp:attachment_url>"
        "<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>"
        f"<wp:meta_value>{cdata(chunks(255)[2])}</wp:meta_value></wp:postmeta></item>"
        + "".join(items)
        + "</channel></rss>",
        "utf-8",
    )
    return export, uploads


def _wp_picture(alt: str) -> str:
    url = "https://wp.example.vn/wp-content/uploads/hinh.jpg"
    return f'<img src="{url}" alt="{alt}">'


def _feeds(folder: Path) -> list[Path]:
    rss_items = "".join(
        f"<item><title>Tin nguồn {n}: {xml_escape(title)}</title>"
        f"<link>https://nguon.example.vn/rss-{n}</link>"
        f"<description>{cdata(everything())}</description>"
        f"<content:encoded>{cdata(''.join(f'<p>{p.text}</p>' for p in PAYLOADS))}</content:encoded>"
        f"<author>{xml_escape(chunks(60)[n + 3])}</author>"
        + "".join(
            f"<category>{xml_escape(p.text[:100])}</category>" for p in PAYLOADS[n::4]
        )
        + f'<enclosure url="https://nguon.example.vn/{quote(chunks(60)[n])}.mp4" '
        'type="video/mp4" length="1"/>'
        "<pubDate>Fri, 26 Jul 2019 10:30:59 GMT</pubDate></item>"
        for n, title in enumerate(chunks(300)[6:8])
    )
    rss = folder / "nguon.rss"
    rss.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{xml_escape(chunks(100)[1])}</title><link>https://nguon.example.vn/</link>"
        f"<description>x</description>{rss_items}</channel></rss>",
        "utf-8",
    )
    atom_entries = "".join(
        f'<entry><title type="html">Tin nguồn {n}: {xml_escape(title)}</title>'
        f'<link href="https://nguon.example.vn/atom-{n}"/>'
        f"<id>tag:nguon.example.vn,2019:{n}</id>"
        "<updated>2019-07-26T10:30:59Z</updated>"
        f"<author><name>{xml_escape(chunks(60)[n + 6])}</name></author>"
        f'<summary type="text">{xml_escape(everything())}</summary>'
        f'<content type="html">{xml_escape("".join(f"<p>{p.text}</p>" for p in PAYLOADS))}</content>'
        + "".join(
            f'<category term="{xml_escape(p.text[:100], {chr(34): "&quot;"})}"/>'
            for p in PAYLOADS[n::4]
        )
        + "</entry>"
        for n, title in enumerate(chunks(300)[8:10])
    )
    atom = folder / "nguon.atom"
    atom.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{xml_escape(chunks(100)[2])}</title><id>tag:nguon.example.vn,2019</id>"
        f"<updated>2019-07-26T10:30:59Z</updated>{atom_entries}</feed>",
        "utf-8",
    )
    return [rss, atom]


def run_importers(folder: Path, section) -> tuple[dict, list[str]]:
    """Each importer through its command, as `python -m toasoan import-…` runs it."""
    from toasoan.news.models import Article

    made, output = {}, []

    def command(label: str, *args) -> None:
        name = label.split()[0]
        before = set(Article.objects.values_list("pk", flat=True))
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command(name, *args, stdout=out, stderr=err)
        except CommandError as error:  # judged by the test, with the output
            err.write(f"CommandError: {error}")
        output.append(f"{label}: {out.getvalue()} {err.getvalue()}")
        made[label] = list(
            Article.objects.exclude(pk__in=before).order_by("pk").filter(live=True)
        )

    archive = folder / "luu-tru"
    archive.mkdir()
    command("import_text", *map(str, _text_archive(archive)), "--section", section.pk)
    export, uploads = _wordpress_export(folder)
    command("import_wxr", str(export), "--media", str(uploads))
    for feed in _feeds(folder):
        command(f"import_feed {feed.suffix[1:]}", str(feed), "--section", section.pk)
    return made, output


# ---------------------------------------------------------------------------
# The pages, and what each must show as text


def reader_pages(content: Content, imported: dict) -> tuple[dict, dict]:
    """url → texts a reader must see there as typed; url → expected status."""
    from toasoan.news.models import Keyword

    main, top = content.main, content.sections[0]
    bylines = list(main.bylines.all())
    keywords = list(main.keywords.all())
    chrome = [content.press.outlet_name, content.press.address]
    pages: dict[str, list[str]] = {
        "/": [main.title, main.lead, *chrome, content.sections[0].title],
        top.url: [top.title, top.description, content.titled[0].title],
        content.sections[1].url: [content.sections[1].title],
        main.get_absolute_url(): [
            main.title, main.lead, main.correction_note, main.featured_image_caption,
            main.featured_image_credit, top.title,
            *[b.display_name for b in bylines], *[k.name for k in keywords],
        ],
        f"/bai-viet/{main.pk}/in/": [
            main.title, main.lead, main.correction_note, main.featured_image_caption,
        ],
        content.waiting_video.get_absolute_url(): [
            content.waiting_video.title, content.waiting_video.video.original_filename,
        ],
        content.author.get_absolute_url(): [
            content.author.name, content.author.role, content.author.bio,
        ],
        "/video/": [main.title],
        "/tim-kiem/?q=script": [],
        "/khong-co-trang-nay/%3Cscript%3E__xss(1)%3C/script%3E/": [],
    }  # fmt: skip
    for article in content.withdrawn:
        pages[article.get_absolute_url()] = [article.title, article.withdrawal_reason]
    for article in content.titled:
        pages[article.get_absolute_url()] = [
            article.title, article.lead, article.featured_image_caption,
            article.featured_image_credit,
        ]  # fmt: skip
    for byline in bylines[1:40:13]:
        pages[byline.get_absolute_url()] = [byline.display_name]
    for keyword in keywords[::25]:
        pages[keyword.get_absolute_url()] = [keyword.name]
    for query in [*chunks(300)[:3], "xss 7*7", PAYLOADS[0].text, '’"><']:
        pages[f"/tim-kiem/?q={quote(query)}"] = [query]
    # A query that finds nothing is repeated in the "nothing found" sentence.
    nothing = "<svg/onload=confirm(0)> qqzzkk"
    pages[f"/tim-kiem/?q={quote(nothing)}"] = [
        nothing,
        f"Không tìm thấy bài viết nào cho “{nothing}”",
    ]
    for articles in imported.values():
        for article in articles:
            pages[article.get_absolute_url()] = [
                article.title,
                article.lead,
                *article.byline_names,
                *[k.name for k in article.keywords.all()],
            ]
            pages.setdefault(article.section.url, []).append(article.section.title)
    for keyword in Keyword.objects.filter(tagged_articles__isnull=False).distinct()[:3]:
        pages.setdefault(keyword.get_absolute_url(), [keyword.name])
    statuses = {url: 200 for url in pages}
    statuses |= {article.get_absolute_url(): 410 for article in content.withdrawn}
    statuses["/khong-co-trang-nay/%3Cscript%3E__xss(1)%3C/script%3E/"] = 404
    return pages, statuses


def machine_pages(content: Content) -> list[str]:
    """Feeds, sitemaps and the JSON API (read by programs, not in the browser)."""
    main, top = content.main, content.sections[0]
    keyword = main.keywords.first()
    return [
        "/rss/", "/atom/", f"{top.url}rss/", f"{top.url}atom/",
        f"{keyword.get_absolute_url()}rss/", f"{content.author.get_absolute_url()}atom/",
        "/sitemap.xml", "/sitemaps/sections.xml", "/sitemaps/articles-1.xml",
        "/sitemaps/news.xml",
        "/api/v1/articles?limit=100", f"/api/v1/articles/{main.pk}",
        "/api/v1/sections", "/api/v1/keywords?limit=100", "/api/v1/authors?limit=100",
        "/api/v1/most-read", f"/api/v1/search?q={quote(PAYLOADS[0].text)}",
        "/api/v1/search?q=script", "/api/search?q=script",
        f"/api/search?q={quote(chunks(300)[0])}", "/api/search/autocomplete?q=script",
        f"/api/search/autocomplete?q={quote(PAYLOADS[48].text)}",
    ]  # fmt: skip


def admin_pages(content: Content) -> list[str]:
    main = content.main
    return [
        "/admin/",
        "/admin/snippets/news/article/",
        "/admin/snippets/news/article/?q=script",
        f"/admin/snippets/news/article/edit/{main.pk}/",
        f"/admin/snippets/news/article/history/{main.pk}/",
        f"/admin/snippets/news/article/edit/{content.titled[0].pk}/",
        f"/admin/bai-viet/{main.pk}/binh-luan/",
        f"/admin/bai-viet/{content.withdrawn[0].pk}/khoi-phuc/",
        f"/admin/bai-viet/{main.pk}/go-bai/",
        "/admin/snippets/news/author/",
        f"/admin/snippets/news/author/edit/{content.author.pk}/",
        f"/admin/pages/{content.home.pk}/",
        f"/admin/pages/{content.sections[0].pk}/edit/",
        "/admin/images/",
        f"/admin/images/{content.main.featured_image_id}/",
        "/admin/snippets/videos/video/",
        f"/admin/snippets/videos/video/edit/{content.waiting_video.video_id}/",
        "/admin/bao-cao/",
        "/admin/luot-xem/",
        f"/admin/luot-xem/?article={main.pk}",
        f"/admin/settings/core/presssettings/{content.home.get_site().pk}/",
    ]


def _body(response) -> bytes:
    return (
        b"".join(response.streaming_content) if response.streaming else response.content
    )


def _bad_input(client: Client, admin: Client, section) -> dict:
    """Odd input where it is cheap to try: none may give a server error."""
    form = {
        "lead": "", "body": draftail("Nội dung."), "section": section.pk,
        "published_at": "2026-11-20 08:30:00", "keywords": "", "slug": "",
        **formsets(["Cao Biền"]),
    }  # fmt: skip
    attempts = {
        "title of 100,000 characters": {**form, "title": "Tin " * 25_000},
        "NUL in the title": {**form, "title": "Tin\x00 nóng"},
        "NUL in the lead and a byline": {
            **form, "title": "Tin", "lead": "a\x00b", **formsets(["Cao\x00Biền"]),
        },
        "HTML instead of the editor's JSON": {
            **form, "title": "Tin", "body": "<script>__xss(0)</script>",
        },
        "hostile keywords": {**form, "title": "Tin", "keywords": everything(", ")},
        "hostile slug": {**form, "title": "Tin", "slug": '"><svg onload=__xss(0)>'},
        "control characters": {
            **form, "title": "Tin\x0b\x01\x1f\ufffe", "lead": "\x0c", "keywords": "\x0b",
        },
    }  # fmt: skip
    seen = {
        what: admin.post("/admin/snippets/news/article/add/", data).status_code
        for what, data in attempts.items()
    }
    for url in [
        "/tim-kiem/?q=" + "a" * 100_000,
        "/tim-kiem/?q=%00%00",
        "/tim-kiem/?q=%FF%FE",
        "/tim-kiem/?section=%3Cscript%3E&from=%22%3E&to=x&page=-1&sort=%27",
        "/api/search/autocomplete?q=%00" + "b" * 10_000,
        "/api/v1/search?q=%00",
        "/api/v1/articles?limit=%3Cscript%3E&keyword=%22%3E",
        "/api/v1/articles/%3Cscript%3E",
        "/tac-gia/%3Cscript%3E/",
        "/tu-khoa/%00/",
        "/?p=%3Cscript%3E",
        "/" + "x" * 5000 + "-1.html",
    ]:
        seen[url] = client.get(url).status_code
    return seen


# ---------------------------------------------------------------------------
# The browser


class Tab:
    """A chromium tab that records payloads that run, dialogs, script errors and
    policy violations, and reads a page's markup and text after each load."""

    def __init__(self, browser, *, policy: bool):
        self.page = browser.new_page()
        self.events: list[str] = []
        self.ran: list[str] = []
        if not policy:
            # What Playwright's bypass_csp does, for this tab only (the shared
            # browser is one persistent context): the headers are ignored.
            session = browser.new_cdp_session(self.page)
            session.send("Page.setBypassCSP", {"enabled": True})
        self.page.expose_function("reportXss", lambda n: self.ran.append(n))
        self.page.expose_function("reportViolation", self._event("violation"))
        self.page.add_init_script(MARKER + WATCH_VIOLATIONS)
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda error: self.events.append(f"error: {error}"))
        self.page.on("console", self._console)

    def _event(self, kind):
        return lambda text: self.events.append(f"{kind}: {text}")

    def _dialog(self, dialog):
        self.ran.append(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _console(self, message):
        text, source = message.text, message.location.get("url", "")
        # A 404 or 410 page reports its own status as a failed load.
        expected = source == self.page.url or source.endswith("/favicon.ico")
        if "Content Security Policy" in text or (
            message.type == "error" and not expected
        ):
            self.events.append(f"console {message.type}: {text[:200]} ({source})")

    def visit(self, url: str, *, strict: bool) -> Visit:
        self.events.clear()
        self.ran.clear()
        visit = Visit(url)
        response = self.page.goto(url, wait_until="load")
        visit.status = response.status if response else None
        seen = self.page.evaluate(LOOK, strict)
        visit.markup, visit.snapshot = seen["markup"], seen["snapshot"]
        visit.ran, visit.problems = list(self.ran), list(self.events)
        return visit

    def close(self):
        self.page.close()


def visit_reader_pages(browser, base: str, urls: list[str], *, policy: bool):
    tab = Tab(browser, policy=policy)
    visits = [tab.visit(base + url, strict=True) for url in urls]
    # The search box's suggestions are built by a script from JSON holding
    # hostile keywords and titles.
    tab.visit(base + "/", strict=True)
    with tab.page.expect_response(lambda r: "/api/search/autocomplete" in r.url):
        tab.page.locator("#masthead-q").fill("script")
    tab.page.locator("ul.autocomplete li").first.wait_for()
    tab.page.evaluate(SETTLE)
    suggestions = Visit(base + "/ (suggestions)")
    suggestions.markup = tab.page.evaluate(INSPECT, True)
    suggestions.snapshot = {
        "items": tab.page.locator("ul.autocomplete li a").all_text_contents()
    }
    suggestions.ran, suggestions.problems = list(tab.ran), list(tab.events)
    # The control: an inline script this test serves itself, under a policy
    # that forbids it. Without the policy it must run (the marker works, the
    # policy is really off); with it, it must be refused.
    control = base + "/__xss-control__/"
    tab.page.route(
        control,
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            headers={"Content-Security-Policy": "script-src 'self'"},
            body="<!DOCTYPE html><title>control</title><script>__xss('control')</script>",
        ),
    )
    tab.ran.clear()
    tab.page.goto(control)
    tab.page.evaluate(SETTLE)
    ran_in_control = list(tab.ran)
    tab.close()
    return visits + [suggestions], ran_in_control


def visit_admin_pages(browser, base: str, session_cookie: str, urls: list[str]):
    browser.add_cookies([{"name": "sessionid", "value": session_cookie, "url": base}])
    tab = Tab(browser, policy=True)
    visits = []
    try:
        for url in urls:
            visits.append(tab.visit(base + url, strict=False))
        # The preview: the article page inside the admin, under the admin's
        # policy (which lets inline scripts run).
        edit = visits[5].url
        tab.visit(edit, strict=False)
        tab.page.locator('[data-side-panel-toggle="preview"]').click()
        frame = tab.page.frame_locator("#w-preview-iframe")
        frame.get_by_role("heading", level=1).wait_for(timeout=20_000)
        tab.page.evaluate(SETTLE)
        preview = Visit(edit + " (preview)")
        inner = tab.page.locator("#w-preview-iframe").element_handle().content_frame()
        preview.markup = [
            *tab.page.evaluate(INSPECT, False),
            *inner.evaluate(INSPECT, False),
        ]
        preview.snapshot = {
            "heading": frame.get_by_role("heading", level=1).inner_text()
        }
        preview.ran, preview.problems = list(tab.ran), list(tab.events)
        visits.append(preview)
    finally:
        tab.close()
        time.sleep(1)  # the admin's "editing session released" beacon
        browser.clear_cookies()
    return visits


# ---------------------------------------------------------------------------
# The module fixture: make everything, look at everything


@pytest.fixture(scope="module")
def seen(request, django_db_setup, django_db_blocker, tmp_path_factory) -> Seen:
    from toasoan.news.models import Article

    result = Seen()
    with django_db_blocker.unblock():
        content = make_hostile_content()
        result.imported, result.import_output = run_importers(
            tmp_path_factory.mktemp("nhap"), content.sections[2]
        )
        result.expected, result.statuses = reader_pages(content, result.imported)
        main = content.main
        result.preview_title = content.titled[0].title
        result.titles = dict(Article.objects.values_list("pk", "title"))
        result.api_article = (
            f"/api/v1/articles/{main.pk}",
            main.title,
            main.lead,
            main.byline_names,
        )
        for article in [main, *result.imported.get("import_wxr", [])]:
            result.json_ld[article.get_absolute_url()] = (
                article.title,
                article.byline_names,
            )

        client = Client()
        for url in [*result.expected, *machine_pages(content)]:
            response = client.get(url, HTTP_ACCEPT="text/html,application/json,*/*")
            result.responses[url] = (
                response.status_code,
                response.headers,
                _body(response),
            )
        admin = Client()
        admin.force_login(content.editor)
        for url in admin_pages(content):
            response = admin.get(url)
            result.responses[url] = (
                response.status_code,
                response.headers,
                _body(response),
            )
        result.bad_input = _bad_input(client, admin, content.sections[0])

        if shutil.which("chromium"):
            browser = request.getfixturevalue("browser")
            base = request.getfixturevalue("live_server").url
            urls = list(result.expected)
            # The articles made only to carry short-field chunks use the same
            # template as the main one: under the policy, which would hide an
            # injection anyway, the main one stands for them.
            chunk_pages = {a.get_absolute_url() for a in content.titled[1:]}
            result.with_policy, _ = visit_reader_pages(
                browser, base, [u for u in urls if u not in chunk_pages], policy=True
            )
            result.without_policy, result.control = visit_reader_pages(
                browser, base, urls, policy=False
            )
            result.admin = visit_admin_pages(
                browser, base, admin.cookies["sessionid"].value, admin_pages(content)
            )
    yield result
    with django_db_blocker.unblock():
        # What transactional tests leave behind: empty tables (conftest's home
        # fixture rebuilds the site for the next test that needs one).
        call_command("flush", verbosity=0, interactive=False)


def assert_inert(html: str) -> None:
    """Rich text as it is shown: no element or attribute that runs a script."""
    body = lxml.html.fragment_fromstring(html, create_parent="div")
    assert not body.xpath(
        "//script | //iframe | //svg | //math | //object | //style | //*[@srcdoc]"
    )
    assert not [a for e in body.iter() for a in e.attrib if a.startswith("on")]
    schemes = {urlsplit(href.strip()).scheme for href in body.xpath("//@href | //@src")}
    assert schemes <= {"", "http", "https", "mailto", "tel"}


def browser_visits(seen: Seen, name: str) -> list[Visit]:
    visits = getattr(seen, name)
    if visits is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    return visits


# ---------------------------------------------------------------------------
# The tests


def test_no_hostile_input_gives_a_server_error(seen):
    statuses = {url: status for url, (status, _, _) in seen.responses.items()}
    assert {u: s for u, s in statuses.items() if s >= 500} == {}
    assert {u: s for u, s in seen.bad_input.items() if s >= 500} == {}
    expected = {u: seen.statuses.get(u, 200) for u in statuses}
    assert statuses == expected


def test_every_importer_took_the_hostile_files(seen):
    counts = {name: len(made) for name, made in seen.imported.items()}
    assert counts == {
        "import_text": 3, "import_wxr": 3, "import_feed rss": 2, "import_feed atom": 2
    }, seen.import_output  # fmt: skip
    for article in sum(seen.imported.values(), []):
        assert_inert(expand_db_html(article.body))


@pytest.mark.browser
def test_no_payload_runs_on_reader_pages_under_the_policy(seen):
    visits = browser_visits(seen, "with_policy")
    assert {v.url: v.ran for v in visits if v.ran} == {}
    assert {v.url: v.problems for v in visits if v.problems} == {}
    assert {v.url: v.markup for v in visits if v.markup} == {}


@pytest.mark.browser
def test_no_payload_runs_on_reader_pages_without_the_policy(seen):
    visits = browser_visits(seen, "without_policy")
    # The control page's inline script ran: the policy really was off, and a
    # payload that ran would have been seen.
    assert seen.control == ["control"]
    assert {v.url: v.ran for v in visits if v.ran} == {}
    assert {v.url: v.problems for v in visits if v.problems} == {}
    assert {v.url: v.markup for v in visits if v.markup} == {}


@pytest.mark.browser
def test_readers_see_what_was_typed_as_text(seen):
    visits = browser_visits(seen, "without_policy")
    missing = {}
    for visit in visits:
        path = visit.url.split("://", 1)[1].split("/", 1)[1]
        snapshot = visit.snapshot
        shown = squash(
            snapshot.get("title", "")
            + snapshot.get("text", "")
            + "".join(snapshot.get("inputs", {}).values())
        )
        lost = [
            text[:60]
            for text in seen.expected.get("/" + path, [])
            if text and squash(text) not in shown
        ]
        if lost:
            missing[visit.url] = lost
    assert missing == {}
    by_path = {"/" + v.url.split("://", 1)[1].split("/", 1)[1]: v for v in visits}
    main_url, title, _lead = _main(seen)
    main = by_path[main_url].snapshot
    assert squash(title) in squash(main["title"])
    metas = dict(main["metas"])
    assert metas["og:title"] == title and metas["twitter:title"] == title
    suggestions = next(v for v in visits if v.url.endswith("(suggestions)"))
    assert suggestions.snapshot["items"]
    assert any("<" in item for item in suggestions.snapshot["items"])


def _main(seen: Seen) -> tuple[str, str, str]:
    url, title, lead, _ = seen.api_article
    article_url = next(iter(seen.json_ld))
    return article_url, title, lead


@pytest.mark.browser
def test_json_ld_survives_every_title_and_name(seen):
    visits = browser_visits(seen, "without_policy")
    by_path = {"/" + v.url.split("://", 1)[1].split("/", 1)[1]: v for v in visits}
    for url, (title, names) in seen.json_ld.items():
        documents = [json.loads(s) for s in by_path[url].snapshot["jsonLd"]]
        [data] = documents
        article = data[0] if isinstance(data, list) else data
        assert article["headline"] == title[:110]
        assert [a["name"] for a in article["author"]] == names


def test_feeds_and_sitemaps_are_well_formed_xml_with_the_titles_as_text(seen):
    import feedparser

    for url, (status, headers, body) in seen.responses.items():
        if not ("/rss/" in url or "/atom/" in url or url.endswith(".xml")):
            continue
        assert status == 200, url
        assert headers["X-Content-Type-Options"] == "nosniff"
        tree = etree.fromstring(body, etree.XMLParser(resolve_entities=False))
        # No markup broke out of the text into elements of its own.
        names = {etree.QName(e).localname.lower() for e in tree.iter(etree.Element)}
        assert not names & {"script", "img", "svg", "iframe", "a", "body"}, url
        if "/rss/" in url or "/atom/" in url:
            parsed = feedparser.parse(body)
            assert not parsed.bozo, (url, parsed.get("bozo_exception"))
            # Each item's title, as XML gives it, is a title as it was typed.
            titles = [
                e.text
                for e in tree.iter("title", f"{{{ATOM}}}title")
                if e.getparent().tag in ("item", f"{{{ATOM}}}entry")
            ]
            assert titles, url
            assert set(titles) <= set(seen.titles.values()), url


def test_the_json_api_answers_json_with_the_text_as_typed(seen):
    for url, (status, headers, body) in seen.responses.items():
        if not url.startswith("/api/"):
            continue
        assert status == 200, url
        assert headers["Content-Type"].startswith("application/json"), url
        assert headers["X-Content-Type-Options"] == "nosniff"
        json.loads(body)
    url, title, lead, names = seen.api_article
    article = json.loads(seen.responses[url][2])
    assert (article["title"], article["lead"]) == (title, lead)
    assert [a["name"] for a in article["authors"]] == names
    assert_inert(article["body_html"])


@pytest.mark.browser
def test_no_payload_runs_in_the_admin(seen):
    visits = browser_visits(seen, "admin")
    assert {v.url: v.status for v in visits if v.status and v.status >= 400} == {}
    assert {v.url: v.ran for v in visits if v.ran} == {}
    assert {v.url: v.markup for v in visits if v.markup} == {}
    assert {v.url: v.problems for v in visits if v.problems} == {}
    preview = visits[-1]
    assert squash(preview.snapshot["heading"]) == squash(seen.preview_title)
