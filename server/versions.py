"""The per-room version counter. Every row the server creates or changes gets
the room's next version, taken by an UPDATE … RETURNING on ``room_seq`` inside
the writing transaction: the row lock (PostgreSQL) or the write lock (SQLite,
whose writers BEGIN IMMEDIATE) is held until commit, so versions of one room
commit in order and a pull by ``version > cursor`` never skips a late commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from desktop.storage.models import SyncedRow, content_fields
from server.models import RoomSeqRow

_SEQ = RoomSeqRow.__table__


def next_version(session: Session, room_id: str, *, count: int = 1) -> int:
    """Reserve ``count`` consecutive versions of the room; returns the first."""
    last = session.execute(
        update(_SEQ).where(_SEQ.c.room_id == room_id).values(last_seq=_SEQ.c.last_seq + count).returning(_SEQ.c.last_seq)
    ).scalar_one_or_none()
    if last is None:
        raise LookupError(f"no room_seq row for room {room_id}")
    return int(last) - count + 1


def stamp_new(session: Session, row: SyncedRow, *, version: int | None = None) -> SyncedRow:
    """Add a new synced row at the room's next version (every field at it), or
    at ``version`` already reserved with ``next_version(count=…)``."""
    v = version if version is not None else next_version(session, row.room_id)
    row.version = v
    row.field_versions = {name: v for name in content_fields(type(row))}
    row.deleted = False
    session.add(row)
    return row


def stamp_change(session: Session, row: SyncedRow, **values: Any) -> dict[str, Any]:
    """Set fields on a row; the ones that really changed get the next version."""
    allowed = set(content_fields(type(row)))
    changed = {}
    for name, value in values.items():
        if name not in allowed:
            raise KeyError(f"{row.__tablename__}.{name} is not a content field")
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed[name] = value
    if changed:
        v = next_version(session, row.room_id)
        row.version = v
        row.field_versions = {**(row.field_versions or {}), **{name: v for name in changed}}
    return changed
