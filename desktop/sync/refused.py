"""被退回的修改: changes the county server refused (a finalized meeting, a
reference it does not accept, a value it does not know). A refusal never
deletes what a person made: the row stays on this PC exactly as the person
left it, its refused operations stay in the outbox (state ``rejected``, with
the server's reason), and pulls leave the fields they carry alone (see
``engine.pending_fields``). A person then decides, one record at a time:

- **send again** (``resend``): after fixing what the reason names, or after
  the server learnt what it lacked (a newer server, the missing record synced
  from another PC), the changes go as new operations at the end of the queue;
- **discard** (``discard``): on purpose only. A record the server never
  stored goes from this PC; a refused change of a stored record is dropped
  and the server's copy comes back at the next sync.

No HTTP here: the window lists and decides on its database worker, offline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.errors import DomainError, NotFound
from desktop.storage import outbox
from desktop.storage.db import Store
from desktop.storage.models import ENTITIES, OWNER_BY_TYPE, REFERENCES, OutboxRow, SettingRow, SyncedRow

# rows whose refused change a person discarded: the next sync fetches them again
DISCARDED_KEY = "sync.discarded"

# what a person knows a record by, per entity (the first non-empty one)
_NAME_FIELDS = ("title", "name", "speaker", "text", "summary", "note", "filename", "tracking_code")


@dataclass(frozen=True, slots=True, kw_only=True)
class Refused:
    """One record with changes the server refused (all of its refused ops)."""

    entity: str
    row_id: str
    name: str  # what a person knows it by ("" when it has nothing to show)
    reasons: tuple[str, ...]
    fields: tuple[str, ...]
    new_record: bool  # the server never stored it (a refused insert)
    refused_since: datetime


def _name(row: SyncedRow | None) -> str:
    if row is None:
        return ""
    for attr in _NAME_FIELDS:
        value = getattr(row, attr, None)
        if isinstance(value, str) and value.strip():
            text = " ".join(value.split())
            return text[:60] + ("…" if len(text) > 60 else "")
    return ""


def _refused_ops(session: Session, entity: str | None = None, row_id: str | None = None) -> list[OutboxRow]:
    q = select(OutboxRow).where(OutboxRow.state == "rejected").order_by(OutboxRow.seq)
    if entity is not None:
        q = q.where(OutboxRow.entity == entity, OutboxRow.row_id == row_id)
    return list(session.scalars(q))


def list_refused(store: Store) -> tuple[Refused, ...]:
    """Every record with refused changes, in the order they were made."""
    with store.read() as session:
        groups: dict[tuple[str, str], list[OutboxRow]] = {}
        for op in _refused_ops(session):
            groups.setdefault((op.entity, op.row_id), []).append(op)
        out = []
        for (entity, row_id), ops in groups.items():
            cls = ENTITIES.get(entity)
            out.append(_summary(entity, row_id, ops, session.get(cls, row_id) if cls else None))
        return tuple(out)


def _find(session: Session, key: str) -> tuple[str, str]:
    """A refused record by its id (or an unambiguous start of it, 6 characters or more)."""
    key = (key or "").strip()
    ids = {(op.entity, op.row_id) for op in _refused_ops(session)}
    exact = [k for k in ids if k[1] == key]
    if not exact and len(key) >= 6:
        exact = [k for k in ids if k[1].startswith(key)]
    if len(exact) != 1:
        raise NotFound("没有编号为“{id}”的被退回的修改。运行 yishi refused 查看全部。", id=key[:40])
    return exact[0]


def _busy(session: Session, entity: str, row_id: str) -> bool:
    """An op of this row is on its way to the server right now."""
    return (
        session.scalars(
            select(OutboxRow.seq).where(OutboxRow.entity == entity, OutboxRow.row_id == row_id, OutboxRow.state == "pending", OutboxRow.frozen.is_(True))
        ).first()
        is not None
    )


def _take(session: Session, key: str) -> tuple[str, str, list[OutboxRow], SyncedRow | None]:
    """The record a person chose, its refused ops and its row (None if gone);
    refused while an op of it is on its way to the server."""
    entity, row_id = _find(session, key)
    if _busy(session, entity, row_id):
        raise DomainError("这条数据正在同步，请等同步结束后再试。")
    return entity, row_id, _refused_ops(session, entity, row_id), session.get(ENTITIES[entity], row_id)


def resend(store: Store, key: str) -> Refused:
    """Queue the record's refused changes again (the next sync sends them)."""
    with store.write() as session:
        entity, row_id, ops, row = _take(session, key)
        if row is None:
            raise NotFound("这条数据已不在本电脑上，无法重新发送。")
        before = _summary(entity, row_id, ops, row)
        outbox.requeue(session, row, ops)
        if before.new_record:
            # the records refused only because this one was missing go with it
            for dep_entity, dep_id in _dependents(session, entity, row_id):
                dep_row = session.get(ENTITIES[dep_entity], dep_id)
                if dep_row is not None and not _busy(session, dep_entity, dep_id):
                    outbox.requeue(session, dep_row, _refused_ops(session, dep_entity, dep_id))
        return before


