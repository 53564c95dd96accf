"""Fault drill (issue 12): the disk fills up while a video is uploaded or
processed. A real small disk (conftest's small_disk: a tmpfs) holds the media or
the work folder. The person is told in Vietnamese and English, no half-written
file stays behind, and the database keeps what it had: no record for a failed
upload; a failed job stays failed with its reason, retryable, and names no file
that is not there. (Under small_disk's fallback, a file-size limit, the writes
fail with "File too large" instead, which is not called a full disk.)"""

import io

import lxml.html
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from toasoan.newsroom import roles
from toasoan.videos.models import Video, VideoStatus
from toasoan.videos.services import import_video_file, retry_video, run_next_video_job
from toasoan.videos.tests.test_admin_upload import ADD, upload

pytestmark = pytest.mark.django_db
UPLOAD_FULL = "Ổ đĩa đã đầy, không lưu được video / the disk is full"
PROCESSING_FULL = "Ổ đĩa đã đầy khi xử lý video"


@pytest.fixture
def clip(video_file):
    """About 200 KB: a real H.264/AAC MP4 that a half-full disk cannot take."""
    return video_file("Bản tin 19h.mp4", extra=["-c:v", "libx264", "-c:a", "aac"])


@pytest.fixture
def media_on(settings):
    def use(folder):
        settings.MEDIA_ROOT = folder / "media"
        settings.MEDIA_ROOT.mkdir()

    return use


def test_an_upload_on_a_full_disk_is_refused_and_nothing_is_kept(
    log_in_as, clip, small_disk, media_on, settings, tmp_path
):
    media_on(small_disk.path)
    settings.DATA_DIR = tmp_path
    editor = log_in_as(roles.EDITOR)
    small_disk.fill(leave=clip.stat().st_size // 2)

    response = upload(editor, clip.name, clip.read_bytes())

    assert response.status_code == 200  # the form again, not a 500
    text = lxml.html.fromstring(response.content).text_content()
    assert (UPLOAD_FULL if small_disk.mounted else "File too large") in text
    assert not Video.objects.exists()
    assert small_disk.files() == []  # no half upload, no staging folder left

    small_disk.empty()  # space freed: the same upload goes through
    assert upload(editor, clip.name, clip.read_bytes()).status_code == 302
    video = Video.objects.get()
    assert default_storage.open(video.file.name).read() == clip.read_bytes()
    assert editor.get(ADD).status_code == 200


def test_import_video_on_a_full_disk_exits_1_with_the_reason(
    clip, small_disk, media_on, settings, tmp_path
):
    media_on(small_disk.path)
    settings.DATA_DIR = tmp_path
    # An imported article's record that names the file and waits for it.
    waiting = Video.objects.create(original_filename=clip.name, title="Chờ tệp")
    small_disk.fill(leave=clip.stat().st_size // 2)

    errors = io.StringIO()
    with pytest.raises(CommandError, match="1 tệp không nhập được"):
        call_command("import_video", str(clip), stderr=errors)

    lines = errors.getvalue().strip().splitlines()
    assert len(lines) == 1
    if small_disk.mounted:
        assert lines[0].endswith(f"{clip.name}: {UPLOAD_FULL}: the video was not saved")
    waiting.refresh_from_db()
    assert (waiting.file.name, waiting.status) == ("", VideoStatus.MISSING)
    assert Video.objects.count() == 1
    assert small_disk.files() == []


def _outputs_named_exist(video: Video) -> bool:
    return all(
        default_storage.exists(getattr(video, field).name)
        for field in ("file", "poster", "web_mp4", "hls_master")
        if getattr(video, field).name
    )


def test_a_job_whose_work_folder_fills_up_fails_retryably(
    clip, small_disk, media_on, settings, tmp_path, home
):
    media_on(tmp_path)  # media of its own, as in every test here
    settings.DATA_DIR = small_disk.path  # the work folder: DATA_DIR/work/video-<id>
    video = import_video_file(clip)
    poster = video.poster.name
    # Room for the copy of the original, not for what FFmpeg makes of it.
    small_disk.fill(leave=clip.stat().st_size + 32 * 1024)

    video = run_next_video_job()

    assert video.status == VideoStatus.FAILED
    if small_disk.mounted:
        assert PROCESSING_FULL in video.failure_reason
        assert "Thử lại" in video.failure_reason
        assert "free some space" in video.failure_reason
    assert small_disk.files() == []  # the work folder went
    assert (video.poster.name, video.web_mp4.name, video.hls_master.name) == (
        poster, "", ""
    )  # fmt: skip
    assert _outputs_named_exist(video)
    assert retry_video(video)  # "Thử lại" after the space is freed
    small_disk.empty()
    assert run_next_video_job().status == VideoStatus.READY


def test_a_job_that_fills_the_media_disk_changes_nothing_there(
    clip, small_disk, media_on, settings, tmp_path, log_in_as
):
    media_on(small_disk.path)
    settings.DATA_DIR = tmp_path
    video = import_video_file(clip)
    before = {
        name: (small_disk.path / name).read_bytes() for name in small_disk.files()
    }
    assert set(before) == {f"media/{video.file.name}", f"media/{video.poster.name}"}
    # Room for a rendition or two, not for all of them.
    small_disk.fill(leave=clip.stat().st_size // 2)

    video = run_next_video_job()

    assert video.status == VideoStatus.FAILED
    if small_disk.mounted:
        assert video.failure_reason.startswith(PROCESSING_FULL)
    after = {name: (small_disk.path / name).read_bytes() for name in small_disk.files()}
    assert after == before  # the quick poster kept, no half rendition, no staging
    assert (video.web_mp4.name, video.hls_master.name) == ("", "")
    assert _outputs_named_exist(video)
    editor = log_in_as(roles.EDITOR)
    page = editor.get(f"/admin/snippets/videos/video/edit/{video.pk}/")
    text = lxml.html.fromstring(page.content).text_content()
    assert video.failure_reason in text and "Thử lại" in text

    small_disk.empty()
    editor.post(f"/admin/video/{video.pk}/thu-lai/")
    video = run_next_video_job()
    assert video.status == VideoStatus.READY and _outputs_named_exist(video)
    assert default_storage.exists(f"videos/{video.pk}/hls/360p.m3u8")
