"""The period review as a Word document laid out as a Vietnamese administrative
report (Decree 30/2020/NĐ-CP): the agency and national motto header, the title,
numbered parts with tables and charts, an empty "Phương hướng, nhiệm vụ" for the
editors to write, and the signature block. A first draft; editors finish it."""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from toasoan.core.vietnamese import format_figure
from toasoan.reports.charts import daily_chart
from toasoan.reports.services import KINDS, Change, Report, edition_label

FONT = "Times New Roman"


_number = format_figure


def _percent(change: Change) -> str:
    if change.percent is None:
        return "–"  # nothing before: no percentage
    sign = "+" if change.percent > 0 else ""
    return f"{sign}{_number(change.percent)}%"


def _paragraph(
    document,
    text="",
    *,
    bold=False,
    italic=False,
    size=14,
    align=None,
    underline=False,
    space_after=6,
):
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after)
    return paragraph


def _cell(
    cell,
    text: str,
    *,
    bold=False,
    italic=False,
    size=13,
    align=WD_ALIGN_PARAGRAPH.CENTER,
    underline=False,
):
    paragraph = (
        cell.paragraphs[0] if not cell.paragraphs[0].text else cell.add_paragraph()
    )
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size = Pt(size)
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)


TEXT_WIDTH = 16.5  # cm between the margins


def _widths(columns: int) -> list[float]:
    """ "TT" narrow, the name wide, the figures equal."""
    figures = 2.6 if columns > 3 else 3.5
    return [1.2, TEXT_WIDTH - 1.2 - figures * (columns - 2)] + [figures] * (columns - 2)


