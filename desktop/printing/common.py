"""Small pieces several papers share: Chinese ordinal numbers, the serial
number 议〔2026〕第N号, participants grouped by role, the heading block with the
room's name, and the scrubbing of phone numbers out of public text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from reportlab.platypus import Flowable

from desktop.domain import clock
from desktop.domain.entities import Meeting, Participant, Room, Topic
from desktop.domain.enums import Role
from desktop.domain.masking import mask_name, mask_phone
from desktop.i18n import tr_for
from desktop.printing.layout import Styles, para, spacer

_DIGITS = "零一二三四五六七八九"
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d(?:[ -]?\d){8}(?!\d)")


def cn_number(n: int) -> str:
    """1 -> 一, 12 -> 十二, 40 -> 四十 (agenda items, outcomes)."""
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    return str(n)


def cn_circled(n: int) -> str:
    """①②③ … for steps (the bundled font has ① to ⑳)."""
    return chr(0x2460 + n - 1) if 1 <= n <= 20 else f"{n}."


def ordinal(n: int, lang: str) -> str:
    return f"{cn_number(n)}、" if lang == "zh" else f"{n}. "


def serial(meeting: Meeting, lang: str) -> str:
    if meeting.serial_no is None:
        return ""
    year = clock.to_local(meeting.starts_at).year
    return tr_for(lang, "议〔{year}〕第{n}号", year=year, n=meeting.serial_no)


def names_by_role(people: Iterable[Participant], lang: str) -> str:
    """张三、李四（居民代表）；王五（职能部门）… in the order of the glossary."""
    groups: dict[Role, list[str]] = {}
    for p in people:
        groups.setdefault(p.role, []).append(p.name + (f"（{p.unit}）" if p.unit and p.role in (Role.DEPARTMENT, Role.PROPERTY, Role.ENTERPRISE) else ""))
    parts = [f"{role.label_for(lang)}：{'、'.join(names)}" for role in Role if (names := groups.get(role))]
    return "；".join(parts)


def heading_block(st: Styles, *, room: Room, title: str, subtitle: str = "") -> list[Flowable]:
    out: list[Flowable] = [para(room.name, st.subtitle), spacer(1), para(title, st.title)]
    if subtitle:
        out.append(para(subtitle, st.subtitle))
    out.append(spacer(4))
    return out


def scrub(text: str, topic: Topic | None = None) -> str:
    """Text for a public paper: mobile numbers masked, the submitter's full name
    (should a description quote it) replaced by its masked form."""
    text = _MOBILE.sub(lambda m: mask_phone(m.group(0)), text or "")
    if topic is not None:
        if topic.submitter_name and len(topic.submitter_name.strip()) > 1:
            text = text.replace(topic.submitter_name.strip(), mask_name(topic.submitter_name))
        if topic.submitter_phone:
            digits = "".join(ch for ch in topic.submitter_phone if ch.isdigit())
            if len(digits) >= 5:
                text = text.replace(topic.submitter_phone, mask_phone(topic.submitter_phone)).replace(digits, mask_phone(digits))
    return text
