"""The divergence check after a sync: per entity, the count and a digest of
(id, version) over the room's rows with ``0 < version <= upto``. Where the
client's figures differ, the answer carries the server's per-bucket digests
so the client re-pulls only the rows of the buckets that differ."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.storage.models import ENTITIES
from desktop.sync.protocol import VerifyIn, VerifyOut, entity_digests


def pairs(session: Session, cls, *, room_id: str, upto: int) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    return [
        (i, int(v))
        for i, v in session.execute(select(cls.id, cls.version).where(cls.room_id == room_id, cls.version > 0, cls.version <= upto))
    ]


def verify(session: Session, *, room_id: str, body: VerifyIn) -> VerifyOut:
    differing: dict[str, dict[int, str]] = {}
    for entity, cls in ENTITIES.items():
        count, digest, buckets = entity_digests(pairs(session, cls, room_id=room_id, upto=body.upto))
        theirs = body.entities.get(entity)
        if theirs is None or (int(theirs[0]), str(theirs[1])) != (count, digest):
            differing[entity] = buckets
    return VerifyOut(ok=not differing, differing=differing)
