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


# The backup drill (test_backup_drill.py) runs these inside a site's own process
# (`python -m toasoan shell -c ...`), on the site's own database and media.

READER = "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 Mobile"
NOT_FOR_READERS = ("/admin/", "/api/", "/media/", "/static/", "/tim-kiem/", "/django-")


def read_articles(readers: int) -> int:
    """``readers`` readers, each from an address of their own, open the first
    articles of the home page: the beacons the article page sends. Returns how
    many beacons were answered 204."""
    from django.test import Client

    from toasoan.news.models import Article

    answered = 0
    articles = list(Article.objects.published().order_by("-published_at")[:5])
    for n in range(readers):
        client = Client(HTTP_HOST="localhost", HTTP_USER_AGENT=READER,
                        REMOTE_ADDR=f"113.160.{n // 250}.{n % 250 + 1}")  # fmt: skip
        for article in articles[: 1 + n % len(articles)]:
            answered += client.post(f"/api/views/{article.pk}").status_code == 204
    return answered


def snapshot_site(out: str, login: tuple[str, str] | None = None) -> None:
    """What readers and the newsroom see, as JSON in ``out``: every page a reader
    reaches by following links from the home page (its status and HTML), view
    counts per article and per hour, users and groups, and every media file's
    SHA-256; with ``login``, whether that account can log in."""
    import hashlib
    import json
    import re
    from urllib.parse import urljoin, urlsplit

    import lxml.html
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from toasoan.audience.models import ArticleViewHour
    from toasoan.news.models import Article

    client = Client(HTTP_HOST="localhost", HTTP_USER_AGENT=READER)
    pages: dict[str, list] = {}
    waiting = ["/"]
    while waiting:
        url = waiting.pop(0)
        if url in pages:
            continue
        response = client.get(url)
        body = response.content.decode("utf-8", "replace")
        pages[url] = [response.status_code, body]
        if "html" not in response.get("Content-Type", "") or not body.strip():
            continue
        for href in lxml.html.fromstring(body).xpath("//a/@href | //link/@href"):
            parts = urlsplit(urljoin(f"http://localhost{url}", href))
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.netloc == "localhost" and not path.startswith(NOT_FOR_READERS):
                waiting.append(path)
    # A request's own values, not the site's: CSRF tokens and CSP nonces; and a
    # feed without items, whose time of update is the time of the request.
    volatile = re.compile(r'(csrfmiddlewaretoken" value=|nonce=)"[^"]*"')
    feed_now = re.compile(r"<(updated|lastBuildDate)>[^<]*</")
    for page in pages.values():
        page[1] = volatile.sub(r'\1"…"', page[1])
        if "<feed" in page[1] or "<rss" in page[1]:
            if "<entry>" not in page[1] and "<item>" not in page[1]:
                page[1] = feed_now.sub(r"<\1>…</", page[1])

    media = Path(settings.MEDIA_ROOT)
    User = get_user_model()
    snapshot = {
        "pages": pages,
        "view_counts": sorted(Article.objects.values_list("pk", "view_count")),
        "view_hours": [
            [article, hour.isoformat(), views]
            for article, hour, views in ArticleViewHour.objects.order_by(
                "article", "hour"
            ).values_list("article", "hour", "views")
        ],
        "users": [
            [
                u.username,
                u.password,
                u.email,
                u.first_name,
                u.last_name,
                u.is_active,
                u.is_staff,
                u.is_superuser,
                sorted(g.name for g in u.groups.all()),
            ]
            for u in User.objects.order_by("username")
        ],  # fmt: skip
        "groups": {
            group.name: sorted(
                f"{p.content_type.app_label}.{p.codename}"
                for p in group.permissions.all()
            )
            for group in Group.objects.all()
        },
        "media": {
            path.relative_to(media).as_posix(): hashlib.sha256(
                path.read_bytes()
            ).hexdigest()
            for path in sorted(media.rglob("*"))
            if path.is_file()
        },
        "login": Client().login(username=login[0], password=login[1])
        if login
        else None,
    }
    Path(out).write_text(json.dumps(snapshot, ensure_ascii=False), "utf-8")
