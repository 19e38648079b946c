"""The county server's reading of a pushed field: every value must be one the
server can store and show, or the operation is refused with a reason naming
the field (the rest of the batch applies). The PC, pulling, is lenient
(``desktop.storage.types.from_wire`` keeps an enum value it cannot name); the
server is strict, because what it stores every PC and page of the room reads.

Refused: an enum value no member names (a status or source from a newer
version), a non-integer or out-of-range integer (PostgreSQL's INTEGER is 32-bit),
text that is not text or longer than its column, a datetime without a time
zone or outside 1900-9998 (9999-12-31T23:00Z overflows once shifted to China
time), a date that is not ``YYYY-MM-DD``, and null where the column has none.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Boolean, Column, Date, Integer, String

from desktop.i18n import tr
from desktop.storage.types import EnumText, UTCDateTime
from server.sync.rejected import Rejected

INT_MIN, INT_MAX = -(2**31), 2**31 - 1
YEAR_MIN, YEAR_MAX = 1900, 9998


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text[:40] + ("…" if len(text) > 40 else "")


def _wrong(name: str, kind: str) -> Rejected:
    return Rejected(tr("“{field}”的值不对（应为{kind}），这条没有保存。", field=name, kind=kind))


def _in_range(name: str, value: Any, year: int) -> None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Rejected(tr("“{field}”的日期“{value}”超出范围（应在 1900 年到 9998 年之间），这条没有保存。", field=name, value=_shown(value)))


def _datetime(name: str, value: Any) -> datetime:
    if not isinstance(value, str):
        raise _wrong(name, tr("带时区的时间"))
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise _wrong(name, tr("带时区的时间")) from None
    if dt.tzinfo is None:
        raise Rejected(tr("“{field}”的时间“{value}”没有时区，这条没有保存。", field=name, value=_shown(value)))
    _in_range(name, value, dt.year)
    utc = dt.astimezone(UTC)
    _in_range(name, value, utc.year)
    return utc


def _date(name: str, value: Any) -> date:
    if not isinstance(value, str) or len(value) != 10:
        raise _wrong(name, tr("日期（年-月-日）"))
    try:
        d = date.fromisoformat(value)
    except ValueError:
        raise _wrong(name, tr("日期（年-月-日）")) from None
    _in_range(name, value, d.year)
    return d


def parse_value(name: str, column: Column[Any], value: Any) -> Any:
    """``value`` as the column's Python value, or ``Rejected`` saying why not."""
    if value is None:
        if not column.nullable:
            raise Rejected(tr("“{field}”不能为空，这条没有保存。", field=name))
        return None
    kind = column.type
    if isinstance(kind, EnumText):
        member = kind.members.get(value) if isinstance(value, str) else None
        if member is None:
            raise Rejected(tr("县（区）服务器不认识“{field}”的值“{value}”（可能来自更新版本的议事程序），这条没有保存。", field=name, value=_shown(value)))
        return member
    if isinstance(kind, UTCDateTime):
        return _datetime(name, value)
    if isinstance(kind, Date):
        return _date(name, value)
    if isinstance(kind, Boolean):
        if not isinstance(value, bool):
            raise _wrong(name, tr("是或否"))
        return value
    if isinstance(kind, Integer):
        if isinstance(value, bool) or not isinstance(value, int):
            raise _wrong(name, tr("整数"))
        if not INT_MIN <= value <= INT_MAX:
            raise Rejected(tr("“{field}”的数字“{value}”超出范围，这条没有保存。", field=name, value=_shown(str(value))))
        return value
    if isinstance(kind, String):  # Text too
        if not isinstance(value, str):
            raise _wrong(name, tr("文字"))
        if "\x00" in value:
            raise Rejected(tr("“{field}”含有不能保存的字符，这条没有保存。", field=name))
        if kind.length is not None and len(value) > kind.length:
            raise Rejected(tr("“{field}”太长（最多 {n} 个字），这条没有保存。", field=name, n=kind.length))
        return value
    return value


def parse_fields(columns: Any, values: dict[str, Any]) -> dict[str, Any]:
    """Every pushed content field parsed by its column (see ``parse_value``)."""
    return {name: parse_value(name, columns[name], value) for name, value in values.items()}
