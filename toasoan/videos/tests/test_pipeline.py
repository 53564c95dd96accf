"""News videos from upload to playback, with real files made by FFmpeg."""

import io
import shutil
import subprocess
import zipfile

import av
import lxml.html
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from toasoan.importers.services import import_text_article
from toasoan.videos.models import Video, VideoStatus
from toasoan.videos.probing import VideoRejected
from toasoan.videos.services import (
    import_video_file,
    ladder_for,
    retry_video,
    run_next_video_job,
    safe_filename,
)

pytestmark = pytest.mark.django_db


def stored_files() -> set[str]:
    found = set()
    for folder in ("videos/originals", "videos"):
        if default_storage.exists(folder):
            found |= {f"{folder}/{name}" for name in default_storage.listdir(folder)[1]}
    return found


@pytest.mark.parametrize(
    "name, extra",
    [
        ("ban-tin.mp4", ["-c:v", "libx264", "-c:a", "aac"]),
        ("phong-su.mov", ["-c:v", "libx264", "-c:a", "aac"]),
        ("clip.webm", ["-c:v", "libvpx", "-b:v", "300k", "-c:a", "libvorbis"]),
        ("playout.ts", ["-c:v", "libx264", "-c:a", "aac", "-f", "mpegts"]),
    ],
)
def test_each_container_is_probed_and_accepted(video_file, name, extra, home):
    path = video_file(name, extra=extra)
    video = import_video_file(path)
    assert video.status == VideoStatus.PENDING
    assert (video.width, video.height) == (640, 360)
    assert video.duration_seconds == pytest.approx(3.0, abs=0.1)
    assert video.audio_codec and video.video_codec
    assert video.size_bytes == path.stat().st_size
    assert video.poster  # shown at once, before processing


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "không phải video")
    return buffer.getvalue()


