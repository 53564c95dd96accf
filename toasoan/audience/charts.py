"""Server-side SVG bar charts: no JavaScript, no build step. Pure Python."""

from __future__ import annotations

from html import escape

from toasoan.core.vietnamese import format_count

WIDTH, HEIGHT, PAD = 720, 220, 28


def bar_chart(points: list[tuple[str, int]], title: str, every: int = 1) -> str:
    """An accessible SVG bar chart of (label, value); every ``every``-th label is
    written under its bar."""
    top = max((value for _, value in points), default=0) or 1
    width = (WIDTH - 2 * PAD) / max(len(points), 1)
    bars, labels = [], []
    for n, (label, value) in enumerate(points):
        height = (HEIGHT - 2 * PAD) * value / top
        x = PAD + n * width
        y = HEIGHT - PAD - height
        bars.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width - 2, 1):.1f}" '
            f'height="{height:.1f}" fill="#b3261e"><title>{escape(label)}: '
            f"{format_count(value)}</title></rect>"
        )
        if n % every == 0:
            labels.append(
                f'<text x="{x + width / 2:.1f}" y="{HEIGHT - 8}" font-size="10" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title)}" class="views-chart">'
        f"<title>{escape(title)}</title>"
        f'<text x="{PAD}" y="16" font-size="11">Cao nhất: {format_count(top)}</text>'
        + "".join(bars)
        + "".join(labels)
        + "</svg>"
    )
