"""The format's rules on their own: paths, values, lines, the schema."""

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from toasoan.archives import format as fmt
from toasoan.archives import schema
from toasoan.archives.remap import remap_rich_text

DOC = Path(__file__).resolve().parents[3] / "docs" / "export-format.md"


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd",
        "/etc/passwd",
        "media/../../etc/passwd",
        "original_images/../../x.jpg",
        "a//b.jpg",
        "./a.jpg",
        "C:\\Windows\\x.jpg",
        "a\\..\\b.jpg",
        "a/\x00b.jpg",
        "",
        None,
        42,
    ],
)
def test_paths_that_leave_the_directory_are_refused(name):
    with pytest.raises(fmt.FormatError) as error:
        fmt.safe_relative_path(name)
    assert " / " in str(error.value)


def test_ordinary_media_names_are_accepted():
    for name in ("original_images/ảnh-hội-nghị.jpg", "videos/12/hls/360p_000.ts"):
        assert str(fmt.safe_relative_path(name)) == name
    assert fmt.media_path("poster.jpg") == "media/poster.jpg"


def test_datetimes_are_utc_with_a_z():
    vietnam = timezone(timedelta(hours=7))
    moment = datetime(2019, 7, 26, 17, 30, 59, tzinfo=vietnam)
    assert fmt.encode_datetime(moment) == "2019-07-26T10:30:59Z"
    assert fmt.decode_datetime("2019-07-26T10:30:59Z") == moment
    precise = datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=UTC)
    assert fmt.decode_datetime(fmt.encode_datetime(precise)) == precise
    assert fmt.encode_datetime(None) is None
    for bad in ("26.07.2019", "2019-07-26", "2019-07-26T10:30:59", 3):
        with pytest.raises(ValueError):
            fmt.decode_datetime(bad)
    with pytest.raises(ValueError):
        fmt.encode_datetime(datetime(2019, 7, 26))


def test_a_line_is_sorted_compact_utf8_json():
    line = fmt.dump_line({"title": "Đà Nẵng", "id": 1, "a": [2, 1]})
    assert line == '{"a":[2,1],"id":1,"title":"Đà Nẵng"}\n'.encode()
    # A line separator inside a string stays inside its line.
    assert fmt.dump_line({"t": "a\u2028b"}).count(b"\n") == 1
    with pytest.raises(ValueError):
        fmt.dump_line({"x": float("nan")})


def test_records_are_checked_against_their_schema(tmp_path):
    good = {"id": 1, "name": "Đà Nẵng", "slug": "da-nang"}
    cases = {
        b'{"id":1,"name":"x"}\n': "slug",
        b'{"id":"1","name":"x","slug":"x"}\n': "id",
        b'{"id":1,"name":"x","slug":"x","extra":1}\n': "extra",
        b'{"id":1,"id":2,"name":"x","slug":"x"}\n': "JSON",
        b"[1,2]\n": "object",
        b'{"id":1,"name":"\xc4","slug":"x"}\n': "UTF-8",
        b'{"id":1,"name":"x","slug":"x"}': "cắt",
    }
    path = tmp_path / "keywords.jsonl"
    path.write_bytes(fmt.dump_line(good))
    assert [r for _n, r in fmt.read_jsonl(path, "keywords.jsonl")] == [good]
    for content, word in cases.items():
        path.write_bytes(fmt.dump_line(good) + content)
        with pytest.raises(fmt.FormatError) as error:
            list(fmt.read_jsonl(path, "keywords.jsonl"))
        assert "keywords.jsonl, dòng 2" in str(error.value)
        assert word in str(error.value)


def test_rich_text_ids_follow_their_records():
    html = (
        '<p><a linktype="page" id="4">chuyên mục</a> <a href="/x" id="4">x</a></p>'
        '<embed embedtype="image" format="left" id="7" alt="id=&quot;7&quot;"/>'
        '<a id="3" linktype="document">tài liệu</a>'
    )
    table = {("pages", 4): 40, ("images", 7): 70}
    remapped = remap_rich_text(html, lambda kind, old: table.get((kind, old)))
    assert remapped == (
        '<p><a linktype="page" id="40">chuyên mục</a> <a href="/x" id="4">x</a></p>'
        '<embed embedtype="image" format="left" id="70" alt="id=&quot;7&quot;"/>'
        '<a id="3" linktype="document">tài liệu</a>'
    )


def test_the_documentation_names_every_file_and_field():
    text = DOC.read_text("utf-8")
    for name, fields_of in schema.SCHEMAS.items():
        assert f"`{name}`" in text, name
        fields = set(fields_of)
        for value in fields_of.values():
            if isinstance(value, list) and isinstance(value[0], dict):
                fields |= set(value[0])
            if isinstance(value, schema.Optional):
                fields |= set(value.schema)
        for field in fields:
            assert f"`{field}`" in text, f"{name}: {field}"
