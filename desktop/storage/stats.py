"""The room's numbers for a date range: topics collected, meetings held,
matters resolved, resolution and satisfaction rates, overdue action items, and
topics by source, status, category and month, each as defined once in
``desktop.domain.statistics`` (the county's ``server.services.stats`` counts
the same rows). A handful of SQL aggregates over the covering indexes of
migration 0002, so the whole report costs a few hundred milliseconds even on
a file holding a city's three years of topics.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.orm import Session

from desktop.domain import clock
from desktop.domain import statistics as st
from desktop.domain.clock import CHINA_TZ
from desktop.storage import stat_queries as q
from desktop.storage.db import Store
from desktop.storage.models import ActionItemRow, FollowUpRow, MeetingRow, TopicRow
from desktop.storage.types import UTCDateTime

# the statuses 收集议题 counts, as SQL text (stored values, ours only)
_COLLECTED_SQL = ", ".join(f"'{v}'" for v in sorted(st.COLLECTED))


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


def _breakdowns(session: Session, lo: datetime | None, hi: datetime | None) -> tuple[st.TopicTally, tuple[dict[str, int], ...], int]:
    """The period's topics tallied (收集议题, 受理, 办结), and the collected
    ones by status, by source and by category, most first, from one GROUP BY
    that walks ix_topic_breakdown in order; and apart, how many were merged
    into another topic (duplicates, not counted as collected)."""
    # INDEXED BY: a date range would tempt the planner into a range scan and
    # a sort of every row found, three times slower than the ordered walk.
    # Plain text columns: a status from a newer version is read as it is
    # stored, and falls in no bucket of the definitions.
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
    tally = st.TopicTally.of((status, n) for status, _src, _cat, n in rows)
    out: tuple[Counter[str], ...] = (Counter(), Counter(), Counter())
    merged = 0
    for status, src, cat, n in rows:
        if status == st.MERGED:
            merged += n
        if status not in st.COLLECTED:
            continue
        out[0][status] += n
        out[1][src or ""] += n
        out[2][cat or ""] += n
    return tally, tuple({k: n for k, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))} for c in out), merged


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
    # (strftime on every row, then a sort) costs ten times as much. INDEXED BY:
    # with the status list the planner picks ix_topic_status_received and reads
    # each row (10 ms a month instead of 2 on the 200,000-topic bench file)
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
                f"SELECT '{ym}', (SELECT count(*) FROM topic INDEXED BY ix_topic_stats WHERE deleted = 0 "
                f"AND status IN ({_COLLECTED_SQL}) "
                f"AND received_at >= :a{i} AND received_at < :b{i})"
            )
            binds += [bindparam(f"a{i}", max(a, lo) if lo else a, type_=UTCDateTime()),
                      bindparam(f"b{i}", min(b, hi) if hi else b, type_=UTCDateTime())]
        for ym, n in session.execute(text(" UNION ALL ".join(parts)).bindparams(*binds)).all():
            months[ym] = int(n)
    return months


def _visits(session: Session, lo: datetime | None, hi: datetime | None) -> st.VisitTally:
    """``q.visits_made`` counted as all the period's visits (an index-only
    scan of ix_follow_up_at) less those of tombstoned topics (found from the
    few tombstones through ix_follow_up_topic_id)."""
    visits, satisfied = session.execute(select(*q.visit_tally()).where(*q.any_visits_made(lo, hi))).one()
    gone, gone_satisfied = session.execute(select(*q.visit_tally()).where(*q.visits_of_tombstoned_topics(lo, hi))).one()
    return st.VisitTally(visits=int(visits) - int(gone), satisfied=int(satisfied) - int(gone_satisfied))


def room_stats(
    store: Store,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    today: date | None = None,
) -> RoomStats:
    """The room's statistics for the days ``date_from`` … ``date_to`` (China
    time, both included; ``None`` = unbounded), each as defined once in
    ``desktop.domain.statistics`` (the county computes the same):

    - topics_collected (收集议题), matters_resolved (办结), resolution_rate
      (办结率), meetings_held (召开议事会), satisfaction_rate (满意率) and
      overdue_action_items (逾期, as of ``today``, default today in China).
    - by_source, by_status, by_category (raw category text, "" when none)
      and by_month ('YYYY-MM' of the day received, China time) break down
      exactly the topics collected, so each sums to topics_collected.
      by_month has every month of the range, 0 for an empty one (an open
      end stops at the first or last topic's month).
    - merged_duplicates: topics received in the range that were merged into
      another; topics_collected + merged_duplicates is what the topics list
      shows for the same days.
    """
    lo, hi = st.day_bounds(date_from, date_to)
    today = today or st.china_today()
    with store.read() as session:
        tally, (by_status, by_source, by_category), merged = _breakdowns(session, lo, hi)
        by_month = _by_month(session, lo, hi)
        meetings = session.scalar(select(func.count()).select_from(MeetingRow).where(*q.meetings_held(lo, hi)))
        visits = _visits(session, lo, hi)
        overdue = session.scalar(select(func.count()).select_from(ActionItemRow).where(*q.overdue_action_items(today)))
    return RoomStats(
        topics_collected=tally.collected,
        meetings_held=int(meetings or 0),
        matters_resolved=tally.resolved,
        resolution_rate=tally.resolution_rate,
        satisfaction_rate=visits.satisfaction_rate,
        overdue_action_items=int(overdue or 0),
        by_source=by_source,
        by_status=by_status,
        by_category=by_category,
        by_month=by_month,
        merged_duplicates=merged,
    )
