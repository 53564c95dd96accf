"""Is this file a video we can publish? Probed with PyAV (FFmpeg's libraries,
shipped in the wheel: no system package needed). Every refusal says why, in
Vietnamese and English; nothing is stored before a file passes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# FFmpeg's names for the containers a station's playout and phones produce.
ACCEPTED_FORMATS = {
    "mov",
    "mp4",
    "m4a",
    "3gp",
    "3g2",
    "mj2",
    "matroska",
    "webm",
    "mpegts",
}
MAX_SIDE = 7680  # 8K: anything larger is a broken or hostile header
MIN_SIDE = 16
MAX_SECONDS = 6 * 3600


class VideoRejected(ValueError):
    """A file that is not a publishable video; the message says why."""


@dataclass(frozen=True)
class VideoProbe:
    format_name: str
    duration_seconds: float
    width: int
    height: int
    video_codec: str
    audio_codec: str  # "" when the video is silent
    size_bytes: int


def probe_video(path: Path, max_bytes: int) -> VideoProbe:
    import av

    size = path.stat().st_size
    if size == 0:
        raise VideoRejected("Tệp rỗng (0 byte) / the file is empty")
    if size > max_bytes:
        raise VideoRejected(
            f"Tệp quá lớn: {size / 2**20:,.0f} MB, tối đa {max_bytes / 2**20:,.0f} MB "
            "/ the file is over the size limit"
        )
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except (av.FFmpegError, UnicodeDecodeError, ValueError) as error:
        raise VideoRejected(
            "Không phải tệp video đọc được (có thể là trang web, tệp nén hoặc tệp "
            f"hỏng) / not a readable video file ({type(error).__name__})"
        ) from error
    with container:
        names = set((container.format.name or "").split(","))
        if not names & ACCEPTED_FORMATS:
            raise VideoRejected(
                f"Định dạng “{container.format.name}” không được nhận: dùng MP4, MOV, "
                "WebM hoặc MPEG-TS / unsupported container"
            )
        video = next(iter(container.streams.video), None)
        if video is None:
            raise VideoRejected(
                "Tệp chỉ có tiếng, không có hình / audio only, no video"
            )
        width, height = video.codec_context.width, video.codec_context.height
        if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
            raise VideoRejected(
                f"Kích thước khung hình bất thường: {width}×{height} / "
                "absurd dimensions"
            )
        duration = _duration(container, video)
        if not 0 < duration <= MAX_SECONDS:
            raise VideoRejected(
                f"Thời lượng không hợp lệ: {duration:.1f} giây / invalid duration"
            )
        _decode_first_frame(container, video)
        # A file cut short (an upload that stopped) still opens, with the whole
        # duration in its header: its packets stop early.
        reached = _last_packet_seconds(container, video)
        if reached < duration - max(0.5, duration * 0.02):
            raise VideoRejected(
                f"Tệp video bị cắt cụt: có hình đến giây {reached:.0f} trên "
                f"{duration:.0f} / truncated"
            )
        audio = next(iter(container.streams.audio), None)
        return VideoProbe(
            format_name=container.format.name,
            duration_seconds=round(duration, 3),
            width=width,
            height=height,
            video_codec=video.codec_context.name,
            audio_codec=audio.codec_context.name if audio is not None else "",
            size_bytes=size,
        )


def _duration(container, video) -> float:
    if container.duration:
        return container.duration / 1_000_000  # av.time_base
    if video.duration and video.time_base:
        return float(video.duration * video.time_base)
    return 0.0


def _decode_first_frame(container, video) -> None:
    import av

    try:
        for frame in container.decode(video):
            if frame is not None:
                return
    except av.FFmpegError as error:
        raise VideoRejected(
            f"Tệp video bị hỏng / damaged ({type(error).__name__})"
        ) from error
    raise VideoRejected("Tệp video không có khung hình nào / no frames")


def _last_packet_seconds(container, video) -> float:
    """How far the video's packets really go (reads the file, decodes nothing)."""
    import av

    container.seek(0)
    last = 0.0
    try:
        for packet in container.demux(video):
            if packet.pts is not None and packet.time_base is not None:
                last = max(
                    last,
                    float((packet.pts + (packet.duration or 0)) * packet.time_base),
                )
    except av.FFmpegError:
        pass  # a damaged tail: what was reached is the answer
    start = float(video.start_time * video.time_base) if video.start_time else 0.0
    return last - start
