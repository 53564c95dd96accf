"""Accepting news videos and making them web-ready.

An upload is probed before anything is stored (probing.py). Processing runs in
the background worker, one video at a time, with FFmpeg (the system's, or the one
shipped in the imageio-ffmpeg wheel): a poster frame, an H.264/AAC MP4 with its
index at the front (playback starts before the download ends), and an HLS ladder
(360p, and 720p when the source allows) with a master playlist. Everything is
made in a temporary folder and then saved to the storage under videos/<id>/, so
it works the same with local files and with an object store.

A full disk never leaves half a file or half a record (issue 12): local files are
written into a staging folder on the media's own disk and renamed into place
once whole; an upload that cannot be written keeps nothing, and a job that
cannot be finished fails with a reason the editor can act on ("Thử lại").
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from toasoan.core.staging import StagedFile
from toasoan.core.vietnamese import slugify_vi
from toasoan.videos.models import Video, VideoStatus
from toasoan.videos.probing import VideoProbe, VideoRejected, probe_video

log = logging.getLogger("toasoan.videos")
EXTENSIONS = {".mp4", ".m4v", ".mov", ".webm", ".ts", ".mts", ".m2ts"}
STALE_AFTER = timedelta(hours=1)  # a job left "processing" by a killed worker
MAX_ATTEMPTS = 3
SEGMENT_SECONDS = 4
# A full disk or a full quota (a file-size limit, EFBIG, is said as it is).
DISK_FULL = {errno.ENOSPC, errno.EDQUOT}
STAGING = ".toasoan-staging"  # under MEDIA_ROOT, so that a rename puts files in place


@dataclass(frozen=True)
class Rung:
    height: int
    video_bitrate: int  # bits per second
    audio_bitrate: int


LADDER = [Rung(360, 800_000, 96_000), Rung(720, 2_500_000, 128_000)]


class VideoProcessingError(RuntimeError):
    """FFmpeg could not make a rendition; the message is shown to the editor."""


class VideoNotStored(OSError):
    """A video or one of its files could not be written to the storage (a full
    disk); nothing of the attempt was kept. The message is for people."""


def is_disk_full(error: BaseException) -> bool:
    return isinstance(error, OSError) and error.errno in DISK_FULL


def explain_write_failure(error: OSError) -> VideoNotStored:
    """What to tell the person whose upload could not be written."""
    if is_disk_full(error):
        return VideoNotStored(
            _("Ổ đĩa đã đầy, không lưu được video / the disk is full: the video was "
              "not saved")
        )  # fmt: skip
    return VideoNotStored(
        _("Không lưu được video (%(reason)s) / the video could not be saved")
        % {"reason": error.strerror or error}
    )


def _disk_full_while_processing() -> str:
    return _(
        "Ổ đĩa đã đầy khi xử lý video: giải phóng chỗ trống rồi bấm “Thử lại” / "
        "the disk filled up while processing the video: free some space, then retry"
    )


def ffmpeg_executable() -> str:
    return shutil.which("ffmpeg") or _bundled_ffmpeg()


def _bundled_ffmpeg() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def max_upload_bytes() -> int:
    return settings.TOASOAN_VIDEO_MAX_BYTES


def safe_filename(name: str) -> str:
    """ "../../etc/Bản tin 19h.MP4" → "ban-tin-19h.mp4": the last part only, in
    readable ASCII, with a known extension."""
    path = Path(str(name).replace("\\", "/").split("/")[-1])
    extension = path.suffix.lower()
    if extension not in EXTENSIONS:
        raise VideoRejected(
            f"Đuôi tệp “{extension or '(không có)'}” không được nhận: dùng .mp4, .mov, "
            ".webm hoặc .ts / unsupported file extension"
        )
    return f"{slugify_vi(path.stem, max_length=80) or 'video'}{extension}"


def check_upload(path: Path, name: str) -> VideoProbe:
    """Probe a file before it is kept; raises VideoRejected with the reason."""
    safe_filename(name)
    return probe_video(path, max_upload_bytes())


def attach_file(video: Video, source: Path, name: str, probe: VideoProbe) -> Video:
    """Store a probed file as the video's original and queue its processing."""
    with source.open("rb") as handle:
        return save_video(video, {"file": File(handle, name=name)}, probe, source)


