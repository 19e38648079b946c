"""Read-only queries the window, printing and the CLI use: meetings, their
agenda, participants, statements, outcomes and minutes; action items (open,
overdue), their progress, and follow-up visits. Every answer is a tuple of
frozen domain objects; tombstoned rows are never shown.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.sql.elements import ColumnElement

from desktop.domain.entities import (
    ActionItem,
    AgendaItem,
    FollowUp,
    Meeting,
    Minutes,
    Outcome,
    Participant,
    ProgressEntry,
    Statement,
)
from desktop.domain.enums import ActionStatus, MeetingStatus
from desktop.domain.errors import ValidationError
from desktop.storage.db import Store
from desktop.storage.mapping import to_domain
from desktop.storage.models import (
    ActionItemRow,
    AgendaItemRow,
    FollowUpRow,
    MeetingRow,
    MinutesRow,
    OutcomeRow,
    ParticipantRow,
    ProgressEntryRow,
    StatementRow,
)
from desktop.storage.services.common import get_live

OPEN = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


def _all(store: Store, query: Any) -> tuple[Any, ...]:
    with store.read() as session:
        return tuple(to_domain(r) for r in session.scalars(query))


def list_meetings(store: Store, *, status: MeetingStatus | None = None) -> tuple[Meeting, ...]:
    """Meetings, latest first."""
    q = select(MeetingRow).where(MeetingRow.deleted.is_(False))
    if status is not None:
        q = q.where(MeetingRow.status == status)
    return _all(store, q.order_by(MeetingRow.starts_at.desc(), MeetingRow.id.desc()))


def get_meeting(store: Store, meeting_id: str) -> Meeting:
    with store.read() as session:
        return to_domain(get_live(session, MeetingRow, meeting_id))


def agenda_of(store: Store, meeting_id: str) -> tuple[AgendaItem, ...]:
    q = select(AgendaItemRow).where(AgendaItemRow.meeting_id == meeting_id, AgendaItemRow.deleted.is_(False))
    return _all(store, q.order_by(AgendaItemRow.position, AgendaItemRow.id))


def participants_of(store: Store, meeting_id: str) -> tuple[Participant, ...]:
    """Attendees first, then observers (列席), each in the order invited."""
    q = select(ParticipantRow).where(ParticipantRow.meeting_id == meeting_id, ParticipantRow.deleted.is_(False))
    rows = _all(store, q.order_by(ParticipantRow.id))
    return tuple(sorted(rows, key=lambda p: p.kind != "attendee"))


def _by_item(cls: Any, meeting_id: str | None, agenda_item_id: str | None) -> Any:
    if (meeting_id is None) == (agenda_item_id is None):
        raise ValidationError("请指定会议或议程事项（二者选一）。")
    q = select(cls).where(cls.deleted.is_(False))
    if agenda_item_id is not None:
        return q.where(cls.agenda_item_id == agenda_item_id).order_by(cls.position, cls.id)
    # in agenda order, then in the order spoken
    q = q.join(AgendaItemRow, AgendaItemRow.id == cls.agenda_item_id).where(cls.meeting_id == meeting_id)
    return q.order_by(AgendaItemRow.position, cls.position, cls.id)


def statements_of(store: Store, *, meeting_id: str | None = None, agenda_item_id: str | None = None) -> tuple[Statement, ...]:
    return _all(store, _by_item(StatementRow, meeting_id, agenda_item_id))


def outcomes_of(store: Store, *, meeting_id: str | None = None, agenda_item_id: str | None = None) -> tuple[Outcome, ...]:
    return _all(store, _by_item(OutcomeRow, meeting_id, agenda_item_id))


def _action_filter(
    *, meeting_id: str | None, topic_id: str | None, overdue_on: date | None, open_only: bool,
    statuses: tuple[ActionStatus, ...] = OPEN,
) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [ActionItemRow.deleted.is_(False)]
    if meeting_id is not None:
        conds.append(ActionItemRow.meeting_id == meeting_id)
    if topic_id is not None:
        conds.append(ActionItemRow.topic_id == topic_id)
    if open_only or overdue_on is not None:
        conds.append(ActionItemRow.status.in_(statuses))
    if overdue_on is not None:
        conds.append(ActionItemRow.deadline < overdue_on)
    return conds


def action_items(
    store: Store,
    *,
    meeting_id: str | None = None,
    topic_id: str | None = None,
    overdue_on: date | None = None,
    open_only: bool = False,
    limit: int | None = None,
) -> tuple[ActionItem, ...]:
    """Action items by deadline (none last); ``overdue_on`` keeps the open ones
    whose deadline is before that day. ``limit`` reads only the first that
    many (the workbench shows a few of a county's tens of thousands; pair it
    with ``count_action_items`` for "还有 N 项")."""
    if limit is not None and limit < 0:
        raise ValidationError("条数不能是负数。")
    filters = dict(meeting_id=meeting_id, topic_id=topic_id, overdue_on=overdue_on, open_only=open_only)
    if overdue_on is not None and limit is not None:
        # the first few overdue: one walk of ix_action_item_open_deadline per open
        # status, merged here. With both statuses in one query SQLite sorted every
        # overdue row (130 ms for 88,000) to hand back fifty.
        found: list[ActionItem] = []
        for status in OPEN:
            q = select(ActionItemRow).where(*_action_filter(**filters, statuses=(status,)))
            found += _all(store, q.order_by(ActionItemRow.deadline, ActionItemRow.created_at, ActionItemRow.id).limit(limit))
        found.sort(key=lambda a: (a.deadline, a.created_at, a.id))
        return tuple(found[:limit])
    q = select(ActionItemRow).where(*_action_filter(**filters))
    if overdue_on is None:
        q = q.order_by(ActionItemRow.deadline.is_(None), ActionItemRow.deadline, ActionItemRow.created_at, ActionItemRow.id)
    else:  # no deadline-less rows here, and a plain ORDER BY deadline can walk its index
        q = q.order_by(ActionItemRow.deadline, ActionItemRow.created_at, ActionItemRow.id)
    if limit is not None:
        q = q.limit(limit)
    return _all(store, q)


def count_action_items(
    store: Store,
    *,
    meeting_id: str | None = None,
    topic_id: str | None = None,
    overdue_on: date | None = None,
    open_only: bool = False,
) -> int:
    """How many action items ``action_items`` would give with the same filters
    and no limit: one COUNT, no rows read into Python."""
    conds = _action_filter(meeting_id=meeting_id, topic_id=topic_id, overdue_on=overdue_on, open_only=open_only)
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(ActionItemRow).where(*conds)) or 0)


def progress_of(store: Store, action_item_id: str) -> tuple[ProgressEntry, ...]:
    q = select(ProgressEntryRow).where(ProgressEntryRow.action_item_id == action_item_id, ProgressEntryRow.deleted.is_(False))
    return _all(store, q.order_by(ProgressEntryRow.at, ProgressEntryRow.id))


def follow_ups_of(store: Store, topic_id: str) -> tuple[FollowUp, ...]:
    q = select(FollowUpRow).where(FollowUpRow.topic_id == topic_id, FollowUpRow.deleted.is_(False))
    return _all(store, q.order_by(FollowUpRow.at, FollowUpRow.id))


def minutes_of(store: Store, meeting_id: str) -> tuple[Minutes, ...]:
    """The original minutes first, then its corrections (勘误) in order. A
    second draft of another PC, refused by the server and kept until a person
    discards it, comes after the original (``guards.original_minutes``)."""
    from desktop.storage.services.guards import original_minutes

    with store.read() as session:
        original = original_minutes(session, meeting_id)
        rows = session.scalars(select(MinutesRow).where(MinutesRow.meeting_id == meeting_id, MinutesRow.deleted.is_(False)).order_by(MinutesRow.id))
        # ids are UUIDv7, so id order is the order the corrections were made
        ordered = sorted(rows, key=lambda m: (m is not original, m.corrects_id is not None, m.id))
        return tuple(to_domain(r) for r in ordered)
