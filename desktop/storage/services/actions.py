"""Action item use cases (落实事项): create one from an outcome or for a topic,
record progress (insert-only notes), complete, withdraw, and resolve (办结) the
topic. Status changes go through ``lifecycle.ACTION_ITEM`` and, for the topic,
``lifecycle.TOPIC``. An action item decided by a meeting is part of its
minutes, so its content is frozen once they are finalized; its progress is not.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from desktop.domain import clock, lifecycle
from desktop.domain.entities import Result
from desktop.domain.enums import ActionStatus, TopicStatus
from desktop.domain.errors import ValidationError
from desktop.domain.ids import new_id
from desktop.domain.lifecycle import Action
from desktop.domain.validation import clean_text, required_text
from desktop.storage import outbox
from desktop.storage.db import Store
from desktop.storage.models import ActionItemRow, AgendaItemRow, OutcomeRow, ProgressEntryRow, TopicRow
from desktop.storage.services import topics
from desktop.storage.services.common import get_live, result, room_of
from desktop.storage.services.guards import day, ensure_editable, only_fields


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key == "title":
            out[key] = required_text(value, field="落实事项", max_len=300)
        elif key == "owner_unit":
            out[key] = clean_text(value, field="承办单位", max_len=200, multiline=False)
        elif key == "responsible":
            out[key] = clean_text(value, field="责任人", max_len=100, multiline=False)
        elif key == "deadline":
            out[key] = day(value, field="完成时限")
    return out


def _topic_to_work(session: Session, topic: TopicRow, *, actor: str, reason: str) -> None:
    """A consulted topic with work to do is now being implemented; a topic still
    on a meeting's agenda gets there when the meeting ends."""
    if topic.status in (TopicStatus.SCHEDULED, TopicStatus.IMPLEMENTING):
        return
    topics.move(session, topic, Action.IMPLEMENT, actor=actor, reason=reason)


def create_action_item(
    store: Store,
    *,
    title: str,
    topic_id: str | None = None,
    meeting_id: str | None = None,
    outcome_id: str | None = None,
    owner_unit: str = "",
    responsible: str = "",
    deadline: date | None = None,
    actor: str = "",
) -> Result:
    """A task with an owner unit, a person responsible and a deadline. Given an
    outcome, its meeting and topic are taken from it."""
    values = _clean(dict(title=title, owner_unit=owner_unit, responsible=responsible, deadline=deadline))
    with store.write() as session:
        room = room_of(session)
        if outcome_id is not None:
            outcome = get_live(session, OutcomeRow, outcome_id)
            if meeting_id is not None and meeting_id != outcome.meeting_id:
                raise ValidationError("这条协商结果不属于所选的会议。")
            meeting_id = outcome.meeting_id
            if topic_id is None:
                topic_id = get_live(session, AgendaItemRow, outcome.agenda_item_id).topic_id
        if meeting_id is not None:
            ensure_editable(session, meeting_id, allow_cancelled=True)
        row = ActionItemRow(
            id=new_id(),
            room_id=room.id,
            meeting_id=meeting_id,
            outcome_id=outcome_id,
            topic_id=topic_id,
            status=ActionStatus.OPEN,
            done_at=None,
            created_at=clock.now(),
            **values,
        )
        if topic_id is not None:
            _topic_to_work(session, get_live(session, TopicRow, topic_id), actor=actor, reason=values["title"])
        outbox.insert(session, row)
        return result(session, row)


def update_action_item(store: Store, action_item_id: str, **fields: Any) -> Result:
    """Change the title, owner unit, person responsible or deadline."""
    only_fields(fields, ("title", "owner_unit", "responsible", "deadline"))
    values = _clean(fields)
    with store.write() as session:
        row = get_live(session, ActionItemRow, action_item_id)
        if row.meeting_id is not None:
            ensure_editable(session, row.meeting_id, allow_cancelled=True)
        outbox.update(session, row, **values)
        return result(session, row)


def _progress(session: Session, row: ActionItemRow, note: str, actor: str) -> ProgressEntryRow:
    entry = ProgressEntryRow(
        id=new_id(),
        room_id=row.room_id,
        action_item_id=row.id,
        note=note,
        actor=clean_text(actor, field="经办人", max_len=100, multiline=False),
        at=clock.now(),
    )
    outbox.insert(session, entry)
    return entry


def record_progress(store: Store, action_item_id: str, *, note: str, actor: str = "") -> Result:
    """A progress note (insert-only, never edited); the item is now in progress."""
    note = required_text(note, field="进展情况", max_len=100_000, multiline=True)
    with store.write() as session:
        row = get_live(session, ActionItemRow, action_item_id)
        new = lifecycle.apply(lifecycle.ACTION_ITEM, row.status, Action.PROGRESS)
        entry = _progress(session, row, note, actor)
        outbox.update(session, row, status=new)
        return result(session, entry)


def complete_action_item(store: Store, action_item_id: str, *, note: str = "", actor: str = "") -> Result:
    note = clean_text(note, field="完成情况")
    with store.write() as session:
        row = get_live(session, ActionItemRow, action_item_id)
        new = lifecycle.apply(lifecycle.ACTION_ITEM, row.status, Action.COMPLETE)
        if note:
            _progress(session, row, note, actor)
        outbox.update(session, row, status=new, done_at=clock.now())
        return result(session, row)


def withdraw_action_item(store: Store, action_item_id: str, *, reason: str, actor: str = "") -> Result:
    """撤销: the task is no longer needed; the reason stays in its progress."""
    reason = required_text(reason, field="撤销理由", max_len=2000, multiline=True)
    with store.write() as session:
        row = get_live(session, ActionItemRow, action_item_id)
        new = lifecycle.apply(lifecycle.ACTION_ITEM, row.status, Action.WITHDRAW)
        _progress(session, row, reason, actor)
        outbox.update(session, row, status=new)
        return result(session, row)


def resolve_topic(store: Store, topic_id: str, *, how: str, actor: str = "") -> Result:
    """办结: the matter is solved (from consulted or implementing)."""
    how = required_text(how, field="办结情况", max_len=5000, multiline=True)
    with store.write() as session:
        row = topics.move(session, get_live(session, TopicRow, topic_id), Action.RESOLVE, actor=actor, reason=how)
        return result(session, row)
