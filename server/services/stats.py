"""The county's numbers: topics collected, meetings held, matters resolved,
resolution and satisfaction rates, by township, room, source, category and
month, for a date range (dates and months in China time). Each breakdown is
one GROUP BY in the database, so the page stays fast on a whole city."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, case, func, literal, select
from sqlalchemy.orm import Session

from desktop.domain.clock import CHINA_TZ
from desktop.i18n import tr
from desktop.domain.enums import MeetingStatus, Satisfaction, TopicSource, TopicStatus
from desktop.storage.models import FollowUpRow, MeetingRow, TopicRow
from server.db import ServerDB
from server.models import CountyRoomRow

DIMENSION_LABELS = {"township": "镇/街道", "room": "议事室", "source": "议题来源", "category": "类别", "month": "月份"}
DIMENSIONS = tuple(DIMENSION_LABELS)
RESOLVED = (TopicStatus.RESOLVED, TopicStatus.VISITED)
GOOD = (Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED)


@dataclass(slots=True, kw_only=True)
class StatRow:
    key: str
    label: str
    topics: int = 0
    resolved: int = 0
    meetings: int = 0
    follow_ups: int = 0
    satisfied: int = 0

    @property
    def resolution_rate(self) -> float | None:
        return self.resolved / self.topics if self.topics else None

    @property
    def satisfaction_rate(self) -> float | None:
        return self.satisfied / self.follow_ups if self.follow_ups else None


@dataclass(frozen=True, slots=True, kw_only=True)
class CountyStats:
    start: date
    end: date
    total: StatRow
    by: dict[str, tuple[StatRow, ...]] = field(default_factory=dict)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) China time, as aware datetimes."""
    return (
        datetime.combine(start, time(), CHINA_TZ),
        datetime.combine(end + timedelta(days=1), time(), CHINA_TZ),
    )


def _month(session: Session, col: ColumnElement) -> ColumnElement:  # type: ignore[type-arg]
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(col + literal(timedelta(hours=8)), "YYYY-MM")
    return func.strftime("%Y-%m", col, "+8 hours")


def _key(session: Session, dim: str, table) -> ColumnElement | None:  # type: ignore[no-untyped-def,type-arg]
    """The grouping column of ``dim`` for a table (None: not meaningful there)."""
    if dim == "township":
        return CountyRoomRow.township
    if dim == "room":
        return CountyRoomRow.id
    if dim == "month":
        return _month(session, table.starts_at if table is MeetingRow else table.received_at if table is TopicRow else table.at)
    if table is TopicRow:
        return TopicRow.source if dim == "source" else TopicRow.category
    if table is FollowUpRow:
        return TopicRow.source if dim == "source" else TopicRow.category
    return None


def county_stats(db: ServerDB, *, start: date, end: date) -> CountyStats:
    lo, hi = _bounds(start, end)
    with db.read() as session:
        rooms = {r.id: r for r in session.scalars(select(CountyRoomRow))}
        total = StatRow(key="", label=tr("合计"))
        by: dict[str, tuple[StatRow, ...]] = {}
        for dim in (None, *DIMENSIONS):
            rows: dict[str, StatRow] = {}

            def bucket(k: object) -> StatRow:
                key = "" if k is None else str(k)
                if dim is None:
                    return total
                if key not in rows:
                    rows[key] = StatRow(key=key, label=_label(dim, key, rooms))
                return rows[key]

            tkey = _key(session, dim, TopicRow) if dim else literal("")
            q = (
                select(tkey, func.count(), func.sum(case((TopicRow.status.in_(RESOLVED), 1), else_=0)))
                .select_from(TopicRow)
                .join(CountyRoomRow, CountyRoomRow.id == TopicRow.room_id)
                .where(TopicRow.deleted.is_(False), TopicRow.received_at >= lo, TopicRow.received_at < hi)
                .group_by(tkey)
            )
            for k, n, resolved in session.execute(q):
                b = bucket(k)
                b.topics, b.resolved = int(n), int(resolved or 0)
            mkey = _key(session, dim, MeetingRow) if dim else literal("")
            if mkey is not None:
                q = (
                    select(mkey, func.count())
                    .select_from(MeetingRow)
                    .join(CountyRoomRow, CountyRoomRow.id == MeetingRow.room_id)
                    .where(MeetingRow.deleted.is_(False), MeetingRow.status == MeetingStatus.HELD, MeetingRow.starts_at >= lo, MeetingRow.starts_at < hi)
                    .group_by(mkey)
                )
                for k, n in session.execute(q):
                    bucket(k).meetings = int(n)
            fkey = _key(session, dim, FollowUpRow) if dim else literal("")
            q = (
                select(fkey, func.count(), func.sum(case((FollowUpRow.satisfaction.in_(GOOD), 1), else_=0)))
                .select_from(FollowUpRow)
                .join(TopicRow, TopicRow.id == FollowUpRow.topic_id)
                .join(CountyRoomRow, CountyRoomRow.id == FollowUpRow.room_id)
                .where(FollowUpRow.deleted.is_(False), FollowUpRow.at >= lo, FollowUpRow.at < hi)
                .group_by(fkey)
            )
            for k, n, good in session.execute(q):
                b = bucket(k)
                b.follow_ups, b.satisfied = int(n), int(good or 0)
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
