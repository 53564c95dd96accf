"""Reading an export through before anything is written: the manifest against
the files, every record against its schema, every reference against the records
it names, every media file against the records that use it."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from toasoan.archives import format as fmt
from toasoan.archives.format import FormatError
from toasoan.archives.schema import KEYS, REFERENCES, UNIQUE

PAGE_TYPES = ("news.homepage", "news.sectionpage", "news.aboutpage")
VIDEO_FILES = ("file", "captions", "poster", "web_mp4", "hls_master")


@dataclass
class Plan:
    """What a checked export holds: the keys of every kind, the permissions and
    content types it names, its media."""

    directory: Path
    manifest: fmt.Manifest
    keys: dict[str, set] = field(default_factory=lambda: defaultdict(set))
    counts: Counter = field(default_factory=Counter)
    permissions: set[str] = field(default_factory=set)
    content_types: set[str] = field(default_factory=set)

    def path(self, name: str) -> Path:
        return self.directory / name

    def records(self, name: str):
        """The records of a file (already checked: read again, not kept)."""
        for _line, record in fmt.read_jsonl(self.path(name), name):
            yield record


def check_export(directory: Path, progress=None) -> Plan:
    """Everything about an export that can be known without the database;
    raises FormatError with the first problem found."""
    directory = Path(directory)
    manifest = fmt.read_manifest(directory)
    fmt.verify_files(directory, manifest, progress)
    plan = Plan(directory, manifest)
    pending: dict[tuple[str, object], str] = {}
    media_used: set[str] = set()
    for name in fmt.JSONL_FILES:
        kind, key = KEYS.get(name, (None, None))
        seen_unique: dict[str, set] = {f: set() for f in UNIQUE.get(name, ())}
        count = 0
        for line, record in fmt.read_jsonl(directory / name, name):
            where = _("%(file)s, dòng %(line)s") % {"file": name, "line": line}
            count += 1
            if kind:
                value = record[key]
                if value in plan.keys[kind]:
                    raise _error(
                        where, _("trùng khóa %(key)r / duplicate key") % {"key": value}
                    )
                _check_record(name, record, plan, where)
                plan.keys[kind].add(value)
            else:
                _check_record(name, record, plan, where)
            for unique, seen in seen_unique.items():
                if record[unique] in seen:
                    raise _error(
                        where,
                        _("trùng %(value)r / duplicate value")
                        % {"value": record[unique]},
                    )
                seen.add(record[unique])
            for path, target in REFERENCES.get(name, ()):
                for value in _values(record, path):
                    if value is None:
                        continue
                    if target in _loaded(name):
                        if value not in plan.keys[target]:
                            raise _missing(where, path, value)
                    else:
                        pending.setdefault((target, value), f"{where} ({path})")
            media_used.update(_media_of(name, record))
        if count != manifest.files[name].lines:
            raise FormatError(
                _("%(file)s có %(found)s dòng, manifest ghi %(wanted)s / line count")
                % {"file": name, "found": count, "wanted": manifest.files[name].lines}
            )
        plan.counts[name] = count
    for (target, value), where in pending.items():
        if value not in plan.keys[target]:
            raise FormatError(
                _("%(where)s: %(value)r không có trong bản xuất / not in the export")
                % {"where": where, "value": value}
            )
    _check_media(manifest, media_used)
    return plan


def _loaded(name: str) -> set[str]:
    """Kinds whose file comes before ``name`` (fully read by then)."""
    index = fmt.JSONL_FILES.index(name)
    kinds = {KEYS[f][0] for f in fmt.JSONL_FILES[:index] if f in KEYS}
    if "pages" in kinds:
        kinds.add("sections")
    return kinds


def _values(record: dict, path: str):
    head, _dot, rest = path.partition(".")
    value = record[head]
    if isinstance(value, list):
        for item in value:
            yield from (_values(item, rest) if rest else [item])
    elif rest:
        yield from _values(value, rest)
    else:
        yield value


def _error(where: str, message: str) -> FormatError:
    return FormatError(f"{where}: {message}")


def _missing(where: str, path: str, value) -> FormatError:
    return FormatError(
        _(
            "%(where)s: “%(field)s” = %(value)r không có trong bản xuất / not in "
            "the export"
        )
        % {"where": where, "field": path, "value": value}
    )


def _check_record(name: str, record: dict, plan: Plan, where: str) -> None:
    """Rules one record must keep beyond its schema."""
    if name in ("groups.jsonl", "users.jsonl"):
        plan.permissions.update(record["permissions"])
        for key in ("collection_permissions", "page_permissions", "site_permissions"):
            plan.permissions.update(p["permission"] for p in record.get(key, ()))
    elif name == "collections.jsonl":
        if record["parent"] is None and plan.keys["collections"]:
            raise _error(where, _("hai thư mục gốc / two root collections"))
        if (
            record["parent"] is not None
            and record["parent"] not in plan.keys["collections"]
        ):
            # Restore makes collections in the file's order: parents first.
            raise _missing(where, "parent", record["parent"])
    elif name == "pages.jsonl":
        if record["type"] not in PAGE_TYPES:
            raise _error(
                where,
                _("loại trang lạ %(type)r / unknown page type")
                % {"type": record["type"]},
            )
        is_section = record["type"] == "news.sectionpage"
        is_about = record["type"] == "news.aboutpage"
        is_home = not (is_section or is_about)
        if (
            is_section != (record["section"] is not None)
            or is_about != (record["about"] is not None)
            or is_home != (record["home"] is not None)
            or is_home != (record["parent"] is None)
        ):
            raise _error(
                where,
                _("trang chủ phải ở gốc, chuyên mục dưới một trang / home pages at "
                  "the root, sections under a page"),
            )  # fmt: skip
        if record["parent"] is not None and record["parent"] not in plan.keys["pages"]:
            # Restore makes pages in the file's order: parents first.
            raise _missing(where, "parent", record["parent"])
        if is_section:
            plan.keys["sections"].add(record["id"])
        plan.content_types.add(record["type"])
    elif name == "articles.jsonl":
        for key, kind in (
            ("bylines", "bylines"),
            ("keywords", "article_keywords"),
            ("related", "related"),
        ):
            for child in record[key]:
                if child["id"] in plan.keys[kind]:
                    raise _error(
                        where,
                        _("trùng khóa %(key)r / duplicate key") % {"key": child["id"]},
                    )
                plan.keys[kind].add(child["id"])
    elif name == "videos.jsonl":
        prefix = f"videos/{record['id']}/"
        if any(not output.startswith(prefix) for output in record["outputs"]):
            raise _error(
                where,
                _("tệp xử lý phải nằm trong %(folder)s / outputs outside their folder")
                % {"folder": prefix},
            )
    elif name == "revisions.jsonl":
        base = record["base_content_type"]
        kind = {"wagtailcore.page": "pages", "news.article": "articles"}.get(base)
        if kind is None:
            raise _error(
                where, _("loại đối tượng lạ %(type)r / unknown object") % {"type": base}
            )
        if record["object_id"] not in plan.keys[kind]:
            raise _missing(where, "object_id", record["object_id"])
        plan.content_types.update((base, record["content_type"]))
        content = record["content"]
        if isinstance(content.get("content_type"), str):
            plan.content_types.add(content["content_type"])
        locale = content.get("locale")
        if isinstance(locale, str) and locale not in plan.keys["locales"]:
            raise _missing(where, "content.locale", locale)
    elif name == "log.jsonl":
        if record["table"] not in ("model", "page"):
            raise _error(
                where,
                _("bảng lạ %(table)r / unknown table") % {"table": record["table"]},
            )


def _media_of(name: str, record: dict) -> list[str]:
    if name in ("images.jsonl", "documents.jsonl"):
        names = [record["file"]]
    elif name == "videos.jsonl":
        names = [record[f] for f in VIDEO_FILES if record[f]] + record["outputs"]
    else:
        return []
    for media_name in names:
        fmt.safe_relative_path(media_name)
    return names


def _check_media(manifest: fmt.Manifest, used: set[str]) -> None:
    """Each media file belongs to a record; each file a record names is either
    in the export or listed as missing at the time of export."""
    media = manifest.media()
    for name in sorted(set(media) - used):
        raise FormatError(
            _("Tệp media không thuộc bản ghi nào: %(name)s / unexpected media file")
            % {"name": f"{fmt.MEDIA_DIR}/{name}"}
        )
    missing = set(manifest.missing_media)
    for name in sorted(used - set(media) - missing):
        raise FormatError(
            _("Thiếu tệp media %(name)s / a media file is missing")
            % {"name": f"{fmt.MEDIA_DIR}/{name}"}
        )
