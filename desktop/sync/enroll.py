"""Enrolling this PC with the county server: spend the one-time code, set up
the room from the server's answer on a fresh data dir (or check it is the same
room), keep the token, then pull the room's data."""

from __future__ import annotations

import socket

from sqlalchemy import select

from desktop.domain.errors import DomainError
from desktop.storage.db import Store
from desktop.storage.models import RoomRow, SettingRow
from desktop.storage.services import rooms
from desktop.sync.client import Client, TokenRefused
from desktop.sync.engine import DEVICE_KEY, TOKEN_KEY


def enroll(store: Store, *, server_url: str, code: str, device_name: str | None = None) -> dict:
    """Returns the room (as the server told it). Refuses a data dir of another room."""
    url = server_url.strip().rstrip("/")
    client = Client(url)
    try:
        resp = client.request("POST", "/api/v1/enroll", body={"code": code, "device_name": (device_name or socket.gethostname() or "PC")[:100]})
        if resp.status_code >= 400:
            raise TokenRefused("注册失败：{detail}", detail=str(resp.json().get("detail", "")))
        answer = resp.json()
    finally:
        client.close()
    room = answer["room"]
    local = rooms.get_room(store)
    if local is None:
        rooms.init_room(store, code=room["code"], name=room["name"], township=room.get("township", ""), county=room.get("county", ""), room_id=room["id"])
    elif local.id != room["id"]:
        raise DomainError(
            "这个数据目录属于议事室“{name}”（{code}），注册码却属于另一个议事室（{other}）。请换一个数据目录，或核对注册码。",
            name=local.name, code=local.code, other=room["code"],
        )
    rooms.set_server_url(store, url)
    with store.write() as session:
        for key, value in ((TOKEN_KEY, answer["token"]), (DEVICE_KEY, answer["device_id"])):
            row = session.get(SettingRow, key)
            if row is None:
                session.add(SettingRow(key=key, value=value))
            else:
                row.value = value
        session.scalars(select(RoomRow).limit(1)).one()
    return room
