"""CSV and XLSX exports of the county statistics (one table per breakdown)."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from desktop.i18n import tr
from server.services.stats import DIMENSION_LABELS, CountyStats, StatRow

COLUMN_LABELS = {
    "topics": "收集议题",
    "meetings": "召开协商会",
    "resolved": "已办结",
    "resolution_rate": "办结率",
    "follow_ups": "回访",
    "satisfaction_rate": "满意率",
}


def _rate(x: float | None) -> str:
    return "" if x is None else f"{x * 100:.1f}%"


def _cells(r: StatRow) -> list[object]:
    return [r.label, r.topics, r.meetings, r.resolved, _rate(r.resolution_rate), r.follow_ups, _rate(r.satisfaction_rate)]


def _header(dim: str) -> list[str]:
    return [tr(DIMENSION_LABELS[dim])] + [tr(COLUMN_LABELS[k]) for k in ("topics", "meetings", "resolved", "resolution_rate", "follow_ups", "satisfaction_rate")]


def to_csv(result: CountyStats, dim: str) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(_header(dim))
    for r in result.by[dim]:
        w.writerow([_safe(c) for c in _cells(r)])
    w.writerow([_safe(c) for c in [tr("合计"), *_cells(result.total)[1:]]])
    # a BOM so Excel on a Chinese Windows opens it as UTF-8
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


# what makes Excel or LibreOffice read a cell as a formula: = + - @ first, and a
# tab or carriage return first too (Excel skips them and then sees the formula)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(cell: object) -> object:
    # a room name like "=HYPERLINK(…)" would run in the county office's Excel;
    # a leading apostrophe makes it text and shows the name as it was typed
    if isinstance(cell, str) and cell[:1] in FORMULA_START:
        return "'" + cell
    return cell


def to_xlsx(result: CountyStats) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for dim, rows in result.by.items():
        # sheet names may not hold a slash
        ws = wb.create_sheet(tr(DIMENSION_LABELS[dim]).replace("/", "、")[:31])
        ws.append(_header(dim))
        for r in rows:
            ws.append([_safe(c) for c in _cells(r)])
        ws.append([tr("合计"), *_cells(result.total)[1:]])
        ws.column_dimensions["A"].width = 36
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