def save_video(
    video: Video,
    uploads: dict[str, File],
    probe: VideoProbe | None = None,
    source: Path | None = None,
) -> Video:
    """Save the record with its newly uploaded files (``file``, ``captions``),
    each written whole; a new original (``probe`` given) gets its poster and is
    queued. All or nothing: if a write fails (a full disk), the files written
    are deleted, the database keeps what it had, and VideoNotStored says why."""
    written: list[str] = []
    before = (video.pk, video._state.adding, {f: getattr(video, f) for f in uploads})
    try:
        with transaction.atomic():
            for field, content in uploads.items():
                name = safe_filename(content.name) if field == "file" else content.name
                target = Video._meta.get_field(field).generate_filename(video, name)
                written.append(store_whole(target, content))
                setattr(video, field, written[-1])
            video.save()
            if probe is not None:
                queue_processing(video, probe, source)
    except OSError as error:
        for name in written:
            _delete_quietly(name)
        # The instance as it was, like the rolled-back row (a form shows it again).
        video.pk, video._state.adding = before[0], before[1]
        for field, value in before[2].items():
            setattr(video, field, value)
        if isinstance(error, VideoNotStored):
            raise
        raise explain_write_failure(error) from error
    return video


def store_whole(name: str, content: File) -> str:
    """Save ``content`` as ``name`` (or the free name the storage picks), whole
    or not at all; returns the name. Django's FileSystemStorage writes in place
    and leaves half a file when the disk fills: here the bytes go to a staging
    folder on the same disk first and are moved into place by a rename. An
    object store (S3) takes each file whole by itself."""
    with _staging() as folder:
        if folder is None:
            return default_storage.save(name, content)
        return _put(name, _stage(content.chunks(), folder), staged=True)


@contextmanager
def _staging(key: str | None = None) -> Iterator[Path | None]:
    """A folder on the media's own disk, removed afterwards; None when the
    storage is not local files. ``key`` names it, so that the next attempt
    clears what a killed one (kill -9 runs no clean-up) left there."""
    if not isinstance(default_storage, FileSystemStorage):
        yield None
        return
    base = Path(default_storage.location) / STAGING
    base.mkdir(parents=True, exist_ok=True)
    if key is None:
        folder = Path(tempfile.mkdtemp(dir=base))
    else:
        folder = base / key
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _stage(chunks: Iterable[bytes], folder: Path) -> Path:
    with tempfile.NamedTemporaryFile(dir=folder, delete=False) as staged:
        for chunk in chunks:
            staged.write(chunk)
        staged.flush()
        os.fsync(staged.fileno())  # on the disk before its name is
    return Path(staged.name)


def _put(name: str, path: Path, *, staged: bool) -> str:
    with path.open("rb") as handle:
        content = StagedFile(handle, path) if staged else File(handle)
        return default_storage.save(name, content)


def _delete_quietly(name: str) -> None:
    try:
        default_storage.delete(name)
    except OSError:
        log.warning("could not delete %s after a failed write", name)


def queue_processing(
    video: Video, probe: VideoProbe, source: Path | None = None
) -> None:
    """A new original: its figures, a poster at once (one frame, a fraction of a
    second, so the article shows it while the rest is made), and the queue.
    ``source`` is a local copy of the file, if there is one at hand."""
    _record_probe(video, probe)
    video.status, video.failure_reason, video.attempts = VideoStatus.PENDING, "", 0
    video.web_mp4 = video.hls_master = ""
    video.save()
    with tempfile.TemporaryDirectory(prefix="toasoan-poster-") as folder:
        if source is None:
            source = Path(folder) / f"source{Path(video.file.name).suffix.lower()}"
            _copy_original(video, source)
        (Path(folder) / "out").mkdir()
        poster = Path(folder) / "out" / "poster.jpg"
        try:
            _make_poster(source, poster, probe)
        except VideoProcessingError as error:  # processing will try again
            log.warning("video %s: no quick poster: %s", video.pk, error)
            return
        names = _save_outputs(video, Path(folder) / "out")
    Video.objects.filter(pk=video.pk).update(poster=names["poster.jpg"])
    video.poster = names["poster.jpg"]


def _record_probe(video: Video, probe: VideoProbe) -> None:
    video.duration_seconds = probe.duration_seconds
    video.width, video.height = probe.width, probe.height
    video.video_codec, video.audio_codec = probe.video_codec, probe.audio_codec
    video.size_bytes = probe.size_bytes


def video_waiting_for(name: str) -> Video | None:
    """The record that names this file and has none yet (an imported article's
    72619_OHAI1.mp4), locked for the caller's transaction; else None."""
    return (
        Video.objects.select_for_update()
        .filter(original_filename__iexact=name, file="")
        .order_by("created_at", "pk")
        .first()
    )


def import_video_file(path: Path, article=None) -> Video:
    """Bulk ingestion from a playout folder: a record that already names this
    file (an imported article's 72619_OHAI1.mp4) gets it; otherwise a new one."""
    probe = check_upload(path, path.name)
    with transaction.atomic():
        video = video_waiting_for(path.name) or Video(
            original_filename=path.name[:255], title=path.stem[:300]
        )
        attach_file(video, path, path.name, probe)
        if article is not None:
            article.video = video
            article.save(update_fields=["video"])
    return video


