"""Agenda use cases: add an item (usually a topic, which moves from accepted to
scheduled), reorder, update and remove items. Positions are 1..n with no gaps,
so the printed agenda numbers them as the screen does.
"""

from __future__ import annotations

from typing import Any, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.domain.entities import Result
from desktop.domain.enums import MeetingStatus, TopicStatus
from desktop.domain.errors import DomainError, ValidationError
from desktop.domain.ids import new_id
from desktop.domain.lifecycle import Action
from desktop.domain.validation import TITLE_MAX, clean_text, required_text
from desktop.storage import outbox
from desktop.storage.db import Store
from desktop.storage.models import AgendaItemRow, MeetingRow, OutcomeRow, StatementRow, TopicRow
from desktop.storage.services import topics
from desktop.storage.services.common import get_live, result
from desktop.storage.services.guards import count, ensure_editable, only_fields


def live_items(session: Session, meeting_id: str) -> list[AgendaItemRow]:
    return list(
        session.scalars(
            select(AgendaItemRow)
            .where(AgendaItemRow.meeting_id == meeting_id, AgendaItemRow.deleted.is_(False))
            .order_by(AgendaItemRow.position, AgendaItemRow.id)
        )
    )


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key == "title":
            out[key] = required_text(value, field="议程名称", max_len=TITLE_MAX)
        elif key == "background":
            out[key] = clean_text(value, field="情况说明")
        elif key == "presenter":
            out[key] = clean_text(value, field="汇报人", max_len=100, multiline=False)
        elif key == "minutes_allotted":
            out[key] = count(value, field="安排时长（分钟）", maximum=1440)
    return out


def new_agenda_item(
    session: Session,
    meeting: MeetingRow,
    *,
    topic: TopicRow | None = None,
    position: int,
    title: str | None = None,
    background: str = "",
    presenter: str = "",
    minutes_allotted: int | None = None,
) -> AgendaItemRow:
    """Insert an item (already validated, topic already moved)."""
    row = AgendaItemRow(
        id=new_id(),
        room_id=meeting.room_id,
        meeting_id=meeting.id,
        topic_id=topic.id if topic else None,
        position=position,
        title=title or (topic.title if topic else ""),
        background=background if (background or topic is None) else topic.description,
        presenter=presenter,
        minutes_allotted=minutes_allotted,
    )
    outbox.insert(session, row)
    return row


def add_agenda_item(
    store: Store,
    meeting_id: str,
    *,
    topic_id: str | None = None,
    title: str | None = None,
    background: str = "",
    presenter: str = "",
    minutes_allotted: int | None = None,
    actor: str = "",
) -> Result:
    """Put a topic (or a free item such as 通报情况) at the end of the agenda."""
    values = _clean(dict(background=background, presenter=presenter, minutes_allotted=minutes_allotted))
    if (title is not None and title.strip()) or topic_id is None:
        values.update(_clean(dict(title=title)))  # a topic's item defaults to the topic's title
    with store.write() as session:
        meeting = ensure_editable(session, meeting_id)
        topic = None
        if topic_id is not None:
            if meeting.status == MeetingStatus.HELD:
                raise DomainError("会议已经召开，不能再把议题排入它的议程。")
            topic = get_live(session, TopicRow, topic_id)
            topics.move(session, topic, Action.SCHEDULE, actor=actor, reason=meeting.title)
        last = session.scalar(
            select(func.max(AgendaItemRow.position)).where(
                AgendaItemRow.meeting_id == meeting.id, AgendaItemRow.deleted.is_(False)
            )
        )
        row = new_agenda_item(session, meeting, topic=topic, position=(last or 0) + 1, **values)
        return result(session, row)


def reorder_agenda(store: Store, meeting_id: str, ordered_ids: Sequence[str]) -> Result:
    """Number the items in the order given (every item exactly once)."""
    with store.write() as session:
        ensure_editable(session, meeting_id)
        items = {row.id: row for row in live_items(session, meeting_id)}
        if len(ordered_ids) != len(items) or set(ordered_ids) != set(items):
            raise ValidationError("议程顺序不完整：请把本次会议的每个议程事项各排一次。")
        for position, item_id in enumerate(ordered_ids, start=1):
            outbox.update(session, items[item_id], position=position)
        return result(session, tuple(items[i] for i in ordered_ids))


AGENDA_FIELDS = ("title", "background", "presenter", "minutes_allotted")


def update_agenda_item(store: Store, agenda_item_id: str, **fields: Any) -> Result:
    only_fields(fields, AGENDA_FIELDS)
    values = _clean(fields)
    with store.write() as session:
        row = get_live(session, AgendaItemRow, agenda_item_id)
        ensure_editable(session, row.meeting_id)
        outbox.update(session, row, **values)
        return result(session, row)


def remove_agenda_item(store: Store, agenda_item_id: str, *, actor: str = "") -> Result:
    """Take an item off the agenda; its topic goes back to accepted. An item
    that already has statements or outcomes stays (they would lose their place)."""
    with store.write() as session:
        row = get_live(session, AgendaItemRow, agenda_item_id)
        meeting = ensure_editable(session, row.meeting_id)
        for cls in (StatementRow, OutcomeRow):
            used = session.scalar(
                select(func.count()).select_from(cls).where(cls.agenda_item_id == row.id, cls.deleted.is_(False))
            )
            if used:
                raise DomainError("议程事项“{title}”已有发言或协商结果，不能删除。", title=row.title)
        if row.topic_id is not None:
            topic = session.get(TopicRow, row.topic_id)
            if topic is not None and not topic.deleted and topic.status == TopicStatus.SCHEDULED:
                topics.move(session, topic, Action.UNSCHEDULE, actor=actor, reason=meeting.title)
        outbox.delete(session, row)
        for position, other in enumerate((r for r in live_items(session, meeting.id) if r.id != row.id), start=1):
            outbox.update(session, other, position=position)
        return result(session, row)
