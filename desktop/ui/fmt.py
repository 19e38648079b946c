"""How dates and times look on screen: ``2026年11月27日 14:30`` in Chinese,
ISO in English (STYLE.md), always in China time whatever the PC's zone."""

from __future__ import annotations

from datetime import date, datetime

from desktop import i18n
from desktop.domain import clock


def day(d: date | datetime | None) -> str:
    if d is None:
        return ""
    if isinstance(d, datetime):
        d = clock.to_local(d).date()
    if i18n.language() == "zh":
        return f"{d.year}年{d.month}月{d.day}日"
    return d.isoformat()


def moment(dt: datetime | None) -> str:
    if dt is None:
        return ""
    local = clock.to_local(dt)
    return f"{day(local)} {local:%H:%M}"


def short_moment(dt: datetime | None) -> str:
    """Compact form for table cells: 11-27 14:30 (this year) or 2025-11-27."""
    if dt is None:
        return ""
    local = clock.to_local(dt)
    today = clock.to_local(clock.now())
    if local.year == today.year:
        return f"{local:%m-%d %H:%M}"
    return f"{local:%Y-%m-%d}"


def today() -> date:
    return clock.to_local(clock.now()).date()
