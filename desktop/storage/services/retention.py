"""The retention job on the room's PC: a resident's name and phone number are
blanked once their matter has been closed for the retention period (the
room's setting, default 2 years; see ``desktop.domain.retention``). Each
topic's change goes through the outbox (so the county server gets it at the
next sync) together with a topic_event ``retention`` whose from and to status
are the topic's current status, so the history says when and why, and the
server's lifecycle check has no move to object to.

``due_topics`` is the one query both sides use: the county server runs the
same rule on its copy (``server.services.retention``) for topics born there
whose PC never ran the job. Whichever side runs first wins; the other then
finds the names blank and does nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, or_, select

from desktop.domain import clock, retention
from desktop.domain.entities import Result
from desktop.domain.errors import DomainError
from desktop.domain.ids import new_id
from desktop.storage import outbox
from desktop.storage.db import Store
from desktop.storage.models import SettingRow, TopicEventRow, TopicRow
from desktop.storage.services.common import result, room_of
from desktop.storage.types import UTCDateTime


@dataclass(frozen=True, slots=True, kw_only=True)
class RetentionReport:
    years: int
    cutoff: datetime
    topic_ids: tuple[str, ...]  # the topics whose submitter was blanked (or would be, in a dry run)
    dry_run: bool


def due_topics(cut: datetime, *, room_id: str | None = None) -> Select[tuple[TopicRow]]:
    """Live topics of closed matters, closed at or before ``cut``, that still
    hold a submitter's name or phone. Closed = the last time the topic entered
    a closed status from an open one (a topic without such an event, e.g. an
    old import, counts from its last change)."""
    closed = [s.value for s in retention.CLOSED]
    entered = (
        select(TopicEventRow.topic_id.label("topic_id"), func.max(TopicEventRow.at).label("closed_at"))
        .where(
            TopicEventRow.deleted.is_(False),
            TopicEventRow.to_status.in_(closed),
            or_(TopicEventRow.from_status.is_(None), TopicEventRow.from_status.not_in(closed)),
        )
        .group_by(TopicEventRow.topic_id)
        .subquery()
    )
    closed_at = func.coalesce(entered.c.closed_at, TopicRow.updated_at, type_=UTCDateTime())
    q = (
        select(TopicRow)
        .outerjoin(entered, entered.c.topic_id == TopicRow.id)
        .where(
            TopicRow.deleted.is_(False),
            TopicRow.status.in_(closed),
            or_(TopicRow.submitter_name != "", TopicRow.submitter_phone != ""),
            closed_at <= cut,
        )
        .order_by(TopicRow.room_id, TopicRow.id)
    )
    return q.where(TopicRow.room_id == room_id) if room_id is not None else q


def event_row(topic: TopicRow, *, at: datetime) -> TopicEventRow:
    """The history line the job leaves: no status change (from = to = now)."""
    return TopicEventRow(
        id=new_id(),
        room_id=topic.room_id,
        topic_id=topic.id,
        action=retention.ACTION,
        from_status=topic.status,
        to_status=topic.status,
        actor="",
        reason=retention.REASON,
        at=at,
    )


def retention_years(store: Store) -> int:
    """The room's setting, or the default when it was never set (or is unreadable)."""
    with store.read() as session:
        row = session.get(SettingRow, retention.SETTING_KEY)
        value = row.value if row is not None else retention.DEFAULT_YEARS
    try:
        return retention.check_years(value)
    except DomainError:
        return retention.DEFAULT_YEARS


def set_retention_years(store: Store, years: object) -> int:
    value = retention.check_years(years)
    with store.write() as session:
        row = session.get(SettingRow, retention.SETTING_KEY)
        if row is None:
            session.add(SettingRow(key=retention.SETTING_KEY, value=value))
        else:
            row.value = value
    return value


def run_retention(store: Store, *, years: int | None = None, dry_run: bool = False) -> Result:
    """Blank the names and phone numbers that are due, in one transaction.
    Returns a ``RetentionReport``; a dry run changes nothing."""
    years = retention.check_years(years) if years is not None else retention_years(store)
    now = clock.now()
    cut = retention.cutoff(now, years)
    with store.write() as session:
        room = room_of(session)
        due = list(session.scalars(due_topics(cut, room_id=room.id)))
        if not dry_run:
            for topic in due:
                outbox.update(session, topic, submitter_name="", submitter_phone="", updated_at=now)
                outbox.insert(session, event_row(topic, at=now))
        report = RetentionReport(years=years, cutoff=cut, topic_ids=tuple(t.id for t in due), dry_run=dry_run)
        return result(session, report)
