"""The API's shapes: query parameters it accepts and objects it answers with.
drf-spectacular writes the OpenAPI schema from these, so what is declared here
is what clients (and schemathesis) hold us to."""

from __future__ import annotations

import re

from django.core.validators import ProhibitNullCharactersValidator
from rest_framework import serializers
from wagtail.rich_text import expand_db_html

from toasoan.audience.flushing import unflushed_views
from toasoan.audience.most_read import PERIODS
from toasoan.news.metadata import local_iso

MAX_LIMIT = 100
# Deeper than this, OFFSET costs a walk over the skipped rows: narrow the range
# with since/until instead (the error says so).
MAX_OFFSET = 10_000
QUERY_LENGTH = 300


class WholeNumber(serializers.IntegerField):
    """Digits only: REST framework would also take "2.0" for 2."""

    def to_internal_value(self, data):
        if isinstance(data, str) and not re.fullmatch(r"-?[0-9]{1,30}", data):
            self.fail("invalid")
        return super().to_internal_value(data)


class PageQuery(serializers.Serializer):
    limit = WholeNumber(
        min_value=1, max_value=MAX_LIMIT, default=20, help_text="Số mục / items"
    )
    offset = WholeNumber(
        min_value=0, max_value=MAX_OFFSET, default=0, help_text="Bỏ qua / skip"
    )


