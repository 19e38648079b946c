"""The conflict inbox: fields edited on two PCs (the server's value was kept)
and deletes that met an edit. Listing them, and deciding: keep the server's
value (just closes the entry) or keep ours (a new local edit, based on the
server's version now on this PC, that the next sync sends)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from desktop.domain.errors import DomainError, NotFound, ValidationError
from desktop.storage import outbox
from desktop.storage.db import Store
from desktop.storage.models import ENTITIES, ConflictRow
from desktop.storage.types import from_wire


@dataclass(frozen=True, slots=True, kw_only=True)
class Conflict:
    id: str
    entity: str
    row_id: str
    field: str
    local_value: Any
    server_value: Any
    created_at: datetime
    resolved: str | None


def _out(r: ConflictRow) -> Conflict:
    return Conflict(
        id=r.id, entity=r.entity, row_id=r.row_id, field=r.field, local_value=r.local_value,
        server_value=r.server_value, created_at=r.created_at, resolved=r.resolved,
    )


def list_conflicts(store: Store, *, include_resolved: bool = False) -> tuple[Conflict, ...]:
    with store.read() as session:
        q = select(ConflictRow).order_by(ConflictRow.created_at, ConflictRow.id)
        if not include_resolved:
            q = q.where(ConflictRow.resolved.is_(None))
        return tuple(_out(r) for r in session.scalars(q))


def resolve(store: Store, conflict_id: str, *, keep: str) -> Conflict:
    """``keep="server"`` closes the entry; ``keep="local"`` writes our value again."""
    if keep not in ("local", "server"):
        raise ValidationError("请选择保留本机的值（local）或服务器的值（server）。")
    with store.write() as session:
        c = session.get(ConflictRow, conflict_id)
        if c is None:
            rows = session.scalars(select(ConflictRow).where(ConflictRow.id.like(f"{conflict_id}%"))).all() if len(conflict_id) >= 6 else []
            if len(rows) != 1:
                raise NotFound("没有编号为“{id}”的冲突。运行 yishi conflicts 查看全部。", id=conflict_id[:40])
            c = rows[0]
        if c.resolved is not None:
            raise DomainError("这个冲突已经处理过了。")
        if keep == "local":
            cls = ENTITIES.get(c.entity)
            row = session.get(cls, c.row_id) if cls else None
            if row is None:
                raise NotFound("这条数据已不在本电脑上，无法保留本机的值。")
            if c.field == "deleted":
                outbox.delete(session, row)
            else:
                value = from_wire(cls.__table__.columns[c.field].type, c.local_value)  # type: ignore[union-attr]
                outbox.update(session, row, **{c.field: value})
        c.resolved = keep
        session.flush()
        return _out(c)
