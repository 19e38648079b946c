"""ORM rows to frozen domain objects (services never hand out live rows)."""

from __future__ import annotations

from dataclasses import fields
from typing import Any, TypeVar

from desktop.domain import entities as e
from desktop.storage import models as m

D = TypeVar("D")

DOMAIN_OF: dict[type[Any], type[Any]] = {
    m.RoomRow: e.Room,
    m.PersonRow: e.Person,
    m.TopicRow: e.Topic,
    m.TopicEventRow: e.TopicEvent,
    m.MeetingRow: e.Meeting,
    m.AgendaItemRow: e.AgendaItem,
    m.ParticipantRow: e.Participant,
    m.StatementRow: e.Statement,
    m.OutcomeRow: e.Outcome,
    m.ActionItemRow: e.ActionItem,
    m.ProgressEntryRow: e.ProgressEntry,
    m.FollowUpRow: e.FollowUp,
    m.MinutesRow: e.Minutes,
    m.AttachmentRow: e.Attachment,
}

_FIELDS: dict[type[Any], tuple[str, ...]] = {cls: tuple(f.name for f in fields(cls)) for cls in DOMAIN_OF.values()}


def to_domain(row: Any) -> Any:
    cls = DOMAIN_OF[type(row)]
    return cls(**{name: getattr(row, name) for name in _FIELDS[cls]})
