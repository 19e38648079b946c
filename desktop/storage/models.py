"""The room's tables in SQLAlchemy 2 typed style.

Synced tables (``SyncedRow``) carry what sync needs on every row: a UUIDv7 id
born on the PC or server that created it, the room it belongs to (never
changes), the server version it was last seen at, per-field versions and a
tombstone. ``ENTITIES`` names them for the outbox, replay and the wire.
Local-only tables (settings, outbox, conflicts, sync state) never leave the PC.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from desktop.domain.enums import (
    ActionStatus,
    Attendance,
    MeetingStatus,
    MeetingType,
    MinutesStatus,
    ParticipantKind,
    Role,
    Satisfaction,
    TopicSource,
    TopicStatus,
)
from desktop.storage.types import UTCDateTime, enum_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class SyncedRow(Base):
    """Columns every synced row has. ``version`` is the server's version of the
    row as this side last knew it (0: never been to the server)."""

    __abstract__ = True
    # names of the columns that belong to sync, not to the record's content
    META = ("id", "room_id", "version", "field_versions", "deleted")

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    room_id: Mapped[str] = mapped_column(String(36), index=True)
    version: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    field_versions: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("0"))


class RoomRow(Base):
    """This PC's room (one per data file) with its local settings."""

    __tablename__ = "room"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    township: Mapped[str] = mapped_column(String(200), default="")
    county: Mapped[str] = mapped_column(String(200), default="")
    server_url: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SettingRow(Base):
    """Local key/value settings (device token, sync time, language …)."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class PersonRow(SyncedRow):
    __tablename__ = "person"
    name: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[Role] = mapped_column(enum_column(Role), default=Role.OTHER)
    phone: Mapped[str] = mapped_column(String(40), default="")


class TopicRow(SyncedRow):
    __tablename__ = "topic"
    __table_args__ = (
        # the ticket number is the key of imported hotline work orders
        Index("uq_topic_room_ticket", "room_id", "ticket_no", unique=True),
        Index("ix_topic_status_received", "status", "received_at"),
        Index("ix_topic_received", "received_at", "id"),
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[TopicSource] = mapped_column(enum_column(TopicSource))
    status: Mapped[TopicStatus] = mapped_column(enum_column(TopicStatus), default=TopicStatus.SUBMITTED)
    category: Mapped[str] = mapped_column(String(100), default="")
    location: Mapped[str] = mapped_column(String(300), default="")
    submitter_name: Mapped[str] = mapped_column(String(100), default="")
    submitter_phone: Mapped[str] = mapped_column(String(40), default="")
    # not unique: two PCs of a room may draw one code offline, and a receipt is
    # already printed (migration 0005; the county's 0003); /t/ tells them apart
    tracking_code: Mapped[str] = mapped_column(String(16), index=True)
    ticket_no: Mapped[str | None] = mapped_column(String(64), nullable=True)
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    merged_into_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TopicEventRow(SyncedRow):
    """Insert-only history of a topic's status."""

    __tablename__ = "topic_event"
    topic_id: Mapped[str] = mapped_column(String(36), index=True)
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[TopicStatus | None] = mapped_column(enum_column(TopicStatus), nullable=True)
    to_status: Mapped[TopicStatus] = mapped_column(enum_column(TopicStatus))
    actor: Mapped[str] = mapped_column(String(100), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class MeetingRow(SyncedRow):
    __tablename__ = "meeting"
    title: Mapped[str] = mapped_column(String(200))
    type: Mapped[MeetingType] = mapped_column(enum_column(MeetingType), default=MeetingType.THEMATIC)
    status: Mapped[MeetingStatus] = mapped_column(enum_column(MeetingStatus), default=MeetingStatus.PLANNED)
    serial_no: Mapped[int | None] = mapped_column(Integer, nullable=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    place: Mapped[str] = mapped_column(String(300), default="")
    convenor: Mapped[str] = mapped_column(String(100), default="")
    host: Mapped[str] = mapped_column(String(100), default="")
    recorder: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AgendaItemRow(SyncedRow):
    __tablename__ = "agenda_item"
    meeting_id: Mapped[str] = mapped_column(String(36), index=True)
    topic_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    background: Mapped[str] = mapped_column(Text, default="")
    presenter: Mapped[str] = mapped_column(String(100), default="")
    minutes_allotted: Mapped[int | None] = mapped_column(Integer, nullable=True)


class ParticipantRow(SyncedRow):
    __tablename__ = "participant"
    meeting_id: Mapped[str] = mapped_column(String(36), index=True)
    person_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    name: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[Role] = mapped_column(enum_column(Role), default=Role.OTHER)
    phone: Mapped[str] = mapped_column(String(40), default="")
    kind: Mapped[ParticipantKind] = mapped_column(enum_column(ParticipantKind), default=ParticipantKind.ATTENDEE)
    attendance: Mapped[Attendance] = mapped_column(enum_column(Attendance), default=Attendance.INVITED)
    absence_reason: Mapped[str] = mapped_column(String(300), default="")
    signed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class StatementRow(SyncedRow):
    __tablename__ = "statement"
    meeting_id: Mapped[str] = mapped_column(String(36), index=True)
    agenda_item_id: Mapped[str] = mapped_column(String(36), index=True)
    position: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str] = mapped_column(String(100))
    identity: Mapped[str] = mapped_column(String(100), default="")
    summary: Mapped[str] = mapped_column(Text, default="")


class OutcomeRow(SyncedRow):
    __tablename__ = "outcome"
    meeting_id: Mapped[str] = mapped_column(String(36), index=True)
    agenda_item_id: Mapped[str] = mapped_column(String(36), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    votes_for: Mapped[int | None] = mapped_column(Integer, nullable=True)
    votes_against: Mapped[int | None] = mapped_column(Integer, nullable=True)
    votes_abstain: Mapped[int | None] = mapped_column(Integer, nullable=True)


class ActionItemRow(SyncedRow):
    __tablename__ = "action_item"
    title: Mapped[str] = mapped_column(String(300))
    meeting_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    outcome_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    topic_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    owner_unit: Mapped[str] = mapped_column(String(200), default="")
    responsible: Mapped[str] = mapped_column(String(100), default="")
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    status: Mapped[ActionStatus] = mapped_column(enum_column(ActionStatus), default=ActionStatus.OPEN)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ProgressEntryRow(SyncedRow):
    """Insert-only progress notes of an action item."""

    __tablename__ = "progress_entry"
    action_item_id: Mapped[str] = mapped_column(String(36), index=True)
    note: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(100), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class FollowUpRow(SyncedRow):
    __tablename__ = "follow_up"
    topic_id: Mapped[str] = mapped_column(String(36), index=True)
    satisfaction: Mapped[Satisfaction] = mapped_column(enum_column(Satisfaction))
    visitor: Mapped[str] = mapped_column(String(100), default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class MinutesRow(SyncedRow):
    __tablename__ = "minutes"
    meeting_id: Mapped[str] = mapped_column(String(36), index=True)
    status: Mapped[MinutesStatus] = mapped_column(enum_column(MinutesStatus), default=MinutesStatus.DRAFT)
    summary: Mapped[str] = mapped_column(Text, default="")
    closing: Mapped[str] = mapped_column(Text, default="")
    attachments_note: Mapped[str] = mapped_column(Text, default="")
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    finalized_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    corrects_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    correction_note: Mapped[str] = mapped_column(Text, default="")


class AttachmentRow(SyncedRow):
    __tablename__ = "attachment"
    owner_type: Mapped[str] = mapped_column(String(32))
    owner_id: Mapped[str] = mapped_column(String(36), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    mime: Mapped[str] = mapped_column(String(100))
    filename: Mapped[str] = mapped_column(String(300), default="")


# ---- local-only tables -------------------------------------------------------


class OutboxRow(Base):
    """One operation waiting to go to the county server.

    ``frozen`` is set before the first byte is sent; from then on the content
    never changes (unsent operations on one row may still be coalesced)."""

    __tablename__ = "outbox"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    op_id: Mapped[str] = mapped_column(String(36), unique=True)
    entity: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(16))  # insert | update | delete
    base_version: Mapped[int] = mapped_column(Integer, default=0)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # per changed field: the version it was based on, or "op:<op_id>" of an
    # earlier unanswered op of ours that set it (sync resolves it on the server)
    bases: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    frozen: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending | rejected
    reject_reason: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (Index("ix_outbox_row", "entity", "row_id"),)


class ConflictRow(Base):
    """A field edited on two PCs: the server's value was kept, ours waits here."""

    __tablename__ = "conflict"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    entity: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[str] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(64))
    local_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    server_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    resolved: Mapped[str | None] = mapped_column(String(16), nullable=True)  # local | server


class SyncStateRow(Base):
    """Cursor and last results of sync (one row)."""

    __tablename__ = "sync_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cursor: Mapped[int] = mapped_column(Integer, default=0)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")


ENTITIES: dict[str, type[SyncedRow]] = {
    cls.__tablename__: cls
    for cls in (
        PersonRow,
        TopicRow,
        TopicEventRow,
        MeetingRow,
        AgendaItemRow,
        ParticipantRow,
        StatementRow,
        OutcomeRow,
        ActionItemRow,
        ProgressEntryRow,
        FollowUpRow,
        MinutesRow,
        AttachmentRow,
    )
}

# rows that are only ever inserted: they never conflict
INSERT_ONLY = frozenset({"topic_event", "progress_entry", "follow_up"})


def content_fields(cls: type[SyncedRow]) -> list[str]:
    """The columns that make up a record's content (everything but sync metadata)."""
    return [c.key for c in cls.__table__.columns if c.key not in SyncedRow.META]


# Every reference a synced row holds: entity -> {field: entity it points to}.
# The county server checks each one on every insert and update (the new value
# must name a row of the pushing PC's own room); ``attachment.owner_id`` points
# to the entity its ``owner_type`` names, one of ATTACHMENT_OWNERS.
OWNER_BY_TYPE = "@owner_type"
REFERENCES: dict[str, dict[str, str]] = {
    "topic": {"merged_into_id": "topic"},
    "topic_event": {"topic_id": "topic"},
    "agenda_item": {"meeting_id": "meeting", "topic_id": "topic"},
    "participant": {"meeting_id": "meeting", "person_id": "person"},
    "statement": {"meeting_id": "meeting", "agenda_item_id": "agenda_item"},
    "outcome": {"meeting_id": "meeting", "agenda_item_id": "agenda_item"},
    "action_item": {"meeting_id": "meeting", "outcome_id": "outcome", "topic_id": "topic"},
    "progress_entry": {"action_item_id": "action_item"},
    "follow_up": {"topic_id": "topic"},
    "minutes": {"meeting_id": "meeting", "corrects_id": "minutes"},
    "attachment": {"owner_id": OWNER_BY_TYPE},
}
ATTACHMENT_OWNERS = frozenset({"topic", "meeting", "agenda_item", "statement", "outcome", "action_item", "progress_entry", "follow_up", "minutes"})
