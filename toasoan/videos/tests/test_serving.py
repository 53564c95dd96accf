"""Media as browsers ask for it: byte ranges, types, long cache lifetimes."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

CONTENT = bytes(range(256)) * 40  # 10,240 bytes


@pytest.fixture
def media_file(make_video, make_article):
    """The web MP4 of a published article's video, where processing puts it
    (readers may fetch only public content's media: news/media_access.py)."""
    video = make_video()
    name = default_storage.save(f"videos/{video.pk}/web.mp4", ContentFile(CONTENT))
    video.web_mp4 = name
    video.save()
    make_article("Bản tin thời sự", video=video)
    yield "/media/" + name
    default_storage.delete(name)


def body(response) -> bytes:
    return (
        b"".join(response.streaming_content) if response.streaming else response.content
    )


def test_whole_file_and_ranges(client, media_file):
    whole = client.get(media_file)
    assert whole.status_code == 200
    assert whole["Accept-Ranges"] == "bytes"
    assert whole["Content-Type"] == "video/mp4"
    assert whole["Content-Length"] == str(len(CONTENT))
    assert "max-age=31536000" in whole["Cache-Control"]
    assert body(whole) == CONTENT
    for header, first, last in (
        ("bytes=0-99", 0, 99),
        ("bytes=10000-", 10000, 10239),
        ("bytes=-40", 10200, 10239),
        ("bytes=10200-99999", 10200, 10239),
    ):
        part = client.get(media_file, HTTP_RANGE=header)
        assert part.status_code == 206, header
        assert part["Content-Range"] == f"bytes {first}-{last}/10240"
        assert body(part) == CONTENT[first : last + 1]
        assert part["Content-Length"] == str(last - first + 1)


@pytest.mark.parametrize(
    "header", ["bytes=10240-", "bytes=99999-100000", "bytes=50-10", "bytes=-0"]
)
def test_unsatisfiable_ranges_are_416(client, media_file, header):
    response = client.get(media_file, HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */10240"


@pytest.mark.parametrize(
    "header", ["bytes=0-1,5-9", "items=0-5", "bytes=abc", "bytes=-"]
)
def test_ranges_we_do_not_serve_get_the_whole_file(client, media_file, header):
    response = client.get(media_file, HTTP_RANGE=header)
    assert response.status_code == 200 and body(response) == CONTENT


def test_conditional_request_and_types(client, media_file):
    first = client.get(media_file)
    assert client.get(media_file, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    for name, kind in (("a.m3u8", "application/vnd.apple.mpegurl"), ("a.ts", "video/mp2t"),
                       ("a.vtt", "text/vtt; charset=utf-8"), ("a.jpg", "image/jpeg")):  # fmt: skip
        folder = media_file.removeprefix("/media/").rsplit("/", 1)[0]
        stored = default_storage.save(f"{folder}/{name}", ContentFile(b"x"))
        response = client.get("/media/" + stored)
        assert response["Content-Type"] == kind
        if name.endswith(".m3u8"):
            assert "max-age=3600" in response["Cache-Control"]
        default_storage.delete(stored)


@pytest.mark.parametrize(
    "path",
    ["/media/../settings/base.py", "/media/%2e%2e/%2e%2e/etc/passwd", "/media/videos/",
     "/media/videos/test/khong-co.mp4", "/media/.hidden", "/media/videos/test/../../../../etc/passwd"],
)  # fmt: skip
@pytest.mark.django_db
def test_nothing_outside_media_and_no_folders(client, media_file, path, home):
    assert client.get(path).status_code == 404