def _dependents(session: Session, entity: str, row_id: str) -> list[tuple[str, str]]:
    """Records with a refused insert that points at ``entity``/``row_id``."""
    out: list[tuple[str, str]] = []
    for op in _refused_ops(session):
        if op.kind != "insert":
            continue
        for name, target in REFERENCES.get(op.entity, {}).items():
            if (op.fields or {}).get(name) == row_id and target in (entity, OWNER_BY_TYPE):
                out.append((op.entity, op.row_id))
                break
    return list(dict.fromkeys(out))


def discard(store: Store, key: str) -> Refused:
    """Give up the record's refused changes, on a person's decision. A record
    the server never stored is removed from this PC (with the changes waiting
    behind its refused insert); otherwise the server's copy comes back at the
    next sync."""
    with store.write() as session:
        entity, row_id, ops, row = _take(session, key)
        before = _summary(entity, row_id, ops, row)
        for op in ops:
            session.delete(op)
        if before.new_record and (row is None or int(row.version or 0) == 0):
            for op in session.scalars(select(OutboxRow).where(OutboxRow.entity == entity, OutboxRow.row_id == row_id)):
                session.delete(op)
            if row is not None:
                session.delete(row)
        else:
            _remember(session, entity, row_id)
        session.flush()
        return before


def _summary(entity: str, row_id: str, ops: list[OutboxRow], row: SyncedRow | None) -> Refused:
    return Refused(
        entity=entity, row_id=row_id, name=_name(row),
        reasons=tuple(dict.fromkeys(op.reject_reason for op in ops if op.reject_reason)),
        fields=tuple(dict.fromkeys(name for op in ops for name in (op.fields or {}))),
        new_record=any(op.kind == "insert" for op in ops), refused_since=ops[0].created_at,
    )


def _remember(session: Session, entity: str, row_id: str) -> None:
    setting = session.get(SettingRow, DISCARDED_KEY)
    value: dict[str, list[str]] = dict(setting.value) if setting and isinstance(setting.value, dict) else {}
    value[entity] = sorted(set(value.get(entity, [])) | {row_id})
    if setting is None:
        session.add(SettingRow(key=DISCARDED_KEY, value=value))
    else:
        setting.value = value


def discarded(session: Session) -> dict[str, set[str]]:
    """Rows whose refused change was discarded and that the server's copy has
    not replaced yet (the engine fetches them at the next sync)."""
    setting = session.get(SettingRow, DISCARDED_KEY)
    value: Any = setting.value if setting else None
    if not isinstance(value, dict):
        return {}
    return {str(e): {str(i) for i in ids} for e, ids in value.items() if e in ENTITIES and isinstance(ids, list)}


def forget_discarded(session: Session, done: dict[str, set[str]]) -> None:
    """After the fetch: these rows are the server's again."""
    setting = session.get(SettingRow, DISCARDED_KEY)
    if setting is None or not isinstance(setting.value, dict):
        return
    left = {e: sorted(set(ids) - done.get(e, set())) for e, ids in setting.value.items()}
    setting.value = {e: ids for e, ids in left.items() if ids}
