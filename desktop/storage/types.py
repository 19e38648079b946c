"""Column types shared by the room's SQLite file and the county's PostgreSQL,
and the conversion of values to and from the JSON of the outbox and the wire.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Date, DateTime, Enum, TypeDecorator
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


def enum_column(enum_cls: type[StrEnum]) -> Enum:
    """An enum stored by value; no CHECK constraint, so a status added by a newer
    version arriving through sync is kept rather than refused."""
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=False,
    )


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
    if isinstance(column_type, Enum) and column_type.enum_class is not None:
        try:
            return column_type.enum_class(value)
        except ValueError:
            return value  # a value from a newer version: keep it as it came
    return value
