"""Topic use cases: record, accept, decline, merge, handle directly, and the
status moves that meetings and action items cause. Every status change goes
through ``lifecycle.TOPIC`` and leaves a ``TopicEvent``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop.domain import clock, lifecycle
from desktop.domain.entities import Result, Topic, TopicEvent
from desktop.domain.enums import TopicSource, TopicStatus
from desktop.domain.errors import DomainError, ValidationError
from desktop.domain.ids import new_id, new_tracking_code
from desktop.domain.lifecycle import Action
from desktop.domain.validation import TITLE_MAX, clean_phone, clean_text, required_text
from desktop.storage import outbox
from desktop.storage.db import Store
from desktop.storage.mapping import to_domain
from desktop.storage.models import TopicEventRow, TopicRow
from desktop.storage.services.common import get_live, result, room_of


def new_topic_row(
    session: Session,
    *,
    room_id: str,
    title: str,
    description: str = "",
    source: TopicSource | str,
    category: str = "",
    location: str = "",
    submitter_name: str = "",
    submitter_phone: str = "",
    ticket_no: str | None = None,
    received_at: datetime | None = None,
    actor: str = "",
    topic_id: str | None = None,
    tracking_code: str | None = None,
) -> TopicRow:
    """Validate and insert a topic with its first event (used by the importer too)."""
    try:
        source = TopicSource(source)
    except ValueError:
        raise ValidationError("未知的议题来源“{source}”。", source=str(source)[:40]) from None
    now = clock.now()
    row = TopicRow(
        id=topic_id or new_id(),
        room_id=room_id,
        title=required_text(title, field="议题标题", max_len=TITLE_MAX),
        description=clean_text(description, field="情况描述"),
        source=source,
        status=TopicStatus.SUBMITTED,
        category=clean_text(category, field="类别", max_len=100, multiline=False),
        location=clean_text(location, field="地点", max_len=300, multiline=False),
        submitter_name=clean_text(submitter_name, field="提出人", max_len=100, multiline=False),
        submitter_phone=clean_phone(submitter_phone),
        tracking_code=tracking_code or new_tracking_code(),
        ticket_no=clean_text(ticket_no, field="工单编号", max_len=64, multiline=False) or None,
        decline_reason="",
        merged_into_id=None,
        received_at=received_at or now,
        created_at=now,
        updated_at=now,
    )
    outbox.insert(session, row)
    _event(session, row, action="submit", old=None, new=TopicStatus.SUBMITTED, actor=actor, reason="", at=now)
    return row


def _free_code(session: Session) -> str:
    """A new tracking code this PC does not hold yet (one indexed look-up; a
    clash is about one in 10^11 per code, but it would fail the save)."""
    while True:
        code = new_tracking_code()
        if session.scalars(select(TopicRow.id).where(TopicRow.tracking_code == code).limit(1)).first() is None:
            return code


def _event(session: Session, topic: TopicRow, *, action: str, old: TopicStatus | None, new: TopicStatus, actor: str, reason: str, at: datetime) -> TopicEventRow:
    ev = TopicEventRow(
        id=new_id(),
        room_id=topic.room_id,
        topic_id=topic.id,
        action=action,
        from_status=old,
        to_status=new,
        actor=clean_text(actor, field="经办人", max_len=100, multiline=False),
        reason=reason,
        at=at,
    )
    outbox.insert(session, ev)
    return ev


def move(session: Session, topic: TopicRow, action: Action, *, actor: str = "", reason: str = "", **extra: object) -> TopicRow:
    """Change a topic's status through the lifecycle table, with its event."""
    old = topic.status
    new = lifecycle.apply(lifecycle.TOPIC, old, action)
    now = clock.now()
    outbox.update(session, topic, status=new, updated_at=now, **extra)
    _event(session, topic, action=action.value, old=old, new=new, actor=actor, reason=reason, at=now)
    return topic


