"""Enrolment of a room's PC and the tokens that scope every API call to that
room. Codes and tokens are random (codes ~60 bits, used once within 24 h;
tokens 256 bits) and only their SHA-256 is stored: a random secret of that size
needs no slow KDF, and a stolen database gives no usable token."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from desktop.domain import clock
from desktop.domain.ids import TRACKING_ALPHABET, new_id
from desktop.domain.validation import required_text
from server.db import ServerDB
from server.errors import AuthError, NotFoundError, ServerError
from server.models import CountyRoomRow, DeviceRow, EnrollmentCodeRow
from server.services.rooms import RoomInfo, _info

CODE_HOURS = 24
_SEEN_EVERY = timedelta(seconds=60)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _normalize_code(code: str) -> str:
    cleaned = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceInfo:
    id: str
    room_id: str
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Enrollment:
    device_id: str
    token: str
    room: RoomInfo


def new_enrollment_code(db: ServerDB, room_code: str, *, hours: int = CODE_HOURS) -> str:
    """A one-time code such as ``K7QW-M3XD-9TFA``, valid for ``hours``."""
    code = "-".join("".join(secrets.choice(TRACKING_ALPHABET) for _ in range(4)) for _ in range(3))
    now = clock.now()
    with db.write() as session:
        room = session.scalars(select(CountyRoomRow).where(CountyRoomRow.code == room_code)).first()
        if room is None:
            raise NotFoundError("没有找到编码为“{code}”的议事室。请核对二维码海报上的编码。", code=room_code[:40])
        session.add(EnrollmentCodeRow(code_hash=_hash(code), room_id=room.id, created_at=now, expires_at=now + timedelta(hours=hours)))
    return code


class OtherRoomError(ServerError):
    status = 409


def enroll(db: ServerDB, *, code: str, device_name: str, room_id: str | None = None) -> Enrollment:
    """Spend a one-time code: a new device of its room and that device's token.
    With ``room_id`` (the room the PC's data dir already holds) a code of
    another room is refused and stays unspent."""
    name = required_text(device_name, field="设备名称", max_len=100)
    code_hash = _hash(_normalize_code(code))
    token = secrets.token_urlsafe(32)
    now = clock.now()
    device_id = new_id()
    with db.write() as session:
        live = (EnrollmentCodeRow.code_hash == code_hash, EnrollmentCodeRow.used_at.is_(None), EnrollmentCodeRow.expires_at > now)
        if room_id is not None:
            target = session.scalars(select(EnrollmentCodeRow.room_id).where(*live)).first()
            if target is not None and target != room_id:
                raise OtherRoomError("这个注册码属于另一个议事室，不是本电脑数据目录里的议事室。注册码没有用掉：请换一个空的数据目录，或向县（区）协商办公室核对注册码。")
        # one UPDATE decides who spends the code, even with two requests at once
        spent = session.execute(
            update(EnrollmentCodeRow)
            .where(*live)
            .values(used_at=now, device_id=device_id)
            .returning(EnrollmentCodeRow.room_id)
        ).scalar_one_or_none()
        if spent is None:
            raise AuthError("注册码无效、已过期或已经用过。请向县（区）协商办公室申请新的注册码。")
        room = session.get(CountyRoomRow, spent)
        assert room is not None
        session.add(DeviceRow(id=device_id, room_id=room.id, name=name, token_hash=_hash(token), created_at=now, unsent_reported=0, client_version=""))
        return Enrollment(device_id=device_id, token=token, room=_info(room))


def authenticate(db: ServerDB, token: str) -> DeviceInfo:
    """The device a bearer token belongs to; refused when unknown or revoked."""
    if not token:
        raise AuthError("缺少设备令牌。请先用注册码注册本电脑（yishi enroll）。")
    now = clock.now()
    with db.read() as session:
        row = session.scalars(select(DeviceRow).where(DeviceRow.token_hash == _hash(token))).first()
        if row is None:
            raise AuthError("设备令牌无效。请重新注册本电脑（yishi enroll）。")
        if row.revoked_at is not None:
            raise AuthError("这台电脑的授权已被县（区）协商办公室撤销。如有疑问请联系他们。")
        info = DeviceInfo(id=row.id, room_id=row.room_id, name=row.name)
        stale = row.last_seen_at is None or now - row.last_seen_at > _SEEN_EVERY
    if stale:  # at most one write a minute per device, not one per request
        with db.write() as session:
            session.execute(update(DeviceRow).where(DeviceRow.id == info.id).values(last_seen_at=now))
    return info


def revoke_device(db: ServerDB, device_id: str) -> DeviceInfo:
    with db.write() as session:
        row = session.get(DeviceRow, device_id)
        if row is None:
            raise NotFoundError("没有编号为“{id}”的设备。", id=device_id[:40])
        if row.revoked_at is None:
            row.revoked_at = clock.now()
        return DeviceInfo(id=row.id, room_id=row.room_id, name=row.name)


def list_devices(db: ServerDB, room_id: str) -> list[tuple[DeviceInfo, datetime | None, datetime | None]]:
    """(device, last seen, revoked at) of one room, oldest first."""
    with db.read() as session:
        rows = session.scalars(select(DeviceRow).where(DeviceRow.room_id == room_id).order_by(DeviceRow.created_at)).all()
        return [(DeviceInfo(id=r.id, room_id=r.room_id, name=r.name), r.last_seen_at, r.revoked_at) for r in rows]

