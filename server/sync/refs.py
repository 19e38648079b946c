"""What a pushed row may point to: every reference it carries (the table is
``desktop.storage.models.REFERENCES``) must name a row that the server holds
in the pushing PC's own room, checked on the new value of inserts and updates;
a statement's or outcome's agenda item must belong to its meeting, and an
action item's outcome to its meeting. Rows inserted earlier in the same batch
count: they are flushed in the same transaction.

It also finds the meetings a row is bound to (its meeting, its agenda item's,
its outcome's), so the finalized-minutes guard can look at the meeting a row
leaves and at the one it is moved to.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.enums import MinutesStatus
from desktop.i18n import tr
from desktop.storage.models import ATTACHMENT_OWNERS, ENTITIES, OWNER_BY_TYPE, REFERENCES, MinutesRow, SyncedRow
from server.sync.rejected import Rejected

WHAT_LABELS = {
    "topic": "议题",
    "meeting": "会议",
    "agenda_item": "议程",
    "person": "人员",
    "outcome": "协商结果",
    "action_item": "落实事项",
    "minutes": "会议记录",
    "participant": "参会人员",
    "statement": "发言",
    "progress_entry": "进展",
    "follow_up": "回访",
    "topic_event": "议题记录",
}
FINAL = "会议记录已定稿，不能再修改；如需更正，请做勘误。"
Value = Callable[[str], Any]  # a field's value after the op (the op's, else the row's)


def _own(session: Session, room_id: str, entity: str, row_id: Any) -> SyncedRow | None:
    row = session.get(ENTITIES[entity], row_id)
    return row if row is not None and row.room_id == room_id else None


def check_references(session: Session, room_id: str, entity: str, changed: Iterable[str], after: Value) -> None:
    """Refuse a new value of a reference field that names no row of this room."""
    refs = REFERENCES.get(entity, {})
    names = set(changed)
    if entity == "attachment" and "owner_type" in names:
        names.add("owner_id")  # a new owner type re-points the owner
    for name in sorted(names & set(refs)):
        value = after(name)
        if value is None:
            continue
        target = refs[name]
        if target == OWNER_BY_TYPE:
            target = str(after("owner_type") or "")
            if target not in ATTACHMENT_OWNERS:
                raise Rejected(tr("照片所属的数据类型“{kind}”不对，这条没有保存。", kind=target[:32]))
        if _own(session, room_id, target, value) is None:
            raise Rejected(
                tr("“{field}”指向的{what}不在本议事室的服务器数据里（编号 {id}），这条没有保存。", field=name, what=tr(WHAT_LABELS.get(target, target)), id=str(value)[:36])
            )
    _check_consistent(session, room_id, entity, names, after)


def _check_consistent(session: Session, room_id: str, entity: str, names: set[str], after: Value) -> None:
    parent = {"statement": "agenda_item_id", "outcome": "agenda_item_id", "action_item": "outcome_id"}.get(entity)
    if parent is None or not names & {parent, "meeting_id"} or after(parent) is None:
        return
    row = _own(session, room_id, "agenda_item" if parent == "agenda_item_id" else "outcome", after(parent))
    if row is not None and row.meeting_id != after("meeting_id"):
        what = tr("议程") if parent == "agenda_item_id" else tr("协商结果")
        raise Rejected(tr("{what}不属于这条数据所在的会议，这条没有保存。", what=what))


def bound_meetings(session: Session, room_id: str, entity: str, value: Value) -> set[str]:
    """The meetings whose minutes cover a row with these values."""
    out: set[str] = set()
    if value("meeting_id"):
        out.add(str(value("meeting_id")))
    for name, parent in (("agenda_item_id", "agenda_item"), ("outcome_id", "outcome")):
        if name in REFERENCES.get(entity, {}) and value(name):
            row = _own(session, room_id, parent, value(name))
            if row is not None and row.meeting_id:
                out.add(row.meeting_id)
    return out


def finalized(session: Session, meeting_id: str | None) -> bool:
    if not meeting_id:
        return False
    return (
        session.scalars(
            select(MinutesRow.id).where(
                MinutesRow.meeting_id == meeting_id,
                MinutesRow.corrects_id.is_(None),
                MinutesRow.deleted.is_(False),
                MinutesRow.status == MinutesStatus.FINALIZED,
            )
        ).first()
        is not None
    )


def refuse_if_finalized(session: Session, meetings: Iterable[str | None]) -> None:
    if any(finalized(session, m) for m in meetings):
        raise Rejected(tr(FINAL))
