"""Clocks. Wall-clock time is only ever recorded, never used to decide a sync
conflict (versions decide those). Tests swap in a fixed clock.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Callable

CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")

_now: Callable[[], datetime] = lambda: datetime.now(UTC)


def now() -> datetime:
    """The current time, timezone-aware (UTC)."""
    return _now()


def set_clock(fn: Callable[[], datetime] | None) -> None:
    """Replace the clock (tests); ``None`` restores the real one."""
    global _now
    _now = fn if fn is not None else (lambda: datetime.now(UTC))


def to_local(dt: datetime) -> datetime:
    """A datetime shown to people in China: UTC+8, whatever the PC's zone."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(CHINA_TZ)


def iso(dt: datetime | None) -> str | None:
    """ISO-8601 text of an aware datetime in UTC, or None."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_iso(text: str | None) -> datetime | None:
    if not text:
        return None
    dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt
