"""How long a resident's name and phone number are kept (个人信息保护法 第十九条:
no longer than the purpose needs): until ``years`` after the matter is
closed. Shared by the PC's job, the county server's job, the phone page's and
the receipt's notice, so all four say and do the same thing.

A matter is closed when its topic is 已办结, 已回访, 不予受理 or 合并 (the
lifecycle's end states: nothing more is done for the resident). It was closed
when its topic last entered one of them from an open status; a reopened matter
is open again and its clock starts over when it closes again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable

from desktop.domain.enums import TopicStatus

CLOSED: frozenset[TopicStatus] = frozenset({TopicStatus.RESOLVED, TopicStatus.VISITED, TopicStatus.DECLINED, TopicStatus.MERGED})
DEFAULT_YEARS = 2
MAX_YEARS = 30
# the topic_event the job leaves in the topic's history
ACTION = "retention"
REASON = "个人信息已按保存期限删除"
SETTING_KEY = "retention_years"


def check_years(value: object) -> int:
    """A retention setting as a whole number of years, 1 to 30."""
    from desktop.domain.errors import ValidationError

    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_YEARS:
        raise ValidationError("保存期限应是 1 到 {max} 之间的整数（年）。", max=MAX_YEARS)
    return int(text)


def cutoff(now: datetime, years: int) -> datetime:
    """Matters closed at or before this moment are due: ``now`` minus ``years``
    calendar years (29 February falls back to the 28th)."""
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


def notice_items(*, room_name: str, county: str, township: str, years: int, tr: Callable[..., str]) -> list[tuple[str, str]]:
    """The personal-information notice (个人信息保护法 第十七条) as (heading,
    sentence) pairs, the same on the phone page and the intake receipt: who
    processes the data, why, what is kept, how long, and how to have it
    corrected or deleted. ``tr`` is the page's or the paper's translator."""
    office = tr("{county}协商议事工作办公室", county=county) if county.strip() else tr("县（区）协商议事工作办公室")
    where = f"{room_name}（{township}）" if township.strip() else room_name
    return [
        (tr("谁来处理"), tr("{room}和{office}。", room=room_name, office=office)),
        (tr("用来做什么"), tr("只用于办理您反映的事情，和办完后回访您。")),
        (tr("保存什么"), tr("您的称呼、联系电话和您反映的内容（含照片）。")),
        (tr("保存多久"), tr("事情办结后 {years} 年，到期删除您的称呼和电话。", years=years)),
        (tr("更正或删除"), tr("请到{where}当面提出，工作人员会为您更正或删除。", where=where)),
    ]
