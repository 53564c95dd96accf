"""The admin's "Lượt xem" page: thin, over analytics.py and charts.py."""

import csv
from datetime import datetime

from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from toasoan.audience.analytics import Scope, audience, clamp_range, csv_rows
from toasoan.audience.charts import bar_chart
from toasoan.news.models import Article, Author, SectionPage


def _date(value):
    try:
        return datetime.strptime((value or "").strip()[:10], "%Y-%m-%d").date()
    except ValueError:
        return None


def _int(value):
    value = (value or "").strip()
    return (
        int(value) if value.isascii() and value.isdigit() and len(value) < 18 else None
    )


def audience_page(request):
    params = request.GET
    start, end = clamp_range(
        _date(params.get("from")), _date(params.get("to")), timezone.localdate()
    )
    scope = Scope(
        section=SectionPage.objects.filter(pk=_int(params.get("section"))).first(),
        author_slug=(params.get("author") or "")[:120],
        article=Article.objects.filter(pk=_int(params.get("article"))).first(),
    )
    if params.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        name = f"luot-xem-{start.isoformat()}-{end.isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response.write("\ufeff")  # Excel opens UTF-8 Vietnamese correctly with a BOM
        writer = csv.writer(response)
        for row in csv_rows(start, end, scope):
            writer.writerow(row)
        return response
    figures = audience(start, end, scope)
    every = max(1, len(figures.by_day) // 15)
    return TemplateResponse(
        request,
        "audience/audience.html",
        {
            "figures": figures,
            "scope": scope,
            "sections": SectionPage.objects.live().order_by("path"),
            "authors": Author.objects.order_by("name"),
            "days_chart": bar_chart(
                [(day.strftime("%d/%m"), views) for day, views in figures.by_day],
                "Lượt xem theo ngày",
                every=every,
            ),
            "hours_chart": bar_chart(
                [(f"{hour}h", views) for hour, views in figures.by_hour],
                "Lượt xem theo giờ trong ngày",
                every=2,
            ),
            "query": params.urlencode(),
        },
    )
