"""Importing a 12345 hotline or grid-worker work-order file as new topics.

The whole file is one transaction: every new topic with its submit event and
both outbox operations, or nothing. The ticket number is the key: a ticket
already in the room, or repeated in the file, is skipped, so importing the same
file twice adds nothing. Rows that cannot become a topic are reported with the
row number a person sees in Excel and the reason; the others are imported.

Speed: a county hands a room tens of thousands of rows at once, so the rows
are written with bulk Core inserts, not one ORM object each. Their shape is
taken from ``topics.new_topic_row`` itself (see ``_Shape``): the topic, its
event and the two outbox operations are the columns and values that function
writes, with only the per-row values filled in.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from itertools import accumulate, islice
from pathlib import Path
from typing import Any

from sqlalchemy import Table, inspect, select
from sqlalchemy.orm import Session

from desktop.domain import clock
from desktop.domain.enums import TopicSource
from desktop.domain.errors import ValidationError
from desktop.domain.ids import TRACKING_ALPHABET, uuid7
from desktop.domain.validation import TITLE_MAX, clean_phone, clean_text, required_text
from desktop.importers.gc_pause import full_collections_deferred
from desktop.importers.hotline import HotlineRow, read_hotline, title_from
from desktop.storage.db import Store
from desktop.storage.models import OutboxRow, TopicEventRow, TopicRow, content_fields
from desktop.storage.services.common import room_of
from desktop.storage.services.topics import new_topic_row
from desktop.storage.types import to_wire

CHUNK = 5_000  # rows built and inserted at a time: bounded memory, few round trips


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, with ``dry_run``, would do)."""

    file: str
    source: TopicSource
    dry_run: bool
    imported: int
    duplicates: int  # ticket already in the room, or repeated in the file
    rejected: tuple[tuple[int, str], ...]  # (row number, reason in the user's language)
    topic_ids: tuple[str, ...]  # the new topics, in file order (empty for a dry run)
    duplicate_lines: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class _Clean:
    line: int
    ticket_no: str
    received_at: datetime
    title: str
    description: str
    category: str
    location: str
    submitter_name: str
    submitter_phone: str


def _clean(row: HotlineRow) -> _Clean:
    """The same checks ``new_topic_row`` makes, named after the file's columns."""
    description = clean_text(row.content, field="诉求内容")
    title = clean_text(row.title, field="诉求标题", max_len=TITLE_MAX, multiline=False) or title_from(description)
    ticket_no = clean_text(row.ticket_no, field="工单编号", max_len=64, multiline=False)
    if not ticket_no:
        raise ValidationError("缺少工单编号")
    return _Clean(
        line=row.line,
        ticket_no=ticket_no,
        received_at=row.received_at,
        title=required_text(title, field="诉求标题", max_len=TITLE_MAX),
        description=description,
        category=clean_text(row.category, field="诉求类别", max_len=100, multiline=False),
        location=clean_text(row.address, field="地址", max_len=300, multiline=False),
        submitter_name=clean_text(row.name, field="诉求人", max_len=100, multiline=False),
        submitter_phone=clean_phone(row.phone),
    )


class _Shape:
    """The rows ``new_topic_row`` writes for one topic, as column dicts, made
    once per import in a session with no database behind it."""

    def __init__(self, *, room_id: str, source: TopicSource, actor: str) -> None:
        scratch = Session()  # no bind: nothing here can reach a database
        topic = new_topic_row(scratch, room_id=room_id, title="模板", source=source, actor=actor)
        by_entity: dict[str, dict[str, Any]] = {}
        for obj in scratch.new:
            cols = {c.key for c in type(obj).__table__.columns}
            values = {k: v for k, v in inspect(obj).dict.items() if k in cols}
            key = values["entity"] + "_op" if isinstance(obj, OutboxRow) else obj.__tablename__
            by_entity[key] = values
        scratch.expunge_all()
        assert topic.id == by_entity["topic"]["id"]
        self.topic = by_entity["topic"]
        self.event = by_entity["topic_event"]
        per_op = ("op_id", "row_id", "fields", "created_at")
        self.topic_op = {k: v for k, v in by_entity["topic_op"].items() if k not in per_op}
        self.event_op = {k: v for k, v in by_entity["topic_event_op"].items() if k not in per_op}
        self.topic_fields = content_fields(TopicRow)
        self.event_fields = content_fields(TopicEventRow)


