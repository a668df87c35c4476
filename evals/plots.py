"""Inline SVG charts for the HTML report: score bars with interval whiskers and a confusion heatmap.

Hand-written SVG keeps the report self-contained and needs no plotting library.
"""

from html import escape
from typing import Optional, Sequence


def score_bars(labels: Sequence[str], values: Sequence[float], lows: Sequence[Optional[float]],
               highs: Sequence[Optional[float]], title: str = "") -> str:
    """A horizontal bar per score, with a whisker from ``low`` to ``high`` where an interval exists.

    Args:
        labels: One label per bar (shown left of it).
        values: Bar lengths; the axis runs from 0 to the largest value or upper bound.
        lows, highs: Interval bounds per bar (``None`` for none).
        title: Caption above the chart.

    Returns:
        An ``<svg>`` element as a string.
    """
    row, left, width = 26, 230, 360
    top = 24 if title else 6
    height = top + row * len(values) + 20
    finite = [v for v in list(values) + [h for h in highs if h is not None] if v == v and abs(v) != float("inf")]
    scale_max = max(finite + [1e-9])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 90}" height="{height}" '
             f'role="img" aria-label="{escape(title)}">']
    if title:
        parts.append(f'<text x="4" y="16" font-size="13" font-weight="bold">{escape(title)}</text>')
    for i, (label, value, low, high) in enumerate(zip(labels, values, lows, highs)):
        y = top + i * row
        w = max(0.0, min(value, scale_max) / scale_max * width) if value == value else 0.0
        parts.append(f'<text x="{left - 6}" y="{y + 16}" font-size="12" text-anchor="end">{escape(label)}</text>')
        parts.append(f'<rect x="{left}" y="{y + 4}" width="{w:.1f}" height="16" fill="#4c78a8"/>')
        if low is not None and high is not None:
            x1, x2 = (left + max(0.0, b) / scale_max * width for b in (low, high))
            parts.append(f'<line x1="{x1:.1f}" y1="{y + 12}" x2="{x2:.1f}" y2="{y + 12}" stroke="#222" '
                         f'stroke-width="1.5"/>')
            for x in (x1, x2):
                parts.append(f'<line x1="{x:.1f}" y1="{y + 6}" x2="{x:.1f}" y2="{y + 18}" stroke="#222"/>')
        parts.append(f'<text x="{left + width + 6}" y="{y + 16}" font-size="12">{value:.4g}</text>')
    parts.append("</svg>")
    return "".join(parts)


def confusion_heatmap(labels: Sequence[str], matrix: Sequence[Sequence[int]], title: str = "") -> str:
    """A confusion-matrix heatmap: rows are true labels, columns predicted labels, counts in the cells.

    Returns:
        An ``<svg>`` element as a string.
    """
    cell, left, top = 44, 110, 60
    k = len(labels)
    peak = max([max(r) for r in matrix] + [1])
    size_w, size_h = left + cell * k + 10, top + cell * k + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{size_w}" height="{size_h}" role="img" '
             f'aria-label="{escape(title)}">',
             f'<text x="4" y="16" font-size="13" font-weight="bold">{escape(title)}</text>',
             f'<text x="{left}" y="34" font-size="11">predicted →</text>']
    for j, label in enumerate(labels):
        parts.append(f'<text x="{left + j * cell + cell / 2}" y="{top - 6}" font-size="11" '
                     f'text-anchor="middle">{escape(str(label))[:8]}</text>')
    for i, label in enumerate(labels):
        y = top + i * cell
        parts.append(f'<text x="{left - 6}" y="{y + cell / 2 + 4}" font-size="11" '
                     f'text-anchor="end">{escape(str(label))[:14]}</text>')
        for j in range(k):
            count = matrix[i][j]
            shade = int(245 - 180 * count / peak)
            ink = "#fff" if count / peak > 0.6 else "#000"
            parts.append(f'<rect x="{left + j * cell}" y="{y}" width="{cell}" height="{cell}" '
                         f'fill="rgb({shade},{shade},255)" stroke="#fff"/>')
            parts.append(f'<text x="{left + j * cell + cell / 2}" y="{y + cell / 2 + 4}" font-size="12" '
                         f'text-anchor="middle" fill="{ink}">{count}</text>')
    parts.append(f'<text x="4" y="{size_h - 8}" font-size="11">rows: true label</text>')
    parts.append("</svg>")
    return "".join(parts)
