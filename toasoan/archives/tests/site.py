"""A small Vietnamese newsroom with one of everything an export must carry, and
the ways to empty a test database and compare two exports."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from conftest import vn_time

PASSWORD = "Mật-khẩu-đủ-dài-2026"


def build_site(section, make_section, make_article, make_image, make_video) -> dict:
    """Sections in a tree, authors and users in the newsroom's groups, an image
    and a video with their files, articles published (with several revisions),
    drafted, scheduled and withdrawn, keywords, related articles, views,
    redirects, the outlet's settings and an editorial comment. Returns what the
    tests look for afterwards."""
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.models import Site

    from toasoan.audience.models import ArticleViewHour
    from toasoan.core.models import PressSettings
    from toasoan.news.models import Author, Byline, RelatedArticle
    from toasoan.newsroom.comments import post_comment
    from toasoan.newsroom.corrections import withdraw_article
    from toasoan.newsroom.roles import EDITOR, EDITOR_IN_CHIEF, REPORTER

    User = get_user_model()
    chief = User.objects.create_user(
        "tongbientap", password=PASSWORD, first_name="Lê", last_name="Thị Hồng"
    )
    chief.groups.add(Group.objects.get(name=EDITOR_IN_CHIEF))
    reporter = User.objects.create_user(
        "phongvien", password=PASSWORD, first_name="Nguyễn", last_name="Văn Đức"
    )
    reporter.groups.add(Group.objects.get(name=REPORTER))
    editor = User.objects.create_user("bientap", password=PASSWORD)
    editor.groups.add(Group.objects.get(name=EDITOR))
    User.objects.create_superuser("quantri", "qt@example.vn", PASSWORD)

    news = section  # conftest's "Thời sự", where make_article writes by default
    city = make_section("Đà Nẵng", parent=news, legacy_id=47)
    make_section("Kinh tế")

    photo = make_image("Ảnh lũ ở Hòa Vang", width=640, height=360)
    photo.description = "Nước lũ tràn qua cầu ở Hòa Vang"
    photo.save()
    photo.tags.add("lũ lụt", "Đà Nẵng")
    video = make_video("Bản tin 19 giờ")
    author = Author.objects.create(
        name="Trần Minh Hằng", role="Phóng viên", user=reporter, photo=photo
    )

    lead = make_article(
        "Đà Nẵng khẩn trương ứng phó bão số 3",
        section=city,
        keywords=["Đà Nẵng", "Bão số 3"],
        featured_image=photo,
        featured_image_alt="Nước lũ ở Hòa Vang",
        featured_image_credit="Ảnh: Minh Hằng",
        video=video,
        body=(
            "<p>Chiều 26.7, lực lượng cứu hộ đã có mặt ở Hòa Vang.</p>"
            f'<embed embedtype="image" id="{photo.pk}" format="fullwidth" '
            'alt="Cầu tràn"/>'
        ),
        legacy_id=47082,
        legacy_section_id=46,
        legacy_url="/tin-tuc/46/47082/da-nang-ung-pho-bao.html",
        view_count=11364,
        owner=reporter,
    )
    lead.bylines = [
        Byline(author=author, sort_order=0),
        Byline(name="Cao Biền", sort_order=1),
    ]
    lead.title = "Đà Nẵng khẩn trương ứng phó với bão số 3"
    lead.save_revision(user=chief).publish(user=chief)
    lead.refresh_from_db()
    other = make_article("Giá xăng giảm lần thứ ba liên tiếp", section=news)
    lead.related_links = [RelatedArticle(target=other, sort_order=0)]
    lead.correction_note = "Sửa số người sơ tán: 1.200, không phải 12.000."
    lead.save_revision(user=chief).publish(user=chief)
    lead.refresh_from_db()
    lead.body = lead.body.replace("cứu hộ", "cứu hộ, cứu nạn")
    lead.save_revision(user=reporter)  # a later draft on top of the live one
    lead.refresh_from_db()

    draft = make_article("Bản nháp: mưa lớn ở Quảng Nam", publish=False)
    scheduled = make_article(
        "Lịch cắt điện ngày mai",
        go_live_at=timezone.now() + timedelta(days=2),
        published_at=timezone.now() + timedelta(days=2),
    )
    withdrawn = make_article("Tin sai về giá vàng", section=news)
    withdraw_article(withdrawn, chief, "Thông tin chưa được kiểm chứng.")

    for hour, views in ((8, 120), (9, 342), (10, 7)):
        ArticleViewHour.objects.create(
            article=lead, hour=vn_time(2026, 11, 2, hour), views=views
        )
    ArticleViewHour.objects.create(article=other, hour=vn_time(2026, 11, 2, 9), views=5)
    site = Site.objects.get(is_default_site=True)
    Redirect.objects.create(old_path="/tin-tuc/46/47082", site=site, redirect_page=city)
    Redirect.objects.create(
        old_path="/?p=123", redirect_link="https://example.vn/bai-cu.html"
    )
    PressSettings.objects.update_or_create(
        site=site,
        defaults={
            "outlet_name": "Báo điện tử Đài Phát thanh và Truyền hình Đà Nẵng",
            "short_name": "DRT",
            "governing_agency": "UBND thành phố Đà Nẵng",
            "licence_number": "123/GP-BTTTT",
            "licence_date": vn_time(2019, 7, 26).date(),
            "licence_issuer": "Bộ Thông tin và Truyền thông",
            "editor_in_chief": "Lê Thị Hồng",
            "address": "70 Lê Duẩn, Hải Châu, Đà Nẵng",
            "phone": "0236 3822 111",
            "email": "toasoan@example.vn",
            "logo": photo,
        },
    )
    post_comment(lead, editor, "@tongbientap xem giúp số liệu sơ tán nhé")
    return {
        "lead": lead,
        "other": other,
        "draft": draft,
        "scheduled": scheduled,
        "withdrawn": withdrawn,
        "photo": photo,
        "photo_bytes": default_storage.open(photo.file.name).read(),
        "video": video,
        "city": city,
    }


def counts() -> dict[str, int]:
    """How many of each thing the site has, as a user of the admin would count."""
    from django.apps import apps

    labels = [
        "news.Article", "news.SectionPage", "news.HomePage", "news.Author",
        "news.Keyword", "news.Byline", "news.ArticleKeyword", "news.RelatedArticle",
        "wagtailimages.Image", "videos.Video", "wagtailcore.Revision",
        "audience.ArticleViewHour", "wagtailredirects.Redirect", "core.PressSettings",
        "wagtailcore.Site", "auth.User", "auth.Group", "newsroom.EditorialComment",
        "wagtailcore.ModelLogEntry", "wagtailcore.PageLogEntry",
        "wagtailcore.GroupCollectionPermission",
    ]  # fmt: skip
    return {label: apps.get_model(label).objects.count() for label in labels}


def empty_database() -> None:
    """What a new server has after ``migrate``: Django's flush empties every
    table (post_migrate then makes content types and permissions again, under
    other ids), and conftest rebuilds what the migrations made."""
    from wagtail.models import PageLogEntry

    from conftest import _rebuild_site_after_flush

    call_command("flush", interactive=False, verbosity=0)
    _rebuild_site_after_flush()
    # Wagtail logs the pages made here as created; migrate's pages are not.
    PageLogEntry.objects.all().delete()


def tree(directory: Path) -> dict[str, bytes]:
    """Every file of a directory by its relative path, with its bytes."""
    return {
        path.relative_to(directory).as_posix(): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }
