"""The report's charts as PNG images for the Word document (the admin page
draws the same figures as SVG, audience/charts.py). Pillow only; text on the
image is numbers and dates, the captions are written in the document."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from toasoan.core.vietnamese import format_count

WIDTH, HEIGHT = 1600, 600
LEFT, RIGHT, TOP, BOTTOM = 150, 40, 40, 90
RED, GREY, INK = (179, 38, 30), (200, 200, 200), (30, 30, 30)
FONT_FILES = ["/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
              "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"]  # fmt: skip


def _font(size: int):
    for path in FONT_FILES:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def nice_ceiling(value: float) -> int:
    """The axis top: 4 at least, else the next 1, 2 or 5 × 10ⁿ that holds value,
    so the four grid lines fall on whole numbers."""
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            top = 4 * step * magnitude
            if top >= value:
                return top
        magnitude *= 10


def daily_chart(days: list[tuple[date, int]]) -> bytes:
    """Bars per day, with the days' dates under the axis now and then."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    font = _font(26)
    top = nice_ceiling(max((value for _, value in days), default=0))
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    for step in range(5):  # grid lines and their values
        value = top * step / 4
        y = TOP + plot_height - plot_height * step / 4
        draw.line((LEFT, y, WIDTH - RIGHT, y), fill=GREY, width=1)
        draw.text(
            (LEFT - 12, y), format_count(round(value)), fill=INK, font=font, anchor="rm"
        )
    width = plot_width / max(len(days), 1)
    label_every = max(1, round(len(days) / 8))
    for n, (day, value) in enumerate(days):
        x = LEFT + n * width
        height = plot_height * value / top
        if value:
            draw.rectangle(
                (
                    x + 1,
                    TOP + plot_height - height,
                    x + max(width - 1, 2),
                    TOP + plot_height,
                ),
                fill=RED,
            )
        if n % label_every == 0:
            draw.text(
                (x + width / 2, HEIGHT - BOTTOM + 16),
                f"{day:%d/%m}",
                fill=INK,
                font=font,
                anchor="mt",
            )
    draw.line(
        (LEFT, TOP + plot_height, WIDTH - RIGHT, TOP + plot_height), fill=INK, width=2
    )
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
