"""Rooms known to the county: adding one (with its version counter), looking
one up by the code on its poster, and the overview on the county's rooms page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError

from desktop.domain import clock
from desktop.domain.enums import TopicStatus
from desktop.domain.errors import ValidationError
from desktop.domain.ids import new_id
from desktop.domain.validation import required_text
from desktop.storage import stat_queries
from desktop.storage.models import ActionItemRow, TopicRow
from desktop.sync.protocol import MAX_UNSENT
from server.db import ServerDB
from server.errors import NotFoundError, ServerError
from server.models import CountyRoomRow, DeviceRow, RoomSeqRow

_CODE = re.compile(r"^[A-Za-z0-9-]{2,32}$")


@dataclass(frozen=True, slots=True, kw_only=True)
class RoomInfo:
    id: str
    code: str
    name: str
    township: str
    county: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RoomOverview:
    room: RoomInfo
    devices: int
    last_sync_at: datetime | None
    unsent: int
    overdue: int
    waiting: int  # topics still waiting for triage


def _info(row: CountyRoomRow) -> RoomInfo:
    return RoomInfo(id=row.id, code=row.code, name=row.name, township=row.township, county=row.county)


def add_room(db: ServerDB, *, code: str, name: str, township: str = "", county: str = "", room_id: str | None = None) -> RoomInfo:
    code = (code or "").strip()
    if not _CODE.match(code):
        raise ValidationError("议事室编码“{code}”不合规：请用 2 到 32 位字母、数字或短横线。", code=code[:40])
    row = CountyRoomRow(
        id=room_id or new_id(),
        code=code,
        name=required_text(name, field="议事室名称"),
        township=required_text(township, field="所属镇/街道") if township else "",
        county=required_text(county, field="所属县/区") if county else "",
        created_at=clock.now(),
    )
    try:
        with db.write() as session:
            session.add(row)
            session.flush()
            session.add(RoomSeqRow(room_id=row.id, last_seq=0))
    except IntegrityError:
        raise ServerError("议事室编码“{code}”已经存在。", code=code) from None
    return _info(row)


def room_by_code(db: ServerDB, code: str) -> RoomInfo:
    with db.read() as session:
        row = session.scalars(select(CountyRoomRow).where(CountyRoomRow.code == code)).first()
        if row is None:
            raise NotFoundError("没有找到编码为“{code}”的议事室。请核对二维码海报上的编码。", code=code[:40])
        return _info(row)


def room_by_id(db: ServerDB, room_id: str) -> RoomInfo:
    with db.read() as session:
        row = session.get(CountyRoomRow, room_id)
        if row is None:
            raise NotFoundError("没有找到这个议事室。")
        return _info(row)


def rooms_overview(db: ServerDB, *, today: date) -> list[RoomOverview]:
    """Every room with its devices, last sync, unsent and overdue counts."""
    with db.read() as session:
        rooms = session.scalars(select(CountyRoomRow).order_by(CountyRoomRow.county, CountyRoomRow.township, CountyRoomRow.code)).all()
        live = DeviceRow.revoked_at.is_(None)
        dev = {
            r.room_id: r
            for r in session.execute(
                select(
                    DeviceRow.room_id,
                    func.count().label("n"),
                    func.max(DeviceRow.last_sync_at).label("last"),
                    # each PC's report clamped: a value stored before the wire
                    # bound (issue 12: two PCs at 2**63-1) must not overflow the sum
                    func.sum(case((DeviceRow.unsent_reported > MAX_UNSENT, MAX_UNSENT), (DeviceRow.unsent_reported < 0, 0), else_=DeviceRow.unsent_reported)).label("unsent"),
                )
                .where(live)
                .group_by(DeviceRow.room_id)
            )
        }
        overdue = dict(
            session.execute(
                select(ActionItemRow.room_id, func.count())
                .where(*stat_queries.overdue_action_items(today))  # 逾期 as the statistics count it
                .group_by(ActionItemRow.room_id)
            ).all()
        )
        waiting = dict(
            session.execute(
                select(TopicRow.room_id, func.count())
                .where(TopicRow.deleted.is_(False), TopicRow.status == TopicStatus.SUBMITTED)
                .group_by(TopicRow.room_id)
            ).all()
        )
        out = []
        for row in rooms:
            d = dev.get(row.id)
            out.append(
                RoomOverview(
                    room=_info(row),
                    devices=int(d.n) if d else 0,
                    last_sync_at=d.last if d else None,
                    unsent=int(d.unsent or 0) if d else 0,
                    overdue=int(overdue.get(row.id, 0)),
                    waiting=int(waiting.get(row.id, 0)),
                )
            )
        return out
