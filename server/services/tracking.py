"""What a resident sees on ``/t/{tracking code}``: the topic's history in plain
words, the outcomes agreed for it once the minutes are finalized, and the
submitter masked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from desktop.domain.enums import MinutesStatus, TopicStatus
from desktop.domain.ids import normalize_tracking_code
from desktop.domain.masking import mask_name, mask_phone
from desktop.storage.models import AgendaItemRow, MinutesRow, OutcomeRow, TopicEventRow, TopicRow
from server.db import ServerDB
from server.errors import NotFoundError
from server.models import CountyRoomRow

# the plain words of each step; "{reason}" is filled where the room gave one
STEP_LABELS = {
    "submit": "已收到",
    "accept": "已受理",
    "decline": "不予受理",
    "merge": "已与同类事项合并办理",
    "handle_directly": "已直接办理",
    "schedule": "已安排协商",
    "unschedule": "协商时间另行安排",
    "consult": "已协商",
    "implement": "落实中",
    "resolve": "已办结",
    "visit": "已回访",
    "reopen": "重新办理",
}

# what the resident is told about where the matter stands now
STATUS_LABELS = {
    TopicStatus.SUBMITTED: "已收到，等待议事室受理",
    TopicStatus.ACCEPTED: "已受理",
    TopicStatus.DECLINED: "不予受理",
    TopicStatus.MERGED: "已与同类事项合并办理",
    TopicStatus.SCHEDULED: "已安排协商",
    TopicStatus.CONSULTED: "已协商",
    TopicStatus.IMPLEMENTING: "落实中",
    TopicStatus.RESOLVED: "已办结",
    TopicStatus.VISITED: "已办结并回访",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    at: datetime
    label: str
    detail: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TrackingView:
    tracking_code: str
    title: str
    room_name: str
    status: TopicStatus
    status_text: str
    submitter: str  # masked
    phone: str  # masked
    received_at: datetime
    steps: tuple[Step, ...]
    outcomes: tuple[str, ...]
    merged_into: str | None


def _detail(ev: TopicEventRow) -> str:
    # reasons the room wrote for the submitter; a merge's reason is the other code
    if ev.action in ("decline", "handle_directly", "merge", "reopen"):
        return ev.reason
    return ""


def topic_history(db: ServerDB, code: str) -> TrackingView:
    code = normalize_tracking_code(code or "")
    with db.read() as session:
        topic = session.scalars(select(TopicRow).where(TopicRow.tracking_code == code, TopicRow.deleted.is_(False))).first()
        if topic is None:
            raise NotFoundError("没有找到查询码为“{code}”的事项。请核对回执上的查询码（8 位字母和数字）。", code=code[:20])
        room = session.get(CountyRoomRow, topic.room_id)
        events = session.scalars(
            select(TopicEventRow).where(TopicEventRow.topic_id == topic.id, TopicEventRow.deleted.is_(False)).order_by(TopicEventRow.at, TopicEventRow.id)
        ).all()
        outcomes = session.scalars(
            select(OutcomeRow.text)
            .join(AgendaItemRow, AgendaItemRow.id == OutcomeRow.agenda_item_id)
            .join(MinutesRow, MinutesRow.meeting_id == OutcomeRow.meeting_id)
            .where(
                AgendaItemRow.topic_id == topic.id,
                AgendaItemRow.deleted.is_(False),
                OutcomeRow.deleted.is_(False),
                MinutesRow.deleted.is_(False),
                MinutesRow.status == MinutesStatus.FINALIZED,
                MinutesRow.corrects_id.is_(None),
            )
            .order_by(OutcomeRow.position)
        ).all()
        merged_into = None
        if topic.merged_into_id:
            other = session.get(TopicRow, topic.merged_into_id)
            merged_into = other.tracking_code if other else None
        steps = tuple(Step(at=e.at, label=STEP_LABELS.get(e.action, e.to_status.zh if hasattr(e.to_status, "zh") else str(e.to_status)), detail=_detail(e)) for e in events)
        status = topic.status
        return TrackingView(
            tracking_code=topic.tracking_code,
            title=topic.title,
            room_name=room.name if room else "",
            status=status,
            status_text=STATUS_LABELS.get(status, str(status)),
            submitter=mask_name(topic.submitter_name),
            phone=mask_phone(topic.submitter_phone),
            received_at=topic.received_at,
            steps=steps,
            outcomes=tuple(dict.fromkeys(outcomes)),
            merged_into=merged_into,
        )
