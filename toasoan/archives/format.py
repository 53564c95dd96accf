"""The export format on disk: JSON Lines files, media files and a manifest.

This module knows the files, their fields and how they are written and checked;
it does not know the database (export.py and restore.py do). docs/export-format.md
describes the same things for people and for other systems.

Written so that the same site always gives the same bytes: one JSON object per
line, keys sorted, no spaces, UTF-8 as is (Vietnamese is not escaped), datetimes
in UTC as ISO 8601 with a "Z", and no timestamp of the export itself anywhere.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath

from django.utils.translation import gettext as _

from toasoan.archives.schema import JSONL_FILES, SCHEMAS, Optional

FORMAT_NAME = "toasoan-export"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_DIR = "media"
CHUNK = 1024 * 1024


class FormatError(Exception):
    """An export directory or file that cannot be read as one; the message is
    for people (Vietnamese, then English)."""


# Values --------------------------------------------------------------------


def encode_datetime(value: datetime | None) -> str | None:
    """2026-11-01T01:00:00Z (fractions of a second only when there are some)."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime")
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)$")


def decode_datetime(text: str | None) -> datetime | None:
    if text is None:
        return None
    if not isinstance(text, str) or not _DATETIME.match(text):
        raise ValueError(f"not an ISO 8601 datetime: {text!r}")
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def encode_date(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def decode_date(text: str | None) -> date | None:
    if text is None:
        return None
    if not isinstance(text, str) or not re.match(r"^\d{4}-\d\d-\d\d$", text):
        raise ValueError(f"not an ISO 8601 date: {text!r}")
    return date.fromisoformat(text)


def dump_line(record: dict) -> bytes:
    """One record as its line: sorted keys, no spaces, UTF-8, strict JSON."""
    text = json.dumps(
        record,
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        allow_nan=False,
    )
    return text.encode("utf-8") + b"\n"


def dump_manifest(manifest: dict) -> bytes:
    text = json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=2)
    return text.encode("utf-8") + b"\n"


# Paths ---------------------------------------------------------------------

_BAD_PART = re.compile(r"[\x00-\x1f\\:]")


def safe_relative_path(name: object) -> PurePosixPath:
    """A relative POSIX path that stays inside its directory: no "..", no
    absolute path, no drive, no backslash, no control characters."""
    if not isinstance(name, str) or not name or len(name) > 1000:
        raise FormatError(
            _("Đường dẫn tệp không hợp lệ: %(name)r / invalid file path")
            % {"name": name}
        )
    path = PurePosixPath(name)
    parts = name.split("/")
    if (
        path.is_absolute()
        or any(part in ("", ".", "..") for part in parts)
        or any(_BAD_PART.search(part) for part in parts)
    ):
        raise FormatError(
            _(
                "Đường dẫn tệp không an toàn: %(name)s (phải nằm trong thư mục bản "
                "xuất) / unsafe file path: must stay inside the export directory"
            )
            % {"name": name}
        )
    return path


def media_path(storage_name: str) -> str:
    """Where a stored file lies in an export: media/<its name in the storage>."""
    return f"{MEDIA_DIR}/{safe_relative_path(storage_name)}"


# Writing -------------------------------------------------------------------


@dataclass
class FileEntry:
    path: str
    sha256: str
    bytes: int
    lines: int | None = None

    def as_json(self) -> dict:
        entry = {"path": self.path, "sha256": self.sha256, "bytes": self.bytes}
        if self.lines is not None:
            entry["lines"] = self.lines
        return entry


class JsonlWriter:
    """Writes one JSONL file, counting its bytes, lines and SHA-256 as it goes."""

    def __init__(self, directory: Path, name: str):
        self.name = name
        self._handle = open(directory / name, "wb")  # noqa: SIM115 (closed in close)
        self._hash = hashlib.sha256()
        self._bytes = 0
        self.lines = 0

    def write(self, record: dict) -> None:
        line = dump_line(record)
        self._handle.write(line)
        self._hash.update(line)
        self._bytes += len(line)
        self.lines += 1

    def close(self) -> FileEntry:
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        return FileEntry(self.name, self._hash.hexdigest(), self._bytes, self.lines)

    def abort(self) -> None:
        self._handle.close()


def copy_file(source, target: Path) -> tuple[str, int]:
    """Copy an open binary file to ``target``; returns its SHA-256 and size."""
    digest = hashlib.sha256()
    size = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as out:
        while chunk := source.read(CHUNK):
            out.write(chunk)
            digest.update(chunk)
            size += len(chunk)
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest(), size