def _table(document, header: list[str], rows: list[list]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _cell(cell, text, bold=True)
    for _ in rows:
        table.add_row()
    for column, width in zip(table.columns, _widths(len(header)), strict=True):
        column.width = Cm(width)  # the grid LibreOffice reads
        for cell in column.cells:  # and the cells Word reads
            cell.width = Cm(width)
    for row, table_row in zip(rows, table.rows[1:], strict=True):
        cells = table_row.cells
        for n, (cell, value) in enumerate(zip(cells, row, strict=True)):
            text = value if isinstance(value, str) else _number(value)
            align = (
                WD_ALIGN_PARAGRAPH.LEFT
                if n == 1 and isinstance(value, str)
                else WD_ALIGN_PARAGRAPH.CENTER
            )
            _cell(cell, text, align=align)
    document.add_paragraph().paragraph_format.space_after = Pt(2)


def _numbered(rows) -> list[list]:
    return [[str(n), *row] for n, row in enumerate(rows, start=1)]


def report_to_docx(report: Report, press, today: date) -> bytes:
    """``press``: the outlet's PressSettings (name, agency, editor-in-chief)."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    for name, size in (("Heading 1", 14), ("Heading 2", 14)):
        heading = document.styles[name].font
        heading.name, heading.size, heading.bold = FONT, Pt(size), True
        heading.italic, heading.color.rgb = False, RGBColor(0, 0, 0)
        fonts = document.styles[name].element.rPr.rFonts
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)  # a theme font would win over ours
    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin = section.bottom_margin = Cm(2)
        section.left_margin, section.right_margin = Cm(3), Cm(1.5)

    # The header block: the agency on the left, the national motto on the right.
    header = document.add_table(rows=1, cols=2)
    header.autofit = False
    left, right = header.rows[0].cells
    for column, width in zip(header.columns, (6.5, 10), strict=True):
        column.width = Cm(width)
    left.width, right.width = Cm(6.5), Cm(10)
    _cell(left, (press.governing_agency or "").upper(), size=13)
    _cell(left, (press.outlet_name or "").upper(), bold=True, size=13)
    _cell(
        left, "Số:      /BC-" + (press.short_name or "TS").split()[0].upper(), size=13
    )
    _cell(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=13)
    _cell(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=14, underline=True)
    _cell(
        right,
        f"……, ngày {today.day:02d} tháng {today.month:02d} năm {today.year}",
        italic=True,
        size=14,
    )

    period = report.period
    _paragraph(document, "", space_after=6)
    _paragraph(
        document,
        period.title,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        space_after=0,
    )
    _paragraph(
        document,
        f"(Từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y})",
        italic=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )

    summary = report.summary
    document.add_heading("I. KẾT QUẢ CÔNG TÁC THÔNG TIN", level=1)
    document.add_heading("1. Sản lượng tin, bài", level=2)
    kinds = {k: _number(n) for k, n in report.by_kind.items()}
    minutes = _number(round(summary.video_seconds / 60, 1))
    _paragraph(
        document,
        f"Trong kỳ, {press.outlet_name or 'cơ quan'} đã đăng "
        f"{_number(summary.published)} tin, bài, trong đó {kinds['video']} tin, bài "
        f"có video; {_number(summary.videos)} video với tổng thời lượng {minutes} "
        f"phút. Có {kinds['corrected']} tin, bài đính chính và {kinds['withdrawn']} "
        "tin, bài đã gỡ.",
    )
    _paragraph(document, "a) Theo chuyên mục", italic=True)
    _table(document, ["TT", "Chuyên mục", "Số tin, bài"], _numbered(report.by_section))
    _paragraph(document, "b) Theo loại và ấn bản ngôn ngữ", italic=True)
    _table(
        document,
        ["TT", "Loại", "Số tin, bài"],
        _numbered(
            [[KINDS[k], n] for k, n in report.by_kind.items()]
            + [[edition_label(lang), n] for lang, n in report.by_language]
        ),
    )
    _paragraph(document, "c) Theo tác giả", italic=True)
    _table(document, ["TT", "Tác giả", "Số tin, bài"], _numbered(report.by_author))

    document.add_heading("2. Lượt xem", level=2)
    mean, median = round(summary.mean_views, 1), report.median_views
    _paragraph(
        document,
        f"Trong kỳ có {_number(summary.views)} lượt xem; mỗi tin, bài đăng trong kỳ "
        f"được xem trung bình {_number(mean)} lượt (trung vị {_number(median)} lượt). "
        f"Tin, bài viết được xem {_number(report.views_by_kind['text'])} lượt, tin, "
        f"bài có video {_number(report.views_by_kind['video'])} lượt.",
    )
    _table(
        document, ["TT", "Chuyên mục", "Lượt xem"], _numbered(report.views_by_section)
    )
    _paragraph(document, "10 tin, bài được đọc nhiều nhất:", italic=True)
    _table(
        document,
        ["TT", "Tin, bài", "Ngày đăng", "Lượt xem"],
        _numbered(
            [
                [a.title, f"{a.published_at:%d/%m/%Y}", a.views]
                for a in report.top_articles
            ]
        ),
    )
    _paragraph(
        document,
        "Biểu đồ 1. Số tin, bài đăng theo ngày",
        italic=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        size=13,
    )
    document.add_picture(
        io.BytesIO(daily_chart([(d, p) for d, p, _ in report.daily])), width=Cm(16)
    )
    _paragraph(
        document,
        "Biểu đồ 2. Lượt xem theo ngày",
        italic=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        size=13,
    )
    document.add_picture(
        io.BytesIO(daily_chart([(d, v) for d, _, v in report.daily])), width=Cm(16)
    )

    document.add_heading("3. So sánh", level=2)
    for name, caption in (
        ("previous", "So với kỳ trước"),
        ("year_before", "So với cùng kỳ năm trước"),
    ):
        earlier = report.compared_periods[name]
        _paragraph(
            document,
            f"{caption} (từ {earlier.start:%d/%m/%Y} đến {earlier.end:%d/%m/%Y}):",
            italic=True,
        )
        _table(
            document,
            ["TT", "Chỉ tiêu", "Kỳ này", "Kỳ so sánh", "Chênh lệch", "Tỷ lệ"],
            _numbered(
                [
                    [c.label, c.now, c.before, c.difference, _percent(c)]
                    for c in report.compared[name]
                ]
            ),
        )

    document.add_heading("4. Từ khóa được dùng nhiều", level=2)
    _table(document, ["TT", "Từ khóa", "Số tin, bài"], _numbered(report.keywords))
    document.add_heading("5. Chuyên mục chưa có tin, bài trong kỳ", level=2)
    _paragraph(
        document,
        ", ".join(report.silent_sections) + "."
        if report.silent_sections
        else "Không có.",
    )

    document.add_heading("II. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI", level=1)
    _paragraph(document, "(Ban biên tập bổ sung.)", italic=True)

    signature = document.add_table(rows=1, cols=2)
    signature.autofit = False
    recipients, signer = signature.rows[0].cells
    for column, width in zip(signature.columns, (8, 8.5), strict=True):
        column.width = Cm(width)
    recipients.width, signer.width = Cm(8), Cm(8.5)
    _cell(
        recipients,
        "Nơi nhận:",
        bold=True,
        italic=True,
        size=12,
        align=WD_ALIGN_PARAGRAPH.LEFT,
    )
    _cell(recipients, "- Như trên;\n- Lưu: VT.", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _cell(signer, "TỔNG BIÊN TẬP", bold=True, size=14)
    _cell(signer, "\n\n\n" + (press.editor_in_chief or ""), bold=True, size=14)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
