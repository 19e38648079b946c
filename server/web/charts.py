"""Inline SVG bar charts for the county pages (no scripts, no outside files)."""

from __future__ import annotations

from server.web.page import h


def bar_chart(rows: list[tuple[str, int]], *, title: str, limit: int = 20, width: int = 640) -> str:
    """Horizontal bars, one per row, largest value = full width."""
    rows = rows[:limit]
    if not rows:
        return ""
    top = max(v for _, v in rows) or 1
    label_w, bar_h, gap = 220, 22, 6
    height = len(rows) * (bar_h + gap) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{h(title)}" width="100%" viewBox="0 0 {width} {height}" style="max-width:{width}px;background:#fff">',
        f'<text x="4" y="18" font-size="16" font-weight="bold">{h(title)}</text>',
    ]
    for i, (label, value) in enumerate(rows):
        y = 30 + i * (bar_h + gap)
        w = int((width - label_w - 60) * value / top)
        short = label if len(label) <= 14 else label[:13] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + 16}" font-size="14" text-anchor="end">{h(short)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{max(w, 1)}" height="{bar_h}" fill="#b71c1c"/>')
        parts.append(f'<text x="{label_w + w + 6}" y="{y + 16}" font-size="14">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)
