"""A small SVG line chart for the report: inline, no script, nothing fetched.

Our own few dozen lines rather than a charting library: pygal costs ~75 ms to import and
writes a `<script>` that fetches its tooltips from the web unless told otherwise; leather
is lighter but its output is still ours to police. This draws what the report needs (a
0–10 scale, one point per day, gaps where a day has none) and escapes every text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 16, 56  # margins: axis labels left, legend below


@dataclass(frozen=True)
class Series:
    """One line: a value (or None: no point) for each x position."""

    name: str
    values: Sequence[float | None]
    color: str
    dashed: bool = False


def _x(index: int, count: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return LEFT + (span / 2 if count <= 1 else span * index / (count - 1))


def _y(value: float, top: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - min(max(value, 0.0), top) / top)


def _runs(values: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    """Consecutive points with a value: a day without one breaks the line."""
    runs: list[list[tuple[int, float]]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((index, value))
    return [run for run in runs if run]


def line_chart(
    series: Sequence[Series], labels: Sequence[str], *, title: str, top: float = 10
) -> str:
    """An `<svg>` element: one line per series over `labels` (the x positions), 0 to `top`."""
    count = len(labels)
    parts = [
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(title)}" '
        'class="chart">',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>',
    ]
    for tick in (0, top / 2, top):
        y = _y(tick, top)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
                     'stroke="#ccc" stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" '
                     f'font-size="12" fill="#333">{tick:g}</text>')
    shown = sorted({0, count - 1, *range(0, count, max(1, count // 6))}) if count else []
    for index in shown:
        parts.append(f'<text x="{_x(index, count):.1f}" y="{HEIGHT - BOTTOM + 18}" '
                     f'text-anchor="middle" font-size="11" fill="#333">'
                     f"{escape(labels[index])}</text>")
    for line in series:
        dash = ' stroke-dasharray="6 4"' if line.dashed else ""
        for run in _runs(line.values):
            points = " ".join(f"{_x(i, count):.1f},{_y(v, top):.1f}" for i, v in run)
            if len(run) > 1:
                parts.append(f'<polyline points="{points}" fill="none" '
                             f'stroke="{escape(line.color)}" stroke-width="2"{dash}/>')
            for i, v in run:
                parts.append(f'<circle cx="{_x(i, count):.1f}" cy="{_y(v, top):.1f}" r="3.5" '
                             f'fill="{escape(line.color)}"><title>{escape(line.name)} '
                             f"{escape(labels[i])}: {v:g}</title></circle>")
    legend_y = HEIGHT - 14
    x = LEFT
    for line in series:
        parts.append(f'<rect x="{x}" y="{legend_y - 9}" width="14" height="4" '
                     f'fill="{escape(line.color)}"/>')
        parts.append(f'<text x="{x + 20}" y="{legend_y - 3}" font-size="12" fill="#333">'
                     f"{escape(line.name)}</text>")
        x += 40 + 8 * len(line.name)
    parts.append("</svg>")
    return "\n".join(parts)
