"""The sign-in sheet (签到表), signed by hand at the door: invited people
pre-filled in an 出席 block and a 列席 block, blank rows for people who come
without an invitation, and the 应到/实到 totals. An internal paper: full names
and phone numbers may be on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table

from desktop.domain.entities import Meeting, Participant, Room
from desktop.domain.enums import Attendance, ParticipantKind
from desktop.i18n import tr_for
from desktop.printing.layout import in_language
from desktop.printing.common import heading_block, serial
from desktop.printing.fonts import markup
from desktop.printing.layout import build_pdf, cn_span, field_rows, para, spacer, styles, table_style

COLUMN_WIDTHS = [10 * mm, 22 * mm, 42 * mm, 17 * mm, 27 * mm, 27 * mm, 15 * mm]
SIGN_PADDING = 3.3 * mm


def _lines(*parts: str) -> str:
    return "<br/>".join(markup(p) for p in parts if p)


def _block(title: str, people: Sequence[Participant], blank: int, lang: str, st) -> Table:
    tr = in_language(lang)
    head = [tr("序号"), tr("姓名"), tr("单位/身份"), tr("职务"), tr("联系电话"), tr("签名"), tr("备注")]
    rows: list[list] = [[para(title, st.cell)] + [""] * 6, [para(h, st.cell) for h in head]]
    for n, p in enumerate(people, 1):
        rows.append([
            para(str(n), st.cell),
            para(p.name, st.cell),
            Paragraph(_lines(p.unit, p.role.label_for(lang)), st.small_cell),
            para(p.title, st.cell),
            para(p.phone, st.cell),
            "",
            para(p.absence_reason, st.cell),
        ])
    for n in range(len(people) + 1, len(people) + blank + 1):
        rows.append([para(str(n), st.cell)] + [""] * 6)
    # rows grow with their text; the padding leaves room for a handwritten signature
    table = Table(rows, colWidths=COLUMN_WIDTHS, repeatRows=2)
    table.setStyle(table_style([
        ("SPAN", (0, 0), (-1, 0)),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.93, 0.93, 0.93)),
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 2), (-1, -1), SIGN_PADDING),
        ("BOTTOMPADDING", (0, 2), (-1, -1), SIGN_PADDING),
    ]))
    return table


def render_signin(
    *,
    room: Room,
    meeting: Meeting,
    participants: Sequence[Participant],
    blank_rows: int = 6,
    lang: str = "zh",
    printed_at: datetime | None = None,
) -> bytes:
    """The sign-in sheet as PDF bytes; ``blank_rows`` empty rows for walk-ins."""
    st = styles()
    tr = in_language(lang)
    attendees = [p for p in participants if p.kind == ParticipantKind.ATTENDEE]
    observers = [p for p in participants if p.kind == ParticipantKind.OBSERVER]
    story = heading_block(st, room=room, title=tr("协商议事会签到表"), subtitle=serial(meeting, lang))
    header = field_rows([
        (tr("会议名称"), meeting.title),
        (tr("时间"), cn_span(meeting.starts_at, meeting.ends_at, lang)),
        (tr("地点"), meeting.place),
    ], st)
    if header is not None:
        story += [header, spacer(3)]
    story += [_block(tr("出席人员"), attendees, 0, lang, st), spacer(4)]
    story += [_block(tr("列席及其他到会人员"), observers, blank_rows, lang, st), spacer(5)]
    present = sum(1 for p in attendees if p.attendance == Attendance.PRESENT)
    # before the meeting nobody is marked present yet: leave 实到 to be filled by hand
    actual = str(present) if present else "______"
    story.append(para(tr("应到{expected}人，实到{actual}人；列席{observers}人。", expected=len(attendees), actual=actual, observers=len(observers)), st.body))
    story.append(spacer(6))
    story.append(para(tr("记录人（签字）：______________　　　　核对日期：______________"), st.body))
    return build_pdf(story, title=tr("协商议事会签到表") + " " + meeting.title, author=room.name, lang=lang, printed_at=printed_at)
