"""The county's numbers: topics collected, meetings held, matters resolved,
resolution and satisfaction rates and overdue action items, by township, room,
source, category and month, for a date range (dates and months in China time).
Each statistic is the one of ``desktop.domain.statistics``, selected by the
conditions of ``desktop.storage.stat_queries`` that the room's PC runs too, so
a room's row here shows the numbers of its own ``yishi stats``. Each breakdown
is one GROUP BY in the database, so the page stays fast on a whole city."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, func, literal, select
from sqlalchemy.orm import Session

from desktop.domain import statistics as st
from desktop.domain.enums import TopicSource
from desktop.i18n import tr
from desktop.storage import stat_queries as q
from desktop.storage.models import ActionItemRow, FollowUpRow, MeetingRow, TopicRow
from server.db import ServerDB
from server.models import CountyRoomRow

DIMENSION_LABELS = {"township": "镇/街道", "room": "议事室", "source": "议题来源", "category": "类别", "month": "月份"}
DIMENSIONS = tuple(DIMENSION_LABELS)


@dataclass(slots=True, kw_only=True)
class StatRow:
    """One line of the report: ``topics`` is 收集议题, ``accepted`` 受理,
    ``resolved`` 办结, ``meetings`` 召开议事会, ``follow_ups`` 回访 and
    ``satisfied`` the 满意/基本满意 ones, ``overdue`` 逾期 (None where a
    line cannot hold action items: source, category, month)."""

    key: str
    label: str
    topics: int = 0
    accepted: int = 0
    resolved: int = 0
    meetings: int = 0
    follow_ups: int = 0
    satisfied: int = 0
    overdue: int | None = None

    @property
    def resolution_rate(self) -> float | None:
        return st.TopicTally(collected=self.topics, accepted=self.accepted, resolved=self.resolved).resolution_rate

    @property
    def satisfaction_rate(self) -> float | None:
        return st.VisitTally(visits=self.follow_ups, satisfied=self.satisfied).satisfaction_rate


@dataclass(frozen=True, slots=True, kw_only=True)
class CountyStats:
    start: date
    end: date
    total: StatRow
    by: dict[str, tuple[StatRow, ...]] = field(default_factory=dict)


def _month(session: Session, col: ColumnElement) -> ColumnElement:  # type: ignore[type-arg]
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(col + literal(timedelta(hours=8)), "YYYY-MM")
    return func.strftime("%Y-%m", col, "+8 hours")


def _key(session: Session, dim: str, table) -> ColumnElement | None:  # type: ignore[no-untyped-def,type-arg]
    """The grouping column of ``dim`` for a table (None: not meaningful there).
    Source and category are read as stored text: a value from a newer client
    is a line of its own, never an error."""
    if dim == "township":
        return CountyRoomRow.township
    if dim == "room":
        return CountyRoomRow.id
    if table is ActionItemRow:
        return None
    if dim == "month":
        return _month(session, table.starts_at if table is MeetingRow else table.received_at if table is TopicRow else table.at)
    if table in (TopicRow, FollowUpRow):
        return q.stored(TopicRow.source) if dim == "source" else TopicRow.category
    return None


def _dimension(session: Session, dim: str | None, lo: datetime, hi: datetime, today: date, bucket) -> None:  # type: ignore[no-untyped-def]
    """Count every statistic of one breakdown into ``bucket(key)`` rows."""
    tkey = _key(session, dim, TopicRow) if dim else literal("")
    status = q.stored(TopicRow.status)
    by_key: dict[object, list[tuple[str, int]]] = defaultdict(list)
    for k, s, n in session.execute(
        select(tkey, status, func.count())
        .select_from(TopicRow)
        .join(CountyRoomRow, CountyRoomRow.id == TopicRow.room_id)
        .where(*q.topics_received(lo, hi))
        .group_by(tkey, status)
    ):
        by_key[k].append((s, int(n)))
    for k, pairs in by_key.items():
        tally = st.TopicTally.of(pairs)
        if tally.collected:
            b = bucket(k)
            b.topics, b.accepted, b.resolved = tally.collected, tally.accepted, tally.resolved
    mkey = _key(session, dim, MeetingRow) if dim else literal("")
    if mkey is not None:
        for k, n in session.execute(
            select(mkey, func.count())
            .select_from(MeetingRow)
            .join(CountyRoomRow, CountyRoomRow.id == MeetingRow.room_id)
            .where(*q.meetings_held(lo, hi))
            .group_by(mkey)
        ):
            bucket(k).meetings = int(n)
    fkey = _key(session, dim, FollowUpRow) if dim else literal("")
    for k, n, good in session.execute(
        select(fkey, *q.visit_tally())
        .select_from(FollowUpRow)
        .join(TopicRow, TopicRow.id == FollowUpRow.topic_id)
        .join(CountyRoomRow, CountyRoomRow.id == FollowUpRow.room_id)
        .where(*q.visits_made(lo, hi))
        .group_by(fkey)
    ):
        if n:
            b = bucket(k)
            b.follow_ups, b.satisfied = int(n), int(good)
    akey = _key(session, dim, ActionItemRow) if dim else literal("")
    if akey is not None:
        for k, n in session.execute(
            select(akey, func.count())
            .select_from(ActionItemRow)
            .join(CountyRoomRow, CountyRoomRow.id == ActionItemRow.room_id)
            .where(*q.overdue_action_items(today))
            .group_by(akey)
        ):
            bucket(k).overdue = int(n)


def county_stats(db: ServerDB, *, start: date, end: date, today: date | None = None) -> CountyStats:
    """The county's report for the days ``start`` … ``end`` (China time, both
    included); 逾期 as of ``today`` (default today in China), whatever the range."""
    lo, hi = st.day_bounds(start, end)
    assert lo is not None and hi is not None
    today = today or st.china_today()
    with db.read() as session:
        rooms = {r.id: r for r in session.scalars(select(CountyRoomRow))}
        total = StatRow(key="", label=tr("合计"), overdue=0)
        by: dict[str, tuple[StatRow, ...]] = {}
        for dim in (None, *DIMENSIONS):
            rows: dict[str, StatRow] = {}

            def bucket(k: object) -> StatRow:
                key = "" if k is None else str(k)
                if dim is None:
                    return total
                if key not in rows:
                    rows[key] = StatRow(key=key, label=_label(dim, key, rooms), overdue=0 if dim in ("township", "room") else None)
                return rows[key]

            _dimension(session, dim, lo, hi, today, bucket)
            if dim is not None:
                by[dim] = tuple(sorted(rows.values(), key=lambda r: (r.key if dim == "month" else "", -r.topics, r.label)))
        return CountyStats(start=start, end=end, total=total, by=by)


def _label(dim: str, key: str, rooms: dict[str, CountyRoomRow]) -> str:
    if dim == "room":
        room = rooms.get(key)
        return f"{room.name}（{room.code}）" if room else key
    if dim == "source":
        try:
            return TopicSource(key).label
        except ValueError:
            return key
    if not key:
        return tr("未填写") if dim in ("category", "township") else key
    return key


def raw_topic_count_sql() -> str:
    """The bare aggregate the benchmark compares the page with."""
    return "SELECT room_id, count(*) FROM topic WHERE deleted = false GROUP BY room_id"
