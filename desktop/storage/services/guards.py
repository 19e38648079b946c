"""Checks the meeting services share: a meeting that can still be changed (not
cancelled, minutes not finalized), numbers and datetimes from a form, and the
"only these fields" rule of the ``update_*`` services.

Finalized minutes freeze everything their fingerprint covers (the meeting's
details, agenda, participants, statements, outcomes and the action items it
decided), so every service that touches one of those asks ``ensure_editable``
first and the secretary gets one clear message instead of a broken fingerprint.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.enums import MeetingStatus, MinutesStatus
from desktop.domain.errors import DomainError, ValidationError
from desktop.storage.models import MeetingRow, MinutesRow
from desktop.storage.services.common import get_live

FINALIZED_MESSAGE = "会议记录已定稿，不能再修改；如需更正，请做勘误。"


class MinutesFinalizedError(DomainError):
    """A change to what finalized minutes cover."""


def original_minutes(session: Session, meeting_id: str) -> MinutesRow | None:
    """The meeting's minutes (not a correction), if any were started.

    Two PCs offline may each start a draft; the server keeps the first it hears
    of and refuses the other, which stays on its PC, listed as refused, until a
    person discards it. Until then this PC must show the one that counts: the
    finalized one, else the one the server holds, else the oldest."""
    return session.scalars(
        select(MinutesRow)
        .where(MinutesRow.meeting_id == meeting_id, MinutesRow.corrects_id.is_(None), MinutesRow.deleted.is_(False))
        .order_by((MinutesRow.status == MinutesStatus.FINALIZED).desc(), (MinutesRow.version > 0).desc(), MinutesRow.id)
        .limit(1)
    ).first()


def ensure_editable(session: Session, meeting_id: str, *, allow_cancelled: bool = False) -> MeetingRow:
    """The live meeting, or an error if its minutes are final or it was cancelled."""
    meeting = get_live(session, MeetingRow, meeting_id)
    minutes = original_minutes(session, meeting_id)
    if minutes is not None and minutes.status == MinutesStatus.FINALIZED:
        raise MinutesFinalizedError(FINALIZED_MESSAGE)
    if meeting.status == MeetingStatus.CANCELLED and not allow_cancelled:
        raise DomainError("会议“{title}”已取消，不能再修改。", title=meeting.title)
    return meeting


def only_fields(given: dict[str, Any], allowed: Iterable[str]) -> None:
    """Refuse a field the update service does not know (a programming slip)."""
    unknown = sorted(set(given) - set(allowed))
    if unknown:
        raise ValidationError("不能修改这些项：{names}。", names="、".join(unknown))


def aware(value: Any, *, field: str, optional: bool = False) -> datetime | None:
    """A timezone-aware datetime (naive times are ambiguous between PCs)."""
    if value is None and optional:
        return None
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise ValidationError("“{field}”应为带时区的日期时间。", field=field)
    return value


def day(value: Any, *, field: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError("“{field}”应为日期，例如 2026-12-31。", field=field)
    return value


def count(value: Any, *, field: str, maximum: int = 100_000) -> int | None:
    """A whole number from 0 to ``maximum``, or None (not given)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= maximum:
        raise ValidationError("“{field}”应为 0 到 {max} 之间的整数。", field=field, max=maximum)
    return value
