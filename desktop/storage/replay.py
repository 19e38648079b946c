"""Applying one outbox operation to a database, generically, and a snapshot of
all synced content for comparisons.

``apply_operation`` is how the outbox's completeness is proven (replay a
room's outbox onto an empty file and get the same content) and what the sync
pull reuses to write a row the server sent. It writes rows directly, never
through ``outbox``: a change that came from elsewhere is not a new local change.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.storage.models import ENTITIES, RoomRow, SyncedRow, content_fields
from desktop.storage.types import from_wire, to_wire


def _room_id(session: Session) -> str:
    room = session.scalars(select(RoomRow.id).limit(1)).first()
    if room is None:
        raise LookupError("no room set up in this database")
    return room


def _set_fields(row: SyncedRow, cls: type[SyncedRow], fields: dict[str, Any]) -> None:
    columns = cls.__table__.columns
    known = set(content_fields(cls))
    for name, value in fields.items():
        # a field a newer version added is skipped, not an error: the row's
        # other fields still arrive and the rest of the batch is not blocked
        if name in known:
            setattr(row, name, from_wire(columns[name].type, value))


def apply_operation(
    session: Session,
    *,
    entity: str,
    row_id: str,
    kind: str,
    fields: dict[str, Any],
    room_id: str | None = None,
) -> SyncedRow | None:
    """Apply an insert/update/delete operation to ``entity``'s row ``row_id``.

    An insert of a row that exists updates it (a page pulled twice has one
    effect); a delete tombstones; an update of a row this database never had is
    refused with ``LookupError`` (the caller re-pulls the whole row). The row's
    room is ``room_id``, else this database's room. Returns the row (or None for
    a delete of an unknown row). Does not commit."""
    cls = ENTITIES.get(entity)
    if cls is None:
        raise KeyError(f"unknown entity {entity!r}")
    row = session.get(cls, row_id)
    if kind == "insert":
        if row is None:
            row = cls(id=row_id, room_id=room_id or _room_id(session), version=0, field_versions={}, deleted=False)
            session.add(row)
        _set_fields(row, cls, fields)
    elif kind == "update":
        if row is None:
            raise LookupError(f"{entity} {row_id} is not in this database")
        _set_fields(row, cls, fields)
    elif kind == "delete":
        if row is not None:
            row.deleted = True
    else:
        raise ValueError(f"unknown operation kind {kind!r}")
    return row


def snapshot(session: Session) -> dict[str, dict[str, dict[str, Any]]]:
    """entity -> id -> content (wire form) plus room and tombstone, ignoring the
    sync bookkeeping (version, field versions) that differs between copies."""
    session.flush()
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for entity, cls in ENTITIES.items():
        table = cls.__table__
        names = content_fields(cls)
        # Core rows, not ORM objects: several times faster, same typed values
        query = select(table.c.id, table.c.room_id, table.c.deleted, *(table.c[n] for n in names)).order_by(table.c.id)
        rows: dict[str, dict[str, Any]] = {}
        for row_id, room_id, deleted, *values in session.execute(query):
            content = {name: to_wire(value) for name, value in zip(names, values)}
            content["room_id"] = room_id
            content["deleted"] = bool(deleted)
            rows[row_id] = content
        out[entity] = rows
    return out
