"""Dates of the world: when something was said or happened, and how precisely we know it.

Sources often give only "August 2025". A world date is stored as the UTC instant at the
start of its period (2025-08-01T00:00Z for August 2025) with its precision (year, month,
day, minute); the period it covers runs to the start of the next one.
"""

from __future__ import annotations

import enum
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from marshmallow import ValidationError, fields

# RFC 3339 full-date and date-time, exactly: what the OpenAPI formats "date" and "date-time" mean.
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_NAIVE_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")


class Precision(enum.StrEnum):
    year = "year"
    month = "month"
    day = "day"
    minute = "minute"


def to_instant(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime.combine(value, time(), tzinfo=UTC)


def infer_precision(value: date | datetime) -> Precision:
    return Precision.minute if isinstance(value, datetime) else Precision.day


def period_start(value: date | datetime, precision: Precision) -> datetime:
    """The UTC instant at which the period of `value` at `precision` begins."""
    instant = to_instant(value)
    if precision is Precision.year:
        return instant.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    if precision is Precision.month:
        return instant.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if precision is Precision.day:
        return instant.replace(hour=0, minute=0, second=0, microsecond=0)
    return instant.replace(second=0, microsecond=0)


def period_end(start: datetime, precision: Precision) -> datetime:
    """The instant just after the period that begins at `start` (exclusive end)."""
    try:
        return _next_period(start, precision)
    except (OverflowError, ValueError):  # the period ends with the calendar (year 9999)
        return datetime.max.replace(tzinfo=UTC)


def _next_period(start: datetime, precision: Precision) -> datetime:
    if precision is Precision.year:
        return start.replace(year=start.year + 1)
    if precision is Precision.month:
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    if precision is Precision.day:
        return start + timedelta(days=1)
    return start + timedelta(minutes=1)


def world_time(value: date | datetime, precision: Precision | None) -> tuple[datetime, Precision]:
    """Normalise a world date: (start of its period in UTC, its precision)."""
    precision = precision or infer_precision(value)
    return period_start(value, precision), precision


def range_start(value: date | datetime) -> datetime:
    """`since`: from the start of the day given, or the instant given."""
    return to_instant(value)


def range_end(value: date | datetime) -> datetime:
    """`until`, exclusive: a date includes its whole day; an instant is included."""
    precision = Precision.minute if isinstance(value, datetime) else Precision.day
    if precision is Precision.minute:
        try:
            return to_instant(value) + timedelta(microseconds=1)
        except OverflowError:
            return datetime.max.replace(tzinfo=UTC)
    return period_end(to_instant(value), precision)


class WorldDate(fields.Field):  # type: ignore[type-arg]
    """A date (2025-08-17) or an RFC 3339 date-time with an offset (2025-08-17T14:03:00Z).

    Answers are always date-times in UTC.
    """

    default_error_messages = {
        "invalid": "Not a date (YYYY-MM-DD) or a date-time with a time zone (RFC 3339).",
        "naive": "A date-time needs a time zone offset or Z.",
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, str):
            raise self.make_error("invalid")
        try:
            if _DATE.match(value):
                return date.fromisoformat(value)
            if _NAIVE_DATE_TIME.match(value):
                raise self.make_error("naive")
            if not _DATE_TIME.match(value):
                raise self.make_error("invalid")
            parsed = datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
            parsed.astimezone(UTC)  # out of range once in UTC (year 1 or 9999 with an offset)
        except (ValueError, OverflowError) as exc:
            raise self.make_error("invalid") from exc
        return parsed

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None or isinstance(value, str):
            return value  # None, or already an instant kept as JSON text
        return to_instant(value).isoformat()


def world_date_properties(self: Any, field: fields.Field, **kwargs: Any) -> dict[str, Any]:  # type: ignore[type-arg]
    """apispec: document WorldDate as a date or a date-time."""
    if isinstance(field, WorldDate):
        return {
            "type": ["string", "null"] if field.allow_none else "string",
            "anyOf": [{"format": "date"}, {"format": "date-time"}],
        }
    return {}


def validate_range(since: Any, until: Any, since_field: str = "since", until_field: str = "until") -> None:
    if since is not None and until is not None and range_start(since) >= range_end(until):
        raise ValidationError(f"'{since_field}' must not be after '{until_field}'.", until_field)


def changed_world_date(
    data: dict[str, Any],
    value_key: str,
    precision_key: str,
    current: datetime | None,
    current_precision: Precision | None,
) -> tuple[datetime, Precision] | None:
    """A world date after a create or partial update.

    A new value without a precision has its precision inferred; a new precision alone
    re-normalises the current value; neither keeps the current one.
    """
    if value_key in data:
        value = data[value_key]
        return world_time(value, data.get(precision_key)) if value is not None else None
    if data.get(precision_key) is not None and current is not None:
        return world_time(current, data[precision_key])
    if current is None or current_precision is None:
        return None
    return current, current_precision


def plain_source(source: dict[str, Any]) -> dict[str, Any]:
    """A source as kept in JSON: every key present, its date as a UTC instant in ISO form."""
    published_at = source.get("published_at")
    return {
        "url": source.get("url"),
        "title": source.get("title"),
        "publisher": source.get("publisher"),
        "author": source.get("author"),
        "published_at": to_instant(published_at).isoformat() if published_at else None,
    }
