"""Recording changes: every service that changes a synced row calls one of
``insert``/``update``/``delete`` here, inside its own transaction, so the row
and its outbox operation commit together or not at all.

An operation names the row's server version it was based on and carries only
the fields it changed. Unsent, unfrozen operations on the same row are
coalesced (typing minutes saves every two seconds; the server needs only the
last words); once a byte of an operation has been sent it is frozen.

Coalescing never breaks causal order. A change the server checks against other
rows (a status step such as 定稿, whose fingerprint covers the statements,
outcomes and action items recorded before it; a reference to another row) is
folded into an earlier operation of the same row only when nothing was
recorded after that operation; otherwise it goes as its own operation at the
end of the queue, after the rows it depends on. Plain text (the autosaved
minutes) still folds into the first operation whatever came after it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from desktop.domain import clock
from desktop.domain.entities import Change
from desktop.domain.ids import new_id
from desktop.storage.models import REFERENCES, OutboxRow, SyncedRow, content_fields
from desktop.storage.types import to_wire

CHANGES_KEY = "yishi_changes"


def _note(session: Session, entity: str, row_id: str, op: str) -> None:
    session.info.setdefault(CHANGES_KEY, []).append(Change(entity=entity, id=row_id, op=op))


def changes_of(session: Session) -> tuple[Change, ...]:
    """What this session changed so far (for the service's ``Result``)."""
    return tuple(session.info.get(CHANGES_KEY, ()))


# fields whose new value the server checks against other rows: lifecycle steps
# (and what a finalization records with its step), and references to rows
ORDERED_FIELDS = frozenset({"status", "sha256", "finalized_at"})


def ordered(entity: str, name: str) -> bool:
    """A field whose change must not overtake operations recorded before it."""
    return name in ORDERED_FIELDS or name in REFERENCES.get(entity, {})


def _newer_ops(session: Session, seq: int) -> bool:
    return bool(session.scalar(select(exists().where(OutboxRow.seq > seq, OutboxRow.state == "pending"))))


def _last_open_op(session: Session, entity: str, row_id: str) -> OutboxRow | None:
    return session.scalars(
        select(OutboxRow)
        .where(OutboxRow.entity == entity, OutboxRow.row_id == row_id)
        .order_by(OutboxRow.seq.desc())
        .limit(1)
    ).first()


def _append(
    session: Session, *, entity: str, row_id: str, kind: str, base_version: int, fields: dict[str, Any], bases: dict[str, Any] | None = None
) -> None:
    session.add(
        OutboxRow(
            op_id=new_id(),
            entity=entity,
            row_id=row_id,
            kind=kind,
            base_version=base_version,
            fields=fields,
            bases=bases or {},
            created_at=clock.now(),
            frozen=False,
            state="pending",
        )
    )


def insert(session: Session, row: SyncedRow) -> SyncedRow:
    """Add a new synced row and its insert operation (all content fields)."""
    row.version = 0
    row.field_versions = {}
    row.deleted = False
    session.add(row)
    fields = {name: to_wire(getattr(row, name)) for name in content_fields(type(row))}
    _append(session, entity=row.__tablename__, row_id=row.id, kind="insert", base_version=0, fields=fields)
    _note(session, row.__tablename__, row.id, "insert")
    return row


def update(session: Session, row: SyncedRow, **values: Any) -> dict[str, Any]:
    """Set the given fields; record only those that really changed. Returns them."""
    changed: dict[str, Any] = {}
    allowed = set(content_fields(type(row)))
    for name, value in values.items():
        if name not in allowed:
            raise KeyError(f"{row.__tablename__}.{name} is not a content field")
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed[name] = to_wire(value)
    if not changed:
        return changed
    entity = row.__tablename__
    bases = _bases(session, row, changed)
    last = _last_open_op(session, entity, row.id)
    # a status change is a lifecycle step the server checks from the status it
    # holds: two steps coalesced into one (accept, then schedule: submitted ->
    # scheduled) would be refused there, so a second step goes as its own op
    second_step = "status" in changed and last is not None and last.kind == "update" and "status" in (last.fields or {})
    # a status step or a new reference folded into an earlier op would reach the
    # server before the rows recorded after that op (the finalization before the
    # action items it covers): it keeps its place at the end of the queue
    overtakes = last is not None and any(ordered(entity, n) for n in changed) and _newer_ops(session, last.seq)
    if last is not None and not last.frozen and last.state == "pending" and last.kind in ("insert", "update") and not second_step and not overtakes:
        merged = dict(last.fields)
        merged.update(changed)
        last.fields = merged  # a new dict, so SQLAlchemy sees the JSON change
        if last.kind == "update":
            # coalescing keeps the first base of a field: the edit still starts there
            last.bases = {**bases, **(last.bases or {})}
    else:
        _append(session, entity=entity, row_id=row.id, kind="update", base_version=row.version, fields=changed, bases=bases)
    _note(session, entity, row.id, "update")
    return changed


def _bases(session: Session, row: SyncedRow, changed: dict[str, Any]) -> dict[str, Any]:
    """The base of each changed field, for per-field conflict detection.

    A field an earlier, still unanswered op of ours set is based on that op (the
    server resolves ``op:<id>`` to the version it produced), so a PC editing a
    field twice before the first push was answered does not conflict with
    itself; otherwise the field's last known server version."""
    earlier = session.scalars(
        select(OutboxRow)
        .where(OutboxRow.entity == row.__tablename__, OutboxRow.row_id == row.id, OutboxRow.state == "pending")
        .order_by(OutboxRow.seq.desc())
    ).all()
    fv = row.field_versions or {}
    out: dict[str, Any] = {}
    for name in changed:
        ref = next((op for op in earlier if op.kind == "insert" or name in (op.fields or {})), None)
        out[name] = f"op:{ref.op_id}" if ref is not None else int(fv.get(name, row.version))
    return out


def delete(session: Session, row: SyncedRow) -> None:
    """Tombstone a row (never a hard delete: the other PC must hear of it)."""
    if row.deleted:
        return
    row.deleted = True
    # based on our own latest unanswered op of the row, if any (a row deleted
    # before its insert was answered): the server resolves ``op:<id>`` to the
    # version that op produced, so the delete does not meet our own insert as
    # "edited elsewhere" and keep the row
    last = session.scalars(
        select(OutboxRow).where(OutboxRow.entity == row.__tablename__, OutboxRow.row_id == row.id, OutboxRow.state == "pending").order_by(OutboxRow.seq.desc()).limit(1)
    ).first()
    bases = {"deleted": f"op:{last.op_id}"} if last is not None else {}
    _append(session, entity=row.__tablename__, row_id=row.id, kind="delete", base_version=row.version, fields={}, bases=bases)
    _note(session, row.__tablename__, row.id, "delete")


def requeue(session: Session, row: SyncedRow, refused: list[OutboxRow]) -> None:
    """Send a person's refused changes of ``row`` again, under new op ids (the
    server answers a replayed op id with its first answer).

    A refused insert never reached the server: it goes again as one insert
    with the row as it is now (which also carries any later edit waiting
    behind it), in the place the first one had in the queue, so it still
    travels before the rows that point at it. Refused updates go again based
    on the versions this PC holds now, so a field someone changed meanwhile
    comes back as a conflict for a person to decide, never a silent
    overwrite; a status step keeps its own value (the steps go in the order
    they were made), other fields send the row's current value."""
    entity = row.__tablename__
    first = next((op for op in sorted(refused, key=lambda o: o.seq) if op.kind == "insert"), None)
    if first is not None and row.deleted:
        # the person deleted it after it was refused and the server never had
        # it: nothing to send, and no tombstone for anyone to hear of
        for op in session.scalars(select(OutboxRow).where(OutboxRow.entity == entity, OutboxRow.row_id == row.id)):
            session.delete(op)
        session.delete(row)
        session.flush()
        return
    if first is not None:
        # the insert keeps its place in the queue (before the rows recorded
        # after it that point at it), under a new op id, with the row as it is
        # now; the ops behind it are folded in, so none meets the insert as an
        # edit made elsewhere
        for op in session.scalars(select(OutboxRow).where(OutboxRow.entity == entity, OutboxRow.row_id == row.id, OutboxRow.seq != first.seq)):
            session.delete(op)
        first.op_id = new_id()
        first.fields = {name: to_wire(getattr(row, name)) for name in content_fields(type(row))}
        first.bases = {}
        first.state, first.reject_reason, first.frozen = "pending", "", False
        session.flush()
        _note(session, entity, row.id, "insert")
        return
    fv = row.field_versions or {}
    for op in sorted(refused, key=lambda o: o.seq):
        if op.kind == "delete":
            _append(session, entity=entity, row_id=row.id, kind="delete", base_version=row.version, fields={})
        else:
            fields = {name: (value if ordered(entity, name) else to_wire(getattr(row, name))) for name, value in (op.fields or {}).items()}
            bases = {name: int(fv.get(name, row.version)) for name in fields}
            _append(session, entity=entity, row_id=row.id, kind=op.kind, base_version=row.version, fields=fields, bases=bases)
        session.delete(op)
        session.flush()
    _note(session, entity, row.id, "update")
