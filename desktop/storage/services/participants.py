"""Participant use cases: invite (from the contacts or by name), sign in, mark
absent with a reason, remove. Attendance is part of the minutes, so none of this
is possible once they are finalized.
"""

from __future__ import annotations

from desktop.domain import clock
from desktop.domain.entities import Result
from desktop.domain.enums import Attendance, ParticipantKind, Role
from desktop.domain.errors import ValidationError
from desktop.domain.ids import new_id
from desktop.domain.validation import clean_phone, clean_text, required_text
from desktop.storage import outbox
from desktop.storage.db import Store
from desktop.storage.models import ParticipantRow, PersonRow
from desktop.storage.services.common import get_live, result
from desktop.storage.services.guards import ensure_editable


def role_of(value: Role | str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise ValidationError("未知的身份“{role}”。", role=str(value)[:40]) from None


def kind_of(value: ParticipantKind | str) -> ParticipantKind:
    try:
        return ParticipantKind(value)
    except ValueError:
        raise ValidationError("未知的参会类别“{kind}”。", kind=str(value)[:40]) from None


def invite(
    store: Store,
    meeting_id: str,
    *,
    person_id: str | None = None,
    name: str,
    unit: str = "",
    title: str = "",
    role: Role | str,
    phone: str = "",
    kind: ParticipantKind | str = ParticipantKind.ATTENDEE,
) -> Result:
    """Add someone to the meeting's list (出席 or 列席), not yet signed in."""
    values = dict(
        name=required_text(name, field="姓名", max_len=100),
        unit=clean_text(unit, field="单位", max_len=200, multiline=False),
        title=clean_text(title, field="职务", max_len=100, multiline=False),
        role=role_of(role),
        phone=clean_phone(phone),
        kind=kind_of(kind),
    )
    with store.write() as session:
        meeting = ensure_editable(session, meeting_id)
        if person_id is not None:
            get_live(session, PersonRow, person_id)
        row = ParticipantRow(
            id=new_id(),
            room_id=meeting.room_id,
            meeting_id=meeting.id,
            person_id=person_id,
            attendance=Attendance.INVITED,
            absence_reason="",
            signed_in_at=None,
            **values,
        )
        outbox.insert(session, row)
        return result(session, row)


def sign_in(store: Store, participant_id: str) -> Result:
    """签到. Signing in twice keeps the first time (a double click changes nothing)."""
    with store.write() as session:
        row = get_live(session, ParticipantRow, participant_id)
        ensure_editable(session, row.meeting_id)
        if row.attendance != Attendance.PRESENT:
            outbox.update(session, row, attendance=Attendance.PRESENT, absence_reason="", signed_in_at=clock.now())
        return result(session, row)


def mark_absent(store: Store, participant_id: str, *, reason: str) -> Result:
    """缺席, with the reason the minutes print (请假, 因公外出 …)."""
    reason = required_text(reason, field="缺席原因", max_len=300)
    with store.write() as session:
        row = get_live(session, ParticipantRow, participant_id)
        ensure_editable(session, row.meeting_id)
        outbox.update(session, row, attendance=Attendance.ABSENT, absence_reason=reason, signed_in_at=None)
        return result(session, row)


def remove_participant(store: Store, participant_id: str) -> Result:
    with store.write() as session:
        row = get_live(session, ParticipantRow, participant_id)
        ensure_editable(session, row.meeting_id)
        outbox.delete(session, row)
        return result(session, row)
