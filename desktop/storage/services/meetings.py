"""Meeting use cases: schedule (with its year's serial number 议〔2026〕第N号 and
its topics put on the agenda), update details, start, end and cancel. Status
changes go through ``lifecycle.MEETING``; the topics on the agenda move with the
meeting (ended: consulted; cancelled: back to accepted).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.domain import clock, lifecycle
from desktop.domain.entities import Result
from desktop.domain.enums import ActionStatus, MeetingStatus, MeetingType, TopicStatus
from desktop.domain.errors import ValidationError
from desktop.domain.ids import new_id
from desktop.domain.lifecycle import Action
from desktop.domain.validation import TITLE_MAX, clean_text, required_text
from desktop.storage import outbox
from desktop.storage.db import Store
from desktop.storage.models import ActionItemRow, AgendaItemRow, MeetingRow, TopicRow
from desktop.storage.services import topics
from desktop.storage.services.agenda import new_agenda_item
from desktop.storage.services.common import get_live, result, room_of
from desktop.storage.services.guards import aware, ensure_editable, only_fields


def meeting_type(value: MeetingType | str) -> MeetingType:
    try:
        return MeetingType(value)
    except ValueError:
        raise ValidationError("未知的协商形式“{type}”。", type=str(value)[:40]) from None


def _year_bounds(starts_at: datetime) -> tuple[datetime, datetime]:
    """The calendar year (China time) that a meeting's number belongs to."""
    local = clock.to_local(starts_at)
    start = local.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    return start, start.replace(year=start.year + 1)


def next_serial_no(session: Session, starts_at: datetime, *, exclude_id: str | None = None) -> int:
    """The next number within the meeting's year; cancelled meetings keep theirs
    (a number once printed on a notice is never given to another meeting)."""
    lo, hi = _year_bounds(starts_at)
    q = select(func.max(MeetingRow.serial_no)).where(MeetingRow.starts_at >= lo, MeetingRow.starts_at < hi)
    if exclude_id is not None:
        q = q.where(MeetingRow.id != exclude_id)
    return (session.scalar(q) or 0) + 1


_PEOPLE = {"convenor": "召集人", "host": "主持人", "recorder": "记录人"}


