"""The retention job on the county server: the same rule as the room's PC
(``desktop.storage.services.retention.due_topics``) run over the county's
copy, for topics born on the server (the phone form) whose room's PC never
ran the job, or was lost. Each blanked topic gets the room's next versions
(so the room's PCs pull the blank name and the history line) and a topic_event
``retention``. One transaction per room: the room's version counter is locked
only while that room is done.

The period comes from ``--years``, else ``YISHI_SERVER_RETENTION_YEARS``, else
2 years; the phone page's notice states the same setting.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from desktop.domain import clock, retention
from desktop.domain.errors import DomainError
from desktop.storage.services.retention import due_topics, event_row
from server.db import ServerDB
from server.models import CountyRoomRow
from server.versions import stamp_change, stamp_new

ENV = "YISHI_SERVER_RETENTION_YEARS"


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerRetention:
    years: int
    cutoff: datetime
    by_room: dict[str, int]  # room code -> topics blanked (or due, in a dry run)
    dry_run: bool

    @property
    def total(self) -> int:
        return sum(self.by_room.values())


def years_from_env() -> int:
    """The county's setting; a bad value falls back to the default (the page
    must still render), the CLI checks its own ``--years`` strictly."""
    try:
        return retention.check_years(os.environ.get(ENV, retention.DEFAULT_YEARS))
    except DomainError:
        return retention.DEFAULT_YEARS


def run_retention(db: ServerDB, *, years: int | None = None, room_code: str | None = None, dry_run: bool = False) -> ServerRetention:
    years = retention.check_years(years) if years is not None else years_from_env()
    now = clock.now()
    cut = retention.cutoff(now, years)
    with db.read() as session:
        q = select(CountyRoomRow.id, CountyRoomRow.code).order_by(CountyRoomRow.code)
        if room_code is not None:
            q = q.where(CountyRoomRow.code == room_code)
        rooms = list(session.execute(q))
    if room_code is not None and not rooms:
        from server.errors import NotFoundError

        raise NotFoundError("没有找到编码为“{code}”的议事室。请核对二维码海报上的编码。", code=room_code[:40])
    done: dict[str, int] = {}
    for room_id, code in rooms:
        if dry_run:
            with db.read() as session:
                n = len(session.scalars(due_topics(cut, room_id=room_id)).all())
        else:
            with db.write() as session:
                due = list(session.scalars(due_topics(cut, room_id=room_id)))
                for topic in due:
                    stamp_change(session, topic, submitter_name="", submitter_phone="", updated_at=now)
                    stamp_new(session, event_row(topic, at=now))
                n = len(due)
        if n:
            done[code] = n
    return ServerRetention(years=years, cutoff=cut, by_room=done, dry_run=dry_run)