def retry_video(video: Video) -> bool:
    """A failed video goes back to the queue (the editor's "Thử lại")."""
    return bool(
        Video.objects.filter(pk=video.pk, status=VideoStatus.FAILED)
        .exclude(file="")
        .update(status=VideoStatus.PENDING, failure_reason="", attempts=0)
    )


def claim_next_video() -> Video | None:
    """The oldest waiting video, marked as being processed (by one worker only)."""
    now = timezone.now()
    stale = Video.objects.filter(
        status=VideoStatus.PROCESSING, processing_started_at__lt=now - STALE_AFTER
    )
    stale.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=VideoStatus.FAILED,
        failure_reason="Xử lý bị gián đoạn nhiều lần / processing kept being cut off",
    )
    stale.update(status=VideoStatus.PENDING)
    for video in Video.objects.filter(status=VideoStatus.PENDING).order_by(
        "created_at"
    )[:5]:
        claimed = Video.objects.filter(pk=video.pk, status=VideoStatus.PENDING).update(
            status=VideoStatus.PROCESSING,
            processing_started_at=now,
            attempts=F("attempts") + 1,
        )
        if claimed:
            video.refresh_from_db()
            return video
    return None


def run_next_video_job() -> Video | None:
    """Process one waiting video; returns it (ready or failed), or None."""
    video = claim_next_video()
    if video is None:
        return None
    try:
        process_video(video)
    except (VideoProcessingError, VideoRejected, OSError) as error:
        log.warning("video %s failed: %s", video.pk, error)
        reason = _disk_full_while_processing() if is_disk_full(error) else str(error)
        Video.objects.filter(pk=video.pk).update(
            status=VideoStatus.FAILED,
            failure_reason=reason[:2000],
            **_forget_missing_outputs(video),
        )
    video.refresh_from_db()
    return video


def _forget_missing_outputs(video: Video) -> dict[str, str]:
    """A failed job leaves no field naming a file that is not there (a poster
    replaced, then taken back when a later file would not fit)."""
    return {
        field: ""
        for field in ("poster", "web_mp4", "hls_master")
        if getattr(video, field).name
        and not default_storage.exists(getattr(video, field).name)
    }


def process_video(video: Video) -> None:
    if not video.file:
        raise VideoProcessingError("Chưa có tệp video / no file")
    with _work_folder(video) as work:
        source = work / f"source{Path(video.file.name).suffix.lower()}"
        _copy_original(video, source)
        probe = probe_video(source, max(max_upload_bytes(), source.stat().st_size))
        _record_probe(video, probe)
        out = work / "out"
        (out / "hls").mkdir(parents=True)
        _make_poster(source, out / "poster.jpg", probe)
        _make_web_mp4(source, out / "web.mp4", probe)
        rungs = ladder_for(probe.height)
        for rung in rungs:
            _make_hls_rung(source, out / "hls", rung, probe)
        (out / "hls" / "master.m3u8").write_text(master_playlist(rungs, probe), "utf-8")
        names = _save_outputs(video, out)
    video.poster, video.web_mp4 = names["poster.jpg"], names["web.mp4"]
    video.hls_master = names["hls/master.m3u8"]
    video.status, video.failure_reason = VideoStatus.READY, ""
    video.processed_at = timezone.now()
    video.save()


@contextmanager
def _work_folder(video: Video) -> Iterator[Path]:
    """The video's own folder under DATA_DIR/work: emptied before each attempt
    and removed after, so a worker killed mid-job (no clean-up runs on kill -9)
    leaves nothing behind once the job is retried."""
    folder = Path(settings.DATA_DIR) / "work" / f"video-{video.pk}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _copy_original(video: Video, target: Path) -> None:
    """A local copy of the original (the storage may be an object store)."""
    with video.file.open("rb") as original, target.open("wb") as copy:
        shutil.copyfileobj(original, copy, 1024 * 1024)


def ladder_for(source_height: int) -> list[Rung]:
    """Never upscale: 360p always (smaller sources keep their own height), 720p
    when the source has it."""
    rungs = [rung for rung in LADDER if rung.height <= source_height]
    if not rungs:
        return [
            Rung(
                source_height - source_height % 2,
                LADDER[0].video_bitrate,
                LADDER[0].audio_bitrate,
            )
        ]
    return rungs


def _width_for(height: int, probe: VideoProbe) -> int:
    width = round(probe.width * height / probe.height)
    return width - width % 2


def master_playlist(rungs: list[Rung], probe: VideoProbe) -> str:
    lines = ["#EXTM3U", "#EXT-X-VERSION:3"]
    for rung in rungs:
        bandwidth = rung.video_bitrate + (
            rung.audio_bitrate if probe.audio_codec else 0
        )
        codecs = "avc1.4d401f" + (",mp4a.40.2" if probe.audio_codec else "")
        lines.append(
            f"#EXT-X-STREAM-INF:BANDWIDTH={int(bandwidth * 1.1)},"
            f"RESOLUTION={_width_for(rung.height, probe)}x{rung.height},"
            f'CODECS="{codecs}"'
        )
        lines.append(f"{rung.height}p.m3u8")
    return "\n".join(lines) + "\n"


