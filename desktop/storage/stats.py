"""The room's numbers for a date range: topics collected, meetings held,
matters resolved, resolution and satisfaction rates, overdue action items, and
topics by source, status, category and month. A handful of SQL aggregates over
the covering indexes of migration 0002, so the whole report costs a few hundred
milliseconds even on a file holding a city's three years of topics.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import String, and_, bindparam, func, select, text, type_coerce
from sqlalchemy.sql.elements import ColumnElement

from desktop.domain import clock
from desktop.domain.clock import CHINA_TZ
from desktop.domain.enums import ActionStatus, MeetingStatus, Satisfaction, TopicStatus
from desktop.domain.errors import ValidationError
from desktop.storage.db import Store
from desktop.storage.models import ActionItemRow, FollowUpRow, MeetingRow, TopicRow
from desktop.storage.types import UTCDateTime

# statuses a topic can only have reached by being accepted (受理) first
ACCEPTED_OR_LATER = (
    TopicStatus.ACCEPTED,
    TopicStatus.SCHEDULED,
    TopicStatus.CONSULTED,
    TopicStatus.IMPLEMENTING,
    TopicStatus.RESOLVED,
    TopicStatus.VISITED,
)
RESOLVED_NOW = (TopicStatus.RESOLVED, TopicStatus.VISITED)


@dataclass(frozen=True, slots=True)
class RoomStats:
    topics_collected: int
    meetings_held: int
    matters_resolved: int
    resolution_rate: float | None
    satisfaction_rate: float | None
    overdue_action_items: int
    by_source: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)
    by_month: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict with exactly the keys of ``yishi stats --json``."""
        return {
            "topics_collected": self.topics_collected,
            "meetings_held": self.meetings_held,
            "matters_resolved": self.matters_resolved,
            "resolution_rate": self.resolution_rate,
            "satisfaction_rate": self.satisfaction_rate,
            "overdue_action_items": self.overdue_action_items,
            "by_source": dict(self.by_source),
            "by_status": dict(self.by_status),
            "by_category": dict(self.by_category),
            "by_month": dict(self.by_month),
        }


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _bounds(date_from: date | None, date_to: date | None) -> tuple[datetime | None, datetime | None]:
    """Calendar days in China time, both ends included, as a half-open UTC range."""
    if date_from is not None and date_to is not None and date_from > date_to:
        raise ValidationError("开始日期不能晚于结束日期。")
    lo = datetime.combine(date_from, time(0), tzinfo=CHINA_TZ) if date_from else None
    hi = datetime.combine(date_to + timedelta(days=1), time(0), tzinfo=CHINA_TZ) if date_to else None
    return lo, hi


def _in_range(column: Any, lo: datetime | None, hi: datetime | None) -> list[ColumnElement[bool]]:
    conds = []
    if lo is not None:
        conds.append(column >= lo)
    if hi is not None:
        conds.append(column < hi)
    return conds


def room_stats(
    store: Store,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    today: date | None = None,
) -> RoomStats:
    """The room's statistics for the days ``date_from`` … ``date_to`` (China
    time, both included; ``None`` = unbounded). Tombstoned rows never count.

    - topics_collected: topics received in the range, not counting duplicates
      merged into another topic (合并). by_source, by_status, by_category
      (raw category text, "" when none) and by_month ('YYYY-MM' of the day
      received, China time) break down exactly these topics, so each sums to
      topics_collected.
    - meetings_held: meetings with status held (已召开) that start in the range.
    - matters_resolved: topics whose first resolve event (the first status
      change to 已办结, by meeting outcome or handled directly) is in the range;
      a matter reopened and resolved again counts once, on its first date.
    - resolution_rate: of the topics collected that were accepted (now in any
      status from 已受理 on), the share now resolved or visited.
    - satisfaction_rate: follow-up visits (回访) in the range rated 满意 or
      基本满意, over all follow-up visits in the range.
    - overdue_action_items: action items still open or in progress whose
      deadline is before ``today`` (default: today in China time), whatever
      the range.

    Rates are floats in 0..1 rounded to 4 places, ``None`` when nothing is
    there to divide by."""
    lo, hi = _bounds(date_from, date_to)
    today = today or clock.to_local(clock.now()).date()
    with store.read() as session:
        # read as plain text: a status from a newer version still counts
        month = func.strftime("%Y-%m", TopicRow.received_at, "+8 hours")
        rows = session.execute(
            select(type_coerce(TopicRow.source, String), type_coerce(TopicRow.status, String), TopicRow.category, month, func.count())
            .where(TopicRow.deleted.is_(False), TopicRow.status != TopicStatus.MERGED, *_in_range(TopicRow.received_at, lo, hi))
            .group_by(TopicRow.source, TopicRow.status, TopicRow.category, month)
        ).all()
        by_source: Counter[str] = Counter()
        by_status: Counter[str] = Counter()
        by_category: Counter[str] = Counter()
        by_month: Counter[str] = Counter()
        for source, status, category, ym, n in rows:
            by_source[str(source)] += n
            by_status[str(status)] += n
            by_category[category or ""] += n
            by_month[ym] += n
        collected = sum(by_source.values())
        accepted = sum(by_status[s.value] for s in ACCEPTED_OR_LATER)
        resolved_now = sum(by_status[s.value] for s in RESOLVED_NOW)

        meetings = session.scalar(
            select(func.count())
            .select_from(MeetingRow)
            .where(MeetingRow.status == MeetingStatus.HELD, MeetingRow.deleted.is_(False), *_in_range(MeetingRow.starts_at, lo, hi))
        )

        # first resolve per topic; the literal status lets SQLite use the
        # partial index ix_topic_event_resolved
        first = text(
            "SELECT topic_id, min(at) AS first_at FROM topic_event "
            "WHERE to_status = 'resolved' AND deleted = 0 GROUP BY topic_id"
        ).columns(topic_id=TopicRow.id.type, first_at=UTCDateTime()).subquery("first_resolve")
        range_sql = []
        if lo is not None:
            range_sql.append(first.c.first_at >= bindparam("lo", lo, type_=UTCDateTime()))
        if hi is not None:
            range_sql.append(first.c.first_at < bindparam("hi", hi, type_=UTCDateTime()))
        resolved = session.scalar(
            select(func.count())
            .select_from(first.join(TopicRow, TopicRow.id == first.c.topic_id))
            .where(TopicRow.deleted.is_(False), *range_sql)
        )

        good = func.count().filter(FollowUpRow.satisfaction.in_([Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED]))
        visits, satisfied = session.execute(
            select(func.count(), good).where(FollowUpRow.deleted.is_(False), *_in_range(FollowUpRow.at, lo, hi))
        ).one()

        overdue = session.scalar(
            select(func.count())
            .select_from(ActionItemRow)
            .where(
                ActionItemRow.status.in_([ActionStatus.OPEN, ActionStatus.IN_PROGRESS]),
                and_(ActionItemRow.deadline.is_not(None), ActionItemRow.deadline < today),
                ActionItemRow.deleted.is_(False),
            )
        )
    return RoomStats(
        topics_collected=collected,
        meetings_held=int(meetings or 0),
        matters_resolved=int(resolved or 0),
        resolution_rate=_rate(resolved_now, accepted),
        satisfaction_rate=_rate(int(satisfied or 0), int(visits or 0)),
        overdue_action_items=int(overdue or 0),
        by_source=dict(by_source.most_common()),
        by_status=dict(by_status.most_common()),
        by_category=dict(by_category.most_common()),
        by_month=dict(sorted(by_month.items())),
    )
