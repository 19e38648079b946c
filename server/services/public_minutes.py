"""What ``/m/{meeting id}`` shows: the public outcome of a meeting whose minutes
are finalized, and their fingerprint recomputed from the stored rows with
``desktop.domain.minutes.fingerprint`` (the function that printed it on paper),
so anyone can compare it with the paper minutes.

Only published rows of the meeting's own room are read: the original minutes
once finalized (a draft shows nothing), and agenda, participants, statements,
outcomes and action items whose room is the meeting's. A row of another room
that claims this meeting's id (its id is public in the QR) can neither show on
the page nor change the fingerprint. The rows are read by
``server.sync.finalize.server_bundle``, the same reading the check of a pushed
finalization uses, so the page and the push agree on what was finalized."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.enums import MinutesStatus
from desktop.domain.masking import mask_name, scrub_text
from desktop.domain.minutes import fingerprint
from desktop.storage.models import MeetingRow, MinutesRow, TopicRow
from server.db import ServerDB
from server.errors import NotFoundError
from server.models import CountyRoomRow
from server.sync.finalize import server_bundle


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


def published_minutes(session: Session, meeting: MeetingRow) -> MinutesRow | None:
    """The meeting's finalized original minutes (not a correction), of its room."""
    return session.scalars(
        select(MinutesRow).where(
            MinutesRow.meeting_id == meeting.id,
            MinutesRow.room_id == meeting.room_id,
            MinutesRow.deleted.is_(False),
            MinutesRow.status == MinutesStatus.FINALIZED,
            MinutesRow.corrects_id.is_(None),
        )
    ).first()


def public_minutes(db: ServerDB, meeting_id: str) -> PublicMinutes:
    gone = NotFoundError("没有找到这次会议已定稿的会议记录。会议记录定稿并同步后才会在这里公开。")
    with db.read() as session:
        meeting = session.get(MeetingRow, meeting_id[:36])
        if meeting is None or meeting.deleted:
            raise gone
        minutes = published_minutes(session, meeting)
        if minutes is None or not minutes.sha256:
            raise gone
        # the same reading of the rows that the finalization check on push uses
        bundle = server_bundle(session, meeting, minutes)
        digest = fingerprint(bundle)
        agenda, outcomes, actions = bundle.agenda, bundle.outcomes, bundle.action_items
        room = session.get(CountyRoomRow, meeting.room_id)
        topic_ids = {a.topic_id for a in agenda if a.topic_id}
        people = session.execute(
            select(TopicRow.submitter_name, TopicRow.submitter_phone).where(TopicRow.id.in_(topic_ids), TopicRow.room_id == meeting.room_id)
        ).all() if topic_ids else []
        names = [n for n, _ in people] + [a.responsible for a in actions]
        phones = [p for _, p in people]

        def clean(text: str) -> str:
            return scrub_text(text, names=names, phones=phones)

        items = tuple(
            PublicItem(
                title=clean(a.title),
                outcomes=tuple(clean(o.text) for o in sorted(outcomes, key=lambda o: (o.position, o.id)) if o.agenda_item_id == a.id),
            )
            for a in sorted(agenda, key=lambda a: (a.position, a.id))
        )
        return PublicMinutes(
            meeting_title=clean(meeting.title),
            room_name=room.name if room else "",
            starts_at=meeting.starts_at,
            place=clean(meeting.place),
            summary=clean(minutes.summary),
            items=items,
            actions=tuple(
                PublicAction(title=clean(a.title), owner_unit=clean(a.owner_unit), responsible=mask_name(a.responsible), deadline=a.deadline, status_label=a.status.zh if hasattr(a.status, "zh") else str(a.status))
                for a in sorted(actions, key=lambda a: (a.deadline or date.max, a.id))
            ),
            fingerprint=digest,
            stored_sha256=minutes.sha256,
            matches=digest == minutes.sha256,
            finalized_at=minutes.finalized_at,
        )
