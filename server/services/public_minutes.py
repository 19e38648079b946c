"""What ``/m/{meeting id}`` shows: the public outcome of a meeting whose minutes
are finalized, and their fingerprint recomputed from the stored rows with
``desktop.domain.minutes.fingerprint`` (the function that printed it on paper),
so anyone can compare it with the paper minutes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from desktop.domain.enums import MinutesStatus
from desktop.domain.masking import mask_name
from desktop.domain.minutes import MinutesBundle, fingerprint
from desktop.storage.mapping import to_domain
from desktop.storage.models import ActionItemRow, AgendaItemRow, MeetingRow, MinutesRow, OutcomeRow, ParticipantRow, StatementRow
from server.db import ServerDB
from server.errors import NotFoundError
from server.models import CountyRoomRow


@dataclass(frozen=True, slots=True, kw_only=True)
class PublicItem:
    title: str
    outcomes: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class PublicAction:
    title: str
    owner_unit: str
    responsible: str
    deadline: date | None
    status_label: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PublicMinutes:
    meeting_title: str
    room_name: str
    starts_at: datetime
    place: str
    summary: str
    items: tuple[PublicItem, ...]
    actions: tuple[PublicAction, ...]
    fingerprint: str
    stored_sha256: str
    matches: bool
    finalized_at: datetime | None


def _live(session, cls, meeting_id: str):  # type: ignore[no-untyped-def]
    return session.scalars(select(cls).where(cls.meeting_id == meeting_id, cls.deleted.is_(False))).all()


def public_minutes(db: ServerDB, meeting_id: str) -> PublicMinutes:
    gone = NotFoundError("没有找到这次会议已定稿的会议记录。会议记录定稿并同步后才会在这里公开。")
    with db.read() as session:
        meeting = session.get(MeetingRow, meeting_id[:36])
        if meeting is None or meeting.deleted:
            raise gone
        minutes = session.scalars(
            select(MinutesRow).where(
                MinutesRow.meeting_id == meeting.id,
                MinutesRow.deleted.is_(False),
                MinutesRow.status == MinutesStatus.FINALIZED,
                MinutesRow.corrects_id.is_(None),
            )
        ).first()
        if minutes is None or not minutes.sha256:
            raise gone
        agenda = _live(session, AgendaItemRow, meeting.id)
        outcomes = _live(session, OutcomeRow, meeting.id)
        actions = _live(session, ActionItemRow, meeting.id)
        bundle = MinutesBundle(
            meeting=to_domain(meeting),
            minutes=to_domain(minutes),
            agenda=tuple(to_domain(r) for r in agenda),
            participants=tuple(to_domain(r) for r in _live(session, ParticipantRow, meeting.id)),
            statements=tuple(to_domain(r) for r in _live(session, StatementRow, meeting.id)),
            outcomes=tuple(to_domain(r) for r in outcomes),
            action_items=tuple(to_domain(r) for r in actions),
        )
        digest = fingerprint(bundle)
        room = session.get(CountyRoomRow, meeting.room_id)
        items = tuple(
            PublicItem(
                title=a.title,
                outcomes=tuple(o.text for o in sorted(outcomes, key=lambda o: (o.position, o.id)) if o.agenda_item_id == a.id),
            )
            for a in sorted(agenda, key=lambda a: (a.position, a.id))
        )
        return PublicMinutes(
            meeting_title=meeting.title,
            room_name=room.name if room else "",
            starts_at=meeting.starts_at,
            place=meeting.place,
            summary=minutes.summary,
            items=items,
            actions=tuple(
                PublicAction(title=a.title, owner_unit=a.owner_unit, responsible=mask_name(a.responsible), deadline=a.deadline, status_label=a.status.zh if hasattr(a.status, "zh") else str(a.status))
                for a in sorted(actions, key=lambda a: (a.deadline or date.max, a.id))
            ),
            fingerprint=digest,
            stored_sha256=minutes.sha256,
            matches=digest == minutes.sha256,
            finalized_at=minutes.finalized_at,
        )