def file_digest(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


# Reading -------------------------------------------------------------------


@dataclass
class Manifest:
    files: dict[str, FileEntry]
    with_passwords: bool
    missing_media: list[str] = field(default_factory=list)

    def media(self) -> dict[str, FileEntry]:
        """Stored files by their name in the storage."""
        prefix = f"{MEDIA_DIR}/"
        return {
            path[len(prefix) :]: entry
            for path, entry in self.files.items()
            if path.startswith(prefix)
        }


def build_manifest(
    entries: list[FileEntry], with_passwords: bool, missing_media: list[str]
) -> dict:
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "with_passwords": with_passwords,
        "missing_media": sorted(missing_media),
        "files": [entry.as_json() for entry in sorted(entries, key=lambda e: e.path)],
    }


def read_manifest(directory: Path) -> Manifest:
    """The manifest, checked for shape (not yet against the files)."""
    if not directory.is_dir():
        raise FormatError(
            _("Không có thư mục %(path)s / no such directory") % {"path": directory}
        )
    path = directory / MANIFEST
    if not path.is_file() or path.is_symlink():
        raise FormatError(
            _(
                "%(path)s không phải một bản xuất của toasoan (không có "
                "manifest.json) / not a toasoan export: no manifest.json"
            )
            % {"path": directory}
        )
    try:
        data = json.loads(
            path.read_bytes().decode("utf-8"), object_pairs_hook=_no_duplicates
        )
    except (UnicodeDecodeError, ValueError) as error:
        raise FormatError(
            _(
                "manifest.json không phải JSON hợp lệ (%(error)s) / manifest.json "
                "is not valid JSON"
            )
            % {"error": error}
        ) from error
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise FormatError(
            _(
                "manifest.json không phải của một bản xuất toasoan / manifest.json "
                "is not a toasoan export's"
            )
        )
    if data.get("format_version") != FORMAT_VERSION:
        raise FormatError(
            _(
                "Phiên bản định dạng %(found)r không được hỗ trợ (cần %(wanted)s) / "
                "unsupported format version"
            )
            % {"found": data.get("format_version"), "wanted": FORMAT_VERSION}
        )
    files, with_passwords = data.get("files"), data.get("with_passwords")
    missing = data.get("missing_media")
    if (
        not isinstance(files, list)
        or not isinstance(with_passwords, bool)
        or not isinstance(missing, list)
        or not all(isinstance(name, str) for name in missing)
    ):
        raise FormatError(_("manifest.json thiếu trường / manifest.json lacks fields"))
    entries: dict[str, FileEntry] = {}
    for item in files:
        entry = _manifest_entry(item)
        if entry.path in entries:
            raise FormatError(
                _("manifest.json kể %(path)s hai lần / lists a file twice")
                % {"path": entry.path}
            )
        entries[entry.path] = entry
    for name in missing:
        safe_relative_path(name)
    for name in JSONL_FILES:
        if name not in entries:
            raise FormatError(
                _("manifest.json thiếu tệp %(name)s / manifest.json lacks a file")
                % {"name": name}
            )
    return Manifest(entries, with_passwords, list(missing))


def _manifest_entry(item: object) -> FileEntry:
    ok = (
        isinstance(item, dict)
        and isinstance(item.get("path"), str)
        and isinstance(item.get("sha256"), str)
        and re.fullmatch(r"[0-9a-f]{64}", item["sha256"])
        and _is_int(item.get("bytes"))
        and item["bytes"] >= 0
    )
    if not ok:
        raise FormatError(
            _("manifest.json có mục hỏng: %(item)r / a malformed file entry")
            % {"item": item}
        )
    path = item["path"]
    safe_relative_path(path)
    if path in SCHEMAS:
        if not _is_int(item.get("lines")):
            raise FormatError(
                _("manifest.json thiếu số dòng của %(path)s / no line count")
                % {"path": path}
            )
        return FileEntry(path, item["sha256"], item["bytes"], item["lines"])
    if not path.startswith(f"{MEDIA_DIR}/") or "lines" in item:
        raise FormatError(
            _("Tệp lạ trong manifest.json: %(path)s / unexpected file in the manifest")
            % {"path": path}
        )
    return FileEntry(path, item["sha256"], item["bytes"])


