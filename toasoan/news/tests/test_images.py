"""Pictures in articles: described before publishing, responsive WebP with a
JPEG fallback, cropped around the focal point, and bad uploads refused."""

import io
import json

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from conftest import formsets
from toasoan.core.templatetags.toasoan import responsive_widths
from toasoan.news.models import Article
from toasoan.newsroom import roles

pytestmark = pytest.mark.django_db
ADMIN = "/admin/snippets/news/article"


@pytest.fixture
def chief(log_in_as):
    return log_in_as(roles.EDITOR_IN_CHIEF)


def body_with_image(image, alt: str) -> str:
    """The body as the admin posts it: a paragraph and an image from the chooser."""
    return json.dumps({
        "blocks": [
            {"key": "a1", "type": "unstyled", "text": "Nội dung bài.", "depth": 0,
             "inlineStyleRanges": [], "entityRanges": []},
            {"key": "b2", "type": "atomic", "text": " ", "depth": 0,
             "inlineStyleRanges": [], "entityRanges": [{"offset": 0, "length": 1, "key": 0}]},
        ],
        "entityMap": {"0": {"type": "IMAGE", "mutability": "IMMUTABLE",
                            "data": {"id": image.pk, "src": "/x.jpg", "alt": alt, "format": "fullwidth"}}},
    })  # fmt: skip


def publish(client, section, image, **fields):
    form = {
        "title": "Hội nghị có ảnh", "lead": "Sapo.", "section": section.pk,
        "published_at": "2026-11-20 08:30:00", "keywords": "", "slug": "",
        "featured_image": image.pk, "action-publish": "publish",
        **formsets(["Cao Biền"]), **fields,
    }  # fmt: skip
    form.setdefault("body", body_with_image(image, "Quang cảnh hội nghị"))
    return client.post(
        f"{ADMIN}/add/", {k: v for k, v in form.items() if v is not None}
    )


def test_an_undescribed_picture_stops_publishing_with_the_reason(
    chief, section, make_image
):
    image = make_image()
    response = publish(chief, section, image)
    assert response.status_code == 200
    text = lxml.html.fromstring(response.content).text_content()
    assert "Ảnh đại diện chưa có mô tả (alt)" in text and "no alt text" in text
    assert not Article.objects.filter(live=True).exists()
    response = publish(
        chief, section, image, featured_image_alt="Đại biểu biểu quyết",
        body=body_with_image(image, ""),
    )  # fmt: skip
    assert (
        "Có ảnh trong nội dung chưa có mô tả"
        in lxml.html.fromstring(response.content).text_content()
    )
    assert (
        publish(
            chief, section, image, featured_image_alt="Đại biểu biểu quyết"
        ).status_code
        == 302
    )
    article = Article.objects.get(live=True)
    assert article.featured_image_alt_text == "Đại biểu biểu quyết"
    # The image library's own description is enough.
    described = make_image("Ảnh có mô tả")
    described.description = "Cánh đồng lúa chín ở Thái Bình"
    described.save()
    response = publish(chief, section, described, title="Bài thứ hai")
    assert response.status_code == 302


def test_a_draft_may_keep_an_undescribed_picture(chief, section, make_image):
    form = {"action-publish": None}  # no action: the form's "Lưu nháp"
    response = publish(chief, section, make_image(), **form)
    assert response.status_code == 302
    draft = Article.objects.get()
    assert not draft.live and draft.publishing_problems()


def test_pictures_are_webp_with_a_jpeg_fallback_at_phone_and_desktop_widths(
    client, make_article, make_image
):
    article = make_article(
        featured_image=make_image(width=1600, height=900),
        featured_image_alt="Đại biểu biểu quyết", featured_image_caption="Phiên bế mạc",
        featured_image_credit="Ảnh: Minh Hằng",
    )  # fmt: skip
    page = lxml.html.fromstring(client.get(article.get_absolute_url()).content)
    [picture] = page.cssselect(".article__figure picture")
    [source] = picture.cssselect("source")
    assert source.get("type") == "image/webp"
    widths = [c.split()[-1] for c in source.get("srcset").split(", ")]
    assert widths == ["480w", "800w", "1200w"]
    img = picture.cssselect("img")[0]
    assert img.get("src").endswith(".jpg") and img.get("alt") == "Đại biểu biểu quyết"
    assert (img.get("width"), img.get("height")) == ("1200", "675")
    assert page.cssselect(".article__credit")[0].text == "Ảnh: Minh Hằng"
    webp = source.get("srcset").split(", ")[0].split()[0]
    response = client.get(webp)
    data = b"".join(response.streaming_content)
    assert PILImage.open(io.BytesIO(data)).format == "WEBP"


