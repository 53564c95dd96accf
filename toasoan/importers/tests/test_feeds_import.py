"""Importing RSS and Atom: a feed of our own site comes back as the same
articles in another section; bad and hostile sources are refused."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import vn_time
from toasoan.importers.feeds import FeedError, import_feed, read_feed_source
from toasoan.news.models import Article

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("format_name", ["rss", "atom"])
def test_our_own_feed_comes_back_as_the_same_articles(
    client, make_article, make_section, make_video, tmp_path, format_name
):
    original = make_article(
        "Hội nghị sơ kết “6 tháng” & <định hướng>",
        published_at=vn_time(2026, 11, 3, 17, 30, 59),
        body="<p>Đồng chí <b>Bùi Văn Khánh</b> chủ trì.</p>",
        authors=("Cao Biền", "Minh Hằng"),
        keywords=["Thông tin đối ngoại"],
        video=make_video(),
    )
    feed = tmp_path / f"tin.{format_name}"
    feed.write_bytes(client.get(f"/{format_name}/").content)
    archive = make_section("Lưu trữ")
    summary = import_feed(str(feed), archive)
    assert (summary.imported, summary.unchanged, summary.failed) == (1, 0, [])
    copy = Article.objects.get(section=archive)
    assert copy.title == original.title
    assert copy.published_at == original.published_at
    assert "<b>Bùi Văn Khánh</b>" in copy.body
    assert copy.byline_names == ["Cao Biền", "Minh Hằng"]
    assert "Thông tin đối ngoại" in {k.name for k in copy.keywords.all()}
    assert copy.video is not None and copy.video.original_filename.endswith(".mp4")
    assert copy.live and copy.legacy_url.endswith(original.get_absolute_url())
    again = import_feed(str(feed), archive)  # a second run changes nothing
    assert (again.imported, again.unchanged) == (0, 1)


HOSTILE = {
    "trang-web.xml": b"<!DOCTYPE html><html><body>Trang web</body></html>",
    "laughs.xml": b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><rss version="2.0"><channel><title>&b;</title></channel></rss>',
    "hong.xml": b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>x',
    "khong-phai-feed.xml": '<?xml version="1.0"?><ghi-chu>Không phải nguồn tin</ghi-chu>'.encode(),
    "rong.xml": b"   ",
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_sources_that_are_not_feeds_are_refused(tmp_path, section, name):
    path = tmp_path / name
    path.write_bytes(HOSTILE[name])
    with pytest.raises(FeedError) as refused:
        import_feed(str(path), section)
    assert " / " in str(refused.value)
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "http://203.113.131.1/rss/",
        "ftp://127.0.0.1/rss",
        "file:///etc/passwd",
        "http:///rss",
    ],
)
def test_only_local_network_addresses_are_fetched(url):
    with pytest.raises(FeedError):
        read_feed_source(url)


def test_a_feed_on_the_local_network_is_fetched(
    live_server, make_article, make_section
):
    make_article("Tin trên máy chủ nội bộ")
    archive = make_section("Lưu trữ")
    out = io.StringIO()
    call_command(
        "import_feed",
        f"{live_server.url}/rss/",
        "--section",
        str(archive.pk),
        stdout=out,
    )
    assert "1 bài đã nhập vào “Lưu trữ”" in out.getvalue()
    with pytest.raises(CommandError, match="Không có chuyên mục"):
        call_command("import_feed", f"{live_server.url}/rss/", "--section", "999999")
