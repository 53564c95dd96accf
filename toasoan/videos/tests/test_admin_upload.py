"""Uploading in the admin: a bad file is refused with its reason, nothing kept."""

import re

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from toasoan.newsroom import roles
from toasoan.videos.models import Video, VideoStatus

pytestmark = pytest.mark.django_db
ADD = "/admin/snippets/videos/video/add/"


@pytest.fixture
def editor(log_in_as):
    return log_in_as(roles.EDITOR)


def upload(editor, name, content, **fields):
    data = {"title": "Bản tin", "original_filename": name, **fields,
            "file": SimpleUploadedFile(name, content, content_type="video/mp4")}  # fmt: skip
    return editor.post(ADD, data)


def test_a_page_renamed_mp4_is_refused_with_the_reason(editor):
    response = upload(editor, "ban-tin.mp4", b"<!DOCTYPE html><html>trang web</html>")
    assert response.status_code == 200
    errors = lxml.html.fromstring(response.content).text_content()
    assert "Không phải tệp video đọc được" in errors
    assert "not a readable video file" in errors
    assert not Video.objects.exists()


def test_a_real_video_is_kept_with_its_figures_a_poster_and_queued(editor, video_file):
    path = video_file("Bản tin 19h.mp4", extra=["-c:v", "libx264", "-c:a", "aac"])
    response = upload(editor, path.name, path.read_bytes())
    assert response.status_code == 302
    video = Video.objects.get()
    assert video.status == VideoStatus.PENDING
    assert video.file.name == "videos/originals/ban-tin-19h.mp4"
    assert (video.width, video.height, video.audio_codec) == (640, 360, "aac")
    assert video.poster
    edit = editor.get(f"/admin/snippets/videos/video/edit/{video.pk}/")
    assert "Chờ xử lý" in lxml.html.fromstring(edit.content).text_content()


def test_captions_must_be_webvtt(editor, video_file):
    path = video_file("tin.mp4", extra=["-c:v", "libx264"])
    bad = SimpleUploadedFile("phu-de.vtt", b"1\n00:00:01,000 --> 00:00:02,000\nSRT\n")
    response = upload(editor, path.name, path.read_bytes(), captions=bad)
    assert (
        "Phụ đề phải là tệp WebVTT"
        in lxml.html.fromstring(response.content).text_content()
    )
    good = SimpleUploadedFile(
        "phu-de.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nXin chào\n".encode()
    )
    assert (
        upload(editor, path.name, path.read_bytes(), captions=good).status_code == 302
    )


def test_a_failed_video_shows_its_reason_and_retry_queues_it(editor, video_file):
    from toasoan.videos.services import import_video_file

    video = import_video_file(video_file("tin.mp4", extra=["-c:v", "libx264"]))
    Video.objects.filter(pk=video.pk).update(
        status=VideoStatus.FAILED, failure_reason="FFmpeg lỗi / failed: x"
    )
    page = editor.get(f"/admin/snippets/videos/video/edit/{video.pk}/")
    text = lxml.html.fromstring(page.content).text_content()
    assert "FFmpeg lỗi / failed: x" in text and "Thử lại" in text
    response = editor.post(f"/admin/video/{video.pk}/thu-lai/")
    assert response.status_code == 302
    video.refresh_from_db()
    assert video.status == VideoStatus.PENDING and video.failure_reason == ""


def test_an_upload_named_as_an_imported_articles_video_goes_to_that_article(
    editor, video_file, seed_article_path, section
):
    from toasoan.importers.services import import_text_article

    article = import_text_article(seed_article_path, section).article
    waiting = article.video
    assert waiting.status == VideoStatus.MISSING
    path = video_file("72619_OHAI1.mp4", extra=["-c:v", "libx264", "-c:a", "aac"])
    # The editor picks the file and types nothing else: its name is enough.
    response = editor.post(
        ADD,
        {"title": "", "original_filename": "",
         "file": SimpleUploadedFile(path.name, path.read_bytes(), "video/mp4")},
    )  # fmt: skip
    assert response.status_code == 302
    assert Video.objects.count() == 1
    waiting.refresh_from_db()
    assert waiting.status == VideoStatus.PENDING and waiting.poster
    assert waiting.original_filename == "72619_OHAI1.mp4"
    # (with a suffix when an earlier test's demo left a file of that name)
    assert re.fullmatch(r"videos/originals/72619-ohai1(_\w+)?\.mp4", waiting.file.name)
    page = lxml.html.fromstring(editor.get(article.get_absolute_url()).content)
    notice = page.cssselect(".article__video .notice")[0].text_content()
    assert "đang được xử lý" in notice
    assert page.cssselect(".article__poster")[0].get("src") == waiting.poster.url


def test_a_video_needs_a_file_or_the_name_of_one(editor, video_file):
    response = editor.post(ADD, {"title": "Bản tin", "original_filename": ""})
    assert response.status_code == 200
    assert "Cần tệp video hoặc tên tệp gốc" in (
        lxml.html.fromstring(response.content).text_content()
    )
    assert not Video.objects.exists()
    path = video_file("phong-su.mov", extra=["-c:v", "libx264"])
    response = editor.post(
        ADD,
        {"title": "Phóng sự", "original_filename": "",
         "file": SimpleUploadedFile(path.name, path.read_bytes(), "video/quicktime")},
    )  # fmt: skip
    assert response.status_code == 302
    assert Video.objects.get().original_filename == "phong-su.mov"
