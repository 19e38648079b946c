"""One 12345 work order imported on two PCs of a room: two topics with the same
ticket number but different ids. The server keeps the first one it hears of
and refuses the other with ``duplicate_of``; this PC then drops its copy (with
its history and its waiting operations) and takes the server's row. A pull
that meets a local, never-synced topic with the ticket number of an incoming
one folds it the same way, so the room's unique ticket index never makes a
whole page roll back.

Only a copy nobody has worked on yet is folded that way (``pristine``: just
imported, no step of the lifecycle taken, nothing pointing at it). A copy a
person has accepted, scheduled or put on an agenda is kept as it is, listed
as refused with a reason that says what happened, for that person to redo the
work on the server's copy and then discard this one: a refusal never deletes
what a person made.
"""

from __future__ import annotations

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from desktop.storage.models import ENTITIES, REFERENCES, AttachmentRow, ConflictRow, OutboxRow, TopicEventRow, TopicRow

# entities with a ``topic_id`` that may point at a dropped duplicate
_CHILDREN = ("agenda_item", "action_item", "follow_up")


def pristine(session: Session, topic_id: str) -> bool:
    """Nobody has done anything with this topic on this PC since it was recorded."""
    events = session.scalars(select(TopicEventRow.action).where(TopicEventRow.topic_id == topic_id)).all()
    if any(action != "submit" for action in events):
        return False
    later = session.scalars(
        select(OutboxRow.seq).where(OutboxRow.entity == "topic", OutboxRow.row_id == topic_id, OutboxRow.kind != "insert").limit(1)
    ).first()
    if later is not None:
        return False
    for entity, refs in REFERENCES.items():
        if entity == "topic_event":
            continue  # its history, looked at above
        cls = ENTITIES[entity]
        for name, target in refs.items():
            if target != "topic":
                continue
            if session.scalars(select(cls.id).where(getattr(cls, name) == topic_id).limit(1)).first() is not None:
                return False
    return session.scalars(select(AttachmentRow.id).where(AttachmentRow.owner_id == topic_id).limit(1)).first() is None


def drop_local_topic(session: Session, topic_id: str, *, keep_id: str) -> None:
    """Remove topic ``topic_id`` of this PC, its events and every outbox operation
    of them; repoint this PC's unsent rows that refer to it to ``keep_id``."""
    event_ids = list(session.scalars(select(TopicEventRow.id).where(TopicEventRow.topic_id == topic_id)))
    session.execute(
        delete(OutboxRow)
        .where(
            or_(
                (OutboxRow.entity == "topic") & (OutboxRow.row_id == topic_id),
                (OutboxRow.entity == "topic_event") & OutboxRow.row_id.in_(event_ids),
            )
        )
        .execution_options(synchronize_session="fetch")
    )
    session.execute(delete(ConflictRow).where(ConflictRow.entity == "topic", ConflictRow.row_id == topic_id))
    session.execute(delete(TopicEventRow).where(TopicEventRow.topic_id == topic_id).execution_options(synchronize_session="fetch"))
    session.execute(delete(TopicRow).where(TopicRow.id == topic_id).execution_options(synchronize_session="fetch"))
    for entity in _CHILDREN:
        cls = ENTITIES[entity]
        for row in session.scalars(select(cls).where(cls.topic_id == topic_id)):  # type: ignore[attr-defined]
            op = session.scalars(
                select(OutboxRow).where(OutboxRow.entity == entity, OutboxRow.row_id == row.id, OutboxRow.kind == "insert", OutboxRow.state == "pending")
            ).first()
            if op is None or op.frozen:
                continue  # already on its way: the server refuses it, the row is fetched again
            row.topic_id = keep_id  # type: ignore[attr-defined]
            op.fields = {**(op.fields or {}), "topic_id": keep_id}
    session.flush()


def fold_ticket_clash(session: Session, *, room_id: str, incoming_id: str, ticket_no: str | None) -> None:
    """Before storing a pulled topic: a local topic with the same ticket number
    under another id goes (when it never reached the server, its copy is the
    incoming one) or gives up its ticket number (the server will send its own
    row's current number in this or a later page)."""
    if not ticket_no:
        return
    local = session.scalars(
        select(TopicRow).where(TopicRow.room_id == room_id, TopicRow.ticket_no == ticket_no, TopicRow.id != incoming_id)
    ).first()
    if local is None:
        return
    if int(local.version or 0) == 0 and pristine(session, local.id):
        drop_local_topic(session, local.id, keep_id=incoming_id)
    else:
        local.ticket_no = None
        session.flush()
