"""The county's list of enrolled PCs for ``yishi-server devices``: what a clerk
needs to pick the right one to revoke (its id, room, name, when it enrolled,
when it was last seen and whether it is revoked already)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from server.db import ServerDB
from server.errors import NotFoundError
from server.models import CountyRoomRow, DeviceRow


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceLine:
    id: str
    room_code: str
    room_name: str
    name: str
    enrolled_at: datetime
    last_seen_at: datetime | None
    revoked_at: datetime | None


def devices(db: ServerDB, *, room_code: str | None = None) -> list[DeviceLine]:
    """Every device (of one room if named), by room code then enrolment time.
    A room code nobody registered is an error rather than an empty list, so a
    typo does not read as "this room has no PC"."""
    query = (
        select(DeviceRow, CountyRoomRow)
        .outerjoin(CountyRoomRow, CountyRoomRow.id == DeviceRow.room_id)
        .order_by(CountyRoomRow.code, DeviceRow.created_at, DeviceRow.id)
    )
    with db.read() as session:
        if room_code is not None:
            code = room_code.strip()[:40]
            if session.scalar(select(CountyRoomRow.id).where(CountyRoomRow.code == code)) is None:
                raise NotFoundError("没有找到编码为“{code}”的议事室。", code=code)
            query = query.where(CountyRoomRow.code == code)
        return [
            DeviceLine(
                id=d.id,
                room_code=r.code if r else "",
                room_name=r.name if r else "",
                name=d.name,
                enrolled_at=d.created_at,
                last_seen_at=d.last_seen_at,
                revoked_at=d.revoked_at,
            )
            for d, r in session.execute(query).all()
        ]
