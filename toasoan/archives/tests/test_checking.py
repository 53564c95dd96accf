"""python -m toasoan restore reads the whole export before it writes: whatever
is wrong with it is refused with a reason, Vietnamese first, and nothing is
written (these run with --merge, so that only the export can stop them)."""

import json
import os
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from toasoan.archives import format as fmt
from toasoan.archives.tests.site import counts


@pytest.fixture
def export(db, tmp_path, make_article, make_image):
    image = make_image("Ảnh cầu Rồng")
    make_article("Cầu Rồng phun lửa", featured_image=image, keywords=["Đà Nẵng"])
    target = tmp_path / "ban-xuat"
    call_command("export", str(target))
    return target


def _media_files() -> list[str]:
    root = Path(default_storage.location)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def _refused(directory, *words):
    before, files = counts(), _media_files()
    with pytest.raises(CommandError) as error:
        call_command("restore", str(directory), "--merge")
    message = str(error.value)
    assert " / " in message, message  # Vietnamese, then English
    assert "Traceback" not in message
    for word in words:
        assert word in message, message
    assert counts() == before
    assert _media_files() == files
    return message


def _rewrite(directory: Path, name: str, content: bytes) -> None:
    """Change a file and make the manifest agree, as a careless tool would."""
    (directory / name).write_bytes(content)
    manifest = json.loads((directory / "manifest.json").read_text("utf-8"))
    for entry in manifest["files"]:
        if entry["path"] == name:
            entry["sha256"], entry["bytes"] = fmt.file_digest(directory / name)
            if "lines" in entry:
                entry["lines"] = content.count(b"\n")
    (directory / "manifest.json").write_bytes(fmt.dump_manifest(manifest))


def _edit_manifest(directory: Path, change) -> None:
    manifest = json.loads((directory / "manifest.json").read_text("utf-8"))
    change(manifest)
    (directory / "manifest.json").write_bytes(fmt.dump_manifest(manifest))


def test_a_missing_directory(export, tmp_path):
    _refused(tmp_path / "khong-co", "Không có thư mục")


def test_a_directory_that_is_not_an_export(export, tmp_path):
    folder = tmp_path / "anh-chup"
    folder.mkdir()
    (folder / "anh.jpg").write_bytes(b"\xff\xd8")
    _refused(folder, "không phải một bản xuất của toasoan")


def test_a_manifest_that_is_not_json(export):
    (export / "manifest.json").write_text("{khong phai json", "utf-8")
    _refused(export, "manifest.json không phải JSON hợp lệ")


def test_a_manifest_of_another_version(export):
    _edit_manifest(export, lambda m: m.update(format_version=99))
    _refused(export, "Phiên bản định dạng 99 không được hỗ trợ")


def test_a_truncated_file(export):
    path = export / "articles.jsonl"
    path.write_bytes(path.read_bytes()[:-40])
    _refused(export, "articles.jsonl", "bị cắt", "truncated")


def test_a_missing_file(export):
    (export / "revisions.jsonl").unlink()
    _refused(export, "Thiếu tệp revisions.jsonl")


def test_a_missing_media_file(export):
    media = next((export / "media").rglob("*.jpg"))
    media.unlink()
    _refused(export, "Thiếu tệp media/")


def test_an_extra_file(export):
    (export / "media" / "them.php").write_text("<?php ?>")
    _refused(export, "media/them.php", "không có trong manifest")


def test_a_tampered_file(export):
    path = export / "keywords.jsonl"
    content = path.read_bytes()
    path.write_bytes(content.replace(b"da-nang", b"da-lang"))  # same size
    assert path.stat().st_size == len(content)
    _refused(export, "keywords.jsonl", "SHA-256")


def test_a_symbolic_link(export):
    os.symlink("/etc/passwd", export / "media" / "passwd")
    _refused(export, "Liên kết tượng trưng")


def test_invalid_utf8(export):
    content = (export / "keywords.jsonl").read_bytes()
    _rewrite(export, "keywords.jsonl", content.replace("Đà".encode(), b"\xc4\x20"))
    _refused(export, "keywords.jsonl, dòng 1", "không phải UTF-8")


def test_an_invalid_json_line(export):
    content = (export / "keywords.jsonl").read_bytes()
    _rewrite(export, "keywords.jsonl", content + b'{"id": 9, "name": \n')
    _refused(export, "keywords.jsonl, dòng 2", "JSON không hợp lệ")


def test_a_record_of_the_wrong_shape(export):
    record = json.loads((export / "keywords.jsonl").read_text("utf-8"))
    del record["slug"]
    _rewrite(export, "keywords.jsonl", fmt.dump_line(record))
    _refused(export, "keywords.jsonl, dòng 1", "slug")


def test_a_reference_to_nothing(export):
    record = json.loads((export / "articles.jsonl").read_text("utf-8"))
    record["section"] = 987654
    _rewrite(export, "articles.jsonl", fmt.dump_line(record))
    _refused(export, "articles.jsonl, dòng 1", "987654", "not in the export")


@pytest.mark.parametrize(
    "path", ["media/../../etc/passwd", "/etc/passwd", "media/a/../../../x"]
)
def test_a_manifest_path_outside_the_export(export, path):
    def add(manifest):
        manifest["files"].append({"path": path, "sha256": "0" * 64, "bytes": 0})

    _edit_manifest(export, add)
    _refused(export, "không an toàn", path)


def test_a_record_naming_a_file_outside_the_media(export):
    record = json.loads((export / "images.jsonl").read_text("utf-8"))
    record["file"] = "../../etc/passwd"
    _rewrite(export, "images.jsonl", fmt.dump_line(record))
    _edit_manifest(export, lambda m: m["missing_media"].append("../../etc/passwd"))
    _refused(export, "không an toàn", "../../etc/passwd")


def test_a_media_file_no_record_uses(export):
    extra = export / "media" / "le.jpg"
    extra.write_bytes(b"\xff\xd8")

    def add(manifest):
        digest, size = fmt.file_digest(extra)
        manifest["files"].append(
            {"path": "media/le.jpg", "sha256": digest, "bytes": size}
        )

    _edit_manifest(export, add)
    _refused(export, "media/le.jpg", "không thuộc bản ghi nào")


def test_a_database_that_is_not_empty_is_refused_without_merge(export):
    before = counts()
    with pytest.raises(CommandError) as error:
        call_command("restore", str(export))
    message = str(error.value)
    assert message.startswith("Cơ sở dữ liệu không trống (1 bài viết / articles")
    assert "--merge" in message
    assert counts() == before
