"""What the status bar and ``yishi sync --status`` show: last success, unsent
operations, conflicts, refused operations, enrolment. Kept apart from the
engine so that reading it loads neither the HTTP client nor the wire models
(requests, pydantic: about 14 MiB the window need not carry until it syncs).
Cheap on any file: the outbox is read through its ``(state, seq)`` index
(migration 0004), so a big import's pending operations are counted, not read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.storage.db import Store
from desktop.storage.models import ConflictRow, OutboxRow, RoomRow, SettingRow, SyncStateRow

TOKEN_KEY = "sync.token"
DEVICE_KEY = "sync.device_id"


def setting(session: Session, key: str) -> Any:
    row = session.get(SettingRow, key)
    return row.value if row else None


@dataclass(frozen=True)
class Status:
    last_success_at: datetime | None
    last_error: str
    unsent: int
    conflicts: int
    rejected: tuple[tuple[str, str, str], ...]  # (entity, row id, reason)
    cursor: int
    server_url: str
    enrolled: bool


def status(store: Store) -> Status:
    """The room's sync state as of now (one read transaction)."""
    with store.read() as session:
        st = session.get(SyncStateRow, 1)
        url = session.scalars(select(RoomRow.server_url).limit(1)).first()
        unsent = session.scalar(select(func.count()).select_from(OutboxRow).where(OutboxRow.state == "pending")) or 0
        conflicts = session.scalar(select(func.count()).select_from(ConflictRow).where(ConflictRow.resolved.is_(None))) or 0
        rejected = tuple(
            (e, r, reason)
            for e, r, reason in session.execute(select(OutboxRow.entity, OutboxRow.row_id, OutboxRow.reject_reason).where(OutboxRow.state == "rejected").order_by(OutboxRow.seq))
        )
        return Status(
            last_success_at=st.last_success_at if st else None,
            last_error=st.last_error if st else "",
            unsent=int(unsent),
            conflicts=int(conflicts),
            rejected=rejected,
            cursor=st.cursor if st else 0,
            server_url=url or "",
            enrolled=bool(setting(session, TOKEN_KEY)),
        )
