"""The sync engine: push the outbox, pull the room's changes, verify, repair.

Contracts (each one is where some sync engine lost data):

- an operation is frozen and committed *before* any byte of it is sent, and
  leaves the outbox only in the transaction that stores the server's answer;
- a pulled page and the new cursor commit together, so the cursor never runs
  ahead of what is stored;
- pulled data never overwrites a field that has an unanswered local operation
  (a field of a pending insert, update or delete), whatever the clocks say;
- a refused operation never deletes or overwrites what a person made: it stays
  in the outbox (state ``rejected``, with the reason), the fields it carries
  (the whole row, for a refused insert) keep this PC's values against every
  pull and repair, and the row is listed for a person to send again or to
  discard on purpose (``desktop.sync.refused``). Only a discard lets the
  server's copy back in (the row is fetched again at the next sync).

Runs headless on any thread; ``progress(phase, done, total)`` reports to the
window. One engine run per store at a time (the caller's scheduler ensures it).
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from desktop.domain import clock
from desktop.domain.ids import new_id
from desktop.i18n import tr
from desktop.storage.db import Store
from desktop.storage.models import ENTITIES, ConflictRow, OutboxRow, RoomRow, SyncStateRow, content_fields
from desktop.storage.types import from_wire
from desktop.sync.client import Client, LocalStoreError
from desktop.sync.dedupe import drop_local_topic, fold_ticket_clash, pristine
from desktop.sync.photos import sync_photos
from desktop.sync import digest, refused
from desktop.sync.state import DEVICE_KEY, TOKEN_KEY, Status, setting as _setting, status  # noqa: F401  (re-exported)
from desktop.sync.protocol import MAX_BATCH, MAX_BATCH_BYTES, Change, PullOut, PushOut, VerifyOut

Progress = Callable[[str, int, int], None]
ALL = "*"


@dataclass
class Report:
    pushed: int = 0
    applied: int = 0
    duplicates: int = 0
    conflicts: int = 0
    rejected: int = 0
    pulled: int = 0
    repaired: int = 0
    cursor: int = 0
    requests: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0
    rejected_reasons: list[str] = field(default_factory=list)
    photos_sent: int = 0
    photos_received: int = 0
    photos_waiting: int = 0  # the server does not have them complete yet


def _noop(phase: str, done: int, total: int) -> None:
    pass


def _local_error(exc: OperationalError) -> LocalStoreError:
    text = str(exc.orig or exc).lower()
    if "full" in text:
        return LocalStoreError("本电脑的磁盘已满，收到的数据没有保存（已保存的数据没有受影响）。请清理磁盘空间后再同步。")
    if "locked" in text or "busy" in text:
        return LocalStoreError("本电脑的数据库正被另一个程序占用，这次同步没有保存任何数据。请关闭占用它的程序（如另一个议事窗口或备份软件）后再同步。")
    return LocalStoreError("本电脑的数据库暂时无法写入（{what}），这次同步没有保存任何数据。请稍后再同步。", what=text[:200])


@contextmanager
def local_errors() -> Iterator[None]:
    """This PC's database refusing a write becomes a ``LocalStoreError`` in words."""
    try:
        yield
    except OperationalError as exc:
        raise _local_error(exc) from exc


def _state(session: Session) -> SyncStateRow:
    row = session.get(SyncStateRow, 1)
    if row is None:
        row = SyncStateRow(id=1, cursor=0, last_success_at=None, last_error="")
        session.add(row)
        session.flush()
    return row


def client_for(store: Store, **kw: Any) -> Client:
    """A client for this data dir's server and token (from ``yishi enroll``)."""
    from desktop.sync.client import TokenRefused

    with store.read() as session:
        url = session.scalars(select(RoomRow.server_url).limit(1)).first()
        token = _setting(session, TOKEN_KEY)
    if not url or not token:
        raise TokenRefused("本电脑还没有注册到县（区）服务器。请先运行 yishi enroll 服务器地址 注册码。")
    return Client(url, token, **kw)


# ---- pending fields ----------------------------------------------------------


