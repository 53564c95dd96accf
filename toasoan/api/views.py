"""/api/v1/: the read-only JSON API. Thin views: the query parameters are
checked by serializers (a 400 with a JSON error naming the field), the work is
done by api/services.py and the news, search and audience apps."""

from __future__ import annotations

from django.http import Http404
from django.utils import translation
from django.utils.http import http_date
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
    renderer_classes,
    schema,
)
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView, exception_handler
from wagtail.models import Locale

from toasoan.api import serializers as shapes
from toasoan.api.services import (
    ArticleFilters,
    find_articles,
    last_modified,
    with_details,
)
from toasoan.audience.most_read import PERIODS, most_read_lists
from toasoan.news.models import Article, Author, Keyword, SectionPage
from toasoan.news.services import cached_count
from toasoan.search.backends import SearchFilters
from toasoan.search.services import search_articles

KEEP_SECONDS = 60
MESSAGES = {
    400: "Tham số không hợp lệ / invalid parameters",
    404: "Không tìm thấy / not found",
    405: "Phương thức không được hỗ trợ / method not allowed",
    406: "Chỉ trả lời JSON / only JSON is served",
}
ERRORS = {400: shapes.Error, 404: shapes.Error}


def api_exception_handler(exc, context):
    """Every error as {"error": {"status", "message", "fields"}}, in Vietnamese
    and English; anything unforeseen stays a 500 (and is logged) rather than
    being dressed up as a client's mistake."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or MESSAGES[404])
    response = exception_handler(exc, context)
    if response is None:
        return None
    status = response.status_code
    body = {"status": status, "message": MESSAGES.get(status, str(exc.detail))}
    if isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, dict):
        body["fields"] = {
            name: [str(problem) for problem in problems]
            if isinstance(problems, list)
            else [str(problems)]
            for name, problems in exc.detail.items()
        }
    elif isinstance(exc, exceptions.NotFound) and str(exc.detail) != "Not found.":
        body["message"] = str(exc.detail)
    response.data = {"error": body}
    return response


class ReadOnlyView(APIView):
    """Public, read-only, JSON only: no session, no CSRF, nothing to parse."""

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    parser_classes = []

    def get_exception_handler(self):
        return api_exception_handler

    def query(self, shape) -> dict:
        # A plain dict, not the QueryDict: REST framework reads a QueryDict as a
        # form, where "?since=" means "not given"; here it is a mistake to name.
        params = self.request.query_params.dict()
        repeated = [k for k, v in self.request.query_params.lists() if len(v) > 1]
        checked = shape(data=params)
        if checked.is_valid() and not repeated:
            return checked.validated_data
        # Each problem in Vietnamese and in English, as every error we show.
        with translation.override("en"):
            english = shape(data=params)
            english.is_valid()
            english_errors = {k: [str(m) for m in v] for k, v in english.errors.items()}
        raise exceptions.ValidationError(
            {
                name: [
                    vi if vi == en else f"{vi} / {en}"
                    for vi, en in zip(
                        map(str, problems), english_errors.get(name, []), strict=False
                    )
                ]
                for name, problems in checked.errors.items()
            }
            | {
                name: ["Chỉ được cho một lần / may be given only once"]
                for name in repeated
            }
        )

    def answer(self, data, changed=None) -> Response:
        response = Response(data)
        response["Cache-Control"] = f"public, max-age={KEEP_SECONDS}"
        if changed is not None:
            response["Last-Modified"] = http_date(changed.timestamp())
        return response

    def named_page(self, rows, shape) -> Response:
        """A page of keywords or authors, as ``limit`` and ``offset`` ask."""
        query = self.query(shapes.PageQuery)
        limit, offset = query["limit"], query["offset"]
        write = shape(context={"request": self.request}).to_representation
        results = [write(row) for row in rows[offset : offset + limit]]
        return self.answer(
            self.page_links(rows.count(), limit, offset) | {"results": results}
        )

    def page_links(self, count: int, limit: int, offset: int) -> dict:
        url = self.request.build_absolute_uri()
        following = offset + limit
        return {
            "count": count,
            "next": replace_query_param(url, "offset", following)
            if following < count and following <= shapes.MAX_OFFSET
            else None,
            "previous": None
            if offset == 0
            else (
                remove_query_param(url, "offset")
                if offset <= limit
                else replace_query_param(url, "offset", offset - limit)
            ),
        }


def _articles_in_order(ids: list[int]) -> list[Article]:
    found = with_details(Article.objects.filter(pk__in=ids)).in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


class ArticleList(ReadOnlyView):
    @extend_schema(
        operation_id="articles_list",
        summary="Bài viết đã đăng / published articles",
        parameters=[shapes.ArticleQuery],
        responses={200: shapes.ArticlePage, **ERRORS},
    )
    def get(self, request):
        query = self.query(shapes.ArticleQuery)
        limit, offset = query.pop("limit"), query.pop("offset")
        matching = find_articles(ArticleFilters(**query))
        # The page's ids first (an index walk), then only those rows.
        ids = list(matching.values_list("pk", flat=True)[offset : offset + limit])
        articles = _articles_in_order(ids)
        context = {"request": request}
        return self.answer(
            self.page_links(cached_count(matching), limit, offset)
            | {
                "results": [
                    shapes.ArticleSummary(context=context).to_representation(a)
                    for a in articles
                ]
            },
            last_modified(articles),
        )


class ArticleDetailView(ReadOnlyView):
    @extend_schema(
        operation_id="articles_retrieve",
        summary="Một bài viết / one article",
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        responses={200: shapes.ArticleDetail, 404: shapes.Error, 410: shapes.Error},
    )
    def get(self, request, pk: str):
        # Any text reaches here, so that "-1" or "abc" get this API's 404.
        if not (pk.isascii() and pk.isdigit()) or not 0 < int(pk) < 2**62:
            raise Http404("Không có bài viết này / no such article")
        article = with_details(Article.objects.public()).filter(pk=int(pk)).first()
        if article is None:
            raise Http404("Không có bài viết này / no such article")
        if article.withdrawn_at:
            return Response(
                {
                    "error": {
                        "status": 410,
                        "message": "Bài viết đã được gỡ bỏ / the article was "
                        f"withdrawn: {article.withdrawal_reason}",
                    }
                },
                status=410,
            )
        data = shapes.ArticleDetail(context={"request": request}).to_representation(
            article
        )
        return self.answer(data, last_modified([article]))


class SectionList(ReadOnlyView):
    @extend_schema(
        operation_id="sections_list",
        summary="Chuyên mục / sections",
        responses={200: shapes.Section(many=True)},
    )
    def get(self, request):
        sections = SectionPage.objects.live().select_related("locale").order_by("path")
        shape = shapes.Section(context={"request": request})
        return self.answer([shape.to_representation(s) for s in sections])


class KeywordList(ReadOnlyView):
    @extend_schema(
        operation_id="keywords_list",
        summary="Từ khóa / keywords",
        parameters=[shapes.PageQuery],
        responses={200: shapes.KeywordPage, 400: shapes.Error},
    )
    def get(self, request):
        return self.named_page(
            Keyword.objects.order_by("slug", "pk"), shapes.KeywordRef
        )


class AuthorList(ReadOnlyView):
    @extend_schema(
        operation_id="authors_list",
        summary="Tác giả có hồ sơ / staff authors",
        parameters=[shapes.PageQuery],
        responses={200: shapes.AuthorPage, 400: shapes.Error},
    )
    def get(self, request):
        return self.named_page(
            Author.objects.order_by("slug", "pk"), shapes.AuthorProfile
        )


class SearchView(ReadOnlyView):
    @extend_schema(
        operation_id="search",
        summary="Tìm kiếm tiếng Việt / Vietnamese search",
        parameters=[shapes.SearchQuery],
        responses={200: shapes.SearchAnswer, **ERRORS},
    )
    def get(self, request):
        query = self.query(shapes.SearchQuery)
        filters = SearchFilters()
        if "section" in query:
            section = SectionPage.objects.live().filter(pk=query["section"]).first()
            if section is None:
                raise Http404("Không có chuyên mục này / no such section")
            filters.section_ids = list(
                SectionPage.objects.filter(path__startswith=section.path).values_list(
                    "pk", flat=True
                )
            )
        results = search_articles(query["q"], filters, page=query["page"])
        context = {"request": request}
        with_rows = {
            a.pk: a for a in _articles_in_order([h.article.pk for h in results.hits])
        }
        return self.answer(
            results.summary()
            | {
                "results": [
                    {
                        "article": shapes.ArticleSummary(
                            context=context
                        ).to_representation(with_rows[hit.article.pk]),
                        "title_html": str(hit.title_html),
                        "snippet_html": str(hit.snippet_html),
                    }
                    for hit in results.hits
                    if hit.article.pk in with_rows
                ],
            }
        )


class MostReadView(ReadOnlyView):
    @extend_schema(
        operation_id="most_read",
        summary="Đọc nhiều / most read",
        parameters=[shapes.MostReadQuery],
        responses={200: shapes.MostReadAnswer, **ERRORS},
    )
    def get(self, request):
        query = self.query(shapes.MostReadQuery)
        locale = (
            Locale.objects.filter(language_code=query["language"]).first()
            if "language" in query
            else Locale.get_default()
        )
        if locale is None:
            raise Http404("Không có ấn bản ngôn ngữ này / no such edition")
        section = None
        if "section" in query:
            section = SectionPage.objects.live().filter(pk=query["section"]).first()
            if section is None:
                raise Http404("Không có chuyên mục này / no such section")
        period = query["period"]
        chosen = next(
            (
                found
                for found in most_read_lists(locale, section)
                if found.period == period
            ),
            None,
        )
        articles = _articles_in_order([a.pk for a in chosen.articles]) if chosen else []
        shape = shapes.ArticleSummary(context={"request": request})
        return self.answer(
            {
                "period": period,
                "label": PERIODS[period][0],
                "results": [shape.to_representation(a) for a in articles],
            }
        )


@api_view(["GET", "HEAD"])
@renderer_classes([JSONRenderer])
@authentication_classes([])
@permission_classes([AllowAny])
@schema(None)
def not_found(request):
    raise Http404("Không có địa chỉ này trong API / no such API address")


not_found.cls.get_exception_handler = lambda self: api_exception_handler
