"""The room's statistics for a period as paper and as a spreadsheet, for the
township and the county office: the headline numbers (topics collected,
meetings held, matters resolved, rates, overdue action items) and the counts
by source, status, category and month. ``render_stats_pdf`` gives PDF bytes
(A4, embedded Chinese font), ``stats_xlsx`` the bytes of an .xlsx workbook
(openpyxl). Pure functions: a ``RoomStats`` in, bytes out; no names or phone
numbers are in either."""

from __future__ import annotations

import io
from datetime import date, datetime

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Table

from desktop.domain.entities import Room
from desktop.domain.enums import TopicSource, TopicStatus
from desktop.printing.common import heading_block
from desktop.printing.layout import build_pdf, cn_date, in_language, para, spacer, styles, table_style
from desktop.storage.stats import RoomStats


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def _headline(stats: RoomStats, lang: str) -> list[tuple[str, str]]:
    tr = in_language(lang)
    return [
        (tr("收集议题"), str(stats.topics_collected)),
        (tr("召开议事会"), str(stats.meetings_held)),
        (tr("办结事项"), str(stats.matters_resolved)),
        (tr("办结率"), _pct(stats.resolution_rate)),
        (tr("满意率"), _pct(stats.satisfaction_rate)),
        (tr("逾期落实事项"), str(stats.overdue_action_items)),
    ]


def _label(kind: str, key: str, lang: str) -> str:
    try:
        if kind == "source":
            return TopicSource(key).label_for(lang)
        if kind == "status":
            return TopicStatus(key).label_for(lang)
    except ValueError:
        pass
    return key


def _breakdowns(stats: RoomStats, lang: str) -> list[tuple[str, list[tuple[str, int]]]]:
    tr = in_language(lang)
    return [
        (tr("按来源"), [(_label("source", k, lang), v) for k, v in stats.by_source.items()]),
        (tr("按状态"), [(_label("status", k, lang), v) for k, v in stats.by_status.items()]),
        (tr("按类别"), [(k or tr("未分类"), v) for k, v in stats.by_category.items()]),
        (tr("按月份"), sorted(stats.by_month.items())),
    ]


def _period(date_from: date, date_to: date, lang: str) -> str:
    tr = in_language(lang)
    return tr("统计期间：{start} 至 {end}", start=cn_date(date_from, lang), end=cn_date(date_to, lang))


def render_stats_pdf(stats: RoomStats, *, room: Room, date_from: date, date_to: date, lang: str = "zh", printed_at: datetime | None = None) -> bytes:
    """The statistics as a PDF report."""
    st = styles()
    tr = in_language(lang)
    story = heading_block(st, room=room, title=tr("协商议事工作统计"), subtitle=_period(date_from, date_to, lang))
    head = _headline(stats, lang)
    numbers = Table([[para(k, st.center) for k, _ in head], [para(v, st.title) for _, v in head]], colWidths=[28 * mm] * len(head))
    numbers.setStyle(table_style([
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.93, 0.93, 0.93)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    story += [numbers, spacer(6)]
    for title, rows in _breakdowns(stats, lang):
        story.append(para(title, st.heading))
        if not rows:
            story.append(para(tr("本期间没有数据。"), st.small))
            continue
        table = Table([[para(tr("项目"), st.cell), para(tr("数量"), st.cell)]] + [[para(k, st.cell), para(str(v), st.cell)] for k, v in rows], colWidths=[90 * mm, 30 * mm], hAlign="LEFT")
        table.setStyle(table_style([
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.93, 0.93, 0.93)),
        ]))
        story += [table, spacer(3)]
    return build_pdf(story, title=tr("协商议事工作统计"), author=room.name, lang=lang, printed_at=printed_at)


def stats_xlsx(stats: RoomStats, *, room: Room, date_from: date, date_to: date, lang: str = "zh") -> bytes:
    """The statistics as an .xlsx workbook: one sheet of headline numbers,
    then one sheet per breakdown, numbers stored as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    tr = in_language(lang)
    wb = Workbook()
    ws = wb.active
    ws.title = tr("总览")
    ws.append([room.name])
    ws.append([_period(date_from, date_to, lang)])
    ws.append([])
    ws.append([tr("项目"), tr("数量")])
    for label, value in _headline(stats, lang):
        numeric = value.rstrip("%")
        cell_value: object = value
        if numeric.isdigit():
            cell_value = int(numeric) / 100 if value.endswith("%") else int(numeric)
        ws.append([label, cell_value])
        if value.endswith("%") and isinstance(cell_value, float):
            ws.cell(row=ws.max_row, column=2).number_format = "0%"
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 14
    for title, rows in _breakdowns(stats, lang):
        sheet = wb.create_sheet(title[:31])
        sheet.append([tr("项目"), tr("数量")])
        for key, value in rows:
            sheet.append([key, value])
        sheet.column_dimensions["A"].width = 28
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
