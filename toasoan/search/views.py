"""/tim-kiem/ and its JSON twin: thin views over services.search_articles."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from toasoan.news.models import SectionPage
from toasoan.news.views import current_locale
from toasoan.search.backends import SearchFilters
from toasoan.search.services import autocomplete, search_articles

MAX_PAGE = 500


def _int(value, default: int, low: int, high: int) -> int:
    try:
        return max(low, min(int(value), high))
    except (TypeError, ValueError):
        return default


def _date(value: str | None):
    try:
        return datetime.strptime((value or "").strip(), "%Y-%m-%d").date()
    except ValueError:
        return None


def _search_from_request(request):
    params = request.GET
    section = _int(params.get("section"), 0, 0, 2**62)
    section_ids = None
    if section:
        root = SectionPage.objects.filter(pk=section).first()
        section_ids = (
            list(
                SectionPage.objects.filter(path__startswith=root.path).values_list(
                    "pk", flat=True
                )
            )
            if root
            else [0]
        )
    date_from, date_to = _date(params.get("from")), _date(params.get("to"))
    zone = timezone.get_current_timezone()
    filters = SearchFilters(
        locale_id=current_locale().pk,
        section_ids=section_ids,
        published_from=datetime.combine(date_from, time(), zone) if date_from else None,
        published_to=(
            datetime.combine(date_to + timedelta(days=1), time(), zone)
            if date_to
            else None
        ),
        has_video=params.get("video") == "1",
    )
    results = search_articles(
        params.get("q", ""),
        filters,
        newest_first=params.get("sort") == "newest",
        page=_int(params.get("page"), 1, 1, MAX_PAGE),
    )
    return results, {"section": section, "from": date_from, "to": date_to}


def search_page(request):
    results, chosen = _search_from_request(request)
    sections = (
        SectionPage.objects.live().filter(locale=current_locale()).order_by("path")
    )
    return render(
        request,
        "search/search.html",
        {
            "q": request.GET.get("q", "")[:300],
            "results": results,
            "chosen": chosen,
            "sections": sections,
            "sort": request.GET.get("sort", ""),
            "video": request.GET.get("video") == "1",
        },
    )


def search_api(request):
    results, _ = _search_from_request(request)
    return JsonResponse(
        results.summary()
        | {
            "results": [
                {
                    "id": hit.article.pk,
                    "title": hit.article.title,
                    "url": request.build_absolute_uri(hit.article.get_absolute_url()),
                    "published_at": hit.article.published_at.isoformat(),
                    "section": hit.article.section.title,
                    "snippet_html": str(hit.snippet_html),
                }
                for hit in results.hits
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def autocomplete_api(request):
    filters = SearchFilters(locale_id=current_locale().pk)
    return JsonResponse(
        autocomplete(request.GET.get("q", ""), filters),
        json_dumps_params={"ensure_ascii": False},
    )
