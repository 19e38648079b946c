"""Verify digests kept up to date as rows change, so the check after a sync
costs O(changes) instead of re-hashing the whole room.

The same code runs on the PC (one room) and on the county server (every room).
Per (room, entity, bucket) the table ``sync_digest`` holds the count of rows
with ``version > 0`` and the sum, mod 2**64, of ``pair_hash(id, version)`` over
them. A sum can be updated without reading the bucket again: a row moving from
version a to b subtracts ``pair_hash(id, a)`` and adds ``pair_hash(id, b)``.

Database triggers (desktop migration 0004, server migration 0002) append every
change of a row's version, including inserts and hard deletes, to
``sync_digest_journal``; they fire for every writer (ORM, Core, raw SQL), so
the journal is complete by construction. ``settle`` folds the journal into the
digests at the start of each verify, inside a write transaction that no other
writer of the room can interleave with (the PC's single SQLite writer; on the
server the room's lock, which every writer of a room's rows holds while it
writes). ``summary`` reads the digests plus any entries not settled yet, so it
is exact at any time. A room whose digests were never built (a file or
database older than the triggers, or rows copied in before them) is built once
from its rows; entities without triggers (one added after these migrations)
are always computed from their rows.
"""

from __future__ import annotations

import hashlib
from typing import Iterable

from sqlalchemy import Column, Integer, MetaData, String, Table, delete, func, insert, select
from sqlalchemy.orm import Session

from desktop.storage.models import ENTITIES, SyncedRow
from desktop.sync.protocol import bucket_of

# entity tables that have journal triggers (the same list in both migrations)
TRACKED = (
    "person", "topic", "topic_event", "meeting", "agenda_item", "participant", "statement",
    "outcome", "action_item", "progress_entry", "follow_up", "minutes", "attachment",
)
MOD = 1 << 64
BUILT = -1  # the bucket of the marker row saying "this room's digests are built"; ``n`` holds the highest version seen

metadata = MetaData()
DIGEST = Table(
    "sync_digest", metadata,
    Column("room_id", String(36), primary_key=True),
    Column("entity", String(32), primary_key=True),
    Column("bucket", Integer, primary_key=True),
    Column("n", Integer, nullable=False),
    Column("total", String(16), nullable=False),  # hex: a 64-bit unsigned sum fits no portable integer column
)
JOURNAL = Table(
    "sync_digest_journal", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("room_id", String(36), nullable=False),
    Column("entity", String(32), nullable=False),
    Column("row_id", String(36), nullable=False),
    Column("old_version", Integer, nullable=False),
    Column("new_version", Integer, nullable=False),
)

Buckets = dict[int, list[int]]  # bucket -> [count, sum]


def pair_hash(row_id: str, version: int) -> int:
    return int.from_bytes(hashlib.blake2b(f"{row_id}:{version}".encode(), digest_size=8).digest(), "big")


def _add(acc: Buckets, row_id: str, version: int, sign: int) -> None:
    cell = acc.setdefault(bucket_of(row_id), [0, 0])
    cell[0] += sign
    cell[1] = (cell[1] + sign * pair_hash(row_id, version)) % MOD


def render(acc: Buckets) -> tuple[int, str, dict[int, str]]:
    """(count, digest, bucket -> digest) as they go on the wire; empty buckets are left out."""
    buckets = {b: f"{n}:{s:016x}" for b, (n, s) in sorted(acc.items()) if n or s}
    count = sum(n for n, _ in acc.values())
    total = sum(s for _, s in acc.values()) % MOD
    return count, f"{count}:{total:016x}", buckets


def from_pairs(pairs: Iterable[tuple[str, int]]) -> Buckets:
    acc: Buckets = {}
    for row_id, version in pairs:
        _add(acc, row_id, int(version), 1)
    return acc


def _rows(session: Session, cls: type[SyncedRow], room_id: str, *, above: int = 0, upto: int | None = None) -> Iterable[tuple[str, int]]:
    q = select(cls.id, cls.version).where(cls.room_id == room_id, cls.version > above)
    if upto is not None:
        q = q.where(cls.version <= upto)
    return ((i, int(v)) for i, v in session.execute(q))