def _ids(n: int) -> list[str]:
    """``n`` UUIDv7 ids in increasing order, at a fraction of ``new_id``'s cost:
    the millisecond of one real ``uuid7()``, then a 74-bit counter that starts
    at random and steps by random 32-bit amounts (unique, unguessable, sorted)."""
    if n == 0:
        return []
    first = uuid7().int
    head = (first >> 80) << 80 | 0x7 << 76
    start = int.from_bytes(os.urandom(9), "big") >> 1  # below 2**73: head-room for the steps
    steps = memoryview(os.urandom(4 * n)).cast("I")
    out = []
    low, variant = (1 << 62) - 1, 0b10 << 62
    heads: dict[int, str] = {}  # the top 64 bits change only every 2**62 steps of the counter
    for v in accumulate((s + 1 for s in steps), initial=start):
        top = heads.get(v >> 62)
        if top is None:
            h = f"{head | (v >> 62) << 64:032x}"
            top = heads[v >> 62] = f"{h[:8]}-{h[8:12]}-{h[12:16]}-"
        tail = f"{variant | (v & low):016x}"
        out.append(f"{top}{tail[:4]}-{tail[4:]}")
    return out[1:]


_TRACK_TABLE = bytes(TRACKING_ALPHABET.encode()[b % len(TRACKING_ALPHABET)] for b in range(256))
_TRACK_REJECT = bytes(range(len(TRACKING_ALPHABET) * (256 // len(TRACKING_ALPHABET)), 256))


def _tracking_codes(n: int, taken: set[str]) -> list[str]:
    """``n`` new tracking codes like ``new_tracking_code`` makes (uniform over the
    same alphabet), none already ``taken``: 200,000 random codes do collide now
    and then, and the column is unique."""
    out: list[str] = []
    while len(out) < n:
        need = n - len(out)
        # bytes 250..255 are dropped so that every letter is equally likely
        letters = os.urandom(9 * need + 64).translate(_TRACK_TABLE, _TRACK_REJECT).decode()
        for i in range(0, len(letters) - 7, 8):
            code = f"{letters[i:i + 4]}-{letters[i + 4:i + 8]}"
            if code not in taken:
                taken.add(code)
                out.append(code)
                if len(out) == n:
                    break
    return out


def _chunks(items: list[_Clean], size: int) -> Iterator[list[_Clean]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


class _BulkInsert:
    """An ``INSERT`` compiled by SQLAlchemy, run as one executemany with
    SQLAlchemy's own bind processors applied by hand: once for the values that
    are the same on every row, per row only for the few that differ. The
    generic per-row parameter handling of ``session.execute(insert(t), dicts)``
    cost more than the insert itself; the stored bytes are the same."""

    def __init__(self, session: Session, table: Table, *, same: dict[str, Any], per_row: tuple[str, ...]) -> None:
        dialect = session.get_bind().dialect
        same = dict(same)
        for col in table.columns:  # Python-side column defaults, as Core would apply them
            if col.key not in same and col.key not in per_row and col.default is not None:
                same[col.key] = col.default.arg(None) if col.default.is_callable else col.default.arg
        procs = {c.key: c.type.dialect_impl(dialect).bind_processor(dialect) for c in table.columns}
        self.fixed = tuple(procs[k](v) if procs[k] else v for k, v in same.items())
        self.row_procs = tuple((i, procs[k]) for i, k in enumerate(per_row) if procs[k] is not None)
        keys = [*same, *per_row]
        left = set(table.columns.keys()) - set(keys)  # only an autoincrement key may be left to SQLite
        assert dialect.paramstyle == "qmark" and all(table.c[k].primary_key and table.c[k].autoincrement for k in left), left
        quote = dialect.identifier_preparer.quote
        self.sql = f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, keys))}) VALUES ({', '.join('?' * len(keys))})"
        self.session = session

    def run(self, rows: list[list[Any]]) -> None:
        fixed, row_procs = self.fixed, self.row_procs
        params = []
        for row in rows:
            for i, proc in row_procs:
                row[i] = proc(row[i])
            params.append((*fixed, *row))
        self.session.connection().exec_driver_sql(self.sql, params)


_TOPIC_ROW = ("id", "title", "description", "category", "location", "submitter_name", "submitter_phone", "tracking_code", "ticket_no", "received_at")
_OP_ROW = ("op_id", "row_id", "fields")