class ArticleQuery(PageQuery):
    section = WholeNumber(
        min_value=1, max_value=2**62, required=False, help_text="Mã chuyên mục"
    )
    keyword = serializers.SlugField(max_length=100, required=False)
    author = serializers.SlugField(max_length=200, required=False)
    since = serializers.DateField(
        required=False, help_text="YYYY-MM-DD, kể cả ngày này"
    )
    until = serializers.DateField(
        required=False, help_text="YYYY-MM-DD, kể cả ngày này"
    )
    language = serializers.RegexField(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$", required=False)

    def validate(self, data):
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise serializers.ValidationError(
                {"since": "Ngày bắt đầu sau ngày kết thúc / since is after until"}
            )
        return data


class SearchText(serializers.CharField):
    """What a reader typed: control characters (NUL included) are dropped, not
    refused (SearchQuery.validate_q); what is left may be nothing, which finds
    nothing (a 200, as on the search page)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [
            v
            for v in self.validators
            if not isinstance(v, ProhibitNullCharactersValidator)
        ]


class SearchQuery(serializers.Serializer):
    q = SearchText(min_length=1, max_length=QUERY_LENGTH, trim_whitespace=False)

    def validate_q(self, text: str) -> str:
        return "".join(c for c in text if c.isprintable() or c.isspace())

    page = WholeNumber(min_value=1, max_value=500, default=1)
    section = WholeNumber(min_value=1, max_value=2**62, required=False)


class MostReadQuery(serializers.Serializer):
    period = serializers.ChoiceField(choices=list(PERIODS), default="24h")
    section = WholeNumber(min_value=1, max_value=2**62, required=False)
    language = serializers.RegexField(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$", required=False)


def absolute(request, url: str) -> str:
    return url if "://" in url else request.build_absolute_uri(url)


class SectionRef(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(allow_blank=True)
    url = serializers.URLField()

    def to_representation(self, section):
        return {
            "id": section.pk,
            "title": section.title,
            "url": absolute(self.context["request"], section.get_url() or "/"),
        }


class Section(SectionRef):
    slug = serializers.CharField(allow_blank=True)
    parent = serializers.IntegerField(allow_null=True)
    language = serializers.CharField(allow_blank=True)
    description = serializers.CharField(allow_blank=True)

    def to_representation(self, section):
        parent = section.get_parent()
        return super().to_representation(section) | {
            "slug": section.slug,
            "parent": parent.pk if parent.specific_class is type(section) else None,
            "language": section.locale.language_code,
            "description": section.description,
        }


class Person(serializers.Serializer):
    name = serializers.CharField(allow_blank=True)
    slug = serializers.CharField(allow_blank=True)
    url = serializers.URLField()


class AuthorProfile(Person):
    role = serializers.CharField(allow_blank=True)

    def to_representation(self, author):
        return {
            "name": author.name,
            "slug": author.slug,
            "url": absolute(self.context["request"], author.get_absolute_url()),
            "role": author.role,
        }


class KeywordRef(serializers.Serializer):
    name = serializers.CharField(allow_blank=True)
    slug = serializers.CharField(allow_blank=True)
    url = serializers.URLField()

    def to_representation(self, keyword):
        return {
            "name": keyword.name,
            "slug": keyword.slug,
            "url": absolute(self.context["request"], keyword.get_absolute_url()),
        }


class Image(serializers.Serializer):
    url = serializers.URLField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    caption = serializers.CharField(allow_blank=True)


class Video(serializers.Serializer):
    url = serializers.URLField(allow_null=True, help_text="MP4; null: chưa sẵn sàng")
    poster = serializers.URLField(allow_null=True)
    hls = serializers.URLField(allow_null=True, help_text="HLS master playlist")
    status = serializers.ChoiceField(
        choices=["missing", "pending", "processing", "ready", "failed"]
    )
    title = serializers.CharField(allow_blank=True)
    duration_seconds = serializers.FloatField(allow_null=True)


class ArticleSummary(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(allow_blank=True)
    url = serializers.URLField()
    lead = serializers.CharField(allow_blank=True)
    section = SectionRef()
    language = serializers.CharField(allow_blank=True)
    published_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    authors = Person(many=True)
    keywords = KeywordRef(many=True)
    image = Image(allow_null=True)
    has_video = serializers.BooleanField()
    view_count = serializers.IntegerField(help_text="Lượt xem, chậm tối đa vài giây")

    def to_representation(self, article):
        request = self.context["request"]
        image = article.featured_image
        return {
            "id": article.pk,
            "title": article.title,
            "url": absolute(request, article.get_absolute_url()),
            "lead": article.lead,
            "section": SectionRef(context=self.context).to_representation(
                article.section
            ),
            "language": article.locale.language_code,
            "published_at": local_iso(article.published_at),
            "updated_at": local_iso(article.changed_at),
            "authors": [
                {
                    "name": byline.display_name,
                    "slug": byline.slug,
                    "url": absolute(request, byline.get_absolute_url()),
                }
                for byline in article.bylines.all()
            ],
            "keywords": [
                KeywordRef(context=self.context).to_representation(tagged.tag)
                for tagged in article.tagged_keywords.all()
            ],
            "image": {
                "url": absolute(request, image.file.url),
                "width": image.width,
                "height": image.height,
                "caption": article.featured_image_caption,
            }
            if image
            else None,
            "has_video": article.video_id is not None,
            "view_count": article.view_count,
        }


class Correction(serializers.Serializer):
    note = serializers.CharField(allow_blank=True)
    corrected_at = serializers.DateTimeField(allow_null=True)


class ArticleDetail(ArticleSummary):
    body_html = serializers.CharField(allow_blank=True)
    video = Video(allow_null=True)
    correction = Correction(allow_null=True)

    def to_representation(self, article):
        request = self.context["request"]
        video = article.video
        return super().to_representation(article) | {
            "body_html": expand_db_html(article.body),
            "video": {
                "url": absolute(request, video.web_mp4.url) if video.is_ready else None,
                "poster": absolute(request, video.poster.url) if video.poster else None,
                "hls": absolute(request, video.hls_master.url)
                if video.is_ready and video.hls_master
                else None,
                "status": video.status,
                "title": video.title or article.title,
                "duration_seconds": video.duration_seconds,
            }
            if video
            else None,
            # The stored total plus the views still queued (the summary in
            # lists has the stored total: a few seconds behind at most).
            "view_count": article.view_count
            + unflushed_views([article.pk])[article.pk],
            "correction": {
                "note": article.correction_note,
                "corrected_at": local_iso(article.corrected_at)
                if article.corrected_at
                else None,
            }
            if article.correction_note
            else None,
        }


class Page(serializers.Serializer):
    count = serializers.IntegerField(help_text="Tổng số (có thể chậm một phút)")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)


class ArticlePage(Page):
    results = ArticleSummary(many=True)


class KeywordPage(Page):
    results = KeywordRef(many=True)


class AuthorPage(Page):
    results = AuthorProfile(many=True)


class SearchHit(serializers.Serializer):
    article = ArticleSummary()
    title_html = serializers.CharField(
        allow_blank=True, help_text="Tiêu đề, từ khớp trong <mark>"
    )
    snippet_html = serializers.CharField(allow_blank=True)


class SearchAnswer(serializers.Serializer):
    query = serializers.CharField(allow_blank=True)
    corrected_from = serializers.CharField(allow_null=True)
    suggestion = serializers.CharField(allow_null=True)
    total = serializers.IntegerField()
    total_estimated = serializers.BooleanField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = SearchHit(many=True)


class MostReadAnswer(serializers.Serializer):
    period = serializers.CharField(allow_blank=True)
    label = serializers.CharField(allow_blank=True)
    results = ArticleSummary(many=True)


class ErrorBody(serializers.Serializer):
    status = serializers.IntegerField()
    message = serializers.CharField(help_text="Tiếng Việt / English")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(allow_blank=True)),
        required=False,
    )


class Error(serializers.Serializer):
    error = ErrorBody()
