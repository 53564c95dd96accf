"""/admin/bao-cao/: the period review on screen, and its DOCX, CSV and JSON."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from toasoan.audience.charts import bar_chart
from toasoan.core.models import PressSettings
from toasoan.reports.periods import (
    PeriodError,
    custom,
    half_of,
    parse_day,
    parse_preset,
    quarter_of,
    year_of,
)
from toasoan.reports.services import KINDS, build_report, edition_label
from toasoan.reports.writers import render_report

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
}
PERMISSION = "reports.view_report"


def preset_choices(today) -> list[tuple[str, str]]:
    """The periods of this year and the last two, newest first."""
    choices = []
    for year in range(today.year, today.year - 3, -1):
        periods = [
            (f"{year}", year_of(year)),
            (f"{year}-H2", half_of(year, 2)),
            (f"{year}-H1", half_of(year, 1)),
            *((f"{year}-Q{q}", quarter_of(year, q)) for q in (4, 3, 2, 1)),
        ]
        choices += [
            (code, p.name.capitalize()) for code, p in periods if p.start <= today
        ]
    return choices


def period_review(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    today = timezone.localdate()
    params = request.GET
    this_half = f"{today.year}-H{1 if today.month <= 6 else 2}"
    chosen = params.get("ky") or this_half
    error = None
    try:
        if params.get("tu") or params.get("den"):
            period = custom(
                parse_day(params.get("tu", "")), parse_day(params.get("den", ""))
            )
            chosen = ""
        else:
            period = parse_preset(chosen)
    except PeriodError as problem:
        error, chosen = str(problem), ""
        period = parse_preset(this_half)
    report = build_report(period)
    format_name = params.get("format")
    if format_name in CONTENT_TYPES and error is None:
        press = PressSettings.for_request(request)
        content = render_report(report, format_name, press, today)
        response = HttpResponse(content, content_type=CONTENT_TYPES[format_name])
        name = f"bao-cao-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{format_name}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    every = max(1, len(report.daily) // 12)
    return TemplateResponse(
        request,
        "reports/period_review.html",
        {
            "report": report,
            "error": error,
            "chosen": chosen,
            "choices": preset_choices(today),
            "kinds": [(KINDS[k], n) for k, n in report.by_kind.items()]
            + [(edition_label(lang), n) for lang, n in report.by_language],
            "video_minutes": round(report.summary.video_seconds / 60, 1),
            "mean_views": round(report.summary.mean_views, 1),
            "views_kinds": [(KINDS[k], n) for k, n in report.views_by_kind.items()],
            "published_chart": bar_chart(
                [(f"{d:%d/%m}", p) for d, p, _ in report.daily],
                "Số tin, bài đăng theo ngày", every=every,
            ),
            "views_chart": bar_chart(
                [(f"{d:%d/%m}", v) for d, _, v in report.daily],
                "Lượt xem theo ngày", every=every,
            ),
            "query": params.urlencode(),
        },
    )  # fmt: skip