def test_bad_files_are_refused_with_a_reason_and_nothing_is_kept(
    video_file, tmp_path, settings, home
):
    good = video_file(
        "tot.mp4", extra=["-c:v", "libx264", "-c:a", "aac", "-movflags", "+faststart"]
    )
    cases = {
        "rong.mp4": (b"", "Tệp rỗng"),
        "trang-web.mp4": (
            b"<!DOCTYPE html><html><body>404</body></html>",
            "Không phải tệp video",
        ),
        "nen.mp4": (_zip_bytes(), "Không phải tệp video"),
        # An upload that stopped halfway: the index at the front promises more.
        "cat-cut.mp4": (good.read_bytes()[: good.stat().st_size // 2], "bị cắt cụt"),
        "dau-cut.mp4": (good.read_bytes()[:500], "Không phải tệp video"),
    }
    for name, (content, _) in cases.items():
        (tmp_path / name).write_bytes(content)
    audio_only = video_file("chi-tieng.mp4", extra=["-vn", "-c:a", "aac"])
    thin = video_file(
        "mong.mp4", size="7700x16", audio=False, extra=["-c:v", "libx264", "-t", "1"]
    )
    before_files, before_rows = stored_files(), Video.objects.count()
    for name, (_, reason) in cases.items():
        with pytest.raises(VideoRejected, match=reason):
            import_video_file(tmp_path / name)
    with pytest.raises(VideoRejected, match="chỉ có tiếng"):
        import_video_file(audio_only)
    with pytest.raises(VideoRejected, match="Kích thước khung hình bất thường"):
        import_video_file(thin)
    settings.TOASOAN_VIDEO_MAX_BYTES = 1000
    with pytest.raises(VideoRejected, match="Tệp quá lớn"):
        import_video_file(good)
    settings.TOASOAN_VIDEO_MAX_BYTES = 10**9
    renamed = tmp_path / "virus.exe"
    renamed.write_bytes(good.read_bytes())
    with pytest.raises(VideoRejected, match="Đuôi tệp"):
        import_video_file(renamed)
    assert stored_files() == before_files
    assert Video.objects.count() == before_rows


def test_hostile_names_become_harmless():
    assert safe_filename("../../etc/passwd.mp4") == "passwd.mp4"
    assert (
        safe_filename("C:\\\\playout\\\\Bản tin 19h – Thái Bình.MP4")
        == "ban-tin-19h-thai-binh.mp4"
    )
    assert safe_filename("..mp4") == "video.mp4"
    with pytest.raises(VideoRejected):
        safe_filename("passwd")


def test_processing_makes_poster_faststart_mp4_and_an_hls_ladder(
    video_file, client, make_article
):
    source = video_file(
        "hoi-nghi.mp4",
        seconds=9,
        size="1280x720",
        extra=["-c:v", "libx264", "-c:a", "aac"],
    )
    video = import_video_file(source)
    article = make_article("Hội nghị có video", video=video)
    page = lxml.html.fromstring(client.get(article.get_absolute_url()).content)
    assert (
        "đang được xử lý" in page.cssselect(".article__video .notice")[0].text_content()
    )
    assert page.cssselect(".article__poster")[0].get("src") == video.poster.url
    assert not page.cssselect("video")

    processed = run_next_video_job()
    assert processed.pk == video.pk and processed.status == VideoStatus.READY, (
        processed.failure_reason
    )
    with default_storage.open(processed.web_mp4.name) as mp4:
        head = mp4.read()
    assert head.index(b"moov") < head.index(b"mdat")  # faststart: playable at once
    with av.open(default_storage.path(processed.web_mp4.name)) as web:
        assert web.streams.video[0].codec_context.name == "h264"
        assert web.streams.audio[0].codec_context.name == "aac"
    # The master playlist opens in FFmpeg's HLS reader, with both rungs.
    master = default_storage.path(processed.hls_master.name)
    with av.open(master) as hls:
        heights = sorted({s.codec_context.height for s in hls.streams.video})
        assert heights == [360, 720]
        assert hls.duration / 1_000_000 == pytest.approx(9, abs=0.5)
    # And in ffprobe itself, where the system has FFmpeg (CI installs it).
    if ffprobe := shutil.which("ffprobe"):
        shown = subprocess.run(
            [ffprobe, "-v", "error", "-show_entries", "stream=height",
             "-of", "csv=p=0", master],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        assert not shown.stderr
        assert sorted({int(height) for height in shown.stdout.split()}) == [360, 720]
    playlist = (
        default_storage.open(processed.hls_master.name.replace("master", "360p"))
        .read()
        .decode()
    )
    assert playlist.count("#EXTINF") >= 2  # segmented, not one long file

    page = lxml.html.fromstring(client.get(article.get_absolute_url()).content)
    [player] = page.cssselect(".article__video video")
    assert player.get("poster") == processed.poster.url
    sources = [(s.get("type"), s.get("src")) for s in player.cssselect("source")]
    assert sources == [
        ("application/vnd.apple.mpegurl", processed.hls_master.url),
        ("video/mp4", processed.web_mp4.url),
    ]
    # Vietnamese captions, when the newsroom adds them.
    processed.captions.save(
        "phu-de.vtt",
        ContentFile("WEBVTT\n\n00:01.000 --> 00:03.000\nXin chào\n".encode()),
    )
    page = lxml.html.fromstring(client.get(article.get_absolute_url()).content)
    [track] = page.cssselect(".article__video video track")
    assert (track.get("kind"), track.get("srclang")) == ("captions", "vi")
    assert client.get(track.get("src"))["Content-Type"] == "text/vtt; charset=utf-8"


def test_ladder_never_upscales():
    assert [r.height for r in ladder_for(1080)] == [360, 720]
    assert [r.height for r in ladder_for(480)] == [360]
    assert [r.height for r in ladder_for(241)] == [240]


def test_a_failed_job_says_why_and_can_be_retried(video_file, home):
    video = import_video_file(
        video_file("hong.mp4", extra=["-c:v", "libx264", "-c:a", "aac"])
    )
    good_bytes = default_storage.open(video.file.name).read()
    with default_storage.open(video.file.name, "wb") as damaged:
        damaged.write(b"hong hoan toan")  # the stored original went bad
    failed = run_next_video_job()
    assert failed.status == VideoStatus.FAILED
    assert "Không phải tệp video" in failed.failure_reason
    assert run_next_video_job() is None  # nothing else waits
    with default_storage.open(video.file.name, "wb") as repaired:
        repaired.write(good_bytes)
    assert retry_video(failed)
    assert run_next_video_job().status == VideoStatus.READY
    assert not retry_video(Video.objects.get(pk=video.pk))  # only failed ones


def test_an_imported_articles_missing_video_gets_its_file_later(
    seed_article_path, section, video_file, client
):
    article = import_text_article(seed_article_path, section).article
    missing = article.video
    assert (
        missing.status == VideoStatus.MISSING
        and missing.original_filename == "72619_OHAI1.mp4"
    )
    page = lxml.html.fromstring(client.get(article.get_absolute_url()).content)
    assert (
        "chưa được tải lên"
        in page.cssselect(".article__video .notice")[0].text_content()
    )
    out = io.StringIO()
    call_command(
        "import_video",
        str(video_file("72619_OHAI1.mp4", extra=["-c:v", "libx264"])),
        stdout=out,
    )
    assert "1/1 72619_OHAI1.mp4" in out.getvalue()
    missing.refresh_from_db()
    assert missing.status == VideoStatus.PENDING and missing.file
    assert Video.objects.count() == 1
    call_command("worker", "--once", stdout=io.StringIO())
    missing.refresh_from_db()
    assert missing.status == VideoStatus.READY


def test_import_video_reports_each_refusal_and_exits_non_zero(
    video_file, tmp_path, make_article
):
    good = video_file("tot.mp4", extra=["-c:v", "libx264"])
    bad = tmp_path / "xau.mp4"
    bad.write_text("không phải video")
    article = make_article("Bài chờ video")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 tệp không nhập được"):
        call_command("import_video", str(good), str(bad), stdout=out, stderr=err)
    assert "2/2 xau.mp4: Không phải tệp video" in err.getvalue()
    assert "1 nhập được, 1 lỗi." in out.getvalue()
    call_command("import_video", str(good), "--article", str(article.pk), stdout=out)
    article.refresh_from_db()
    assert article.video.original_filename == "tot.mp4"
    with pytest.raises(CommandError, match="Không có bài viết"):
        call_command("import_video", str(good), "--article", "999999")


def test_the_video_section_lists_only_playable_videos(
    client, make_article, make_video, home
):
    ready = make_article("Bản tin có video", video=make_video())
    waiting = Video.objects.create(original_filename="cho.mp4")
    make_article("Video chưa tải lên", video=waiting)
    make_article("Tin chữ")
    page = lxml.html.fromstring(client.get("/video/").content)
    titles = [a.text_content().strip() for a in page.cssselect(".card__title a")]
    assert titles == [ready.title]
    assert page.cssselect("nav.menu a")[1].get("href") == "/video/"


def test_a_ready_video_without_hls_plays_the_mp4(client, make_article, make_video):
    # A video restored or processed before HLS existed: the MP4 is enough.
    video = make_video()
    Video.objects.filter(pk=video.pk).update(hls_master="")
    article = make_article("Bản tin chỉ có MP4", video=video)
    page = lxml.html.fromstring(client.get(article.get_absolute_url()).content)
    [player] = page.cssselect(".article__video video")
    assert [s.get("type") for s in player.cssselect("source")] == ["video/mp4"]
    data = client.get(f"/api/v1/articles/{article.pk}").json()["video"]
    assert data["hls"] is None and data["url"].endswith(".mp4")
