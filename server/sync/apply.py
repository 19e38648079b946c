"""Applying a pushed batch of operations: one transaction per batch, versions
taken from the room's counter, whose row is locked (``SELECT … FOR UPDATE``)
before anything is read and until commit, so versions commit in order. Under
that lock the batch hands out versions itself and writes the counter once at
the end; the op ids already seen are looked up in one query and the applied
ops recorded in one INSERT (about four statements per operation, not eight).

Each operation's result is stored under its op id, so a batch sent again after
a cut answers ``duplicate`` with the first result and has no second effect.
Conflicts are decided per field by versions: a field the server changed after
the op's base keeps the server's value and is reported with both values. One
bad operation is rejected with a reason and never blocks the others (each runs
in a SAVEPOINT, so a failure inside one leaves nothing half-written).

Before anything is written an op is checked: every field by its column
(``values``: an unknown enum value or a wrong JSON type refuses that op), every
reference it sets against the pushing PC's room (``refs``), the finalized
minutes of the meeting a row is in and of the one it would move to, and a
finalization against the content the server holds (``finalize``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from desktop.domain import clock, lifecycle
from desktop.domain.enums import MinutesStatus
from desktop.domain.errors import DomainError
from desktop.i18n import tr
from desktop.storage.models import (
    ENTITIES,
    MinutesRow,
    SyncedRow,
    TopicRow,
    content_fields,
)
from desktop.storage.services.photos import is_sha256
from desktop.storage.types import to_wire
from desktop.sync.protocol import FieldConflict, OpIn, OpResult
from server.models import AppliedOpRow, RoomSeqRow
from server.sync.finalize import check_finalization
from server.sync.refs import FINAL, Value, bound_meetings, check_references, refuse_if_finalized
from server.sync.rejected import Rejected
from server.sync.values import parse_fields

STATUS_TABLES = {
    "topic": lifecycle.TOPIC,
    "meeting": lifecycle.MEETING,
    "minutes": lifecycle.MINUTES,
    "action_item": lifecycle.ACTION_ITEM,
}
# what a finalized set of minutes covers (see desktop.domain.minutes)
MEETING_BOUND = ("agenda_item", "participant", "statement", "outcome")
ACTION_FROZEN = ("title", "owner_unit", "responsible", "deadline", "outcome_id", "meeting_id")


@dataclass
class Batch:
    room_id: str
    device_id: str
    last: int = 0  # the room's counter as this batch has taken it (under the room's lock)
    results: list[OpResult] = field(default_factory=list)
    stored: dict[str, dict[str, Any]] = field(default_factory=dict)  # op id -> result, of this batch

    def take(self) -> int:
        self.last += 1
        return self.last


def _wire(row: SyncedRow, name: str) -> Any:
    return to_wire(getattr(row, name))


def _guard_finalized(session: Session, room_id: str, row: SyncedRow | None, op: OpIn, after: Value) -> None:
    """Refuse anything that would change what finalized minutes cover: in the
    meeting the row is in, and in the meeting its new values would put it in."""
    entity = op.entity
    if entity == "meeting":
        refuse_if_finalized(session, [op.row_id])
        return
    if entity == "minutes":
        if row is None and op.fields.get("corrects_id"):
            return  # a correction is a new record: always allowed
        if row is not None and row.corrects_id is not None:
            raise Rejected(tr(FINAL))
    elif entity == "action_item":
        if op.kind == "update" and not (set(op.fields) & set(ACTION_FROZEN)):
            return  # progress and status of a decided action item go on
    elif entity not in MEETING_BOUND:
        return
    meetings = bound_meetings(session, room_id, entity, after)
    if row is not None:
        meetings |= bound_meetings(session, room_id, entity, lambda name: getattr(row, name, None))
    refuse_if_finalized(session, meetings)


def _finalizes(op: OpIn, row: SyncedRow, before: Any) -> bool:
    """Whether this op just made original minutes finalized."""
    return op.entity == "minutes" and row.status == MinutesStatus.FINALIZED and before != MinutesStatus.FINALIZED and row.corrects_id is None


def _guard_unique(session: Session, room_id: str, op: OpIn, values: dict[str, Any]) -> None:
    """Refuse an insert that repeats a ticket number of the room under another id,
    naming the row to take instead (a child of a topic the server lacks, say a
    duplicate import, is refused by ``check_references``)."""
    if op.entity == "topic" and values.get("ticket_no"):
        other = session.scalars(
            select(TopicRow.id).where(TopicRow.room_id == room_id, TopicRow.ticket_no == values["ticket_no"], TopicRow.id != op.row_id)
        ).first()
        if other is not None:
            raise Rejected(
                tr("工单编号“{ticket}”已在本议事室登记（议题 {id}），这份重复的议题没有保存，已改用服务器上的那份。", ticket=str(values["ticket_no"])[:64], id=other),
                duplicate_of=other,
            )
    if op.entity == "minutes" and not values.get("corrects_id") and values.get("meeting_id"):
        # a meeting has one original minutes: a second one typed on another PC
        # before it heard of the first would hide it (or the finalized one) there
        other = session.scalars(
            select(MinutesRow.id).where(
                MinutesRow.room_id == room_id, MinutesRow.meeting_id == values["meeting_id"], MinutesRow.corrects_id.is_(None),
                MinutesRow.deleted.is_(False), MinutesRow.id != op.row_id,
            )
        ).first()
        if other is not None:
            raise Rejected(tr("这次会议在服务器上已有会议记录（另一台电脑记的），本机的这份没有保存。同步后请把这份里要保留的内容补到那份里，再放弃这份。"))


def _resolve_base(session: Session, room_id: str, op: OpIn, name: str, stored: dict[str, dict[str, Any]]) -> int:
    """The version ``op`` based field ``name`` on (an ``op:`` base is the
    version the referenced op of the same room produced for it)."""
    base = op.bases.get(name, op.base_version)
    if isinstance(base, int):
        return base
    if isinstance(base, str) and base.startswith("op:"):
        res = stored.get(base[3:40])
        if res is None:
            ref = session.get(AppliedOpRow, base[3:40])
            if ref is None or ref.room_id != room_id:
                return op.base_version
            res = ref.result or {}
        if name in (res.get("applied_fields") or []):
            return int(res.get("version", 0))
        # that op's own edit of the field conflicted or was refused: keep its base
        return int((res.get("bases") or {}).get(name, op.base_version))
    return op.base_version


def _delete_base(session: Session, batch: Batch, op: OpIn) -> int:
    """The version a delete was based on: ``op:<id>`` (the PC's own unanswered
    op of the row, e.g. its insert) is the version that op produced."""
    base = op.bases.get("deleted")
    if not (isinstance(base, str) and base.startswith("op:")):
        return op.base_version
    res = batch.stored.get(base[3:40])
    if res is None:
        ref = session.get(AppliedOpRow, base[3:40])
        if ref is None or ref.room_id != batch.room_id:
            return op.base_version
        res = ref.result or {}
    if res.get("status") in ("applied", "duplicate"):
        return int(res.get("version") or op.base_version)
    return op.base_version


def _check_status(row: SyncedRow, entity: str, new: Any) -> None:
    table = STATUS_TABLES.get(entity)
    if table is None:
        return
    try:
        lifecycle.check_move(table, row.status, new)
    except (DomainError, ValueError, TypeError) as exc:
        raise Rejected(str(exc)) from None


def _apply_one(session: Session, batch: Batch, op: OpIn) -> OpResult:
    cls = ENTITIES.get(op.entity)
    if cls is None:
        raise Rejected(tr("不认识的数据类型“{entity}”。", entity=op.entity[:32]))
    known = set(content_fields(cls))
    # a field a newer client added is skipped, never an error
    values = {k: v for k, v in op.fields.items() if k in known}
    if op.entity == "attachment" and "sha256" in values and not is_sha256(values["sha256"]):
        # other PCs build file names from it: only a real SHA-256 goes through
        raise Rejected(tr("照片编号不对（应是 64 位十六进制的 SHA-256），这条没有保存。"))
    columns = cls.__table__.columns
    parsed = parse_fields(columns, values)  # an unknown enum value or a wrong type refuses the op
    row = session.get(cls, op.row_id)
    if row is not None and row.room_id != batch.room_id:
        raise Rejected(tr("这条数据不属于本议事室。"))
    if op.kind == "insert":
        if row is not None:
            same = all(_wire(row, k) == to_wire(v) for k, v in parsed.items())
            if same:
                return OpResult(op_id=op.op_id, status="duplicate", version=row.version, applied_fields=sorted(values))
            raise Rejected(tr("编号重复：服务器上已有这条数据。"))
        check_references(session, batch.room_id, op.entity, parsed, parsed.get)
        _guard_finalized(session, batch.room_id, None, op, parsed.get)
        _guard_unique(session, batch.room_id, op, values)
        missing = [c.key for c in columns if c.key in known and c.key not in values and not c.nullable and c.default is None]
        if missing:
            raise Rejected(tr("数据不完整，缺少：{names}。", names="、".join(missing)))
        row = cls(id=op.row_id, room_id=batch.room_id)
        for k, v in parsed.items():
            setattr(row, k, v)
        v = batch.take()
        row.version = v
        row.field_versions = {name: v for name in known}
        row.deleted = False
        session.add(row)
        session.flush()  # a unique clash (tracking code, ticket number) fails here
        if _finalizes(op, row, None):
            check_finalization(session, row)  # type: ignore[arg-type]
        return OpResult(op_id=op.op_id, status="applied", version=v, applied_fields=sorted(values))
    if row is None:
        raise Rejected(tr("服务器上没有这条数据（编号 {id}）。", id=op.row_id[:36]))
    current = row

    def old(name: str) -> Any:
        return getattr(current, name, None)

    if op.kind == "delete":
        _guard_finalized(session, batch.room_id, row, op, old)
        if row.deleted:
            return OpResult(op_id=op.op_id, status="applied", version=row.version)
        if row.version > _delete_base(session, batch, op):
            # someone edited it after this PC saw it: keep the edit, say so
            return OpResult(op_id=op.op_id, status="conflict", version=row.version, reason=tr("删除时这条数据已在别处被修改，已保留修改后的内容。"))
        v = batch.take()
        row.deleted = True
        row.version = v
        return OpResult(op_id=op.op_id, status="applied", version=v)
    # update
    if row.deleted:
        raise Rejected(tr("这条数据已被删除。"))

    def new(name: str) -> Any:
        return parsed[name] if name in parsed else old(name)

    # every reference the op names, applied or not: none may leave the room
    check_references(session, batch.room_id, op.entity, parsed, new)
    _guard_finalized(session, batch.room_id, row, op, new)
    fv = dict(row.field_versions or {})
    conflicts: list[FieldConflict] = []
    to_set: dict[str, Any] = {}
    for name, value in parsed.items():
        base = _resolve_base(session, batch.room_id, op, name, batch.stored)
        if int(fv.get(name, row.version)) > base:
            if _wire(row, name) != to_wire(value):
                conflicts.append(FieldConflict(field=name, server_value=_wire(row, name), local_value=values[name]))
            continue
        to_set[name] = value
    if "status" in to_set and _wire(row, "status") != to_wire(to_set["status"]):
        _check_status(row, op.entity, to_set["status"])
    before = getattr(row, "status", None)
    if to_set:
        v = batch.take()
        for name, value in to_set.items():
            setattr(row, name, value)
            fv[name] = v
        row.field_versions = fv
        row.version = v
        session.flush()
        if "status" in to_set and _finalizes(op, row, before):
            check_finalization(session, row)  # type: ignore[arg-type]
    status = "conflict" if conflicts else "applied"
    return OpResult(op_id=op.op_id, status=status, version=row.version, conflicts=conflicts, applied_fields=sorted(to_set))


def apply_batch(session: Session, *, room_id: str, device_id: str, ops: list[OpIn]) -> list[OpResult]:
    """Apply ``ops`` in order inside the caller's transaction; one result each."""
    batch = Batch(room_id=room_id, device_id=device_id)
    now = clock.now()
    # take the room's lock before reading any row: on PostgreSQL (READ COMMITTED)
    # a row read before the room's lock is taken could be stale by the time that
    # lock is granted, and a concurrent push's edit would be silently overwritten
    start = session.execute(select(RoomSeqRow.last_seq).where(RoomSeqRow.room_id == room_id).with_for_update()).scalar_one()
    batch.last = start = int(start)
    seen = {r.op_id: (r.room_id, r.result) for r in session.scalars(select(AppliedOpRow).where(AppliedOpRow.op_id.in_([op.op_id for op in ops])))} if ops else {}
    records: list[dict[str, Any]] = []
    for op in ops:
        if op.op_id in seen or op.op_id in batch.stored:
            owner, result = seen[op.op_id] if op.op_id in seen else (room_id, batch.stored[op.op_id])
            if owner != room_id:
                batch.results.append(OpResult(op_id=op.op_id, status="rejected", reason=tr("这条数据不属于本议事室。")))
                continue
            first = OpResult.model_validate(result)
            batch.results.append(first if first.status == "rejected" else first.model_copy(update={"status": "duplicate"}))
            continue
        bases = {name: _resolve_base(session, room_id, op, name, batch.stored) for name in op.fields}
        mark = batch.last
        nested = session.begin_nested()
        try:
            res = _apply_one(session, batch, op)
            nested.commit()
        except Rejected as exc:
            nested.rollback()
            batch.last = mark  # its versions went with it
            res = OpResult(op_id=op.op_id, status="rejected", reason=str(exc), duplicate_of=exc.duplicate_of)
        except DomainError as exc:
            nested.rollback()
            batch.last = mark
            res = OpResult(op_id=op.op_id, status="rejected", reason=str(exc))
        except Exception as exc:  # noqa: BLE001 - a constraint or bad value in one op
            from sqlalchemy.exc import IntegrityError, StatementError

            if not isinstance(exc, (IntegrityError, StatementError, ValueError, TypeError, KeyError, OverflowError)):
                raise
            nested.rollback()
            batch.last = mark
            res = OpResult(op_id=op.op_id, status="rejected", reason=tr("数据有误，服务器没有保存：{what}", what=type(exc).__name__))
        stored = res.model_dump()
        stored["bases"] = bases
        batch.stored[op.op_id] = stored
        records.append({"op_id": op.op_id, "room_id": room_id, "device_id": device_id, "result": stored, "applied_at": now})
        batch.results.append(res)
    session.flush()
    if records:
        session.execute(insert(AppliedOpRow), records)
    if batch.last != start:
        session.execute(update(RoomSeqRow).where(RoomSeqRow.room_id == room_id).values(last_seq=batch.last))
    return batch.results