def pending_fields(session: Session, entity: str, row_id: str) -> set[str]:
    """Fields with an unanswered or refused local op (``ALL`` for an insert,
    ``deleted`` for a delete): pulled data must leave them alone. A refused op
    holds its fields until a person sends it again or discards it."""
    out: set[str] = set()
    for kind, fields in session.execute(
        select(OutboxRow.kind, OutboxRow.fields).where(OutboxRow.entity == entity, OutboxRow.row_id == row_id, OutboxRow.state.in_(("pending", "rejected")))
    ):
        if kind == "insert":
            out.add(ALL)
        elif kind == "delete":
            out.add("deleted")
        out.update(fields or {})
    return out


def apply_change(session: Session, ch: Change, *, room_id: str) -> None:
    """Store one row the server sent, sparing fields with pending local ops."""
    cls = ENTITIES.get(ch.entity)
    if cls is None:
        return  # an entity a newer server knows: nothing to keep it in
    keep = pending_fields(session, ch.entity, ch.id)
    row = session.get(cls, ch.id)
    columns = cls.__table__.columns
    known = set(content_fields(cls))
    if ch.entity == "topic" and ALL not in keep and "ticket_no" not in keep and (row is None or row.ticket_no != ch.fields.get("ticket_no")):
        # the room's ticket numbers are unique: a local copy of the same work order must not fail the page
        fold_ticket_clash(session, room_id=room_id, incoming_id=ch.id, ticket_no=ch.fields.get("ticket_no"))
    if row is None:
        row = cls(id=ch.id, room_id=room_id, version=0, field_versions={}, deleted=False)
        session.add(row)
        keep = set()
    fv = dict(row.field_versions or {})
    for name, value in ch.fields.items():
        if name not in known or name in keep or ALL in keep:
            continue
        setattr(row, name, from_wire(columns[name].type, value))
        fv[name] = int(ch.field_versions.get(name, ch.version))
    if "deleted" not in keep and ALL not in keep:
        row.deleted = bool(ch.deleted)
    row.field_versions = fv
    row.version = int(ch.version)


# ---- push --------------------------------------------------------------------


def _take_batch(store: Store, size: int) -> tuple[list[dict[str, Any]], int]:
    """Freeze and commit the next batch before a byte of it is sent."""
    with store.write() as session:
        ops = session.scalars(select(OutboxRow).where(OutboxRow.state == "pending").order_by(OutboxRow.seq).limit(size)).all()
        payload: list[dict[str, Any]] = []
        size_so_far = 0
        for op in ops:
            item = {
                "op_id": op.op_id,
                "entity": op.entity,
                "row_id": op.row_id,
                "kind": op.kind,
                "base_version": op.base_version,
                "bases": op.bases or {},
                "fields": op.fields or {},
            }
            size_so_far += len(json.dumps(item, ensure_ascii=False).encode())
            if payload and size_so_far > MAX_BATCH_BYTES:
                break  # the rest go in the next batch, in order
            op.frozen = True
            payload.append(item)
        unsent = session.scalar(select(func.count()).select_from(OutboxRow).where(OutboxRow.state == "pending")) or 0
        return payload, int(unsent)


def _record_conflict(session: Session, *, entity: str, row_id: str, field_name: str, local: Any, server: Any) -> None:
    open_one = session.scalars(
        select(ConflictRow).where(ConflictRow.entity == entity, ConflictRow.row_id == row_id, ConflictRow.field == field_name, ConflictRow.resolved.is_(None))
    ).first()
    if open_one is None:
        session.add(ConflictRow(id=new_id(), entity=entity, row_id=row_id, field=field_name, local_value=local, server_value=server, created_at=clock.now(), resolved=None))
    else:
        open_one.local_value, open_one.server_value = local, server


