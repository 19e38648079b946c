"""The one definition of each statistic, shared by the room's PC
(``desktop.storage.stats``) and the county (``server.services.stats``); the
SQL that selects the rows lives next door in ``desktop.storage.stat_queries``.
Pure Python: which stored statuses fall in which bucket, the calendar days
of a report, and the two rates.

For a period of calendar days in China time (UTC+8, whatever the PC's or
the server's zone; both ends included; a tombstoned row never counts):

- 收集议题 (topics collected): topics received (``received_at``) in the
  period, whatever became of them (待受理, 不予受理 included), except those
  merged (合并) into another topic, which are duplicates of a topic counted
  already. A status neither side knows (a newer client's) counts in no
  bucket: not collected, not accepted, not resolved.
- 受理 (accepted): of those, the ones now 已受理 or any later status
  (已排期, 已协商, 落实中, 已办结, 已回访).
- 办结 (matters resolved): of the topics collected, the ones now 已办结 or
  已回访. A matter reopened after an unsatisfied visit is not resolved until
  it is resolved again. The count is of the period's topics, so it is never
  more than 收集议题 and a person can count it in the topics list.
- 办结率 (resolution rate): 办结 / 受理, the share of the period's accepted
  topics that are resolved now (declined, merged and not yet triaged topics
  are no matters to resolve).
- 召开议事会 (meetings held): meetings now 已召开 that start (``starts_at``)
  in the period; planned, in-progress and cancelled ones are not held.
- 满意率 (satisfaction rate): follow-up visits (回访) made (``at``) in the
  period rated 满意 or 基本满意, over all visits in the period rated 满意,
  基本满意 or 不满意; visits of a tombstoned topic do not count.
- 逾期 (overdue action items): action items still 待落实 or 落实中 whose
  deadline (完成时限) is before today in China time, whatever the period.

Rates are in 0..1, rounded to 4 places, and ``None`` when there is nothing
to divide by.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from desktop.domain import clock
from desktop.domain.clock import CHINA_TZ
from desktop.domain.enums import ActionStatus, MeetingStatus, Satisfaction, TopicStatus
from desktop.domain.errors import ValidationError

# Stored values (plain strings), so SQL can compare what is in the column
# without loading it through an enum that may not know it.
ACCEPTED: frozenset[str] = frozenset(
    s.value
    for s in (
        TopicStatus.ACCEPTED,
        TopicStatus.SCHEDULED,
        TopicStatus.CONSULTED,
        TopicStatus.IMPLEMENTING,
        TopicStatus.RESOLVED,
        TopicStatus.VISITED,
    )
)
RESOLVED: frozenset[str] = frozenset({TopicStatus.RESOLVED.value, TopicStatus.VISITED.value})
MERGED = TopicStatus.MERGED.value
COLLECTED: frozenset[str] = frozenset(s.value for s in TopicStatus if s is not TopicStatus.MERGED)
MEETING_HELD = MeetingStatus.HELD.value
ACTION_OPEN: frozenset[str] = frozenset({ActionStatus.OPEN.value, ActionStatus.IN_PROGRESS.value})
SATISFIED: frozenset[str] = frozenset({Satisfaction.SATISFIED.value, Satisfaction.BASICALLY_SATISFIED.value})
RATED: frozenset[str] = frozenset(s.value for s in Satisfaction)

RATE_PLACES = 4


def rate(part: int, whole: int) -> float | None:
    """``part / whole`` rounded to 4 places; ``None`` when ``whole`` is 0."""
    return round(part / whole, RATE_PLACES) if whole else None


def day_bounds(date_from: date | None, date_to: date | None) -> tuple[datetime | None, datetime | None]:
    """The China-time calendar days ``date_from`` … ``date_to`` (both included;
    ``None`` = unbounded) as a half-open range of aware datetimes."""
    if date_from is not None and date_to is not None and date_from > date_to:
        raise ValidationError("开始日期不能晚于结束日期。")
    lo = datetime.combine(date_from, time(0), tzinfo=CHINA_TZ) if date_from else None
    hi = datetime.combine(date_to + timedelta(days=1), time(0), tzinfo=CHINA_TZ) if date_to else None
    return lo, hi


def china_today() -> date:
    """Today in China time, the day 逾期 is judged against."""
    return clock.to_local(clock.now()).date()


@dataclass(frozen=True, slots=True)
class TopicTally:
    """收集议题, 受理 and 办结 of one group of topics."""

    collected: int = 0
    accepted: int = 0
    resolved: int = 0

    @classmethod
    def of(cls, by_status: Iterable[tuple[str | None, int]]) -> TopicTally:
        """From (stored status, count) pairs; statuses may repeat."""
        collected = accepted = resolved = 0
        for status, n in by_status:
            if status in COLLECTED:
                collected += n
            if status in ACCEPTED:
                accepted += n
            if status in RESOLVED:
                resolved += n
        return cls(collected=collected, accepted=accepted, resolved=resolved)

    @property
    def resolution_rate(self) -> float | None:
        return rate(self.resolved, self.accepted)


@dataclass(frozen=True, slots=True)
class VisitTally:
    """回访 and the satisfied ones among them, of one group of visits."""

    visits: int = 0
    satisfied: int = 0

    @property
    def satisfaction_rate(self) -> float | None:
        return rate(self.satisfied, self.visits)