def record_topic(store: Store, *, title: str, source: TopicSource | str, description: str = "", category: str = "", location: str = "", submitter_name: str = "", submitter_phone: str = "", ticket_no: str | None = None, received_at: datetime | None = None, actor: str = "") -> Result:
    """A new topic (walk-in, phone call, grid worker …) waiting for triage."""
    with store.write() as session:
        room = room_of(session)
        try:
            row = new_topic_row(
                session,
                room_id=room.id,
                title=title,
                description=description,
                source=source,
                category=category,
                location=location,
                submitter_name=submitter_name,
                submitter_phone=submitter_phone,
                ticket_no=ticket_no,
                received_at=received_at,
                actor=actor,
                tracking_code=_free_code(session),
            )
            session.flush()
        except IntegrityError:
            raise DomainError("工单编号“{ticket}”已经登记过，没有重复录入。", ticket=ticket_no or "") from None
        return result(session, row)


def accept(store: Store, topic_id: str, *, actor: str = "", note: str = "") -> Result:
    with store.write() as session:
        row = move(session, get_live(session, TopicRow, topic_id), Action.ACCEPT, actor=actor, reason=clean_text(note, field="说明"))
        return result(session, row)


def decline(store: Store, topic_id: str, *, reason: str, actor: str = "") -> Result:
    """不予受理, with a reason the submitter can read on the tracking page."""
    reason = required_text(reason, field="不予受理理由", max_len=2000, multiline=True)
    with store.write() as session:
        row = move(session, get_live(session, TopicRow, topic_id), Action.DECLINE, actor=actor, reason=reason, decline_reason=reason)
        return result(session, row)


def merge(store: Store, topic_id: str, *, into_id: str, actor: str = "") -> Result:
    """Merge a duplicate into another topic; the duplicate follows the other's fate."""
    if topic_id == into_id:
        raise ValidationError("不能把议题合并到它自己。")
    with store.write() as session:
        target = get_live(session, TopicRow, into_id)
        if target.status in (TopicStatus.MERGED, TopicStatus.DECLINED):
            raise DomainError("目标议题“{title}”已{status}，不能再把别的议题并入。", title=target.title, status=target.status.zh)
        row = get_live(session, TopicRow, topic_id)
        move(session, row, Action.MERGE, actor=actor, reason=target.tracking_code, merged_into_id=target.id)
        return result(session, row)


def handle_directly(store: Store, topic_id: str, *, how: str, actor: str = "") -> Result:
    """直接办理: a small matter solved without a meeting."""
    how = required_text(how, field="办理情况", max_len=5000, multiline=True)
    with store.write() as session:
        row = move(session, get_live(session, TopicRow, topic_id), Action.HANDLE_DIRECTLY, actor=actor, reason=how)
        return result(session, row)


def get_topic(store: Store, topic_id: str) -> Topic:
    with store.read() as session:
        return to_domain(get_live(session, TopicRow, topic_id))


def find_by_tracking_code(store: Store, code: str) -> Topic | None:
    with store.read() as session:
        row = session.scalars(select(TopicRow).where(TopicRow.tracking_code == code, TopicRow.deleted.is_(False))).first()
        return to_domain(row) if row else None


def history(store: Store, topic_id: str) -> tuple[TopicEvent, ...]:
    """The topic's whole history, oldest first."""
    with store.read() as session:
        rows = session.scalars(
            select(TopicEventRow)
            .where(TopicEventRow.topic_id == topic_id, TopicEventRow.deleted.is_(False))
            .order_by(TopicEventRow.at, TopicEventRow.id)
        ).all()
        return tuple(to_domain(r) for r in rows)


def list_topics(store: Store, *, status: TopicStatus | None = None, limit: int | None = None, after: tuple[datetime, str] | None = None) -> tuple[Topic, ...]:
    """Topics newest first, in keyset pages (``after`` = last (received_at, id) seen)."""
    with store.read() as session:
        q = select(TopicRow).where(TopicRow.deleted.is_(False))
        if status is not None:
            q = q.where(TopicRow.status == status)
        if after is not None:
            at, row_id = after
            q = q.where((TopicRow.received_at < at) | ((TopicRow.received_at == at) & (TopicRow.id < row_id)))
        q = q.order_by(TopicRow.received_at.desc(), TopicRow.id.desc())
        if limit:
            q = q.limit(limit)
        return tuple(to_domain(r) for r in session.scalars(q))
