"""Helpers the services share: loading a live row or failing with a message a
convenor understands, the room of this PC, and the ``Result`` of a call."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.entities import Result
from desktop.domain.errors import DomainError, NotFound
from desktop.storage import outbox
from desktop.storage.mapping import to_domain
from desktop.storage.models import RoomRow, SyncedRow

R = TypeVar("R", bound=SyncedRow)

ENTITY_LABELS = {
    "topic": "议题",
    "meeting": "会议",
    "person": "联系人",
    "agenda_item": "议程事项",
    "participant": "参会人员",
    "statement": "发言",
    "outcome": "协商结果",
    "action_item": "落实事项",
    "minutes": "会议记录",
    "follow_up": "回访",
    "progress_entry": "进展",
    "topic_event": "议题记录",
    "attachment": "附件",
}


def get_live(session: Session, cls: type[R], row_id: str) -> R:
    row = session.get(cls, row_id)
    if row is None or row.deleted:
        raise NotFound("找不到这条{what}（编号 {id}），可能已被删除。", what=ENTITY_LABELS[cls.__tablename__], id=row_id)
    return row


def room_of(session: Session) -> RoomRow:
    room = session.scalars(select(RoomRow).limit(1)).first()
    if room is None:
        raise DomainError("还没有设置本议事室。请先运行 yishi init，或在设置中录入议事室信息。")
    return room


def result(session: Session, value: Any) -> Result:
    """A Result with ``value`` (rows turned into domain objects) and the changes."""
    if isinstance(value, SyncedRow) or isinstance(value, RoomRow):
        value = to_domain(value)
    elif isinstance(value, (list, tuple)):
        value = tuple(to_domain(v) if isinstance(v, (SyncedRow, RoomRow)) else v for v in value)
    return Result(value=value, changes=outbox.changes_of(session))
