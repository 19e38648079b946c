"""Cell values as spreadsheets hand them over, made into what a topic needs:
text from numbers, ticket numbers that Excel has dressed up (``="2026…"``,
a leading apostrophe, full-width digits), and the dates people and Excel write
(``2026/11/3 9:05``, ``2026-11-03 09:05:00``, ``2026年11月3日 9时5分``, Excel
serial numbers, datetime cells), read as China time and returned as aware UTC.

Pure functions; a date that cannot be read gives ``None``, a ticket number
that cannot be trusted raises ``ValidationError``; the importer reports either
against its line.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta

from desktop.domain.clock import CHINA_TZ
from desktop.domain.errors import ValidationError

# Excel's 1900 date system counts days from 1899-12-30 (it believes 1900 was a
# leap year, so serials from 61 on are right). 20000..80000 is 1954..2119: a
# plain number outside that is not a date someone meant.
_EXCEL_EPOCH = datetime(1899, 12, 30)
_SERIAL_MIN, _SERIAL_MAX = 20_000, 80_000

_DATE_PART = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
_TIME_PART = re.compile(
    r"^(?:T|\s)*(?P<ampm1>上午|下午|晚上|AM|PM)?\s*(?P<h>\d{1,2})\s*[:：时点]\s*"
    r"(?:(?P<m>\d{1,2})\s*(?:[:：分]\s*(?:(?P<s>\d{1,2})(?:\.(?P<f>\d{1,6}))?\s*秒?)?)?)?"
    r"\s*(?P<ampm2>上午|下午|AM|PM)?\s*$",
    re.IGNORECASE,
)
# what Excel writes for a Chinese locale, and the 12345 system's own format
_COMMON = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:\s*(\d{2})(\d{2})(\d{2})?)?$")
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
_SCIENTIFIC = re.compile(r"^\d+(?:\.\d+)?[eE]\+?\d+$")
_EXCEL_TEXT = re.compile(r'^="(.*)"$')


def cell_text(value: object) -> str:
    """Any cell as text: numbers without a spurious ``.0``, datetimes as ISO."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return str(value).strip()


def ticket_text(value: object) -> str:
    """A work-order number as the 12345 system printed it.

    Raises ``ValidationError`` when Excel has already turned it into scientific
    notation (``2.02611E+12``): the digits are gone and guessing would merge
    different tickets into one.
    """
    text = cell_text(value)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).strip()
    match = _EXCEL_TEXT.match(text)
    if match:  # ="2026110300123": the trick that keeps Excel from eating digits
        text = match.group(1).strip()
    text = text.lstrip("'").strip()
    if _SCIENTIFIC.match(text):
        raise ValidationError("工单编号“{ticket}”已被 Excel 改成科学计数法，原来的号码丢失了：请把这一列设为“文本”后重新导出。", ticket=text)
    return text


_CHINA_OFFSET = CHINA_TZ.utcoffset(None)


def _aware(naive: datetime) -> datetime:
    # the same as .replace(tzinfo=CHINA_TZ).astimezone(UTC) for a fixed offset, at half the cost
    return (naive - _CHINA_OFFSET).replace(tzinfo=UTC)


def _from_serial(serial: float) -> datetime | None:
    if not (_SERIAL_MIN <= serial <= _SERIAL_MAX):
        return None
    # round to the second: Excel stores 9:05 as 0.37847222… of a day
    seconds = round(serial * 86400)
    return _aware(_EXCEL_EPOCH + timedelta(seconds=seconds))


def _hour(h: int, ampm: str | None) -> int:
    if not ampm:
        return h
    ampm = ampm.upper()
    if ampm in ("下午", "晚上", "PM") and h < 12:
        return h + 12
    if ampm in ("上午", "AM") and h == 12:
        return 0
    return h


def _from_text(text: str) -> datetime | None:
    common = _COMMON.match(text)
    if common:
        y, mo, d, h, mi, sec = common.groups()
        return _aware(datetime(int(y), int(mo), int(d), int(h), int(mi), int(sec or 0)))
    if _SERIAL.match(text):
        return _from_serial(float(text))
    compact = _COMPACT.match(text)
    if compact:
        y, mo, d, h, mi, s = (int(g) if g else 0 for g in compact.groups())
        return _aware(datetime(y, mo, d, h, mi, s))
    if text[:4].isdigit() and text[4:5] == "-":
        try:  # the common case, and the only one with a time zone
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            return parsed.astimezone(UTC) if parsed.tzinfo else _aware(parsed)
    match = _DATE_PART.match(text)
    if not match:
        return None
    day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    rest = text[match.end() :].strip()
    if not rest:
        return _aware(datetime.combine(day, time()))
    tm = _TIME_PART.match(rest)
    if not tm:
        return None
    hour = _hour(int(tm["h"]), tm["ampm1"] or tm["ampm2"])
    micro = int((tm["f"] or "0").ljust(6, "0"))
    return _aware(datetime.combine(day, time(hour, int(tm["m"] or 0), int(tm["s"] or 0), micro)))


def parse_when(value: object) -> datetime | None:
    """When a work order was received, as aware UTC; ``None`` if unreadable.

    Naive values are China time (UTC+8): that is what the 12345 system and a
    Chinese Excel mean, whatever zone the PC is set to.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else _aware(value)
    if isinstance(value, date):
        return _aware(datetime.combine(value, time()))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_serial(float(value))
    text = str(value).strip()
    if not text.isascii():  # full-width digits and colons from a Chinese keyboard
        text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        return None
    try:
        return _from_text(text)
    except (ValueError, OverflowError):  # 2026/2/30, 25:00 …
        return None
