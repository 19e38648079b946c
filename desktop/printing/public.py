"""The public papers: the intake receipt handed to whoever raised a topic
(受理回执), the results notice for the village notice board (结果公示) and the
room's QR poster. Everything on them is public, so submitters' names and any
mobile number in free text are masked (张*华, 138****1234), and each carries a
QR code to the county server; without a server address they are refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from urllib.parse import quote

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Table

from desktop.domain import clock
from desktop.domain.entities import ActionItem, AgendaItem, Meeting, Outcome, Room, Topic
from desktop.domain.masking import mask_name, mask_phone
from desktop.domain.retention import DEFAULT_YEARS, notice_items
from desktop.i18n import tr_for
from desktop.printing.layout import in_language
from desktop.printing.common import cn_circled, heading_block, scrub
from desktop.printing.layout import (
    MARGIN_X, PAGE_W, PrintingError, QrCode, build_pdf, cn_date, cn_span, field_rows, para, require_server, spacer, styles,
    table_style,
)

SUMMARY_MAX = 300
RED = colors.Color(0.75, 0.08, 0.08)


def receipt_url(server_url: str, topic: Topic, *, room: Room) -> str:
    """``{server}/t/{room code}/{tracking code}``: codes are made offline on each
    room's PC, so two rooms may hold one; the room code (the one on the room's
    QR poster) makes the printed address find this room's topic whatever other
    rooms hold. The bare ``/t/{code}`` of older receipts still works."""
    if not topic.tracking_code:
        raise PrintingError("议题“{title}”还没有查询码，无法生成二维码。", title=topic.title[:40])
    base = require_server(server_url, what="受理回执")
    code = quote(topic.tracking_code, safe="")
    return f"{base}/t/{quote(room.code, safe='')}/{code}" if room.code.strip() else f"{base}/t/{code}"


def render_receipt(*, room: Room, topic: Topic, server_url: str, lang: str = "zh", printed_at: datetime | None = None,
                   retention_years: int = DEFAULT_YEARS) -> bytes:
    """受理回执 for one topic: tracking code, date, summary, next steps, the
    personal-information notice (with the room's ``retention_years``) and a QR
    code to ``{server}/t/{room code}/{tracking code}``."""
    url = receipt_url(server_url, topic, room=room)
    st = styles()
    tr = in_language(lang)
    story = heading_block(st, room=room, title=tr("议题受理回执"))
    code_style = ParagraphStyle("code", parent=st.body, fontSize=16, leading=24, alignment=TA_CENTER)
    story += [para(tr("查询码：{code}", code=topic.tracking_code), code_style), spacer(3)]
    summary = scrub(topic.description, topic)
    if len(summary) > SUMMARY_MAX:
        summary = summary[:SUMMARY_MAX] + "…"
    header = field_rows([
        (tr("议题"), scrub(topic.title, topic)),
        (tr("来源"), topic.source.label_for(lang)),
        (tr("提出人"), mask_name(topic.submitter_name)),
        (tr("联系电话"), mask_phone(topic.submitter_phone)),
        (tr("登记日期"), cn_date(topic.received_at, lang)),
        (tr("地点"), scrub(topic.location, topic)),
        (tr("情况摘要"), summary),
    ], st)
    if header is not None:
        story.append(header)
    story += [spacer(3), para(tr("接下来"), st.heading)]
    steps = [
        tr("议事室将对您反映的事项进行受理审查，一般在5个工作日内给出答复。"),
        tr("受理后，将通过协商议事会商量解决，或由有关单位直接办理。"),
        tr("您可随时用手机扫描下方二维码，或凭查询码查看办理进展和协商结果。"),
    ]
    story += [para(f"{cn_circled(n)} {s}", st.body) for n, s in enumerate(steps, 1)]
    # the notice beside the QR code: the page stays one sheet with the longest summary
    side = Table([[_privacy_notice(room, retention_years, tr, st), QrCode(url, 40 * mm)]],
                 colWidths=[PAGE_W - 2 * MARGIN_X - 46 * mm, 46 * mm], hAlign="LEFT")
    side.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (1, 0), (1, 0), "CENTER"), ("LEFTPADDING", (0, 0), (0, 0), 0)]))
    story += [spacer(2), side, para(url, st.small_center), spacer(6)]
    story += [para(room.name + tr("（盖章）"), st.right), para(cn_date(printed_at or clock.now(), lang), st.right)]
    return build_pdf(story, title=tr("议题受理回执") + " " + topic.tracking_code, author=room.name, lang=lang, printed_at=printed_at)


def _privacy_notice(room: Room, years: int, tr, st) -> list:  # type: ignore[no-untyped-def]
    """个人信息保护法 第十七条: the same sentences as the phone form, in body-size
    type a resident can read (not the grey small print)."""
    style = ParagraphStyle("privacy", parent=st.body, fontSize=10.5, leading=16)
    items = notice_items(room_name=room.name, county=room.county, township=room.township, years=years, tr=tr)
    return [para(tr("您的个人信息"), st.heading)] + [para(tr("{head}：{text}", head=head, text=text), style) for head, text in items]


def _notice_story(*, room: Room, topic: Topic, outcomes: Sequence[Outcome], action_items: Sequence[ActionItem], server_url: str,
                  supervision_phone: str, meeting: Meeting | None, notice_days: int, lang: str, printed_at: datetime | None) -> list:
    url = receipt_url(server_url, topic, room=room)
    st = styles()
    tr = in_language(lang)
    story = heading_block(st, room=room, title=tr("协商结果公示"))
    title = scrub(topic.title, topic)
    if meeting is not None:
        intro = tr("{when}，{room}就居民反映的“{title}”召开协商议事会，经充分协商，形成以下结果，现予公示。",
                  when=cn_span(meeting.starts_at, None, lang), room=room.name, title=title)
    else:
        intro = tr("{room}就居民反映的“{title}”进行了协商，形成以下结果，现予公示。", room=room.name, title=title)
    story += [para(intro, st.indent), spacer(2)]
    facts = field_rows([
        (tr("议题"), title),
        (tr("提出人"), mask_name(topic.submitter_name)),
        (tr("查询码"), topic.tracking_code),
    ], st)
    if facts is not None:
        story.append(facts)
    if outcomes:
        story.append(para(tr("协商结果"), st.heading))
        story += [para(f"{n}. {scrub(o.text, topic)}", st.body) for n, o in enumerate(sorted(outcomes, key=lambda o: o.position), 1)]
    if action_items:
        story.append(para(tr("落实事项"), st.heading))
        head = [tr("序号"), tr("事项"), tr("责任单位"), tr("责任人"), tr("完成时限")]
        rows = [[para(h, st.cell) for h in head]]
        for n, a in enumerate(action_items, 1):
            rows.append([para(str(n), st.cell), para(scrub(a.title, topic), st.cell), para(scrub(a.owner_unit, topic), st.cell),
                         para(scrub(a.responsible, topic), st.cell), para(cn_date(a.deadline, lang) if a.deadline else "", st.cell)])
        table = Table(rows, colWidths=[12 * mm, 48 * mm, 44 * mm, 20 * mm, 36 * mm], repeatRows=1)
        table.setStyle(table_style([
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.93, 0.93, 0.93)),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]))
        story.append(table)
    story.append(spacer(4))
    story.append(para(tr("公示期：自公示之日起{days}日。", days=notice_days), st.body))
    if supervision_phone.strip():
        # the office's own number, printed in full on purpose: it is not a resident's
        story.append(para(tr("公示期间如有意见或建议，请拨打监督电话：{phone}", phone=supervision_phone.strip()), st.body))
    qr = Table([[QrCode(url, 32 * mm), [para(tr("扫码查看办理进展"), st.body), para(url, st.small)]]], colWidths=[38 * mm, PAGE_W - 2 * MARGIN_X - 38 * mm])
    qr.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story += [spacer(3), KeepTogether([qr, spacer(4), para(room.name, st.right), para(cn_date(printed_at or clock.now(), lang), st.right)])]
    return story


def render_notice(
    *,
    room: Room,
    topic: Topic,
    outcomes: Sequence[Outcome],
    action_items: Sequence[ActionItem],
    server_url: str,
    supervision_phone: str,
    meeting: Meeting | None = None,
    notice_days: int = 7,
    lang: str = "zh",
    printed_at: datetime | None = None,
) -> bytes:
    """结果公示 for the notice board: the topic, what was agreed, who does what by
    when, a supervision phone number and a QR code to the tracking page."""
    story = _notice_story(room=room, topic=topic, outcomes=outcomes, action_items=action_items, server_url=server_url,
                          supervision_phone=supervision_phone, meeting=meeting, notice_days=notice_days, lang=lang, printed_at=printed_at)
    return build_pdf(story, title=tr_for(lang, "协商结果公示") + " " + topic.tracking_code, author=room.name, lang=lang, printed_at=printed_at)


def render_meeting_notice(
    *,
    room: Room,
    meeting: Meeting,
    agenda: Sequence[AgendaItem],
    topics: Mapping[str, Topic],
    outcomes: Sequence[Outcome],
    action_items: Sequence[ActionItem],
    server_url: str,
    supervision_phone: str,
    notice_days: int = 7,
    lang: str = "zh",
    printed_at: datetime | None = None,
) -> bytes:
    """One 结果公示 page (or more) per topic on a meeting's agenda, in one PDF.
    Agenda items that came from no topic have no tracking page and are left out."""
    require_server(server_url, what="结果公示")
    if not outcomes:
        raise PrintingError("会议“{title}”还没有协商结果，无法生成结果公示。", title=meeting.title[:60])
    story: list = []
    for item in sorted(agenda, key=lambda a: a.position):
        topic = topics.get(item.topic_id or "")
        if topic is None:
            continue
        mine = [o for o in outcomes if o.agenda_item_id == item.id]
        ids = {o.id for o in mine}
        acts = [a for a in action_items if a.outcome_id in ids or (a.outcome_id is None and a.topic_id == topic.id)]
        if story:
            story.append(PageBreak())
        story += _notice_story(room=room, topic=topic, outcomes=mine, action_items=acts, server_url=server_url, supervision_phone=supervision_phone,
                               meeting=meeting, notice_days=notice_days, lang=lang, printed_at=printed_at)
    if not story:
        raise PrintingError("会议“{title}”的议程中没有来自议题的事项，无法生成结果公示。", title=meeting.title[:60])
    return build_pdf(story, title=tr_for(lang, "协商结果公示") + " " + meeting.title, author=room.name, lang=lang, printed_at=printed_at)


def render_poster(*, room: Room, server_url: str, lang: str = "zh", printed_at: datetime | None = None) -> bytes:
    """The room's A4 QR poster: a big call to action, a big QR code to
    ``{server}/r/{room code}``, the room code under it for typing by hand, and
    three steps an elderly resident can follow."""
    url = f"{require_server(server_url, what='议事室二维码海报')}/r/{room.code}"
    st = styles()
    tr = in_language(lang)
    big = ParagraphStyle("big", parent=st.title, fontSize=34, leading=44, textColor=RED)
    name = ParagraphStyle("name", parent=st.title, fontSize=20, leading=28)
    code = ParagraphStyle("code", parent=st.center, fontSize=16, leading=24)
    step = ParagraphStyle("step", parent=st.body, fontSize=17, leading=30)
    place = "".join(x for x in (room.county, room.township) if x)
    story = []
    if place:
        story.append(para(place, st.subtitle))
    story += [para(room.name, name), spacer(4), para(tr("扫码说事 · 有事好商量"), big), spacer(5)]
    story += [QrCode(url, 112 * mm), spacer(1), para(tr("议事室编码：{code}", code=room.code), code), para(url, st.small_center), spacer(7)]
    steps = [
        tr("打开微信“扫一扫”，对准上面的二维码。"),
        tr("写下或说出您想反映的事，留下电话。"),
        tr("记好查询码，随时扫码查看办理进展。"),
    ]
    steps_table = Table([[para(f"{cn_circled(n)} {s}", step)] for n, s in enumerate(steps, 1)], colWidths=[140 * mm])
    steps_table.setStyle(table_style([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story.append(steps_table)
    return build_pdf(story, title=tr("议事室二维码海报") + " " + room.code, author=room.name, lang=lang, printed_at=printed_at, page_numbers=False,
                     margins=(20 * mm, 20 * mm, 16 * mm, 14 * mm))
