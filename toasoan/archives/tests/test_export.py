"""python -m toasoan export: the files it writes, and how it fails."""

import errno
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from toasoan.archives import format as fmt
from toasoan.archives import schema
from toasoan.archives.tests.site import PASSWORD, tree


@pytest.fixture
def newsroom(db, make_article, make_image):
    from django.contrib.auth import get_user_model

    image = make_image("Ảnh cầu Rồng")
    make_article("Cầu Rồng phun lửa đêm giao thừa", featured_image=image)
    make_article("Bản nháp chưa đăng", publish=False)
    get_user_model().objects.create_user("phongvien", password=PASSWORD)
    return image


def test_export_lists_every_file_with_its_checksum(newsroom, tmp_path):
    target = tmp_path / "ban-xuat"
    call_command("export", str(target))
    files = tree(target)
    manifest = json.loads(files.pop("manifest.json"))
    assert manifest["format"] == "toasoan-export"
    assert manifest["format_version"] == 1
    assert manifest["with_passwords"] is False
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert set(listed) == set(files)
    assert set(schema.SCHEMAS) <= set(listed)
    assert f"media/{newsroom.file.name}" in listed
    for path, content in files.items():
        assert listed[path]["bytes"] == len(content)
        if path.endswith(".jsonl"):
            assert listed[path]["lines"] == content.count(b"\n")
    # No moment of export anywhere: the same site gives the same bytes.
    assert "exported" not in json.dumps(manifest)
    again = tmp_path / "ban-xuat-lan-2"
    call_command("export", str(again))
    assert tree(again) == tree(target)


def test_lines_are_readable_utf8_with_sorted_keys_and_utc_times(newsroom, tmp_path):
    target = tmp_path / "ban-xuat"
    call_command("export", str(target))
    articles = (target / "articles.jsonl").read_text("utf-8")
    assert "Cầu Rồng phun lửa đêm giao thừa" in articles  # not \u-escaped
    for line in articles.splitlines():
        record = json.loads(line)
        assert list(record) == sorted(record)
        assert record["published_at"].endswith("Z")
    users = [json.loads(line) for line in (target / "users.jsonl").open()]
    assert users[0]["username"] == "phongvien"
    assert users[0]["password"] is None


def test_password_hashes_only_when_asked(newsroom, tmp_path):
    target = tmp_path / "ban-xuat"
    call_command("export", str(target), "--with-passwords")
    user = json.loads((target / "users.jsonl").read_text("utf-8"))
    assert user["password"].startswith("md5$")  # the tests' hasher
    assert json.loads((target / "manifest.json").read_text())["with_passwords"]


def test_the_day_secrets_of_readers_are_never_exported(newsroom, tmp_path):
    from django.utils import timezone

    from toasoan.audience.models import ReaderKeySecret

    secret = b"bi-mat-cua-ngay-\x00\xff"
    ReaderKeySecret.objects.create(day=timezone.localdate(), secret=secret)
    target = tmp_path / "ban-xuat"
    call_command("export", str(target))
    for content in tree(target).values():
        assert secret not in content
        assert b"bi-mat" not in content


def test_a_directory_that_is_not_empty_is_refused(newsroom, tmp_path):
    target = tmp_path / "co-san"
    target.mkdir()
    (target / "ghi-chu.txt").write_text("đừng xóa")
    with pytest.raises(CommandError) as error:
        call_command("export", str(target))
    assert str(error.value).startswith(f"{target} đã có và không trống")
    assert "not empty" in str(error.value)
    assert [p.name for p in target.iterdir()] == ["ghi-chu.txt"]
    empty = tmp_path / "trong"
    empty.mkdir()
    call_command("export", str(empty))
    assert (empty / "manifest.json").is_file()


def test_a_full_disk_leaves_no_partial_export(newsroom, tmp_path, monkeypatch):
    written = []

    def fill_up(self, record):
        if len(written) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(record)

    monkeypatch.setattr(fmt.JsonlWriter, "write", fill_up)
    target = tmp_path / "ban-xuat"
    with pytest.raises(CommandError) as error:
        call_command("export", str(target))
    message = str(error.value)
    assert message.startswith(f"Không ghi được bản xuất {target}: hết chỗ trên đĩa")
    assert "\n" not in message and "Traceback" not in message
    assert list(tmp_path.iterdir()) == []  # neither the target nor a temporary one


def test_a_full_disk_while_copying_media_leaves_nothing(
    newsroom, tmp_path, monkeypatch
):
    def fill_up(source, target):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"\0" * 10)  # half a file, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fmt, "copy_file", fill_up)
    with pytest.raises(CommandError, match="hết chỗ trên đĩa"):
        call_command("export", str(tmp_path / "ban-xuat"))
    assert list(tmp_path.iterdir()) == []