def _stored(session: Session, room_id: str) -> tuple[dict[str, Buckets], int | None]:
    """The room's digests and the highest version seen (None: never built)."""
    out: dict[str, Buckets] = {}
    top: int | None = None
    for entity, bucket, n, total in session.execute(select(DIGEST.c.entity, DIGEST.c.bucket, DIGEST.c.n, DIGEST.c.total).where(DIGEST.c.room_id == room_id)):
        if bucket == BUILT:
            top = int(n)
        else:
            out.setdefault(entity, {})[int(bucket)] = [int(n), int(total, 16)]
    return out, top


def _journal(session: Session, room_id: str) -> list[tuple[int, str, str, int, int]]:
    q = select(JOURNAL.c.id, JOURNAL.c.entity, JOURNAL.c.row_id, JOURNAL.c.old_version, JOURNAL.c.new_version)
    return [tuple(r) for r in session.execute(q.where(JOURNAL.c.room_id == room_id).order_by(JOURNAL.c.id))]  # type: ignore[misc]


def _fold(digests: dict[str, Buckets], entries: list[tuple[int, str, str, int, int]], top: int) -> int:
    for _, entity, row_id, old, new in entries:
        acc = digests.setdefault(entity, {})
        if old > 0:
            _add(acc, row_id, old, -1)
        if new > 0:
            _add(acc, row_id, new, 1)
            top = max(top, new)
    return top


def _write(session: Session, room_id: str, digests: dict[str, Buckets], top: int, *, only: set[tuple[str, int]] | None = None) -> None:
    where = DIGEST.c.room_id == room_id
    if only is None:
        session.execute(delete(DIGEST).where(where))
        cells = [(e, b) for e, acc in digests.items() for b in acc]
    else:
        cells = sorted(only)
        for e, b in cells + [("*", BUILT)]:
            session.execute(delete(DIGEST).where(where, DIGEST.c.entity == e, DIGEST.c.bucket == b))
    rows = [{"room_id": room_id, "entity": e, "bucket": b, "n": digests[e][b][0], "total": f"{digests[e][b][1]:016x}"} for e, b in cells if digests.get(e, {}).get(b, [0, 0]) != [0, 0]]
    rows.append({"room_id": room_id, "entity": "*", "bucket": BUILT, "n": top, "total": "0"})
    session.execute(insert(DIGEST), rows)


def build(session: Session, room_id: str) -> None:
    """Compute the room's digests from its rows and empty its journal (O(rows), once)."""
    session.execute(delete(JOURNAL).where(JOURNAL.c.room_id == room_id))
    digests = {e: from_pairs(_rows(session, ENTITIES[e], room_id)) for e in TRACKED if e in ENTITIES}
    top = 0
    for e in digests:
        top = max(top, int(session.scalar(select(func.max(ENTITIES[e].version)).where(ENTITIES[e].room_id == room_id)) or 0))
    _write(session, room_id, digests, top)


def settle(session: Session, room_id: str) -> None:
    """Fold the room's journal into its digests (or build them the first time).
    The caller holds the room's write lock for the whole transaction."""
    digests, top = _stored(session, room_id)
    if top is None:
        build(session, room_id)
        return
    entries = _journal(session, room_id)
    if not entries:
        return
    top = _fold(digests, entries, top)
    session.execute(delete(JOURNAL).where(JOURNAL.c.room_id == room_id, JOURNAL.c.id <= entries[-1][0]))
    _write(session, room_id, digests, top, only={(e, bucket_of(r)) for _, e, r, _, _ in entries})


def summary(session: Session, *, room_id: str, upto: int) -> dict[str, tuple[int, str, dict[int, str]]]:
    """Per entity, (count, digest, bucket digests) of the room's rows with
    ``0 < version <= upto``. Reads: the digests, the unsettled journal, and
    only when some row may be newer than ``upto`` those rows (by version)."""
    digests, top = _stored(session, room_id)
    if top is None:
        return {e: render(from_pairs(_rows(session, cls, room_id, upto=upto))) for e, cls in ENTITIES.items()}
    top = _fold(digests, _journal(session, room_id), top)
    out = {}
    for entity, cls in ENTITIES.items():
        if entity not in TRACKED:
            out[entity] = render(from_pairs(_rows(session, cls, room_id, upto=upto)))
            continue
        acc = {b: list(c) for b, c in digests.get(entity, {}).items()}
        if top > upto:
            for row_id, version in _rows(session, cls, room_id, above=upto):
                _add(acc, row_id, version, -1)
        out[entity] = render(acc)
    return out
