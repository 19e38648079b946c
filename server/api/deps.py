"""Typed dependencies of the routes: the database, the device behind a bearer
token (``CurrentDevice``, scoped to its own room) and a county admin (session
cookie, or HTTP Basic for scripts)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBasic, HTTPBasicCredentials, HTTPBearer

from server.db import ServerDB
from server.errors import AuthError, ForbiddenError
from server.services import admins, devices, throttle
from server.services.devices import DeviceInfo

SESSION_COOKIE = "yishi_admin"
_bearer = HTTPBearer(auto_error=False, description="设备令牌 (device token from /api/v1/enroll)")
_basic = HTTPBasic(auto_error=False, description="县（区）管理员 (county admin)")


def db_of(request: Request) -> ServerDB:
    return request.app.state.db


DBDep = Annotated[ServerDB, Depends(db_of)]


def current_device(db: DBDep, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> DeviceInfo:
    return devices.authenticate(db, creds.credentials if creds else "")


CurrentDevice = Annotated[DeviceInfo, Depends(current_device)]


def require_room(device: DeviceInfo, room_id: str) -> None:
    """Refuse a device asking for another room's data."""
    if device.room_id != room_id:
        raise ForbiddenError("这台电脑只能读写本议事室的数据。")


def current_admin(request: Request, db: DBDep, basic: Annotated[HTTPBasicCredentials | None, Depends(_basic)]) -> str:
    sess = admins.session_of(db, request.cookies.get(SESSION_COOKIE))
    if sess is not None:
        return sess.username
    if basic is not None and admins.verify(db, basic.username, basic.password, client=throttle.client_of(request)):
        return basic.username
    raise AuthError("请先以县（区）管理员身份登录。")


CurrentAdmin = Annotated[str, Depends(current_admin)]

