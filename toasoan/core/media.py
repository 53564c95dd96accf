"""Uploaded media served by Django with byte ranges, for `make run` and tests:
browsers ask video in ranges (seeking, and Safari before it plays at all), and
Django's own static view answers every range with the whole file. In production
nginx serves MEDIA_ROOT with the same headers (docs/operations.md)."""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils.http import http_date, quote_etag

CHUNK = 256 * 1024
YEAR = 365 * 24 * 3600
TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".ts": "video/mp2t",
    ".vtt": "text/vtt; charset=utf-8",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".mov": "video/quicktime",
    ".webp": "image/webp",
}
MEDIA_POLICY = "default-src 'none'; sandbox"
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def media_file(path: str) -> Path:
    """The file under MEDIA_ROOT that ``path`` names, or a 404: nothing outside
    it (``../``), no folders, no hidden files."""
    root = Path(settings.MEDIA_ROOT).resolve()
    target = (root / path).resolve()
    if root not in target.parents or not target.is_file():
        raise Http404("Không có tệp này / no such file")
    if any(part.startswith(".") for part in target.relative_to(root).parts):
        raise Http404("Không có tệp này / no such file")
    return target


def byte_range(header: str, size: int) -> tuple[int, int] | None | str:
    """(first, last) for one satisfiable range; None to send the whole file (no
    header, or several ranges); "unsatisfiable" for a 416."""
    found = RANGE.match(header.strip())
    if not found or not (found[1] or found[2]):
        return None
    if not found[1]:  # the last N bytes
        length = int(found[2])
        return (max(size - length, 0), size - 1) if length and size else "unsatisfiable"
    first = int(found[1])
    last = min(int(found[2]), size - 1) if found[2] else size - 1
    if first >= size or (found[2] and int(found[2]) < first):
        return "unsatisfiable"
    return first, last


def _chunks(path: Path, first: int, length: int):
    with path.open("rb") as handle:
        handle.seek(first)
        while length > 0:
            data = handle.read(min(CHUNK, length))
            if not data:
                return
            length -= len(data)
            yield data


def cache_control(name: str, public: bool = True) -> str:
    """Playlists may be remade (a retried video); segments, posters and uploads
    keep their names for life. What only staff may fetch (a draft's media) is
    never kept by a shared cache, which would hand it to readers."""
    if not public:
        return "private, no-store"
    max_age = 3600 if name.lower().endswith(".m3u8") else YEAR
    return f"public, max-age={max_age}"


def serve_media(request, path: str, public: bool = True):
    target = media_file(path)
    stat = target.stat()
    size = stat.st_size
    etag = quote_etag(f"{int(stat.st_mtime)}-{size}")
    suffix = target.suffix.lower()
    content_type = TYPES.get(suffix) or mimetypes.guess_type(target.name)[0]
    headers = {
        "Accept-Ranges": "bytes",
        "ETag": etag,
        "Last-Modified": http_date(stat.st_mtime),
        "Cache-Control": cache_control(target.name, public),
        # An uploaded file is never a page of ours: no type guessing, and opened
        # directly it runs nothing and reaches nothing (also in nginx, README).
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": MEDIA_POLICY,
    }
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        wanted = byte_range(request.headers.get("Range", ""), size)
        if wanted == "unsatisfiable":
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
        elif wanted is None:
            response = StreamingHttpResponse(
                _chunks(target, 0, size), content_type=content_type
            )
            response["Content-Length"] = str(size)
        else:
            first, last = wanted
            response = StreamingHttpResponse(
                _chunks(target, first, last - first + 1),
                status=206,
                content_type=content_type,
            )
            response["Content-Range"] = f"bytes {first}-{last}/{size}"
            response["Content-Length"] = str(last - first + 1)
    for name, value in headers.items():
        response[name] = value
    return response