def verify_files(directory: Path, manifest: Manifest, progress=None) -> None:
    """Every file listed is there, whole and unchanged (size, SHA-256, lines),
    and nothing else is: no extra file, no symbolic link."""
    listed = set(manifest.files) | {MANIFEST}
    for root, dirs, names in os.walk(directory):
        for name in dirs + names:
            full = Path(root) / name
            relative = full.relative_to(directory).as_posix()
            if full.is_symlink():
                raise FormatError(
                    _(
                        "Liên kết tượng trưng không được phép: %(path)s / symbolic "
                        "links are not allowed"
                    )
                    % {"path": relative}
                )
            if name in names and relative not in listed:
                raise FormatError(
                    _(
                        "Tệp không có trong manifest.json: %(path)s / a file the "
                        "manifest does not list"
                    )
                    % {"path": relative}
                )
    total = len(manifest.files)
    for done, entry in enumerate(manifest.files.values(), start=1):
        path = directory / entry.path
        if not path.is_file():
            raise FormatError(
                _("Thiếu tệp %(path)s / missing file") % {"path": entry.path}
            )
        if path.stat().st_size != entry.bytes:
            raise FormatError(
                _(
                    "Tệp %(path)s dài %(found)s byte, manifest ghi %(wanted)s (bị cắt "
                    "hoặc bị sửa) / wrong size: truncated or altered"
                )
                % {
                    "path": entry.path,
                    "found": path.stat().st_size,
                    "wanted": entry.bytes,
                }
            )
        digest, _size = file_digest(path)
        if digest != entry.sha256:
            raise FormatError(
                _(
                    "Tệp %(path)s không khớp mã kiểm SHA-256 trong manifest (bị sửa "
                    "hoặc hỏng) / checksum mismatch: altered or damaged"
                )
                % {"path": entry.path}
            )
        if progress:
            progress("verify", done, total)


def read_jsonl(path: Path, name: str) -> Iterator[tuple[int, dict]]:
    """The records of one file with their line numbers, each checked against
    the file's schema; a line that is not UTF-8, not JSON or not the right shape
    is a FormatError naming the file and line."""
    schema = SCHEMAS[name]
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            where = {"file": name, "line": number}
            if not raw.endswith(b"\n"):
                raise FormatError(
                    _("%(file)s, dòng %(line)s: dòng bị cắt / truncated line") % where
                )
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                raise FormatError(
                    _("%(file)s, dòng %(line)s: không phải UTF-8 / not UTF-8") % where
                ) from error
            try:
                record = json.loads(text, object_pairs_hook=_no_duplicates)
            except ValueError as error:
                raise FormatError(
                    _("%(file)s, dòng %(line)s: JSON không hợp lệ / invalid JSON")
                    % where
                ) from error
            problem = _check(record, schema, "")
            if problem:
                raise FormatError(
                    _("%(file)s, dòng %(line)s: %(problem)s")
                    % (where | {"problem": problem})
                )
            yield number, record


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict:
    record = dict(pairs)
    if len(record) != len(pairs):
        raise ValueError("duplicate key")
    return record


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_scalar(value: object, kind: str) -> bool:
    if kind.endswith("?"):
        if value is None:
            return True
        kind = kind[:-1]
    try:
        match kind:
            case "int":
                return _is_int(value)
            case "float":
                return _is_int(value) or isinstance(value, float)
            case "str":
                return isinstance(value, str)
            case "bool":
                return isinstance(value, bool)
            case "object":
                return isinstance(value, dict)
            case "datetime":
                return decode_datetime(value) is not None
            case "date":
                return decode_date(value) is not None
            case "uuid":
                return isinstance(value, str) and str(uuid.UUID(value)) == value
            case "label" | "permission":
                return isinstance(value, str) and bool(
                    re.fullmatch(r"[A-Za-z0-9_]+\.[A-Za-z0-9_]+", value)
                )
    except ValueError:
        return False
    raise AssertionError(kind)


def _check(value: object, schema: object, where: str) -> str | None:
    """What is wrong with ``value`` against ``schema``, or None."""
    if isinstance(schema, Optional):
        return None if value is None else _check(value, schema.schema, where)
    if isinstance(schema, dict):
        if not isinstance(value, dict):
            return _("%(field)s phải là đối tượng JSON / must be an object") % {
                "field": where or "bản ghi"
            }
        missing = sorted(set(schema) - set(value))
        extra = sorted(set(value) - set(schema))
        if missing or extra:
            return _(
                "trường thiếu %(missing)s, trường lạ %(extra)s / missing or unknown "
                "fields"
            ) % {"missing": missing, "extra": extra}
        for key, kind in schema.items():
            problem = _check(value[key], kind, f"{where}.{key}" if where else key)
            if problem:
                return problem
        return None
    if isinstance(schema, list):
        if not isinstance(value, list):
            return _("“%(field)s” phải là danh sách / must be a list") % {
                "field": where
            }
        for index, item in enumerate(value):
            problem = _check(item, schema[0], f"{where}[{index}]")
            if problem:
                return problem
        return None
    if not _check_scalar(value, schema):
        return _("“%(field)s” không đúng kiểu %(kind)s / wrong type") % {
            "field": where,
            "kind": schema,
        }
    return None
