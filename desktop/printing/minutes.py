"""Minutes on paper, in the two forms a township office files: the record
(会议记录, speaker by speaker) and the summary (协商纪要, 会议认为 / 会议议定).

A draft carries a 草稿 watermark and no QR code. Finalized minutes carry their
SHA-256 fingerprint (on every page and in full at the end) and a QR code that
opens their public page on the county server, ``{server}/m/{meeting id}``;
their content is checked against the fingerprint frozen at finalizing, so a
paper never claims a fingerprint its text does not have.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Table

from desktop.domain.entities import ActionItem, Outcome, Participant, Room, Topic
from desktop.domain.enums import Attendance, MinutesStatus, ParticipantKind
from desktop.domain.minutes import MinutesBundle, fingerprint
from desktop.i18n import tr_for
from desktop.printing.layout import in_language
from desktop.printing.common import cn_number, heading_block, names_by_role, ordinal, serial
from desktop.printing.layout import (
    PAGE_W, MARGIN_X, PrintingError, QrCode, Styles, build_pdf, cn_date, cn_datetime, cn_span, field_rows, para,
    require_server, spacer, styles, table_style,
)


def _seal(bundle: MinutesBundle, server_url: str) -> tuple[str, str] | None:
    """(public URL, fingerprint) of finalized minutes; None for a draft. The URL
    is "" while the room has no county server: the archive copy is printed
    with its fingerprint and without a QR code (a room works before it is
    connected, and its paper archive cannot wait for that)."""
    if bundle.minutes.status != MinutesStatus.FINALIZED:
        return None
    url = require_server(server_url, what="定稿会议记录") if (server_url or "").strip() else ""
    actual = fingerprint(bundle)
    if bundle.minutes.sha256 and bundle.minutes.sha256 != actual:
        raise PrintingError("这份会议记录的内容与定稿时的指纹不一致，没有打印。请检查数据是否被改动，或重新同步。")
    return (f"{url}/m/{bundle.meeting.id}" if url else ""), bundle.minutes.sha256 or actual


def _attendance(bundle: MinutesBundle, lang: str) -> list[tuple[str, str]]:
    tr = in_language(lang)
    attendees = [p for p in bundle.participants if p.kind == ParticipantKind.ATTENDEE]
    present = [p for p in attendees if p.attendance == Attendance.PRESENT]
    observers = [p for p in bundle.participants if p.kind == ParticipantKind.OBSERVER and p.attendance == Attendance.PRESENT]
    absent = [p for p in bundle.participants if p.attendance == Attendance.ABSENT]
    attend = tr("应到{expected}人，实到{actual}人。", expected=len(attendees), actual=len(present))
    if present:
        attend += names_by_role(present, lang)
    return [
        (tr("出席"), attend if attendees else ""),
        (tr("列席"), names_by_role(observers, lang)),
        (tr("缺席"), "、".join(p.name + (f"（{p.absence_reason}）" if p.absence_reason else "") for p in absent)),
    ]


def _header(bundle: MinutesBundle, lang: str, st: Styles) -> list[Flowable]:
    tr = in_language(lang)
    m = bundle.meeting
    pairs = [
        (tr("会议名称"), m.title),
        (tr("时间"), cn_span(m.starts_at, m.ends_at, lang)),
        (tr("地点"), m.place),
        (tr("形式"), m.type.label_for(lang)),
        (tr("主持人"), m.host),
        (tr("记录人"), m.recorder),
        *_attendance(bundle, lang),
    ]
    if bundle.minutes.corrects_id:
        pairs.append((tr("勘误说明"), bundle.minutes.correction_note or tr("本件为对已定稿会议记录的勘误。")))
    table = field_rows(pairs, st)
    return [table, spacer(2)] if table is not None else []


def _actions_of(outcome: Outcome, actions: Sequence[ActionItem], lang: str) -> list[str]:
    tr = in_language(lang)
    lines = []
    for a in actions:
        if a.outcome_id != outcome.id:
            continue
        bits = [a.title] if a.title and a.title != outcome.text else []
        if a.owner_unit:
            bits.append(tr("责任单位：{unit}", unit=a.owner_unit))
        if a.responsible:
            bits.append(tr("责任人：{name}", name=a.responsible))
        if a.deadline:
            bits.append(tr("完成时限：{date}", date=cn_date(a.deadline, lang)))
        if bits:
            lines.append("；".join(bits))
    return lines


def _outcome_flowables(outcomes: Sequence[Outcome], actions: Sequence[ActionItem], lang: str, st: Styles, *, start: int = 1) -> list[Flowable]:
    out: list[Flowable] = []
    for n, o in enumerate(outcomes, start):
        out.append(para(f"{n}. {o.text}", st.body))
        for line in _actions_of(o, actions, lang):
            out.append(para(line, st.note))
    return out


def _votes(outcomes: Sequence[Outcome], lang: str) -> list[str]:
    tr = in_language(lang)
    return [
        tr("第{n}项：同意{yes}票，反对{no}票，弃权{abstain}票。", n=n, yes=o.votes_for or 0, no=o.votes_against or 0, abstain=o.votes_abstain or 0)
        for n, o in enumerate(outcomes, 1)
        if o.votes_for is not None or o.votes_against is not None or o.votes_abstain is not None
    ]


def _seal_block(seal: tuple[str, str], bundle: MinutesBundle, lang: str, st: Styles) -> Flowable:
    tr = in_language(lang)
    url, digest = seal
    if url:
        text = [para(tr("本件已定稿，内容不可更改。扫描左侧二维码可在县级协商平台核对原文。"), st.cell)]
    else:
        text = [para(tr("本件已定稿，内容不可更改。本议事室尚未连接县级服务器，暂无核验二维码；连接并同步后可重新打印带二维码的版本。"), st.cell)]
    if bundle.minutes.finalized_at:
        text.append(para(tr("定稿时间：{time}", time=cn_datetime(bundle.minutes.finalized_at, lang)), st.cell))
    if url:
        text.append(para(tr("核验地址：{url}", url=url), st.cell))
    text += [para(tr("内容指纹（SHA-256）："), st.cell), para(digest[:32] + "\n" + digest[32:], st.cell)]
    if not url:
        table = Table([[text]], colWidths=[PAGE_W - 2 * MARGIN_X])
        table.setStyle(table_style([("BOX", (0, 0), (-1, -1), 0.5, (0.6, 0.6, 0.6))]))
        return KeepTogether([spacer(6), table])
    table = Table([[QrCode(url, 34 * mm), text]], colWidths=[40 * mm, PAGE_W - 2 * MARGIN_X - 40 * mm])
    table.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("BOX", (0, 0), (-1, -1), 0.5, (0.6, 0.6, 0.6))]))
    return KeepTogether([spacer(6), table])


def _signatures(bundle: MinutesBundle, lang: str, st: Styles) -> Flowable:
    tr = in_language(lang)
    row = [para(tr("主持人（签字）：") + "__________", st.body), para(tr("记录人（签字）：") + "__________", st.body)]
    table = Table([row], colWidths=[(PAGE_W - 2 * MARGIN_X) / 2] * 2)
    table.setStyle(table_style([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return KeepTogether([spacer(10), table])


def _build(story: list, bundle: MinutesBundle, seal: tuple[str, str] | None, *, room: Room, title: str, lang: str, printed_at: datetime | None) -> bytes:
    draft = seal is None
    return build_pdf(
        story, title=title + " " + bundle.meeting.title, author=room.name, lang=lang, printed_at=printed_at,
        watermark=tr_for(lang, "草稿") if draft else "",
        footer_left=room.name,
        fingerprint_note=tr_for(lang, "定稿指纹 {short}…", short=seal[1][:16]) if seal else "",
    )


def render_minutes_record(
    bundle: MinutesBundle,
    *,
    room: Room,
    server_url: str,
    topics_by_id: Mapping[str, Topic] | None = None,
    lang: str = "zh",
    printed_at: datetime | None = None,
) -> bytes:
    """会议记录: header, each topic with its introduction, every statement, the
    vote, the numbered outcomes with who does what by when, 散会, 附件 and the
    signature blocks. Raises PrintingError for finalized minutes when no
    server address is set (their QR code would be broken)."""
    seal = _seal(bundle, server_url)
    st = styles()
    tr = in_language(lang)
    topics_by_id = topics_by_id or {}
    story = heading_block(st, room=room, title=tr("协商议事会会议记录"), subtitle=serial(bundle.meeting, lang))
    story += _header(bundle, lang, st)
    for n, item in enumerate(sorted(bundle.agenda, key=lambda a: a.position), 1):
        topic = topics_by_id.get(item.topic_id or "")
        story.append(para(tr("议题{n}：{title}", n=cn_number(n) if lang == "zh" else n, title=item.title), st.heading))
        if topic is not None:
            story.append(para(tr("来源：{source}", source=topic.source.label_for(lang)) + (" ｜ " + tr("查询码：{code}", code=topic.tracking_code) if topic.tracking_code else ""), st.small))
        section = 0
        background = item.background or (topic.description if topic else "")
        if background or item.presenter:
            section += 1
            story.append(para(f"（{cn_number(section)}）{tr('情况介绍')}" + (tr("（{name}介绍）", name=item.presenter) if item.presenter else ""), st.body))
            if background:
                story.append(para(background, st.indent))
        statements = sorted((s for s in bundle.statements if s.agenda_item_id == item.id), key=lambda s: s.position)
        if statements:
            section += 1
            story.append(para(f"（{cn_number(section)}）{tr('讨论情况')}", st.body))
            for s in statements:
                who = s.speaker + (f"（{s.identity}）" if s.identity else "")
                story.append(para(f"{who}：{s.summary}", st.indent))
        outcomes = sorted((o for o in bundle.outcomes if o.agenda_item_id == item.id), key=lambda o: o.position)
        votes = _votes(outcomes, lang)
        if votes:
            section += 1
            story.append(para(f"（{cn_number(section)}）{tr('表决情况')}", st.body))
            story += [para(v, st.indent) for v in votes]
        if outcomes:
            section += 1
            story.append(para(f"（{cn_number(section)}）{tr('协商结果/议定事项')}", st.body))
            story += _outcome_flowables(outcomes, bundle.action_items, lang, st)
    loose = [a for a in bundle.action_items if not a.outcome_id or a.outcome_id not in {o.id for o in bundle.outcomes}]
    if loose:
        story.append(para(tr("其他落实事项"), st.heading))
        for n, a in enumerate(loose, 1):
            bits = [a.title, a.owner_unit and tr("责任单位：{unit}", unit=a.owner_unit), a.responsible and tr("责任人：{name}", name=a.responsible),
                    a.deadline and tr("完成时限：{date}", date=cn_date(a.deadline, lang))]
            story.append(para(f"{n}. " + "；".join(b for b in bits if b), st.body))
    if bundle.minutes.closing:
        story += [spacer(2), para(tr("散会：") + bundle.minutes.closing, st.body)]
    if bundle.minutes.attachments_note:
        story += [spacer(2), para(tr("附件："), st.body), para(bundle.minutes.attachments_note, st.body)]
    story.append(_signatures(bundle, lang, st))
    if seal:
        story.append(_seal_block(seal, bundle, lang, st))
    return _build(story, bundle, seal, room=room, title=tr("协商议事会会议记录"), lang=lang, printed_at=printed_at)


def render_minutes_summary(
    bundle: MinutesBundle,
    *,
    room: Room,
    server_url: str,
    topics_by_id: Mapping[str, Topic] | None = None,
    lang: str = "zh",
    printed_at: datetime | None = None,
) -> bytes:
    """协商纪要: who met when about what, 会议认为 (the minutes' summary), 会议议定
    (every outcome with its action items), the participants, and the issuing
    room and date."""
    seal = _seal(bundle, server_url)
    st = styles()
    tr = in_language(lang)
    m = bundle.meeting
    items = sorted(bundle.agenda, key=lambda a: a.position)
    present = [p for p in bundle.participants if p.attendance == Attendance.PRESENT]
    story = heading_block(st, room=room, title=tr("协商纪要"), subtitle=serial(m, lang))
    intro = tr("{when}，{room}在{place}召开协商议事会，就{topics}进行协商。", when=cn_span(m.starts_at, m.ends_at, lang), room=room.name,
              place=m.place or tr("议事室"), topics="、".join(f"“{a.title}”" for a in items) or tr("有关事项"))
    if m.host:
        intro += tr("会议由{host}主持。", host=m.host)
    if present:
        intro += tr("参加会议的有{roles}等{n}人。", roles="、".join(dict.fromkeys(p.role.label_for(lang) for p in present)), n=len(present))
    story += [para(intro + tr("现将会议议定事项纪要如下："), st.indent), spacer(2)]
    section = 0
    if bundle.minutes.summary:
        section += 1
        story += [para(ordinal(section, lang) + tr("会议认为"), st.heading), para(bundle.minutes.summary, st.indent)]
    outcomes = [o for a in items for o in sorted((o for o in bundle.outcomes if o.agenda_item_id == a.id), key=lambda o: o.position)]
    if outcomes:
        section += 1
        story.append(para(ordinal(section, lang) + tr("会议议定"), st.heading))
        story += _outcome_flowables(outcomes, bundle.action_items, lang, st)
    people = _people_line(present, lang)
    if people:
        story += [spacer(3), para(tr("参加人员：") + people, st.small)]
    issued = cn_date(bundle.minutes.finalized_at or m.ends_at or m.starts_at, lang)
    story += [spacer(8), para(room.name, st.right), para(issued, st.right)]
    if seal:
        story.append(_seal_block(seal, bundle, lang, st))
    return _build(story, bundle, seal, room=room, title=tr("协商纪要"), lang=lang, printed_at=printed_at)


def _people_line(present: Sequence[Participant], lang: str) -> str:
    return names_by_role(present, lang)
