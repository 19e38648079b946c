"""The rows each statistic of ``desktop.domain.statistics`` counts, as
SQLAlchemy Core conditions that the room's SQLite and the county's SQLite or
PostgreSQL both run (no Qt, no FastAPI here). Statuses are compared and
grouped as the stored text (``stored``), never loaded through an enum, so a
value from a newer client falls in no bucket and breaks nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, String, func, select, true, type_coerce

from desktop.domain import statistics as st
from desktop.storage.models import ActionItemRow, FollowUpRow, MeetingRow, TopicRow


def stored(column: Any) -> ColumnElement[str]:
    """A status or kind column as the text stored in it."""
    return type_coerce(column, String())


def in_range(column: Any, lo: datetime | None, hi: datetime | None) -> list[ColumnElement[bool]]:
    """``lo <= column < hi``; an open end is no condition."""
    conds: list[ColumnElement[bool]] = []
    if lo is not None:
        conds.append(column >= lo)
    if hi is not None:
        conds.append(column < hi)
    return conds


def tombstoned_topics() -> Select[tuple[str]]:
    # ``= 1`` / ``= true`` literally (not ``IS 1``): the room's partial index
    # ix_topic_tombstones serves it, so leaving tombstones out costs nothing
    return select(TopicRow.id).where(TopicRow.deleted == true())


def topics_received(lo: datetime | None, hi: datetime | None) -> list[ColumnElement[bool]]:
    """Topics received in the period, any status (group them by ``stored(status)``
    and tally with ``TopicTally.of``, which knows which statuses count)."""
    return [TopicRow.deleted.is_(False), *in_range(TopicRow.received_at, lo, hi)]


def meetings_held(lo: datetime | None, hi: datetime | None) -> list[ColumnElement[bool]]:
    """召开议事会: held meetings that start in the period."""
    return [stored(MeetingRow.status) == st.MEETING_HELD, MeetingRow.deleted.is_(False), *in_range(MeetingRow.starts_at, lo, hi)]


def visits_made(lo: datetime | None, hi: datetime | None) -> list[ColumnElement[bool]]:
    """Follow-up visits made in the period, of topics not tombstoned (count
    them with ``visit_tally``)."""
    return [*any_visits_made(lo, hi), FollowUpRow.topic_id.not_in(tombstoned_topics())]


def any_visits_made(lo: datetime | None, hi: datetime | None) -> list[ColumnElement[bool]]:
    """Visits made in the period, of any topic. ``visits_made`` is these less
    ``visits_of_tombstoned_topics``: the room counts it as that difference,
    because its covering index ix_follow_up_at has no topic column and
    checking each visit's topic would read every visit's row (3x slower)."""
    return [FollowUpRow.deleted.is_(False), *in_range(FollowUpRow.at, lo, hi)]


def visits_of_tombstoned_topics(lo: datetime | None, hi: datetime | None) -> list[ColumnElement[bool]]:
    """The visits ``any_visits_made`` has and ``visits_made`` leaves out."""
    return [*any_visits_made(lo, hi), FollowUpRow.topic_id.in_(tombstoned_topics())]


def visit_tally() -> tuple[ColumnElement[int], ColumnElement[int]]:
    """(回访, 满意 or 基本满意) of the visits selected, for ``VisitTally``; a
    satisfaction neither side knows counts in neither."""
    rating = stored(FollowUpRow.satisfaction)
    return (
        func.count().filter(rating.in_(sorted(st.RATED))),
        func.count().filter(rating.in_(sorted(st.SATISFIED))),
    )


def overdue_action_items(today: date) -> list[ColumnElement[bool]]:
    """逾期: open or in-progress action items whose deadline is before ``today``."""
    return [
        stored(ActionItemRow.status).in_(sorted(st.ACTION_OPEN)),
        ActionItemRow.deadline.is_not(None),
        ActionItemRow.deadline < today,
        ActionItemRow.deleted.is_(False),
    ]
