"""`python -m toasoan import-text`: the seed and broken files, through the real command."""

from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command

from toasoan.news.models import Article

GOOD = "Tin tốt\nThứ 2, 22.07.2019 | 08:00:00\n12 lượt xem\nMột đoạn.\nMinh Thu\n"


def run_import(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import_text", *map(str, args), stdout=out, stderr=err)
        failed = None
    except CommandError as exc:
        failed = str(exc)
    return out.getvalue(), err.getvalue(), failed


@pytest.mark.django_db
def test_seed_article_imports_as_the_portal_shows_it(seed_article_path, section):
    out, err, failed = run_import(seed_article_path, "--section", section.pk)
    assert failed is None, err
    article = Article.objects.get()
    assert article.title == (
        "Sơ kết công tác đấu tranh chống âm mưu diễn biến hòa bình "
        "và công tác thông tin đối ngoại"
    )
    assert article.published_at == datetime(2019, 7, 26, 10, 30, 59, tzinfo=UTC)
    assert article.published_at.isoformat() != ""  # stored aware
    assert article.view_count == 264
    assert article.video.original_filename == "72619_OHAI1.mp4"
    assert not article.video.has_file
    assert article.byline_names == ["Cao Biền"]
    assert (article.legacy_id, article.legacy_section_id) == (47082, 46)
    assert article.legacy_url.startswith("/tin-tuc/46/47082/so-ket-cong-tac")
    assert article.live and article.live_revision_id
    source = seed_article_path.read_text(encoding="utf-8")
    for paragraph in [line.strip() for line in source.splitlines() if len(line) > 200]:
        assert paragraph in _body_text(article)
    for mark in (
        "“Diễn biến hòa bình”",
        "quốc phòng – an ninh",
        "nông thôn mới…",
        "./.",
    ):
        assert mark in _body_text(article)


def _body_text(article):
    import html

    return html.unescape(article.body)


@pytest.mark.django_db
def test_reimporting_updates_instead_of_duplicating(
    seed_article_path, section, tmp_path
):
    run_import(seed_article_path, "--section", section.pk)
    article = Article.objects.get()
    article.keywords.add("Thái Bình")
    article.save()
    # The same file again changes nothing: no new revision, the editor's keyword kept.
    out, _, failed = run_import(seed_article_path, "--section", section.pk)
    assert failed is None
    assert "0 mới / new, 0 cập nhật / updated, 1 không đổi / unchanged" in out
    article = Article.objects.get()
    assert [k.name for k in article.keywords.all()] == ["Thái Bình"]
    assert article.revisions.count() == 1
    # The old portal corrected its title: the article is updated, not doubled.
    corrected = tmp_path / seed_article_path.name
    text = seed_article_path.read_text(encoding="utf-8")
    corrected.write_text(text.replace("Sơ kết", "Tổng kết", 1), encoding="utf-8")
    out, _, failed = run_import(corrected, "--section", section.pk)
    assert failed is None
    assert "0 mới / new, 1 cập nhật / updated" in out
    article = Article.objects.get()
    assert article.title.startswith("Tổng kết công tác")
    assert [k.name for k in article.keywords.all()] == ["Thái Bình"]
    assert article.revisions.count() == 2
    assert article.live_revision == article.latest_revision


@pytest.mark.django_db
def test_a_folder_imports_good_files_and_reports_bad_ones(tmp_path, section):
    (tmp_path / "a-1.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b-2.txt").write_bytes(
        b"Ti\xeau \xf0\xea\nTh\xf5 2, 22.07.2019\n"
    )  # cp1258
    (tmp_path / "c-3.txt").write_text(
        "Tiêu đề\nngày mai\nNội dung.\n", encoding="utf-8"
    )
    (tmp_path / "d-4.txt").write_text("", encoding="utf-8")
    (tmp_path / "e-5.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    out, err, failed = run_import(tmp_path, "--section", section.pk)
    assert failed == "4 tệp không nhập được / files failed"
    assert Article.objects.get().title == "Tin tốt"
    assert f"{tmp_path / 'b-2.txt'}:1: không phải UTF-8" in err
    assert f"{tmp_path / 'c-3.txt'}:2: không đọc được ngày giờ" in err
    assert f"{tmp_path / 'd-4.txt'}:1: tệp rỗng / empty file" in err
    assert f"{tmp_path / 'e-5.txt'}:3: tệp nhị phân" in err
    assert "1 mới / new" in out


@pytest.mark.django_db
def test_a_50_megabyte_file_is_refused_without_reading_it(tmp_path, section):
    huge = tmp_path / "huge-9.txt"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    _, err, failed = run_import(huge, "--section", section.pk)
    assert failed
    assert "tệp quá lớn / file too large" in err
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_dry_run_stores_nothing(seed_article_path, section):
    out, _, failed = run_import(seed_article_path, "--section", section.pk, "--dry-run")
    assert failed is None
    assert "dry run" in out
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_a_failure_while_saving_leaves_nothing_half_written(
    tmp_path, section, monkeypatch
):
    (tmp_path / "x-7.txt").write_text(
        GOOD.replace("Minh Thu", "Minh Thu\n• Từ khóa: a")
    )
    from wagtail.models import Revision

    from toasoan.importers import services
    from toasoan.news import models

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    # The last step of a batch fails: the article, its keyword, byline and
    # revision, all written before it, go too.
    monkeypatch.setattr(services, "index_articles", explode)
    revisions = Revision.objects.count()  # the section's own
    with pytest.raises(RuntimeError):
        run_import(tmp_path / "x-7.txt", "--section", section.pk)
    assert Article.objects.count() == 0
    assert models.Keyword.objects.count() == 0
    assert models.Byline.objects.count() == 0
    assert Revision.objects.count() == revisions


@pytest.mark.django_db
def test_unknown_section_and_missing_files_fail_clearly(tmp_path, section):
    _, _, failed = run_import(tmp_path / "nope.txt", "--section", 999999)
    assert failed == "không có chuyên mục 999999 / no section with id 999999"
    _, err, failed = run_import(tmp_path / "nope.txt", "--section", section.pk)
    assert "không đọc được tệp / cannot read file" in err
    assert failed


@pytest.mark.django_db
def test_same_file_name_in_another_section_is_another_article(tmp_path, make_section):
    first, second = make_section("Mục A"), make_section("Mục B")  # no legacy ids
    path = tmp_path / "tin-7.txt"
    path.write_text(GOOD, encoding="utf-8")
    run_import(path, "--section", first.pk)
    run_import(path, "--section", second.pk)
    assert sorted(a.section.title for a in Article.objects.all()) == ["Mục A", "Mục B"]
    run_import(path, "--section", second.pk)
    assert Article.objects.count() == 2


@pytest.mark.django_db
def test_bylines_keep_the_order_of_the_author_line(tmp_path, section):
    path = tmp_path / "tin-8.txt"
    path.write_text(GOOD.replace("Minh Thu", "Minh Thu, Cao Biền, An Nhiên"))
    run_import(path, "--section", section.pk)
    article = Article.objects.get()
    assert [b.sort_order for b in article.bylines.all()] == [0, 1, 2]
    assert article.byline_names == ["Minh Thu", "Cao Biền", "An Nhiên"]
