"""A report as JSON (for other tools) and CSV (for spreadsheets), with the same
figures as the Word document (docx.py) and the admin page."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

from django.utils import timezone

from toasoan.reports.periods import Period
from toasoan.reports.services import KINDS, Report

DEFINITIONS = {
    "published": "Tin, bài có thời điểm đăng trong kỳ (giờ Việt Nam), đang công khai "
    "hoặc đã gỡ sau đó; không tính bản nháp và bài hẹn giờ.",
    "views": "Lượt xem toasoan đếm được trong các ngày của kỳ, của mọi bài; lượt xem "
    "chuyển từ hệ thống cũ không có ngày nên không thuộc kỳ nào.",
    "views_per_article": "Lượt xem trong kỳ của từng bài đăng trong kỳ (bài chưa ai "
    "đọc tính là 0).",
}


def _period(period: Period) -> dict:
    return {
        "name": period.name,
        "title": period.title,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "days": period.days,
    }


def report_to_dict(report: Report) -> dict:
    summary = report.summary
    return {
        "period": _period(report.period),
        "definitions": DEFINITIONS,
        "output": {
            "published": summary.published,
            "by_section": [{"section": s, "articles": n} for s, n in report.by_section],
            "by_author": [{"author": a, "articles": n} for a, n in report.by_author],
            "by_kind": report.by_kind,
            "by_language": [
                {"language": lang, "articles": n} for lang, n in report.by_language
            ],
            "videos": summary.videos,
            "video_minutes": round(summary.video_seconds / 60, 1),
        },
        "reach": {
            "views": summary.views,
            "by_section": [
                {"section": s, "views": n} for s, n in report.views_by_section
            ],
            "by_kind": report.views_by_kind,
            "views_per_article": {
                "mean": round(summary.mean_views, 1),
                "median": report.median_views,
            },
            "top_articles": [
                {
                    "id": a.id,
                    "title": a.title,
                    "section": a.section,
                    "published_at": timezone.localtime(a.published_at).isoformat(),
                    "views": a.views,
                    "url": a.url,
                }
                for a in report.top_articles
            ],
        },
        "daily": [
            {"day": day.isoformat(), "published": published, "views": views}
            for day, published, views in report.daily
        ],
        "comparison": {
            name: {
                "period": _period(report.compared_periods[name]),
                "rows": [vars(change) for change in changes],
            }
            for name, changes in report.compared.items()
        },
        "keywords": [{"keyword": k, "articles": n} for k, n in report.keywords],
        "silent_sections": report.silent_sections,
    }


CSV_HEADER = ["bảng", "mục", "số liệu", "kỳ so sánh", "chênh lệch", "tỷ lệ (%)"]


def report_rows(report: Report) -> list[list]:
    """The report as rows of one table: which table, which item, the figure (and
    for comparisons the earlier figure, the difference and the percentage)."""
    summary = report.summary
    rows: list[list] = [
        [
            "Kỳ báo cáo",
            report.period.name,
            f"{report.period.start:%d/%m/%Y}–{report.period.end:%d/%m/%Y}",
        ],
        ["Tổng quan", "Tin, bài đã đăng", summary.published],
        ["Tổng quan", "Video đã đăng", summary.videos],
        ["Tổng quan", "Thời lượng video (phút)", round(summary.video_seconds / 60, 1)],
        ["Tổng quan", "Lượt xem trong kỳ", summary.views],
        ["Tổng quan", "Lượt xem trung bình mỗi bài", round(summary.mean_views, 1)],
        ["Tổng quan", "Lượt xem trung vị mỗi bài", report.median_views],
    ]
    rows += [["Theo chuyên mục", s, n] for s, n in report.by_section]
    rows += [["Theo tác giả", a, n] for a, n in report.by_author]
    rows += [["Theo loại", KINDS[k], n] for k, n in report.by_kind.items()]
    rows += [["Theo ấn bản ngôn ngữ", lang, n] for lang, n in report.by_language]
    rows += [["Lượt xem theo chuyên mục", s, n] for s, n in report.views_by_section]
    rows += [
        ["Lượt xem theo loại", KINDS[k], n] for k, n in report.views_by_kind.items()
    ]
    rows += [["10 bài đọc nhiều nhất", a.title, a.views] for a in report.top_articles]
    rows += [["Theo ngày: tin, bài", f"{d:%d/%m/%Y}", p] for d, p, _ in report.daily]
    rows += [["Theo ngày: lượt xem", f"{d:%d/%m/%Y}", v] for d, _, v in report.daily]
    for name, caption in (
        ("previous", "So với kỳ trước"),
        ("year_before", "So với cùng kỳ năm trước"),
    ):
        earlier = report.compared_periods[name]
        table = f"{caption} ({earlier.start:%d/%m/%Y}–{earlier.end:%d/%m/%Y})"
        rows += [
            [
                table,
                c.label,
                c.now,
                c.before,
                c.difference,
                "" if c.percent is None else c.percent,
            ]
            for c in report.compared[name]
        ]
    rows += [["Từ khóa dùng nhiều", k, n] for k, n in report.keywords]
    rows += [["Chuyên mục không có tin, bài", s, 0] for s in report.silent_sections]
    return rows


def report_to_csv(report: Report) -> bytes:
    """UTF-8 with a byte-order mark: Excel then reads the Vietnamese right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    writer.writerows(report_rows(report))
    return buffer.getvalue().encode("utf-8-sig")


FORMATS = ("docx", "csv", "json")


def render_report(report: Report, format_name: str, press, today) -> bytes:
    import json

    from toasoan.reports.docx import report_to_docx

    if format_name == "json":
        data = report_to_dict(report)
        return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    if format_name == "csv":
        return report_to_csv(report)
    return report_to_docx(report, press, today)


def write_report_file(content: bytes, path: Path) -> None:
    """All or nothing: written beside the target, then renamed over it, so a
    failure leaves no partial file (and an older report stays as it was)."""
    directory = path.parent
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