def test_widths_never_upscale_nor_repeat():
    assert responsive_widths(1600) == [480, 800, 1200]
    assert responsive_widths(1200) == [480, 800, 1200]
    assert responsive_widths(700) == [480, 700]
    assert responsive_widths(300) == [300]


def test_crops_keep_the_focal_point(make_image):
    """A wide picture, grey with the subject (red) at the right: the square
    crop goes to the subject, not the middle."""
    buffer = io.BytesIO()
    picture = PILImage.new("RGB", (1600, 900), (128, 128, 128))
    picture.paste((220, 0, 0), (1300, 300, 1600, 600))
    picture.save(buffer, "JPEG")
    image = get_image_model().objects.create(
        title="Tiêu điểm bên phải",
        file=SimpleUploadedFile("tieu-diem.jpg", buffer.getvalue()),
        focal_point_x=1450, focal_point_y=450, focal_point_width=300, focal_point_height=300,
    )  # fmt: skip
    square = image.get_rendition("exactfill-1200x1200")
    with square.file.open() as handle:
        cropped = PILImage.open(handle).convert("RGB")
        right = cropped.getpixel((cropped.width - 20, cropped.height // 2))
    assert right[0] > 180 and right[1] < 60  # the subject is in the square


def upload_image(client, name: str, content: bytes):
    from wagtail.models import Collection

    return client.post(
        "/admin/images/add/",
        {"title": name, "collection": Collection.get_first_root_node().pk,
         "file": SimpleUploadedFile(name, content, content_type="image/jpeg")},
    )  # fmt: skip


def picture_bytes(mode="RGB", size=(1600, 900), kind="JPEG", **save) -> bytes:
    buffer = io.BytesIO()
    colour = (0, 100, 200, 0) if mode == "CMYK" else 1 if mode == "1" else (20, 120, 60)
    PILImage.new(mode, size, colour).save(buffer, kind, **save)
    return buffer.getvalue()


def test_bad_pictures_are_refused_and_nothing_is_kept(chief):
    images = get_image_model().objects
    for name, content in (
        ("trang-web.jpg", b"<html><body>not a picture</body></html>"),
        ("rong.jpg", b""),
        # A decompression bomb: a small file that opens into 400 million pixels.
        ("bom.png", picture_bytes("1", (20_000, 20_000), "PNG", optimize=True)),
    ):
        response = upload_image(chief, name, content)
        assert response.status_code == 200, name
        errors = lxml.html.fromstring(response.content).cssselect(
            ".error-message, .help-critical, [class*=error]"
        )
        assert errors, name
    assert not images.exists()


def test_odd_but_real_pictures_are_handled(chief, client, make_article):
    images = get_image_model().objects
    # 20,000 pixels wide (a panorama): kept, and shown at a sane width.
    assert (
        upload_image(
            chief, "toan-canh.jpg", picture_bytes(size=(20_000, 300))
        ).status_code
        == 302
    )
    panorama = images.get(title="toan-canh.jpg")
    assert panorama.get_rendition("width-1200|format-webp").width == 1200
    # A CMYK JPEG from a print desk: WebP and JPEG renditions in RGB.
    assert upload_image(chief, "in-an.jpg", picture_bytes("CMYK")).status_code == 302
    cmyk = images.get(title="in-an.jpg")
    with cmyk.get_rendition("width-480|format-webp").file.open() as handle:
        assert PILImage.open(handle).mode in ("RGB", "RGBA")
    # A phone photo stored sideways with an EXIF orientation: shown upright.
    sideways = PILImage.new("RGB", (900, 1600), (200, 30, 30))
    exif = sideways.getexif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    buffer = io.BytesIO()
    sideways.save(buffer, "JPEG", exif=exif)
    assert upload_image(chief, "dien-thoai.jpg", buffer.getvalue()).status_code == 302
    photo = images.get(title="dien-thoai.jpg")
    shown = photo.get_rendition("width-800|format-jpeg")
    assert shown.width > shown.height  # upright: landscape, as the phone saw it
