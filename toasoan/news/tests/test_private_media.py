"""Readers fetch only the media that published content shows: a draft's or a
withdrawn article's pictures and video answer 404 however their address is
guessed; staff fetch everything (previews). Embedded mode checks every /media/
request; production's nginx asks /api/media-access (README, "Private media")."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone

from toasoan.core.models import PressSettings
from toasoan.newsroom.corrections import withdraw_article
from toasoan.newsroom.roles import EDITOR_IN_CHIEF, REPORTER

pytestmark = pytest.mark.django_db


def fetch(client: Client, name: str) -> int:
    return client.get("/media/" + name).status_code


def asked_by_nginx(client: Client, uri: str) -> int:
    return client.get("/api/media-access", HTTP_X_ORIGINAL_URI=uri).status_code


@pytest.fixture
def chief(home):
    user = get_user_model().objects.create_user("tongbientap", password="x")
    user.groups.add(Group.objects.get(name=EDITOR_IN_CHIEF))
    return user


def test_a_drafts_picture_is_private_until_published_and_after_withdrawal(
    client, make_article, make_image, chief
):
    image = make_image()
    original = image.file.name
    rendition = image.get_rendition("fill-400x225").file.name
    draft = make_article("Bài chưa đăng", featured_image=image, publish=False)
    assert fetch(client, original) == 404
    assert fetch(client, rendition) == 404

    draft.save_revision().publish()
    assert fetch(client, original) == 200
    assert fetch(client, rendition) == 200

    withdraw_article(draft, chief, "Thông tin chưa chính xác")
    assert fetch(client, original) == 404
    assert fetch(client, rendition) == 404


def test_a_picture_in_a_published_body_is_public_in_a_draft_body_is_not(
    client, make_article, make_image
):
    shown, hidden = make_image("Ảnh đã đăng"), make_image("Ảnh nháp", 800, 600)
    embed = '<embed embedtype="image" id="{}" format="fullwidth" alt="Ảnh"/>'
    make_article("Bài có ảnh", body=f"<p>Mở đầu.</p>{embed.format(shown.pk)}")
    make_article("Bài nháp", body=embed.format(hidden.pk), publish=False)
    assert fetch(client, shown.file.name) == 200
    assert fetch(client, hidden.file.name) == 404


def test_a_later_draft_of_a_published_article_keeps_its_new_picture_private(
    client, make_article, make_image
):
    article = make_article("Bài đã đăng")
    new_picture = make_image("Ảnh cho bản sửa")
    article.featured_image = new_picture
    article.save_revision()  # a draft: readers still see the published version
    assert fetch(client, new_picture.file.name) == 404


def test_a_scheduled_articles_picture_waits_for_its_time(
    client, make_article, make_image
):
    image = make_image()
    make_article(
        "Bài hẹn giờ",
        featured_image=image,
        published_at=timezone.now() + timedelta(hours=2),
    )
    assert fetch(client, image.file.name) == 404


def test_an_upload_nothing_uses_is_private_and_the_sites_own_are_public(
    client, home, make_image
):
    loose = make_image("Ảnh chưa dùng")
    assert fetch(client, loose.file.name) == 404
    logo = make_image("Logo", 200, 200)
    press = PressSettings.for_site(home.get_site())
    press.logo = logo
    press.save()
    assert fetch(client, logo.file.name) == 200


def test_a_drafts_video_is_private_poster_mp4_and_hls_alike(
    client, make_article, make_video, chief
):
    video = make_video()
    segment = default_storage.save(
        f"videos/{video.pk}/hls/720p/000.ts", ContentFile(b"\x47" * 188)
    )
    names = [video.file.name, video.poster.name, video.web_mp4.name, segment]
    article = make_article("Bản tin chưa duyệt", video=video, publish=False)
    assert [fetch(client, n) for n in names] == [404] * 4

    article.save_revision().publish()
    assert [fetch(client, n) for n in names] == [200] * 4

    withdraw_article(article, chief, "Gỡ theo yêu cầu")
    assert [fetch(client, n) for n in names] == [404] * 4


def test_staff_fetch_drafts_media_for_previews(log_in_as, make_article, make_image):
    image = make_image()
    make_article("Bài nháp của phóng viên", featured_image=image, publish=False)
    reporter = log_in_as(REPORTER)
    response = reporter.get("/media/" + image.file.name)
    assert response.status_code == 200
    # Never kept by a shared cache (a CDN would hand it to readers).
    assert response["Cache-Control"] == "private, no-store"
    asked = reporter.get(
        "/api/media-access", HTTP_X_ORIGINAL_URI="/media/" + image.file.name
    )
    assert asked.status_code == 204
    assert asked["X-Media-Cache-Control"] == "private, no-store"


def test_nginx_asks_and_gets_204_or_403(client, make_article, make_image):
    public, private = make_image("Công khai"), make_image("Riêng", 800, 600)
    make_article("Bài có ảnh", featured_image=public)
    make_article("Bài nháp", featured_image=private, publish=False)
    asked = client.get(
        "/api/media-access", HTTP_X_ORIGINAL_URI="/media/" + public.file.name
    )
    assert asked.status_code == 204
    assert asked["X-Media-Cache-Control"] == "public, max-age=31536000"
    assert client.get("/media/" + public.file.name)["Cache-Control"] == (
        "public, max-age=31536000"
    )
    response = client.get(
        "/api/media-access", HTTP_X_ORIGINAL_URI="/media/" + private.file.name
    )
    assert response.status_code == 403
    assert response["Cache-Control"] == "private, no-store"
    # Percent-encoded, with a query string: nginx passes $request_uri as sent.
    name = public.file.name
    encoded = "/media/" + f"%{ord(name[0]):02X}" + name[1:] + "?v=2"
    assert asked_by_nginx(client, encoded) == 204


@pytest.mark.parametrize(
    "uri",
    [
        "",
        "/",
        "/media/",
        "/media/../toasoan/settings/base.py",
        "/media/../README.md",
        "/media/%2e%2e/%2e%2e/etc/passwd",
        "/static/css/site.css",
        "/media/" + "a" * 10_000,
        "/media/\x00.jpg",
        "/media/%00.jpg",
        "/media/%ff%fe.jpg",
        "/media/<script>alert(1)</script>.jpg",
        "/media/original_images/' OR 1=1 --.jpg",
    ],
)
def test_odd_or_hostile_addresses_are_refused_never_a_500(client, home, uri):
    assert asked_by_nginx(client, uri) == 403
    path = uri if uri.startswith("/media/") else "/media/x" + uri
    assert client.get(path.replace("\x00", "%00")).status_code == 404