def _store_results(store: Store, out: PushOut, report: Report) -> dict[str, set[str]]:
    """The answers, in one transaction; returns rows to fetch again."""
    refetch: dict[str, set[str]] = {}
    with store.write() as session:
        for res in out.results:
            op = session.scalars(select(OutboxRow).where(OutboxRow.op_id == res.op_id)).first()
            if op is None or op.state != "pending":
                continue
            cls = ENTITIES.get(op.entity)
            row = session.get(cls, op.row_id) if cls else None
            if res.status == "rejected" and res.duplicate_of and op.kind == "insert" and op.entity == "topic":
                # the same work order reached the server from another PC first
                refetch.setdefault(op.entity, set()).add(res.duplicate_of)
                if pristine(session, op.row_id):
                    drop_local_topic(session, op.row_id, keep_id=res.duplicate_of)
                    report.duplicates += 1
                    continue
                # a person worked on this copy: keep it, say what to do
                res = res.model_copy(update={"reason": tr(
                    "同一张12345工单已由另一台电脑登记到服务器上（议题 {id}）。本机这份上做过的办理没有发出：请在服务器上的那份上重新办理，然后放弃这份。",
                    id=res.duplicate_of,
                )})
            if res.status == "rejected":
                op.state = "rejected"
                op.reject_reason = res.reason
                report.rejected += 1
                report.rejected_reasons.append(res.reason)
                refetch.setdefault(op.entity, set()).add(op.row_id)
                continue
            session.delete(op)
            session.flush()
            report.applied += res.status == "applied"
            report.duplicates += res.status == "duplicate"
            if row is None:
                continue
            later = pending_fields(session, op.entity, op.row_id)
            fv = dict(row.field_versions or {})
            for name in res.applied_fields:
                fv[name] = res.version
            if res.status == "conflict":
                report.conflicts += 1
                if op.kind == "delete":
                    _record_conflict(session, entity=op.entity, row_id=op.row_id, field_name="deleted", local=True, server=False)
                    refetch.setdefault(op.entity, set()).add(op.row_id)
                columns = type(row).__table__.columns
                for c in res.conflicts:
                    _record_conflict(session, entity=op.entity, row_id=op.row_id, field_name=c.field, local=c.local_value, server=c.server_value)
                    fv[c.field] = res.version
                    if c.field not in later and c.field in columns:
                        setattr(row, c.field, from_wire(columns[c.field].type, c.server_value))
            row.field_versions = fv
            row.version = max(row.version, res.version)
    return refetch


def push(store: Store, client: Client, *, progress: Progress = _noop, batch: int = MAX_BATCH, report: Report | None = None) -> Report:
    with local_errors():
        return _push(store, client, progress=progress, batch=batch, report=report or Report())


def _push(store: Store, client: Client, *, progress: Progress, batch: int, report: Report) -> Report:
    refetch: dict[str, set[str]] = {}
    done = 0
    while True:
        payload, unsent = _take_batch(store, batch)
        if not payload:
            break
        progress("push", done, done + unsent)
        out = PushOut.model_validate(client.json("POST", "/push", body={"ops": payload, "unsent": unsent}))
        answered = {r.op_id for r in out.results}
        for entity, ids in _store_results(store, out, report).items():
            refetch.setdefault(entity, set()).update(ids)
        report.pushed += len(payload)
        done += len(payload)
        if not answered >= {p["op_id"] for p in payload}:
            break  # an answer without some of our ops: try them on the next run
    with store.read() as session:
        # rows of refused ops are fetched again on every run, not only on the one
        # that heard the refusal: a refetch cut short would leave this PC's copy
        # wrong for good when the server's row has not moved since (no pull brings
        # it). The fields the refused ops carry keep this PC's values (see
        # ``pending_fields``); the rest of the row follows the server.
        for entity, row_id in session.execute(select(OutboxRow.entity, OutboxRow.row_id).where(OutboxRow.state == "rejected")):
            refetch.setdefault(entity, set()).add(row_id)
        # rows whose refused change a person discarded: the server's copy comes back
        discarded = refused.discarded(session)
    for entity, ids in discarded.items():
        refetch.setdefault(entity, set()).update(ids)
    if refetch:
        fetch_rows(store, client, ids={e: sorted(v) for e, v in refetch.items()}, report=report)
    if discarded:
        with store.write() as session:
            refused.forget_discarded(session, discarded)
    progress("push", done, done)
    return report


def fetch_rows(store: Store, client: Client, *, ids: dict[str, list[str]] | None = None, buckets: dict[str, list[int]] | None = None, report: Report) -> None:
    """Fetch whole rows again and store them (repairs, refused and discarded
    ops). A row the server does not hold stays as it is on this PC: a refusal
    never deletes what a person made."""
    data = client.json("POST", "/rows", body={"ids": ids or {}, "buckets": buckets or {}})
    changes = [Change.model_validate(c) for c in data.get("changes", [])]
    with store.write() as session:
        room_id = session.scalars(select(RoomRow.id).limit(1)).one()
        for ch in changes:
            apply_change(session, ch, room_id=room_id)
        report.repaired += len(changes)


