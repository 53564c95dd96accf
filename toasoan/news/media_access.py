"""Which uploaded files readers may fetch: only what published articles (and
the site's own furniture) show. A draft's pictures and video, a withdrawn
article's, and an upload nothing public uses answer 404 to readers however
well their address is guessed (upload names are camera names, video folders are
numbered); staff with admin access fetch everything, for previews.

Embedded mode asks `fetch_rights` for every media request (views.media);
in production nginx asks the same question through `auth_request`
(README, "Private media")."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex

from toasoan.core.models import PressSettings
from toasoan.news.models import Article, Author
from toasoan.videos.models import Video

# Longer than any name a FileField here stores (max_length 255, images 100).
MAX_NAME = 1024


def fetch_rights(name: str, user=None) -> tuple[bool, bool]:
    """(may ``user`` fetch it, may anyone): staff with admin access fetch
    every stored file, readers what reader_may_fetch allows."""
    if not _could_be_stored(name):
        return False, False
    public = reader_may_fetch(name)
    staff = (
        user is not None
        and user.is_authenticated
        and user.has_perm("wagtailadmin.access_admin")
    )
    return public or staff, public


def _could_be_stored(name: str) -> bool:
    if "\x00" in name or len(name) > MAX_NAME:
        return False  # no stored name (PostgreSQL would refuse the NUL)
    # Outside media storage (its lookups would raise).
    return not (name.startswith("/") or ".." in name.split("/"))


def reader_may_fetch(name: str) -> bool:
    """``name`` is the file's name in media storage (``images/x.fill-80x80.jpg``).
    Anything that is not a known picture or video of public content is refused:
    a file nothing accounts for is no reader's business either."""
    if not _could_be_stored(name):
        return False
    Image = get_image_model()
    image = Image.objects.filter(file=name).first()
    if image is None:
        rendition = (
            Image.get_rendition_model()
            .objects.filter(file=name)
            .select_related("image")
            .first()
        )
        image = rendition.image if rendition else None
    if image is not None:
        return image_is_public(image)
    video = video_for(name)
    return video is not None and video_is_public(video)


def image_is_public(image) -> bool:
    """Shown by a published article (as its picture, or in its body), a live
    page, an author's profile or the masthead."""
    published = Article.objects.published()
    if published.filter(featured_image=image).exists():
        return True
    if Author.objects.filter(photo=image).exists():
        return True
    if PressSettings.objects.filter(logo=image).exists():
        return True
    users = ReferenceIndex.get_references_to(image).values_list(
        "base_content_type_id", "object_id"
    )
    by_type: dict[int, list[str]] = {}
    for content_type_id, object_id in users:
        by_type.setdefault(content_type_id, []).append(object_id)
    article_type = ContentType.objects.get_for_model(Article).pk
    page_type = ContentType.objects.get_for_model(Page).pk
    if (
        article_type in by_type
        and published.filter(pk__in=_ints(by_type[article_type])).exists()
    ):
        return True
    return (
        page_type in by_type
        and Page.objects.live().filter(pk__in=_ints(by_type[page_type])).exists()
    )


def video_for(name: str) -> Video | None:
    """The video a media name belongs to: one of its files, or what processing
    wrote beside them under ``videos/<id>/`` (the HLS ladder's playlists and
    segments)."""
    files = Q(file=name) | Q(captions=name) | Q(poster=name) | Q(web_mp4=name)
    video = Video.objects.filter(files | Q(hls_master=name)).first()
    if video is None and name.startswith("videos/"):
        folder = name.split("/")[1]
        if folder.isascii() and folder.isdigit():
            video = Video.objects.filter(pk=int(folder)).first()
    return video


def video_is_public(video: Video) -> bool:
    return Article.objects.published().filter(video=video).exists()


def _ints(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isascii() and v.isdigit()]
