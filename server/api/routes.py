"""JSON endpoints: enrolment, the device's own room, county statistics and the
health check. Sync (``/api/v1/sync/*``) will add its own router next to this."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from desktop.domain import clock
from desktop.domain.errors import ValidationError
from server.api.deps import CurrentAdmin, CurrentDevice, DBDep, require_room
from server.services import devices, rooms, stats

router = APIRouter(prefix="/api/v1")


class ErrorOut(BaseModel):
    detail: str


class EnrollIn(BaseModel):
    code: str = Field(max_length=40, description="一次性注册码 (one-time enrolment code)")
    device_name: str = Field(max_length=100, description="本电脑的名称 (a name for this PC)")
    room_id: str | None = Field(
        default=None, max_length=36,
        description="本电脑数据目录里已有的议事室 (the room this PC's data dir already holds): a code of another room is refused unspent",
    )


class RoomOut(BaseModel):
    id: str
    code: str
    name: str
    township: str
    county: str


class EnrollOut(BaseModel):
    device_id: str
    token: str
    room_code: str
    room: RoomOut


class DeviceOut(BaseModel):
    device_id: str
    device_name: str
    room: RoomOut


class StatRowOut(BaseModel):
    """One line of the county report; the terms are desktop.domain.statistics'."""

    key: str
    label: str
    topics: int = Field(description="收集议题 (topics collected)")
    accepted: int = Field(description="受理 (of those, accepted)")
    resolved: int = Field(description="办结 (of those, resolved or visited now)")
    meetings: int = Field(description="召开议事会 (meetings held)")
    follow_ups: int = Field(description="回访 (follow-up visits made)")
    satisfied: int = Field(description="满意 or 基本满意 visits")
    overdue: int | None = Field(description="逾期 (open action items past deadline today; null for source, category, month)")
    resolution_rate: float | None = Field(description="办结率 = resolved / accepted")
    satisfaction_rate: float | None = Field(description="满意率 = satisfied / follow_ups")


class StatsOut(BaseModel):
    start: date
    end: date
    total: StatRowOut
    by: dict[str, list[StatRowOut]]


_ERRORS = {400: {"model": ErrorOut}, 401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 404: {"model": ErrorOut}}


def _room_out(r: rooms.RoomInfo) -> RoomOut:
    return RoomOut(id=r.id, code=r.code, name=r.name, township=r.township, county=r.county)


@router.post("/enroll", response_model=EnrollOut, responses={**_ERRORS, 409: {"model": ErrorOut}})
def enroll(body: EnrollIn, db: DBDep) -> EnrollOut:
    """Spend a one-time code; the answer's token authorises this PC for its room only."""
    e = devices.enroll(db, code=body.code, device_name=body.device_name, room_id=body.room_id)
    return EnrollOut(device_id=e.device_id, token=e.token, room_code=e.room.code, room=_room_out(e.room))


@router.get("/device", response_model=DeviceOut, responses=_ERRORS)
def whoami(device: CurrentDevice, db: DBDep) -> DeviceOut:
    """The device behind the token and its room."""
    return DeviceOut(device_id=device.id, device_name=device.name, room=_room_out(rooms.room_by_id(db, device.room_id)))


@router.get("/rooms/{room_code}", response_model=RoomOut, responses=_ERRORS)
def room(room_code: Annotated[str, Field(max_length=40)], device: CurrentDevice, db: DBDep) -> RoomOut:
    """A room's details; a device sees its own room only."""
    info = rooms.room_by_code(db, room_code)
    require_room(device, info.id)
    return _room_out(info)


def _row(r: stats.StatRow) -> StatRowOut:
    return StatRowOut(
        key=r.key, label=r.label, topics=r.topics, accepted=r.accepted, resolved=r.resolved, meetings=r.meetings,
        follow_ups=r.follow_ups, satisfied=r.satisfied, overdue=r.overdue,
        resolution_rate=r.resolution_rate, satisfaction_rate=r.satisfaction_rate,
    )


def date_range(start: date | None, end: date | None) -> tuple[date, date]:
    today = clock.to_local(clock.now()).date()
    for d in (start, end):
        if d is not None and not (date(2000, 1, 1) <= d <= date(2100, 12, 31)):
            raise ValidationError("日期应在 2000 年到 2100 年之间。")
    end = end or today
    start = start or (end - timedelta(days=365))
    if start > end:
        raise ValidationError("开始日期不能晚于结束日期。")
    if (end - start).days > 366 * 20:
        raise ValidationError("日期范围太大了：最多 20 年。")
    return start, end


@router.get("/stats", response_model=StatsOut, responses=_ERRORS)
def county_stats(admin: CurrentAdmin, db: DBDep, start: Annotated[date | None, Query()] = None, end: Annotated[date | None, Query()] = None) -> StatsOut:
    """The county statistics (admins only): totals and by township, room, source, category, month."""
    s, e = date_range(start, end)
    result = stats.county_stats(db, start=s, end=e)
    return StatsOut(start=s, end=e, total=_row(result.total), by={k: [_row(r) for r in v] for k, v in result.by.items()})

