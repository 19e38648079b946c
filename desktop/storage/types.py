"""Column types shared by the room's SQLite file and the county's PostgreSQL,
and the conversion of values to and from the JSON of the outbox and the wire.

Enum columns read leniently: a stored value no member names (written by a
newer version, or by hand) loads as an ``UnknownValue`` (a ``str`` whose label
is itself), never an error, so no page, statistic or pull can fail on it. The
PC keeps such a value as it came when pulling; the county server refuses it
when pushed (``server.sync.values``), so it can only be there from elsewhere.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Date, DateTime, String, TypeDecorator
from sqlalchemy.types import TypeEngine


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; stored as naive UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class UnknownValue(str):
    """A stored enum value this version has no member for: shown as itself."""

    __slots__ = ()

    @property
    def value(self) -> str:
        return str(self)

    @property
    def zh(self) -> str:
        return str(self)

    @property
    def label(self) -> str:
        return str(self)

    def label_for(self, lang: str) -> str:
        return str(self)


class EnumText(TypeDecorator[Any]):
    """An enum stored by value in a VARCHAR(32) with no CHECK constraint (the
    DDL of SQLAlchemy's non-native ``Enum``, so the schema is unchanged). Reads
    give the member, or an ``UnknownValue`` for a value no member names."""

    impl = String(32)
    cache_ok = True

    def __init__(self, enum_class: type[StrEnum]) -> None:
        super().__init__()
        self.enum_class = enum_class
        self.members = {m.value: m for m in enum_class}

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        return value.value if isinstance(value, StrEnum) else str(value)

    def process_result_value(self, value: str | None, dialect: Any) -> Any:
        if value is None:
            return None
        member = self.members.get(value)
        return member if member is not None else UnknownValue(value)

    def __repr__(self) -> str:
        return f"EnumText({self.enum_class.__name__})"


def enum_column(enum_cls: type[StrEnum]) -> EnumText:
    """An enum stored by value; no CHECK constraint, so a status added by a newer
    version arriving through a pull is kept rather than refused."""
    return EnumText(enum_cls)


def to_wire(value: Any) -> Any:
    """A column value as JSON: datetimes and dates as ISO text, enums by value."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    return value


def from_wire(column_type: TypeEngine[Any], value: Any) -> Any:
    """The inverse of ``to_wire`` for a column of the given type."""
    if value is None:
        return None
    if isinstance(column_type, UTCDateTime):
        dt = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        return dt if dt.tzinfo else dt.replace(tzinfo=UTC)
    if isinstance(column_type, Date):
        return date.fromisoformat(str(value))
    if isinstance(column_type, EnumText):
        member = column_type.members.get(value) if isinstance(value, str) else None
        # a value from a newer version: the PC keeps it as it came (the server
        # refuses it before it gets here, see server.sync.values)
        return member if member is not None else UnknownValue(str(value))
    return value
