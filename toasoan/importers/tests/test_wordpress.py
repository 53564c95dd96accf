"""The WordPress importer against real exports (../shared/data/wxr/) and hostile
ones: every item accounted for, odd characters intact, old links redirected,
nothing half-written, a second run changing nothing."""

import io
import unicodedata
from pathlib import Path

import lxml.html
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image as PILImage
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model

from toasoan.importers.wordpress import import_wordpress
from toasoan.importers.wxr import WxrError, read_wxr
from toasoan.news.models import Article, Author, SectionPage

pytestmark = pytest.mark.django_db
WXR = Path(__file__).resolve().parents[4] / "shared" / "data" / "wxr"


def export(name: str) -> Path:
    path = WXR / name
    if not path.exists():
        pytest.skip(f"../shared/data/wxr is absent: {path} not found")
    return path


def test_theme_unit_test_data_is_accounted_for_item_by_item(client, section):
    path = export("themeunittestdata.wordpress.xml")
    summary = import_wordpress(path)
    items = read_wxr(path, 10**9).items
    assert summary.accounted == len(items) == 186
    assert not summary.failed
    posts = [i for i in items if i.post_type == "post"]
    assert summary.imported == len(posts) == 58
    assert summary.kept_private == 2  # "Draft" and "Scheduled" stay out of sight
    assert summary.skipped == {
        "nav_menu_item: không phải bài viết / not an article": 70,
        "page: không phải bài viết / not an article": 21,
    }
    assert len(summary.missing_files) == 37  # attachments: no files given
    assert summary.comments_skipped == sum(i.comments for i in posts)

    titles = set(Article.objects.values_list("title", flat=True))
    assert "Markup: Title With Markup" in titles
    assert (
        "Markup: Title With Special Characters ~`!@#$%^&*()-_=+{}[]/\\;:'\"?,.>"
        in titles
    )
    assert not Article.objects.filter(title="Draft", live=True).exists()
    assert Article.objects.published().count() == 56
    # Categories keep their tree; tags are keywords; authors are profiles.
    child = SectionPage.objects.get(slug="child-category-01")
    assert child.get_parent().slug == "parent-category"
    assert Author.objects.filter(name="Theme Buster").exists()
    tagged = Article.objects.get(title="WP 6.1 Widgets block category")
    assert {k.name for k in tagged.keywords.all()} == {"Sample", "tags", "test tag"}

    # The old permalink and the ?p= short link lead to the article, for good.
    old = next(i for i in posts if i.title.startswith("Markup: Title With Special"))
    article = Article.objects.get(legacy_url=old.link)
    response = client.get("/2013/01/05/title-with-special-characters/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
    assert client.get(f"/?p={old.post_id}")["Location"] == article.get_absolute_url()
    page = lxml.html.fromstring(client.get(article.get_absolute_url()).content)
    assert page.cssselect("h1")[0].text_content() == article.title

    again = import_wordpress(path)
    assert (again.imported, again.unchanged) == (0, 58)
    assert (
        Article.objects.count() == 58 and Redirect.objects.count() == summary.redirects
    )


def test_odd_unicode_arrives_intact(section):
    path = export("wpimporter-wxr-utf-8-challenges.xml")
    [item] = read_wxr(path, 10**9).items
    import_wordpress(path)
    article = Article.objects.get()
    assert article.title == unicodedata.normalize("NFC", item.title)
    assert "\u202e" in article.title and "🌲" in article.title
    assert "c𝕠uldn't 𝔱𝔯𝔞𝔳𝔢𝔩" in article.body


def test_a_malformed_export_is_refused_and_nothing_is_imported(section):
    sections = SectionPage.objects.count()
    with pytest.raises(WxrError, match="Tệp XML hỏng ở dòng 90"):
        import_wordpress(export("wpimporter-malformed.xml"))
    assert not Article.objects.exists() and SectionPage.objects.count() == sections


HOSTILE = {
    "billion-laughs.xml": b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><rss>&lol2;</rss>',
    "external-entity.xml": b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM '
    b'"file:///etc/passwd">]><rss><channel><title>&x;</title></channel></rss>',
    "trang-web.xml": b"<!DOCTYPE html><html><body><p>Trang web</p></body></html>",
    "nen.xml": b"PK\x03\x04" + b"\x00" * 200,
    "sai-ma.xml": b'<?xml version="1.0" encoding="UTF-8"?><rss><channel>\xff\xfe</channel></rss>',
    "rss-thuong.xml": b'<?xml version="1.0"?><rss version="2.0"><channel><title>Tin</title>'
    + "<item><title>Một tin</title></item></channel></rss>".encode(),
    "rong.xml": b"",
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_files_that_are_not_wordpress_exports_are_refused_safely(
    tmp_path, section, name
):
    path = tmp_path / name
    path.write_bytes(HOSTILE[name])
    with pytest.raises(WxrError) as refused:
        import_wordpress(path)
    assert " / " in str(refused.value)  # Vietnamese, then English
    assert "root:" not in str(refused.value)
    assert not Article.objects.exists()


def test_too_large_an_export_is_refused_before_it_is_read(tmp_path, section, settings):
    settings.TOASOAN_WXR_MAX_BYTES = 1000
    with pytest.raises(WxrError, match="Tệp quá lớn"):
        import_wordpress(export("themeunittestdata.wordpress.xml"))


SMALL_EXPORT = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Đài PT-TH</title><link>https://tbtv.example.vn</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:author><wp:author_login>minhhang</wp:author_login><wp:author_display_name><![CDATA[Minh Hằng]]></wp:author_display_name></wp:author>
<wp:category><wp:category_nicename>thoi-su</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[Thời sự]]></wp:cat_name></wp:category>
<item><title>anh-hoi-nghi</title><link>https://tbtv.example.vn/anh-hoi-nghi/</link>
<wp:post_id>10</wp:post_id><wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>
<wp:attachment_url>https://tbtv.example.vn/wp-content/uploads/2019/07/hoi-nghi.jpg</wp:attachment_url>
<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value><![CDATA[Quang cảnh hội nghị]]></wp:meta_value></wp:postmeta></item>
<item><title>mat-khau</title><link>https://tbtv.example.vn/x/</link>
<wp:post_id>11</wp:post_id><wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>
<wp:attachment_url>https://tbtv.example.vn/wp-content/uploads/../../../../etc/passwd</wp:attachment_url></item>
<item><title>Sơ kết công tác thông tin đối ngoại</title>
<link>https://tbtv.example.vn/2019/07/26/so-ket/</link><dc:creator>minhhang</dc:creator>
<content:encoded><![CDATA[Sáng 26/7, Ban Chỉ đạo họp.

<img src="https://tbtv.example.vn/wp-content/uploads/2019/07/hoi-nghi-300x200.jpg" alt="Hội nghị" />

Dòng một
dòng hai<script>alert(1)</script>]]></content:encoded>
<excerpt:encoded><![CDATA[<p>Ban Chỉ đạo 35 họp sơ kết.</p>]]></excerpt:encoded>
<wp:post_id>47082</wp:post_id><wp:post_date_gmt>2019-07-26 10:30:59</wp:post_date_gmt>
<wp:post_type>post</wp:post_type><wp:status>publish</wp:status>
<category domain="category" nicename="thoi-su"><![CDATA[Thời sự]]></category>
<category domain="post_tag" nicename="doi-ngoai"><![CDATA[Đối ngoại]]></category>
<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>10</wp:meta_value></wp:postmeta>
<wp:postmeta><wp:meta_key>post_views_count</wp:meta_key><wp:meta_value>11364</wp:meta_value></wp:postmeta>
<wp:comment><wp:comment_id>1</wp:comment_id></wp:comment>
</item></channel></rss>"""


@pytest.fixture
def small_export(tmp_path):
    path = tmp_path / "export.xml"
    path.write_text(SMALL_EXPORT, "utf-8")
    uploads = tmp_path / "uploads" / "2019" / "07"
    uploads.mkdir(parents=True)
    PILImage.new("RGB", (1200, 675), (30, 90, 160)).save(uploads / "hoi-nghi.jpg")
    return path


def test_a_post_arrives_with_its_picture_byline_keywords_views_and_date(
    small_export, home, client
):
    out = io.StringIO()
    call_command(
        "import_wxr",
        str(small_export),
        "--media",
        str(small_export.parent / "uploads"),
        stdout=out,
        stderr=io.StringIO(),
    )
    assert "1 bài đã nhập" in out.getvalue() and "1 bình luận bỏ qua" in out.getvalue()
    assert "thiếu tệp: /wp-content/uploads/../../../../etc/passwd" in out.getvalue()
    article = Article.objects.get()
    assert article.title == "Sơ kết công tác thông tin đối ngoại"
    assert article.section.title == "Thời sự"
    assert article.byline_names == ["Minh Hằng"]
    assert [k.name for k in article.keywords.all()] == ["Đối ngoại"]
    assert article.view_count == 11_364
    assert article.lead == "Ban Chỉ đạo 35 họp sơ kết."
    assert article.published_at.isoformat() == "2019-07-26T10:30:59+00:00"
    image = get_image_model().objects.get()
    assert (
        article.featured_image == image and image.description == "Quang cảnh hội nghị"
    )
    assert (
        f'<embed embedtype="image" id="{image.pk}" alt="Hội nghị" format="fullwidth"/>'
        in article.body
    )
    assert "<p>Dòng một<br>dòng hai</p>" in article.body
    assert "script" not in article.body
    page = lxml.html.fromstring(client.get(article.get_absolute_url()).content)
    [shown] = page.cssselect(".article__body img")
    assert shown.get("alt") == "Hội nghị"


def test_dry_run_changes_nothing(small_export, home):
    out = io.StringIO()
    call_command(
        "import_wxr", str(small_export), "--dry-run", stdout=out, stderr=io.StringIO()
    )
    assert out.getvalue().startswith("(thử, không ghi gì) 1 bài đã nhập")
    assert not Article.objects.exists() and not get_image_model().objects.exists()
    assert not SectionPage.objects.filter(slug="thoi-su").exists()
    assert not Redirect.objects.exists()


def test_the_command_refuses_a_bad_file_with_one_line(tmp_path, home):
    bad = tmp_path / "hong.xml"
    bad.write_text("<rss><channel>", "utf-8")
    with pytest.raises(CommandError, match="Tệp XML hỏng"):
        call_command("import_wxr", str(bad), stderr=io.StringIO())
    with pytest.raises(CommandError, match="Không có tệp"):
        call_command("import_wxr", str(tmp_path / "khong-co.xml"))


def test_an_import_killed_midway_goes_on_where_it_stopped(site_in_its_own_process):
    """kill -9 in the middle of an import, then the same command again: every
    post once, none half-written (each has its published revision)."""
    import signal
    import subprocess
    import time

    site = site_in_its_own_process
    path = export("themeunittestdata.wordpress.xml")
    articles = "select count(*) from news_article"
    first = subprocess.Popen(site.command("import-wxr", str(path)), env=site.env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 60
    while (
        site.count(articles) < 5
        and first.poll() is None
        and time.monotonic() < deadline
    ):
        time.sleep(0.02)
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    done_before = site.count(articles)
    assert 0 < done_before < 58, "the import was not caught midway"

    second = site.run("import-wxr", str(path))
    assert second.returncode == 0, second.stderr
    # What the first run committed is what the second finds already there.
    assert f"{58 - done_before} bài đã nhập" in second.stdout
    assert f"{done_before} đã có từ trước" in second.stdout
    assert site.count(articles) == 58
    assert site.count("select count(distinct legacy_url) from news_article") == 58
    assert site.count("select count(*) from news_article "
                      "where latest_revision_id is null") == 0  # fmt: skip