def _run_ffmpeg(arguments: list[str], what: str) -> None:
    command = [
        ffmpeg_executable(),
        "-hide_banner",
        "-loglevel",
        "error",
        "-nostdin",
        "-y",
        *arguments,
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=6 * 3600)
    except subprocess.TimeoutExpired as error:
        raise VideoProcessingError(f"{what}: quá thời gian / timed out") from error
    if done.returncode != 0:
        # FFmpeg says so in the C library's words (strerror), in any locale.
        if any(os.strerror(code) in (done.stderr or "") for code in DISK_FULL):
            raise VideoProcessingError(f"{what}: {_disk_full_while_processing()}")
        detail = (done.stderr or "").strip().splitlines()[-1:] or ["?"]
        raise VideoProcessingError(f"{what}: FFmpeg lỗi / failed: {detail[0][:500]}")


def _audio_arguments(probe: VideoProbe, bitrate: int) -> list[str]:
    if not probe.audio_codec:
        return ["-an"]
    return ["-c:a", "aac", "-b:a", str(bitrate), "-ac", "2"]


def _make_poster(source: Path, target: Path, probe: VideoProbe) -> None:
    # Seeking after the input: exact in every container (an MPEG-TS starts at a
    # timestamp of its own), and cheap for a second of decoding.
    at = min(1.0, probe.duration_seconds / 10)
    _run_ffmpeg(
        ["-i", str(source), "-ss", f"{at:.2f}", "-frames:v", "1",
         "-vf", "scale='min(1280,iw)':-2", "-q:v", "3", str(target)],
        "Ảnh đại diện video / poster",
    )  # fmt: skip


def _make_web_mp4(source: Path, target: Path, probe: VideoProbe) -> None:
    height = min(720, probe.height - probe.height % 2)
    _run_ffmpeg(
        ["-i", str(source), "-map", "0:v:0", "-map", "0:a:0?",
         "-vf", f"scale=-2:{height}", "-c:v", "libx264", "-preset", "veryfast",
         "-crf", "23", "-pix_fmt", "yuv420p", "-profile:v", "main",
         *_audio_arguments(probe, 128_000), "-movflags", "+faststart", str(target)],
        "MP4 cho web / web MP4",
    )  # fmt: skip


def _make_hls_rung(source: Path, folder: Path, rung: Rung, probe: VideoProbe) -> None:
    # Keyframes every 2 s and no scene-cut keyframes: segments then cut evenly
    # (without these, FFmpeg may make a single segment).
    bitrate = rung.video_bitrate
    _run_ffmpeg(
        ["-i", str(source), "-map", "0:v:0", "-map", "0:a:0?",
         "-vf", f"scale=-2:{rung.height}", "-c:v", "libx264", "-preset", "veryfast",
         "-b:v", str(bitrate), "-maxrate", str(int(bitrate * 1.07)),
         "-bufsize", str(bitrate * 2), "-pix_fmt", "yuv420p", "-profile:v", "main",
         "-force_key_frames", "expr:gte(t,n_forced*2)", "-sc_threshold", "0",
         *_audio_arguments(probe, rung.audio_bitrate),
         "-f", "hls", "-hls_time", str(SEGMENT_SECONDS), "-hls_playlist_type", "vod",
         "-hls_segment_filename", str(folder / f"{rung.height}p_%03d.ts"),
         str(folder / f"{rung.height}p.m3u8")],
        f"HLS {rung.height}p",
    )  # fmt: skip


def _save_outputs(video: Video, out: Path) -> dict[str, str]:
    """Save every made file under videos/<id>/ (replacing an earlier run's).
    All are staged first, so a full disk stops the job before anything under
    videos/<id>/ has changed; if putting them in place fails midway, those
    already in place are deleted again."""
    made = sorted(p for p in out.rglob("*") if p.is_file())
    names: dict[str, str] = {}
    with _staging(f"video-{video.pk}") as folder:
        sources = {}
        for path in made:
            if folder is None:
                sources[path] = path
                continue
            with path.open("rb") as handle:
                sources[path] = _stage(iter(lambda: handle.read(2**20), b""), folder)
        try:
            for path in made:
                relative = path.relative_to(out).as_posix()
                name = f"videos/{video.pk}/{relative}"
                if default_storage.exists(name):
                    default_storage.delete(name)
                names[relative] = _put(name, sources[path], staged=folder is not None)
        except BaseException:
            for name in names.values():
                _delete_quietly(name)
            raise
    return names
