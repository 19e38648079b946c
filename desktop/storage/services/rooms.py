"""The room this PC serves, and its local settings."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from desktop.domain import clock
from desktop.domain.entities import Result, Room
from desktop.domain.errors import DomainError, ValidationError
from desktop.domain.ids import new_id
from desktop.domain.validation import required_text
from desktop.storage.db import Store
from desktop.storage.mapping import to_domain
from desktop.storage.models import RoomRow, SettingRow
from desktop.storage.services.common import result, room_of

_CODE = re.compile(r"^[A-Za-z0-9-]{2,32}$")


def init_room(store: Store, *, code: str, name: str, township: str = "", county: str = "", room_id: str | None = None) -> Result:
    """Set up this PC's room (once per data file)."""
    code = (code or "").strip()
    if not _CODE.match(code):
        raise ValidationError("议事室编码“{code}”不合规：请用 2 到 32 位字母、数字或短横线。", code=code[:40])
    name = required_text(name, field="议事室名称")
    township = required_text(township, field="所属镇/街道") if township else ""
    county = required_text(county, field="所属县/区") if county else ""
    with store.write() as session:
        existing = session.scalars(select(RoomRow).limit(1)).first()
        if existing is not None:
            raise DomainError(
                "这个数据目录已经属于议事室“{name}”（{code}），不能再设置为另一个议事室。",
                name=existing.name,
                code=existing.code,
            )
        row = RoomRow(
            id=room_id or new_id(),
            code=code,
            name=name,
            township=township,
            county=county,
            server_url="",
            created_at=clock.now(),
        )
        session.add(row)
        session.flush()
        return result(session, row)


def get_room(store: Store) -> Room | None:
    with store.read() as session:
        row = session.scalars(select(RoomRow).limit(1)).first()
        return to_domain(row) if row else None


def require_room(store: Store) -> Room:
    with store.read() as session:
        return to_domain(room_of(session))


def set_server_url(store: Store, url: str) -> Room:
    url = (url or "").strip().rstrip("/")
    if not re.match(r"^https?://[^\s/]+(:\d+)?(/[^\s]*)?$", url):
        raise ValidationError("服务器地址“{url}”不对：应以 http:// 或 https:// 开头，例如 https://xieshang.example.gov.cn", url=url[:200])
    with store.write() as session:
        room = room_of(session)
        room.server_url = url
        return to_domain(room)


def get_setting(store: Store, key: str, default: Any = None) -> Any:
    with store.read() as session:
        row = session.get(SettingRow, key)
        return row.value if row else default


def set_setting(store: Store, key: str, value: Any) -> None:
    with store.write() as session:
        row = session.get(SettingRow, key)
        if row is None:
            session.add(SettingRow(key=key, value=value))
        else:
            row.value = value
