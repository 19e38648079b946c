"""Pages of changes for a room, and whole rows asked for again.

A pull first reads the room's committed counter ``H``: every version up to
``H`` has committed (versions are taken under the room's lock inside the
writing transaction, so version N+1 cannot exist before N commits). It then
returns rows with ``since < version <= H`` in version order, so a pull on a
READ COMMITTED database never sees a later version without the earlier ones,
even though it reads each table with its own statement.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.storage.models import ENTITIES, SyncedRow, content_fields
from desktop.storage.types import to_wire
from desktop.sync.protocol import MAX_PAGE, Change, PullOut, bucket_of
from server.models import RoomSeqRow


def to_change(entity: str, row: SyncedRow) -> Change:
    cls = ENTITIES[entity]
    return Change(
        entity=entity,
        id=row.id,
        version=row.version,
        deleted=bool(row.deleted),
        fields={name: to_wire(getattr(row, name)) for name in content_fields(cls)},
        field_versions={k: int(v) for k, v in (row.field_versions or {}).items()},
    )


def committed_high(session: Session, room_id: str) -> int:
    return int(session.scalar(select(RoomSeqRow.last_seq).where(RoomSeqRow.room_id == room_id)) or 0)


def pull(session: Session, *, room_id: str, since: int, limit: int) -> PullOut:
    limit = max(1, min(limit, MAX_PAGE))
    high = committed_high(session, room_id)
    found: list[tuple[int, str, SyncedRow]] = []
    for entity, cls in ENTITIES.items():
        rows = session.scalars(
            select(cls)
            .where(cls.room_id == room_id, cls.version > since, cls.version <= high)
            .order_by(cls.version)
            .limit(limit + 1)
        ).all()
        found.extend((r.version, entity, r) for r in rows)
    found.sort(key=lambda t: t[0])
    page = found[:limit]
    more = len(found) > limit
    cursor = page[-1][0] if more else max(high, since)
    return PullOut(changes=[to_change(e, r) for _, e, r in page], cursor=cursor, more=more)


def rows(session: Session, *, room_id: str, ids: dict[str, list[str]], buckets: dict[str, list[int]]) -> list[Change]:
    """The room's current rows by id, and every row of the given buckets."""
    out: list[Change] = []
    for entity, wanted in ids.items():
        cls = ENTITIES.get(entity)
        if cls is None or not wanted:
            continue
        for r in session.scalars(select(cls).where(cls.room_id == room_id, cls.id.in_(wanted[:MAX_PAGE]))):
            out.append(to_change(entity, r))
    for entity, bs in buckets.items():
        cls = ENTITIES.get(entity)
        if cls is None or not bs:
            continue
        want = set(bs)
        for r in session.scalars(select(cls).where(cls.room_id == room_id, cls.version > 0)):
            if bucket_of(r.id) in want:
                out.append(to_change(entity, r))
    return out