def _clean_details(values: dict[str, Any]) -> dict[str, Any]:
    """Validated meeting details (only the keys given)."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key == "title":
            out[key] = required_text(value, field="会议名称", max_len=TITLE_MAX)
        elif key == "type":
            out[key] = meeting_type(value)
        elif key == "starts_at":
            out[key] = aware(value, field="开始时间")
        elif key == "ends_at":
            out[key] = aware(value, field="结束时间", optional=True)
        elif key == "place":
            out[key] = clean_text(value, field="会议地点", max_len=300, multiline=False)
        elif key in _PEOPLE:
            out[key] = clean_text(value, field=_PEOPLE[key], max_len=100, multiline=False)
    starts, ends = out.get("starts_at"), out.get("ends_at")
    if starts is not None and ends is not None and ends < starts:
        raise ValidationError("结束时间不能早于开始时间。")
    return out


def schedule_meeting(
    store: Store,
    *,
    title: str,
    type: MeetingType | str,
    starts_at: datetime,
    place: str = "",
    convenor: str = "",
    host: str = "",
    recorder: str = "",
    topic_ids: Iterable[str] = (),
    actor: str = "",
) -> Result:
    """A new planned meeting; each topic in ``topic_ids`` gets an agenda item
    and moves from accepted to scheduled."""
    details = _clean_details(
        dict(title=title, type=type, starts_at=starts_at, place=place, convenor=convenor, host=host, recorder=recorder)
    )
    topic_ids = list(dict.fromkeys(topic_ids))
    with store.write() as session:
        room = room_of(session)
        row = MeetingRow(
            id=new_id(),
            room_id=room.id,
            status=MeetingStatus.PLANNED,
            serial_no=next_serial_no(session, details["starts_at"]),
            ends_at=None,
            created_at=clock.now(),
            **details,
        )
        outbox.insert(session, row)
        for position, topic_id in enumerate(topic_ids, start=1):
            topic = get_live(session, TopicRow, topic_id)
            topics.move(session, topic, Action.SCHEDULE, actor=actor, reason=row.title)
            new_agenda_item(session, row, topic=topic, position=position)
        return result(session, row)


MEETING_FIELDS = ("title", "type", "starts_at", "ends_at", "place", "convenor", "host", "recorder")


def update_meeting(store: Store, meeting_id: str, **fields: Any) -> Result:
    """Change a meeting's details; a new year gives it that year's next number."""
    only_fields(fields, MEETING_FIELDS)
    values = _clean_details(fields)
    with store.write() as session:
        row = ensure_editable(session, meeting_id)
        if values.get("ends_at") is not None and values.get("starts_at") is None and values["ends_at"] < row.starts_at:
            raise ValidationError("结束时间不能早于开始时间。")
        new_start = values.get("starts_at")
        if new_start is not None and _year_bounds(new_start)[0] != _year_bounds(row.starts_at)[0]:
            values["serial_no"] = next_serial_no(session, new_start, exclude_id=row.id)
        outbox.update(session, row, **values)
        return result(session, row)


def _agenda_topics(session: Session, meeting: MeetingRow) -> list[TopicRow]:
    ids = session.scalars(
        select(AgendaItemRow.topic_id)
        .where(AgendaItemRow.meeting_id == meeting.id, AgendaItemRow.deleted.is_(False), AgendaItemRow.topic_id.is_not(None))
        .order_by(AgendaItemRow.position)
    ).all()
    return [t for t in (session.get(TopicRow, i) for i in ids) if t is not None and not t.deleted]


def _set_status(session: Session, meeting: MeetingRow, action: Action, **extra: Any) -> None:
    new = lifecycle.apply(lifecycle.MEETING, meeting.status, action)
    outbox.update(session, meeting, status=new, **extra)


def start_meeting(store: Store, meeting_id: str, *, actor: str = "") -> Result:
    with store.write() as session:
        row = ensure_editable(session, meeting_id, allow_cancelled=True)
        _set_status(session, row, Action.START)
        return result(session, row)


def end_meeting(store: Store, meeting_id: str, *, actor: str = "") -> Result:
    """The meeting was held: its scheduled topics are now consulted, and those
    that already have action items go on to implementing."""
    with store.write() as session:
        row = ensure_editable(session, meeting_id, allow_cancelled=True)
        _set_status(session, row, Action.END, ends_at=row.ends_at or max(clock.now(), row.starts_at))
        for topic in _agenda_topics(session, row):
            if topic.status != TopicStatus.SCHEDULED:
                continue
            topics.move(session, topic, Action.CONSULT, actor=actor, reason=row.title)
            has_work = session.scalar(
                select(func.count())
                .select_from(ActionItemRow)
                .where(
                    ActionItemRow.topic_id == topic.id,
                    ActionItemRow.deleted.is_(False),
                    ActionItemRow.status.in_([ActionStatus.OPEN, ActionStatus.IN_PROGRESS]),
                )
            )
            if has_work:
                topics.move(session, topic, Action.IMPLEMENT, actor=actor, reason=row.title)
        return result(session, row)


def cancel_meeting(store: Store, meeting_id: str, *, reason: str = "", actor: str = "") -> Result:
    """Call the meeting off; its topics go back to accepted, ready for another."""
    reason = clean_text(reason, field="取消原因", max_len=2000)
    with store.write() as session:
        row = ensure_editable(session, meeting_id, allow_cancelled=True)
        _set_status(session, row, Action.CANCEL)
        for topic in _agenda_topics(session, row):
            if topic.status == TopicStatus.SCHEDULED:
                topics.move(session, topic, Action.UNSCHEDULE, actor=actor, reason=reason or row.title)
        return result(session, row)
