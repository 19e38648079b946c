"""The agenda / meeting notice (协商议事会议程): serial number, time, place,
form, who convenes, hosts and records, who attends and who observes, each
topic with its source, tracking code, masked submitter, background, presenter
and time, and the fixed order of business of a consultation meeting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from desktop.domain.entities import AgendaItem, Meeting, Participant, Room, Topic
from desktop.domain.enums import ParticipantKind
from desktop.domain.masking import mask_name
from desktop.i18n import tr_for
from desktop.printing.layout import in_language
from reportlab.platypus import KeepTogether

from desktop.printing.common import cn_circled, heading_block, names_by_role, ordinal, serial
from desktop.printing.layout import build_pdf, cn_span, field_rows, para, spacer, styles

# the order of business of a consultation meeting (a dict so tools/i18n_sources.py sees it)
PROCEDURE_LABELS = {
    1: "宣布开会并通报到会情况",
    2: "介绍议题",
    3: "各方发言",
    4: "协商讨论",
    5: "形成共识",
    6: "明确落实责任",
    7: "散会",
}


def render_agenda(
    *,
    room: Room,
    meeting: Meeting,
    agenda: Sequence[AgendaItem],
    topics: Mapping[str, Topic],
    participants: Sequence[Participant],
    lang: str = "zh",
    printed_at: datetime | None = None,
) -> bytes:
    """The agenda as PDF bytes. ``topics`` maps topic id to topic for the
    agenda items that come from one."""
    st = styles()
    tr = in_language(lang)
    story = heading_block(st, room=room, title=tr("协商议事会议程"), subtitle=serial(meeting, lang))
    attendees = [p for p in participants if p.kind == ParticipantKind.ATTENDEE]
    observers = [p for p in participants if p.kind == ParticipantKind.OBSERVER]
    header = field_rows([
        (tr("会议名称"), meeting.title),
        (tr("时间"), cn_span(meeting.starts_at, meeting.ends_at, lang)),
        (tr("地点"), meeting.place),
        (tr("形式"), meeting.type.label_for(lang)),
        (tr("召集人"), meeting.convenor),
        (tr("主持人"), meeting.host),
        (tr("记录人"), meeting.recorder),
        (tr("出席"), names_by_role(attendees, lang)),
        (tr("列席"), names_by_role(observers, lang)),
    ], st)
    if header is not None:
        story.append(header)
    items = sorted(agenda, key=lambda a: a.position)
    if items:
        story += [spacer(3), para(tr("议题"), st.heading)]
    for n, item in enumerate(items, 1):
        topic = topics.get(item.topic_id) if item.topic_id else None
        story.append(para(ordinal(n, lang) + item.title, st.heading))
        facts = []
        if topic is not None:
            facts.append(tr("来源：{source}", source=topic.source.label_for(lang)))
            if topic.tracking_code:
                facts.append(tr("查询码：{code}", code=topic.tracking_code))
            if topic.submitter_name:
                facts.append(tr("提出人：{name}", name=mask_name(topic.submitter_name)))
        if item.presenter:
            facts.append(tr("介绍人：{name}", name=item.presenter))
        if item.minutes_allotted:
            facts.append(tr("时长：约{n}分钟", n=item.minutes_allotted))
        if facts:
            story.append(para(" ｜ ".join(facts), st.small))
        background = item.background or (topic.description if topic else "")
        if background:
            story.append(para(background, st.body))
    steps = " → ".join(f"{cn_circled(n)}{tr(step)}" for n, step in PROCEDURE_LABELS.items())
    story.append(KeepTogether([spacer(3), para(tr("会议程序"), st.heading), para(steps, st.body)]))
    return build_pdf(story, title=tr("协商议事会议程") + " " + meeting.title, author=room.name, lang=lang, printed_at=printed_at)
