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