def _write(session: Session, rows: list[_Clean], shape: _Shape, taken_codes: set[str]) -> list[str]:
    now = clock.now()
    topic_same = {k: v for k, v in {**shape.topic, "created_at": now, "updated_at": now}.items() if k not in _TOPIC_ROW}
    event_same = {k: v for k, v in {**shape.event, "at": now}.items() if k not in ("id", "topic_id")}
    topics = _BulkInsert(session, TopicRow.__table__, same=topic_same, per_row=_TOPIC_ROW)
    events = _BulkInsert(session, TopicEventRow.__table__, same=event_same, per_row=("id", "topic_id"))
    # both kinds of operation share one statement so that their order (a topic,
    # then its event) is the order new_topic_row gives them
    op_same = {k: v for k, v in shape.topic_op.items() if k != "entity"}
    assert op_same == {k: v for k, v in shape.event_op.items() if k != "entity"}, "the two operations differ beyond entity"
    ops = _BulkInsert(session, OutboxRow.__table__, same={**op_same, "created_at": now}, per_row=("entity", *_OP_ROW))
    topic_full, event_full = {**shape.topic, **topic_same}, {**shape.event, **event_same}
    topic_wire = {name: to_wire(topic_full.get(name)) for name in shape.topic_fields}
    event_wire = {name: to_wire(event_full.get(name)) for name in shape.event_fields}
    new_ids: list[str] = []
    for chunk in _chunks(rows, CHUNK):
        n = len(chunk)
        ids = _ids(4 * n)
        codes = _tracking_codes(n, taken_codes)
        topic_params, event_params, op_params = [], [], []
        for i, r in enumerate(chunk):
            tid, eid = ids[4 * i], ids[4 * i + 1]
            values = [tid, r.title, r.description, r.category, r.location, r.submitter_name, r.submitter_phone, codes[i], r.ticket_no, r.received_at]
            topic_params.append(values)
            event_params.append([eid, tid])
            wire = dict(zip(_TOPIC_ROW[1:], values[1:]))
            wire["received_at"] = to_wire(r.received_at)
            op_params.append(["topic", ids[4 * i + 2], tid, {**topic_wire, **wire}])
            op_params.append(["topic_event", ids[4 * i + 3], eid, {**event_wire, "topic_id": tid}])
            new_ids.append(tid)
        topics.run(topic_params)
        events.run(event_params)
        ops.run(op_params)
    return new_ids


@contextmanager
def _big_cache(session: Session, rows: int) -> Iterator[None]:
    """A larger page cache while a big file goes in: the topic table has six
    indexes, and once their pages no longer fit SQLite's default 2 MiB cache
    every insert into a random-keyed one (tracking codes) becomes a page spill.
    Set back afterwards: the pooled connection is shared by everything else."""
    if rows < 2_000:
        yield
        return
    conn = session.connection()
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size={-min(256, 16 + rows // 1000) * 1024}")  # KiB: ~1 MiB per 1,000 rows, at most 256 MiB
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(before)}")


def _select_new(rows: Iterable[_Clean], existing: set[str]) -> tuple[list[_Clean], list[int]]:
    fresh: list[_Clean] = []
    dup_lines: list[int] = []
    seen = set(existing)
    for r in rows:
        if r.ticket_no in seen:
            dup_lines.append(r.line)
        else:
            seen.add(r.ticket_no)
            fresh.append(r)
    return fresh, dup_lines


def import_hotline(
    store: Store,
    path: Path | str,
    *,
    source: TopicSource | str = TopicSource.HOTLINE,
    actor: str = "",
    dry_run: bool = False,
) -> ImportReport:
    """Import a work-order file (CSV or .xlsx) as new topics of this room.

    Raises ``ImportFileError`` (a ``DomainError``) for a file that is not such a
    table and ``DomainError`` when the room is not set up; nothing is written
    then. With ``dry_run`` the report says what would happen and nothing is
    written either.
    """
    try:
        source = TopicSource(source)
    except ValueError:
        raise ValidationError("未知的议题来源“{source}”。", source=str(source)[:40]) from None
    actor = clean_text(actor, field="经办人", max_len=100, multiline=False)
    # the rows read stay alive until written, and a full collection falling
    # due on this thread meanwhile would walk them all while the window
    # waits for the interpreter lock (issue 6; see gc_pause); they are gone
    # again once _import returns
    with full_collections_deferred():
        return _import(store, path, source=source, actor=actor, dry_run=dry_run)


def _import(store: Store, path: Path | str, *, source: TopicSource, actor: str, dry_run: bool) -> ImportReport:
    table = read_hotline(path)  # before the transaction: reading takes a while
    rejected = list(table.rejected)
    valid: list[_Clean] = []
    for row in table.rows:
        try:
            valid.append(_clean(row))
        except ValidationError as exc:
            rejected.append((row.line, str(exc)))
    rejected.sort()
    with store.read() if dry_run else store.write() as session:
        room = room_of(session)
        existing = set(session.scalars(select(TopicRow.ticket_no).where(TopicRow.room_id == room.id, TopicRow.ticket_no.is_not(None))))
        fresh, dup_lines = _select_new(valid, existing)
        topic_ids: list[str] = []
        if fresh and not dry_run:
            taken = set(session.scalars(select(TopicRow.tracking_code)))
            with _big_cache(session, len(fresh)):
                topic_ids = _write(session, fresh, _Shape(room_id=room.id, source=source, actor=actor), taken)
    return ImportReport(
        file=str(path),
        source=source,
        dry_run=dry_run,
        imported=len(fresh),
        duplicates=len(dup_lines),
        rejected=tuple(rejected),
        topic_ids=tuple(topic_ids),
        duplicate_lines=tuple(dup_lines),
    )
