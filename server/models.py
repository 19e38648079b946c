"""The server's tables: the room's record tables (copied from
``desktop.storage.models`` so a synced row moves 1:1) plus server-only tables
for rooms, devices, enrolment codes, admins, the per-room version counter, the
public form's throttle data, applied sync operations and stored blobs.

The desktop ORM classes (``TopicRow`` …) are not bound to any engine, so the
server uses them directly against its own engine; ``ENTITY_METADATA`` holds
copies of their tables only so Alembic can compare and create them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, LargeBinary, MetaData, String, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from desktop.storage.models import ENTITIES, NAMING
from desktop.storage.types import UTCDateTime

ENTITY_METADATA = MetaData(naming_convention=NAMING)
for _cls in ENTITIES.values():
    _cls.__table__.to_metadata(ENTITY_METADATA)

# Tracking codes are made offline on each room's PC, so two rooms can hold the
# same one: never unique (the PC's migration 0005, the county's 0003), where a
# clash must not refuse a topic whose receipt is already printed. The PC's
# model brings the index on the code (``/t/{code}``); the county also looks a
# code up within one room (``/t/{room}/{code}``).
_topic = ENTITY_METADATA.tables["topic"]
Index("ix_topic_room_tracking_code", _topic.c.room_id, _topic.c.tracking_code)


class ServerBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class CountyRoomRow(ServerBase):
    """A consultation room known to the county (its code is on the QR poster)."""

    __tablename__ = "rooms"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    township: Mapped[str] = mapped_column(String(200), default="")
    county: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RoomSeqRow(ServerBase):
    """The room's version counter. Sync and every server write take the next
    value with an UPDATE on this row, which locks it until commit, so versions
    become visible in order and a pull never skips a late commit."""

    __tablename__ = "room_seq"
    room_id: Mapped[str] = mapped_column(ForeignKey("rooms.id"), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class DeviceRow(ServerBase):
    """An enrolled PC. Only the SHA-256 of its token is stored."""

    __tablename__ = "devices"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    room_id: Mapped[str] = mapped_column(ForeignKey("rooms.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # written by sync: when this PC last synced fully and what it still had to send
    last_sync_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    unsent_reported: Mapped[int] = mapped_column(Integer, default=0)
    client_version: Mapped[str] = mapped_column(String(40), default="")


class EnrollmentCodeRow(ServerBase):
    """A one-time enrolment code (hashed); ``used_at`` is set atomically on use."""

    __tablename__ = "enrollment_codes"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    room_id: Mapped[str] = mapped_column(ForeignKey("rooms.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    device_id: Mapped[str | None] = mapped_column(String(36), nullable=True)


class AdminRow(ServerBase):
    """County staff. Password: scrypt (n=2**14, r=8, p=1) with a random salt."""

    __tablename__ = "admins"
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    salt: Mapped[bytes] = mapped_column(LargeBinary(32))
    password_hash: Mapped[bytes] = mapped_column(LargeBinary(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AdminSessionRow(ServerBase):
    """A logged-in browser: the cookie holds the token, we keep its hash."""

    __tablename__ = "admin_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(ForeignKey("admins.username"))
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SubmissionRow(ServerBase):
    """One accepted public-form submission, for rate limits and dedupe. The IP
    is kept only as a salted hash; the content only as a hash. ``show_name`` is
    the resident's choice to have /t/ show their name masked (张*华): a
    server-only fact, as the form is the only place it is asked (migration
    0006; off for every earlier submission)."""

    __tablename__ = "submissions"
    __table_args__ = (
        Index("ix_submissions_ip_at", "ip_hash", "at"),
        Index("ix_submissions_room_at", "room_id", "at"),
        Index("ix_submissions_room_content", "room_id", "content_hash", "at"),
        Index("ix_submissions_topic_id", "topic_id"),  # /t/ reads the resident's show_name choice by topic
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    room_id: Mapped[str] = mapped_column(String(36))
    ip_hash: Mapped[str] = mapped_column(String(64))
    content_hash: Mapped[str] = mapped_column(String(64))
    topic_id: Mapped[str] = mapped_column(String(36))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    show_name: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class AppliedOpRow(ServerBase):
    """A sync operation already applied: a replayed batch has exactly one effect."""

    __tablename__ = "applied_ops"
    op_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    room_id: Mapped[str] = mapped_column(String(36), index=True)
    device_id: Mapped[str] = mapped_column(String(36), default="")
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime)


class BlobRow(ServerBase):
    """A stored file, addressed by SHA-256 (photos): one row per verified file
    under ``blobs/ab/abcdef…``, shared by every room that holds it (migration
    0004: since then a row exists only once the bytes hashed to the address;
    uploads in progress are ``BlobUploadRow`` rows, per room)."""

    __tablename__ = "blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    mime: Mapped[str] = mapped_column(String(100), default="")
    received: Mapped[int] = mapped_column(Integer, default=0)
    complete: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class BlobUploadRow(ServerBase):
    """One room's upload of one photo, and, once ``complete``, that room's proof
    that it holds the bytes (its own upload hashed to the address, or the photo
    came in through its own public form). A room reads a blob only with such a
    row: naming a hash in an attachment row is not enough. ``size`` and the
    partial file ``blobs/partial/<room>/<sha>`` are this room's alone, so another
    room's claim can neither block nor reveal a photo. ``updated_at`` is the last
    progress, which the stale-partial cleaner goes by."""

    __tablename__ = "blob_uploads"
    room_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    mime: Mapped[str] = mapped_column(String(100), default="")
    received: Mapped[int] = mapped_column(Integer, default=0)
    complete: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class ThrottleRow(ServerBase):
    """One counter of ``server.services.throttle``: events of a key (a salted
    address-prefix hash, a room, an account at an address) in the window that
    ends at ``window_end``, and a login lock-out that doubles with ``strikes``.
    In the database so that every worker and app server counts together."""

    __tablename__ = "throttle"
    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    window_end: Mapped[datetime] = mapped_column(UTCDateTime)
    strikes: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    touched_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


# pull reads "rows of room R with version > cursor" from every entity table
for _table in ENTITY_METADATA.tables.values():
    Index(f"ix_{_table.name}_room_version", _table.c.room_id, _table.c.version)

TARGET_METADATA = [ENTITY_METADATA, ServerBase.metadata]
