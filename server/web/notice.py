"""The personal-information notice on the phone form (个人信息保护法 第十七条),
shown right above the submit button so it is read before anything is sent:
the same sentences as the intake receipt (``desktop.domain.retention``), with
the room's and the county's names and the county's retention setting."""

from __future__ import annotations

from desktop.domain.retention import notice_items
from desktop.i18n import tr
from server.services.retention import years_from_env
from server.services.rooms import RoomInfo
from server.web.page import h


def privacy_notice(room: RoomInfo) -> str:
    items = notice_items(room_name=room.name, county=room.county, township=room.township, years=years_from_env(), tr=tr)
    rows = "".join(f"<li><b>{h(head)}</b>：{h(text)}</li>" for head, text in items)
    return f'<section class="notice" id="privacy" aria-labelledby="privacy-title"><h2 id="privacy-title">{h(tr("您的个人信息"))}</h2><ul>{rows}</ul></section>'
