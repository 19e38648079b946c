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

from sqlalchemy import and_, bindparam, func, select, text
from sqlalchemy.orm import Session
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
    # topics received in the range that were merged into another (合并): not
    # in topics_collected, but in the topics list; the screen says so
    merged_duplicates: int = 0

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


def _breakdowns(session: Session, lo: datetime | None, hi: datetime | None) -> tuple[tuple[dict[str, int], ...], int]:
    """Topics collected by status, by source and by category, most first, from
    one GROUP BY that walks ix_topic_breakdown in order; and apart, how many
    were merged into another topic (duplicates, not counted as collected)."""
    # INDEXED BY: a date range would tempt the planner into a range scan and
    # a sort of every row found, three times slower than the ordered walk.
    # Plain text columns, so a status or source from a newer version counts.
    sql = (
        "SELECT status, source, category, count(*) FROM topic INDEXED BY ix_topic_breakdown "
        "WHERE deleted = 0"
    )
    binds = []
    if lo is not None:
        sql += " AND received_at >= :lo"
        binds.append(bindparam("lo", lo, type_=UTCDateTime()))
    if hi is not None:
        sql += " AND received_at < :hi"
        binds.append(bindparam("hi", hi, type_=UTCDateTime()))
    rows = session.execute(text(sql + " GROUP BY status, source, category").bindparams(*binds)).all()
    out: tuple[Counter[str], ...] = (Counter(), Counter(), Counter())
    merged = 0
    for st, src, cat, n in rows:
        if st == TopicStatus.MERGED.value:
            merged += n
            continue
        out[0][st or ""] += n
        out[1][src or ""] += n
        out[2][cat or ""] += n
    return tuple({k: n for k, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))} for c in out), merged


def _matters_resolved(session: Session, lo: datetime | None, hi: datetime | None) -> int:
    """Topics whose first resolve event is in range. The lifecycle lets a topic
    be resolved again only after a reopen, so every resolve event is a first
    one except for the (few) reopened topics, which are grouped separately."""
    tomb = "topic_id NOT IN (SELECT id FROM topic WHERE deleted = 1)"
    reopened = "SELECT topic_id FROM topic_event WHERE action = 'reopen'"
    rng = ""
    params: dict[str, Any] = {}
    if lo is not None:
        rng += " AND at >= :lo"
        params["lo"] = lo
    if hi is not None:
        rng += " AND at < :hi"
        params["hi"] = hi
    binds = [bindparam(k, v, type_=UTCDateTime()) for k, v in params.items()]
    plain = text(
        f"SELECT count(*) FROM topic_event WHERE to_status = 'resolved' AND deleted = 0{rng} "
        f"AND {tomb} AND topic_id NOT IN ({reopened})"
    ).bindparams(*binds)
    again = text(
        "SELECT count(*) FROM (SELECT topic_id, min(at) AS at FROM topic_event "
        f"WHERE to_status = 'resolved' AND deleted = 0 AND topic_id IN ({reopened}) AND {tomb} "
        f"GROUP BY topic_id) WHERE 1 = 1{rng}"
    ).bindparams(*binds)
    return int(session.scalar(plain) or 0) + int(session.scalar(again) or 0)


def _months(first: datetime, last: datetime) -> list[tuple[str, datetime, datetime]]:
    """Calendar months in China time from ``first``'s to ``last``'s, with their UTC bounds."""
    a, b = clock.to_local(first), clock.to_local(last)
    y, m = a.year, a.month
    out = []
    while (y, m) <= (b.year, b.month):
        start = datetime(y, m, 1, tzinfo=CHINA_TZ)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        out.append((f"{start:%Y-%m}", start, datetime(y, m, 1, tzinfo=CHINA_TZ)))
    return out


MAX_COMPOUND = 400  # SQLite refuses a UNION ALL of more than 500 SELECTs


def _by_month(session: Session, lo: datetime | None, hi: datetime | None) -> dict[str, int]:
    """Every calendar month of the period, empty ones included (a chart that
    skips them hides the quiet months), in order. An open end of the period
    stops at the first or last topic's month."""
    # one index range count per month: computing each topic's month in SQL
    # (strftime on every row, then a sort) costs ten times as much
    # two statements: SQLite answers a lone min() or max() from the index at once
    first = session.scalar(select(func.min(TopicRow.received_at)))
    last = session.scalar(select(func.max(TopicRow.received_at)))
    start = lo if lo is not None else first
    end = hi - timedelta(microseconds=1) if hi is not None else last
    if start is None or end is None or start > end:
        return {}
    months = {ym: 0 for ym, _a, _b in _months(start, end)}
    if first is None:
        return months
    # only the months that can hold a topic are asked for
    first, last = max(first, start), min(last, end)
    wanted = _months(first, last) if first <= last else []
    for chunk in range(0, len(wanted), MAX_COMPOUND):
        parts, binds = [], []
        for i, (ym, a, b) in enumerate(wanted[chunk : chunk + MAX_COMPOUND]):
            parts.append(
                f"SELECT '{ym}', (SELECT count(*) FROM topic WHERE deleted = 0 AND status != 'merged' "
                f"AND received_at >= :a{i} AND received_at < :b{i})"
            )
            binds += [bindparam(f"a{i}", max(a, lo) if lo else a, type_=UTCDateTime()),
                      bindparam(f"b{i}", min(b, hi) if hi else b, type_=UTCDateTime())]
        for ym, n in session.execute(text(" UNION ALL ".join(parts)).bindparams(*binds)).all():
            months[ym] = int(n)
    return months


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
      topics_collected. by_month has every month of the range, 0 for an
      empty one (an open end stops at the first or last topic's month).
    - merged_duplicates: topics received in the range that were merged into
      another; topics_collected + merged_duplicates is what the topics list
      shows for the same days.
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
        (by_status, by_source, by_category), merged = _breakdowns(session, lo, hi)
        by_month = _by_month(session, lo, hi)
        collected = sum(by_status.values())
        accepted = sum(by_status.get(s.value, 0) for s in ACCEPTED_OR_LATER)
        resolved_now = sum(by_status.get(s.value, 0) for s in RESOLVED_NOW)

        meetings = session.scalar(
            select(func.count())
            .select_from(MeetingRow)
            .where(MeetingRow.status == MeetingStatus.HELD, MeetingRow.deleted.is_(False), *_in_range(MeetingRow.starts_at, lo, hi))
        )

        resolved = _matters_resolved(session, lo, hi)

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
        by_source=by_source,
        by_status=by_status,
        by_category=by_category,
        by_month=by_month,
        merged_duplicates=merged,
    )
