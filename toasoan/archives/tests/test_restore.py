"""A whole site exported, restored into an empty database and exported again."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from toasoan.archives.tests.site import (
    PASSWORD,
    build_site,
    counts,
    empty_database,
    tree,
)


@pytest.fixture
def fresh_media(settings, tmp_path):
    """The restored server's own, empty media folder."""

    def switch() -> Path:
        settings.MEDIA_ROOT = tmp_path / "media-after"
        return settings.MEDIA_ROOT

    return switch


def _group_permissions() -> dict[str, list[str]]:
    return {
        group.name: sorted(
            f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()
        )
        for group in Group.objects.all()
    }


@pytest.mark.django_db(transaction=True)
def test_site_comes_back_whole_and_exports_to_the_same_bytes(
    client,
    tmp_path,
    fresh_media,
    section,
    make_section,
    make_article,
    make_image,
    make_video,
):
    site = build_site(section, make_section, make_article, make_image, make_video)
    before = counts()
    permissions = _group_permissions()
    pages = {
        "lead": site["lead"].get_absolute_url(),
        "other": site["other"].get_absolute_url(),
        "withdrawn": site["withdrawn"].get_absolute_url(),
        "draft": site["draft"].get_absolute_url(),
        "scheduled": site["scheduled"].get_absolute_url(),
    }
    lead_page = client.get(pages["lead"]).content.decode()
    assert "cứu hộ, cứu nạn" not in lead_page  # the later draft is not live
    first = tmp_path / "ban-xuat-1"
    call_command("export", str(first))

    empty_database()
    media_root = fresh_media()
    call_command("restore", str(first))

    assert counts() == before
    assert _group_permissions() == permissions
    # Readers find the same pages at the same addresses.
    page = client.get(pages["lead"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "Đà Nẵng khẩn trương ứng phó với bão số 3" in text
    assert "lực lượng cứu hộ đã có mặt ở Hòa Vang" in text
    assert "cứu hộ, cứu nạn" not in text
    assert "Sửa số người sơ tán" in text
    assert "Cao Biền" in text and "Trần Minh Hằng" in text
    assert "Giá xăng giảm lần thứ ba liên tiếp" in text  # related
    assert client.get(pages["other"]).status_code == 200
    withdrawn = client.get(pages["withdrawn"])
    assert withdrawn.status_code == 410
    assert "Thông tin chưa được kiểm chứng." in withdrawn.content.decode()
    assert client.get(pages["draft"]).status_code == 404
    assert client.get(pages["scheduled"]).status_code == 404
    section = client.get("/thoi-su/da-nang/")
    assert section.status_code == 200
    assert "Đà Nẵng khẩn trương ứng phó với bão số 3" in section.content.decode()
    assert (
        "Báo điện tử Đài Phát thanh và Truyền hình Đà Nẵng" in section.content.decode()
    )
    found = client.get("/api/search", {"q": "bao so 3"}).json()
    assert [hit["id"] for hit in found["results"]] == [site["lead"].pk]
    assert client.get("/tin-tuc/46/47082").status_code == 301

    # The article, its history and its figures.
    from toasoan.news.models import Article

    lead = Article.objects.get(pk=site["lead"].pk)
    assert lead.view_count == 11364
    assert lead.view_hours.count() == 3
    assert sorted(k.name for k in lead.keywords.all()) == ["Bão số 3", "Đà Nẵng"]
    assert lead.revisions.count() == site["lead"].revisions.count() == 4
    assert "cứu hộ, cứu nạn" in lead.latest_revision.content["body"]
    assert lead.has_unpublished_changes  # the later draft
    assert lead.latest_revision != lead.live_revision
    assert lead.editorial_comments.get().mentions.get().username == "tongbientap"
    scheduled = Article.objects.get(pk=site["scheduled"].pk)
    assert not scheduled.live
    assert scheduled.latest_revision.approved_go_live_at == site["scheduled"].go_live_at

    # Files: the image's original bytes, the video and what processing made.
    photo = lead.featured_image
    assert (media_root / photo.file.name).read_bytes() == site["photo_bytes"]
    assert default_storage.exists(lead.video.file.name)
    assert default_storage.exists(lead.video.poster.name)
    assert lead.video.is_ready

    # People: the same accounts and groups, no usable password.
    User = get_user_model()
    reporter = User.objects.get(username="phongvien")
    assert reporter.first_name == "Nguyễn"
    assert [g.name for g in reporter.groups.all()] == ["Phóng viên"]
    assert reporter.author_profile.name == "Trần Minh Hằng"
    assert not reporter.has_usable_password()
    assert not client.login(username="quantri", password=PASSWORD)
    assert User.objects.get(username="quantri").is_superuser

    second = tmp_path / "ban-xuat-2"
    call_command("export", str(second))
    again, before_files = tree(second), tree(first)
    assert sorted(again) == sorted(before_files)
    for name, content in before_files.items():
        assert again[name] == content, name

    # New work after the restore gets new ids (PostgreSQL's sequences moved).
    newer = make_article("Bài viết sau khi phục hồi", section=lead.section)
    assert newer.pk > max(site[k].pk for k in ("lead", "other", "draft", "withdrawn"))


@pytest.mark.django_db(transaction=True)
def test_passwords_come_back_only_when_exported(
    client,
    tmp_path,
    fresh_media,
    section,
    make_section,
    make_article,
    make_image,
    make_video,
):
    build_site(section, make_section, make_article, make_image, make_video)
    export = tmp_path / "voi-mat-khau"
    call_command("export", str(export), "--with-passwords")
    empty_database()
    fresh_media()
    call_command("restore", str(export))
    assert client.login(username="quantri", password=PASSWORD)
    assert get_user_model().objects.get(username="phongvien").check_password(PASSWORD)


@pytest.mark.django_db(transaction=True)
def test_a_failure_midway_leaves_nothing(
    tmp_path,
    fresh_media,
    section,
    make_section,
    make_article,
    make_image,
    make_video,
    monkeypatch,
):
    from toasoan.archives import restore_content

    build_site(section, make_section, make_article, make_image, make_video)
    export = tmp_path / "ban-xuat"
    call_command("export", str(export))
    empty_database()
    empty = counts()
    media_root = fresh_media()

    def disk_full(self):
        assert any(media_root.rglob("*.jpg"))  # media were written by now
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(restore_content, "restore_comments", disk_full)
    with pytest.raises(CommandError) as error:
        call_command("restore", str(export))
    assert str(error.value).startswith("Phục hồi thất bại")
    assert "nothing was written" in str(error.value)
    assert counts() == empty
    assert [p for p in media_root.rglob("*") if p.is_file()] == []
    assert [p.name for p in media_root.iterdir() if p.name.startswith(".")] == []


def test_merge_adds_what_is_missing_and_changes_nothing_else(
    tmp_path, section, make_article, make_image
):
    from toasoan.news.models import Article

    image = make_image("Ảnh cầu Rồng")
    kept = make_article("Cầu Rồng phun lửa", featured_image=image, keywords=["Đà Nẵng"])
    lost = make_article("Pháo hoa quốc tế Đà Nẵng", keywords=["Đà Nẵng", "Lễ hội"])
    lost.title = "Pháo hoa quốc tế Đà Nẵng 2026"
    lost.save_revision().publish()
    export = tmp_path / "ban-xuat"
    call_command("export", str(export))
    before = counts()

    # After the export: one article is edited, one is deleted with its history.
    Article.objects.filter(pk=kept.pk).update(title="Cầu Rồng phun lửa, phun nước")
    lost_url = Article.objects.get(pk=lost.pk).get_absolute_url()
    lost_revisions = lost.revisions.count()
    lost.revisions.all().delete()
    Article.objects.filter(pk=lost.pk).delete()

    call_command("restore", str(export), "--merge")
    assert counts() == before
    assert Article.objects.get(pk=kept.pk).title == "Cầu Rồng phun lửa, phun nước"
    back = Article.objects.get(pk=lost.pk)  # its id was free: it keeps it
    assert back.get_absolute_url() == lost_url
    assert back.revisions.count() == lost_revisions == 2
    assert sorted(k.name for k in back.keywords.all()) == ["Lễ hội", "Đà Nẵng"]

    # A second time, nothing is left to add.
    call_command("restore", str(export), "--merge")
    assert counts() == before


def test_merge_gives_a_new_id_when_the_old_one_is_taken(
    client, tmp_path, section, make_article, make_image
):
    from toasoan.news.models import Article

    image = make_image("Ảnh cầu Rồng")
    body = (
        f'<p>Ảnh:</p><embed embedtype="image" id="{image.pk}" format="left" alt="Cầu"/>'
    )
    original = make_article("Cầu Rồng phun lửa", featured_image=image, body=body)
    original.title = "Cầu Rồng phun lửa đêm giao thừa"
    original.save_revision().publish()
    export = tmp_path / "ban-xuat"
    call_command("export", str(export))
    old_id = original.pk
    original.revisions.all().delete()
    Article.objects.filter(pk=old_id).delete()
    squatter = make_article("Một bài khác", id=old_id)

    call_command("restore", str(export), "--merge")
    assert Article.objects.get(pk=old_id).title == squatter.title
    back = Article.objects.get(translation_key=original.translation_key)
    assert back.pk != old_id
    assert back.featured_image == image
    assert back.bylines.get().article_id == back.pk
    revisions = list(back.revisions.order_by("pk"))
    assert len(revisions) == 2
    assert back.live_revision == revisions[-1]
    for revision in revisions:
        assert revision.content["pk"] == back.pk
        assert revision.content["bylines"][0]["article"] == back.pk
        assert revision.as_object().pk == back.pk
    page = client.get(back.get_absolute_url())
    assert page.status_code == 200
    assert "Cầu Rồng phun lửa đêm giao thừa" in page.content.decode()
    # Publishing an old revision again touches only this article's rows.
    revisions[0].publish()
    assert Article.objects.get(pk=old_id).title == squatter.title
    assert Article.objects.get(pk=back.pk).title == "Cầu Rồng phun lửa"
