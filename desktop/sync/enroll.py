"""Enrolling this PC with the county server: read this data dir first, spend
the one-time code, set up the room from the server's answer on a fresh data
dir (or check it is the same room), keep the token, then pull the room's data.

A data dir that already holds a room sends that room's id with the code, and
the server refuses a code of another room without spending it: the county
office's code stays good for the right data dir. (Which room a code belongs to
only the server knows, so this check cannot be made on the PC alone.) The
comparison after the answer stays, for a server that ignores the field."""

from __future__ import annotations

import socket

from sqlalchemy import select

from desktop.domain.errors import DomainError
from desktop.storage.db import Store
from desktop.storage.models import RoomRow, SettingRow
from desktop.storage.services import rooms
from desktop.sync.client import Client, TokenRefused
from desktop.sync.engine import DEVICE_KEY, TOKEN_KEY

OTHER_ROOM = 409


class OtherRoom(DomainError):
    """The code belongs to another room than the one this data dir holds."""


def _other_room(local: rooms.Room, other: str = "") -> OtherRoom:
    if other:
        return OtherRoom(
            "这个数据目录属于议事室“{name}”（{code}），注册码却属于另一个议事室（{other}）。请换一个数据目录，或核对注册码。",
            name=local.name, code=local.code, other=other,
        )
    return OtherRoom(
        "这个数据目录属于议事室“{name}”（{code}），注册码却属于县服务器上的另一个议事室。注册码没有用掉。"
        "如果本议事室是先在这台电脑上开始工作、现在第一次连接县服务器：请县（区）协商办公室按本议事室的编号 {room_id} 登记议事室"
        "（yishi-server add-room --id {room_id} …），再发注册码；否则请核对注册码，或换一个空的数据目录再注册。",
        name=local.name, code=local.code, room_id=local.id,
    )


def enroll(store: Store, *, server_url: str, code: str, device_name: str | None = None) -> dict:
    """Returns the room (as the server told it). Refuses a data dir of another room."""
    url = server_url.strip().rstrip("/")
    local = rooms.get_room(store)  # before any byte goes out: a data dir we cannot read spends nothing
    body = {"code": code, "device_name": (device_name or socket.gethostname() or "PC")[:100]}
    if local is not None:
        body["room_id"] = local.id
    client = Client(url)
    try:
        resp = client.request("POST", "/api/v1/enroll", body=body)
        if resp.status_code == OTHER_ROOM and local is not None:
            raise _other_room(local)
        if resp.status_code >= 400:
            raise TokenRefused("注册失败：{detail}", detail=str(resp.json().get("detail", "")))
        answer = resp.json()
    finally:
        client.close()
    room = answer["room"]
    if local is None:
        rooms.init_room(store, code=room["code"], name=room["name"], township=room.get("township", ""), county=room.get("county", ""), room_id=room["id"])
    elif local.id != room["id"]:
        raise _other_room(local, room["code"])
    rooms.set_server_url(store, url)
    with store.write() as session:
        if local is not None and local.code != room["code"]:
            # the county registered the room under its own code (the one on the
            # QR poster): receipts from now on must name the room as /t/ knows it
            session.scalars(select(RoomRow).limit(1)).one().code = str(room["code"])[:32]
        for key, value in ((TOKEN_KEY, answer["token"]), (DEVICE_KEY, answer["device_id"])):
            row = session.get(SettingRow, key)
            if row is None:
                session.add(SettingRow(key=key, value=value))
            else:
                row.value = value
        session.scalars(select(RoomRow).limit(1)).one()
    return room