# ---- pull --------------------------------------------------------------------


def pull(store: Store, client: Client, *, progress: Progress = _noop, page: int = 500, report: Report | None = None) -> Report:
    with local_errors():
        return _pull(store, client, progress=progress, page=page, report=report or Report())


def _pull(store: Store, client: Client, *, progress: Progress, page: int, report: Report) -> Report:
    while True:
        with store.read() as session:
            since = _state(session).cursor if session.get(SyncStateRow, 1) else 0
        out = PullOut.model_validate(client.json("GET", "/pull", params={"since": since, "limit": page}))
        with store.write() as session:
            state = _state(session)
            if state.cursor != since:
                continue  # another run moved it meanwhile; start from there
            room_id = session.scalars(select(RoomRow.id).limit(1)).one()
            for ch in out.changes:
                apply_change(session, ch, room_id=room_id)
            state.cursor = max(state.cursor, out.cursor)
        report.pulled += len(out.changes)
        report.cursor = out.cursor
        progress("pull", report.pulled, report.pulled + (page if out.more else 0))
        if not out.more:
            return report


# ---- verify ------------------------------------------------------------------


def verify(store: Store, client: Client, *, report: Report | None = None) -> bool:
    """Compare counts and digests with the server; re-pull the buckets that differ.
    True when nothing differed. The local digests are kept up to date by
    triggers (``desktop.sync.digest``): this folds in the versions changed
    since the last check, O(changes), instead of re-hashing the room."""
    report = report or Report()
    with local_errors(), store.write() as session:
        upto = _state(session).cursor
        room_id = session.scalars(select(RoomRow.id).limit(1)).one()
        digest.settle(session, room_id)
        mine = digest.summary(session, room_id=room_id, upto=upto)
    out = VerifyOut.model_validate(client.json("POST", "/verify", body={"entities": {e: [c, d] for e, (c, d, _) in mine.items()}, "upto": upto}))
    if out.ok:
        return True
    buckets: dict[str, list[int]] = {}
    for entity, theirs in out.differing.items():
        ours = mine.get(entity, (0, "", {}))[2]
        diff = sorted(b for b in set(theirs) | set(ours) if theirs.get(b) != ours.get(b))
        if diff:
            buckets[entity] = diff
    if buckets:
        fetch_rows(store, client, buckets=buckets, report=report)
    return False


# ---- the whole run -----------------------------------------------------------


def _note_error(store: Store, message: str) -> None:
    """Best effort: when the database itself is the problem, this fails too."""
    try:
        with store.write() as session:
            _state(session).last_error = message[:2000]
    except OperationalError:
        pass


def sync(store: Store, client: Client | None = None, *, progress: Progress = _noop, batch: int = MAX_BATCH, page: int = 500, check: bool = True) -> Report:
    """Push, pull, verify: what ``yishi sync`` and the window's sync button run."""
    own = client is None
    client = client or client_for(store)
    report = Report()
    try:
        try:
            push(store, client, progress=progress, batch=batch, report=report)
            pull(store, client, progress=progress, page=page, report=report)
            # photo bytes after the records, so the server knows whose they are
            ph = sync_photos(store, client, progress=progress)
            report.photos_sent, report.photos_received, report.photos_waiting = ph.sent, ph.received, ph.waiting
            if check:
                progress("verify", 0, 1)
                verify(store, client, report=report)
        except OperationalError as exc:
            err = _local_error(exc)
            _note_error(store, str(err))
            raise err from exc
        except Exception as exc:
            _note_error(store, str(exc))
            raise
        with store.write() as session:
            state = _state(session)
            state.last_success_at = clock.now()
            state.last_error = ""
        progress("done", 1, 1)
    finally:
        report.requests, report.bytes_sent, report.bytes_received = client.requests, client.bytes_sent, client.bytes_received
        if own:
            client.close()
    return report


