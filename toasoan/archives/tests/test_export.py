"""python -m toasoan export: the files it writes, and how it fails."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

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


PAGE = 4096  # tmpfs gives each file whole pages


@pytest.fixture
def export_sizes(newsroom, make_image, tmp_path):
    """The newsroom with a photo too noisy to compress (~400 KB), and how much
    room its export takes: each records file, and the media."""
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    buffer = BytesIO()
    PILImage.effect_noise((640, 640), 90).convert("RGB").save(buffer, "JPEG")
    get_image_model().objects.create(
        title="Ảnh nhiễu", file=ImageFile(buffer, name="anh-nhieu.jpg")
    )
    call_command("export", str(tmp_path / "do-kich-thuoc"))
    files = {name: len(content) for name, content in tree(tmp_path / "do-kich-thuoc")
             .items()}  # fmt: skip
    records = [size for name, size in files.items() if not name.startswith("media/")]
    return {
        "largest_records_file": max(records),
        "records_space": sum(-(-size // PAGE) * PAGE for size in records),
        "media": sum(size for name, size in files.items() if name.startswith("media/")),
    }


def _export_on_a_full_disk(small_disk, leave: int) -> str:
    small_disk.fill(leave=leave)
    target = small_disk.path / "ban-xuat"
    with pytest.raises(CommandError) as error:
        call_command("export", str(target))
    message = str(error.value)
    # The fallback's limit per file is EFBIG, "File too large": said as such.
    reason = "hết chỗ trên đĩa / no space left on the disk"
    assert message == (
        f"Không ghi được bản xuất {target}: "
        f"{reason if small_disk.mounted else 'File too large'}; "
        "không để lại gì / cannot write the export, nothing was left behind"
    )
    # Neither the target nor the hidden directory it was being written in.
    assert [p for p in small_disk.path.iterdir() if p.name != small_disk.FILLER] == []
    return message


def test_a_disk_that_fills_up_while_records_are_written_keeps_no_export(
    export_sizes, small_disk
):
    # Room for some of the records files: half of them on the tmpfs; under the
    # fallback (a limit per file), half of the largest one.
    if small_disk.mounted:
        leave = export_sizes["records_space"] // 2
    else:
        leave = export_sizes["largest_records_file"] // 2
    _export_on_a_full_disk(small_disk, leave)


def test_a_disk_that_fills_up_while_media_are_copied_keeps_no_export(
    export_sizes, small_disk
):
    assert export_sizes["media"] > 2 * export_sizes["records_space"]
    _export_on_a_full_disk(
        small_disk, export_sizes["records_space"] + export_sizes["media"] // 2
    )
    small_disk.empty()  # room again: the same command writes the whole export
    call_command("export", str(small_disk.path / "ban-xuat"))
    assert (small_disk.path / "ban-xuat" / "manifest.json").is_file()


def test_restore_refuses_a_half_written_export(db, tmp_path):
    """What an export killed midway (kill -9: no clean-up runs) leaves: its
    hidden directory, without the manifest, which is written last."""
    from toasoan.archives.restore import database_contents

    call_command("export", str(tmp_path / "ban-xuat"))
    half = tmp_path / ".ban-xuat.k9x2"
    (tmp_path / "ban-xuat").rename(half)
    (half / "manifest.json").unlink()
    with pytest.raises(CommandError) as error:
        call_command("restore", str(half))
    assert str(error.value) == (
        f"{half} không phải một bản xuất của toasoan (không có manifest.json) / not "
        "a toasoan export: no manifest.json. Không ghi gì / nothing was written"
    )
    assert database_contents() == {}
