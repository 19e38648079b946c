"""What a person sees on one PC of the room, read in one transaction: the rows
that each of the window's actions may be aimed at, filtered by the same rules
the window's buttons follow (the lifecycle tables, a meeting that is still
editable). The day property test draws its next action from these lists, so
every action it takes is one the window would allow."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.domain.enums import ActionStatus, Attendance, MeetingStatus, MinutesStatus, TopicStatus
from desktop.storage.db import Store
from desktop.storage.models import ENTITIES, ActionItemRow, OutboxRow, AgendaItemRow, MeetingRow, MinutesRow, OutcomeRow, ParticipantRow, TopicRow


@dataclass
class Seen:
    """Ids of the rows one PC shows, grouped by what can be done to them."""

    topics: dict[TopicStatus, list[str]] = field(default_factory=dict)
    editable: list[str] = field(default_factory=list)  # meetings: not cancelled, minutes not final
    plannable: list[str] = field(default_factory=list)  # editable, not yet held: the agenda may grow
    startable: list[str] = field(default_factory=list)
    endable: list[str] = field(default_factory=list)
    typing: list[str] = field(default_factory=list)  # in progress or held, minutes not final
    finalizable: list[str] = field(default_factory=list)
    correctable: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)  # agenda items of meetings in ``typing``
    invitees: list[str] = field(default_factory=list)  # participants not yet signed in
    outcomes: list[str] = field(default_factory=list)  # outcomes of meetings in ``typing``
    # outcomes an action item can come from: the agenda item's topic (if any) can
    # still go to work (create_action_item moves it to implementing)
    workable: list[str] = field(default_factory=list)
    open_actions: list[str] = field(default_factory=list)

    def topic(self, *statuses: TopicStatus) -> list[str]:
        return [t for s in statuses for t in self.topics.get(s, [])]


def _ids(session: Session, query) -> list[str]:  # type: ignore[no-untyped-def]
    return list(session.scalars(query))


def seen(store: Store) -> Seen:
    out = Seen()
    with store.read() as s:
        for tid, status in s.execute(select(TopicRow.id, TopicRow.status).where(TopicRow.deleted.is_(False)).order_by(TopicRow.id)):
            out.topics.setdefault(status, []).append(tid)
        final = set(_ids(s, select(MinutesRow.meeting_id).where(MinutesRow.deleted.is_(False), MinutesRow.corrects_id.is_(None), MinutesRow.status == MinutesStatus.FINALIZED)))
        for mid, status in s.execute(select(MeetingRow.id, MeetingRow.status).where(MeetingRow.deleted.is_(False)).order_by(MeetingRow.id)):
            if mid in final:
                out.correctable.append(mid)
                continue
            if status == MeetingStatus.CANCELLED:
                continue
            out.editable.append(mid)
            if status in (MeetingStatus.PLANNED, MeetingStatus.IN_PROGRESS):
                out.plannable.append(mid)
                out.endable.append(mid)
            if status == MeetingStatus.PLANNED:
                out.startable.append(mid)
            if status in (MeetingStatus.IN_PROGRESS, MeetingStatus.HELD):
                out.typing.append(mid)
            if status == MeetingStatus.HELD:
                out.finalizable.append(mid)
        typing = set(out.typing)
        editable = set(out.editable)
        out.items = [i for i, m in s.execute(select(AgendaItemRow.id, AgendaItemRow.meeting_id).where(AgendaItemRow.deleted.is_(False)).order_by(AgendaItemRow.id)) if m in typing]
        status = {t: st for st, ids in out.topics.items() for t in ids}
        to_work = (None, TopicStatus.SCHEDULED, TopicStatus.CONSULTED, TopicStatus.IMPLEMENTING)
        for oid, mid, topic_id in s.execute(
            select(OutcomeRow.id, OutcomeRow.meeting_id, AgendaItemRow.topic_id).join(AgendaItemRow, AgendaItemRow.id == OutcomeRow.agenda_item_id).where(OutcomeRow.deleted.is_(False)).order_by(OutcomeRow.id)
        ):
            if mid in typing:
                out.outcomes.append(oid)
                if (status.get(topic_id) if topic_id else None) in to_work and (topic_id is None or topic_id in status):
                    out.workable.append(oid)
        out.invitees = [
            i
            for i, m in s.execute(
                select(ParticipantRow.id, ParticipantRow.meeting_id).where(ParticipantRow.deleted.is_(False), ParticipantRow.attendance != Attendance.PRESENT).order_by(ParticipantRow.id)
            )
            if m in editable
        ]
        out.open_actions = _ids(
            s, select(ActionItemRow.id).where(ActionItemRow.deleted.is_(False), ActionItemRow.status.in_([ActionStatus.OPEN, ActionStatus.IN_PROGRESS])).order_by(ActionItemRow.id)
        )
    return out


def last_op(store: Store) -> int:
    """The outbox's newest sequence number: ops written later have a higher one."""
    with store.read() as s:
        return int(s.scalar(select(func.max(OutboxRow.seq))) or 0)


def inserted_since(store: Store, seq: int) -> set[tuple[str, str]]:
    """(entity, id) of every row this PC created after op ``seq`` (each new row
    has its insert op in the outbox until a sync answers it)."""
    with store.read() as s:
        return {(e, r) for e, r in s.execute(select(OutboxRow.entity, OutboxRow.row_id).where(OutboxRow.seq > seq, OutboxRow.kind == "insert"))}


def live_ids(session: Session) -> set[tuple[str, str]]:
    """The rows a person still sees (not tombstoned), on a PC or the server."""
    return {(entity, rid) for entity, cls in ENTITIES.items() for rid in session.scalars(select(cls.id).where(cls.deleted.is_(False)))}
