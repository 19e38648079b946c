"""The divergence check after a sync: per entity, the count and a digest of
(id, version) over the room's rows with ``0 < version <= upto``. Where the
client's figures differ, the answer carries the server's per-bucket digests
so the client re-pulls only the rows of the buckets that differ.

The digests are kept up to date as rows change (``desktop.sync.digest``): a
check takes the room's lock (the counter row every writer of the room's rows
updates), folds the room's journal into its digests (or builds them, once, for
a room that has none yet), commits, and reads the rows newer than ``upto`` if
any: O(changes since the last check), not O(rows)."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from desktop.sync import digest
from desktop.sync.protocol import VerifyIn, VerifyOut
from server.models import RoomSeqRow


def verify(session: Session, *, room_id: str, body: VerifyIn) -> VerifyOut:
    # the first statement, and a write: on SQLite it takes the write lock before
    # any snapshot exists (so it can never fail to upgrade), on PostgreSQL the
    # room's row lock, so no writer of the room interleaves with the fold
    session.execute(update(RoomSeqRow).where(RoomSeqRow.room_id == room_id).values(last_seq=RoomSeqRow.last_seq))
    digest.settle(session, room_id)
    mine = digest.summary(session, room_id=room_id, upto=body.upto)
    session.commit()
    differing: dict[str, dict[int, str]] = {}
    for entity, (count, dig, buckets) in mine.items():
        theirs = body.entities.get(entity)
        if theirs is None or (int(theirs[0]), str(theirs[1])) != (count, dig):
            differing[entity] = buckets
    return VerifyOut(ok=not differing, differing=differing)
