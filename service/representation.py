"""Answers written straight to JSON-ready dicts on the paths that serialise many rows.

marshmallow's generic dump costs 12 to 22 µs an object (docs/notes); a list of 50 statements
spent more time there than in the database. A schema that inherits `HandWrittenDump` gives a
`represent` function that builds the same dict directly. marshmallow's dump stays the
reference: `generic_dump` runs it, and the tests compare the two on varied records.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from flask.json.provider import DefaultJSONProvider
from marshmallow import Schema


class Represented(dict[str, Any]):
    """An answer already written as its schema's plain dump would write it (by a read path that
    builds answers from rows), its ids and instants perhaps `AS_VALUES`: the dump passes it on
    as it is, to go out as JSON."""


class HandWrittenDump(Schema):
    """A schema whose plain dump (no only/exclude) is the subclass's `represent`."""

    def represent(self, record: Any) -> dict[str, Any]:
        raise NotImplementedError

    def dump(self, obj: Any, *, many: bool | None = None) -> Any:
        if self.only is not None or self.exclude:
            return super().dump(obj, many=many)
        many = self.many if many is None else many
        if many:
            return [self._represent(record) for record in obj]
        return self._represent(obj)

    def _represent(self, record: Any) -> dict[str, Any]:
        return record if isinstance(record, Represented) else self.represent(record)

    def generic_dump(self, obj: Any, *, many: bool | None = None) -> Any:
        """marshmallow's own dump of the same schema: what `represent` must equal."""
        return super().dump(obj, many=many)


def instant(value: datetime) -> str:
    """A UTC instant as WorldDate and DateTime fields write it."""
    return value.astimezone(UTC).isoformat()


@dataclass(frozen=True)
class Writing:
    """How an answer written by hand holds its ids and instants.

    As text (`AS_TEXT`), it is what the schema's dump gives, to store, compare and hash. As the
    values they are (`AS_VALUES`, instants in UTC), for an answer that only goes out as JSON:
    orjson writes them as the same text, in C, where `str` of a UUID and `isoformat` cost a few
    microseconds each in Python, some ten of each in a statement (bench/README.md)."""

    uuid: Callable[[Any], Any]
    instant: Callable[[datetime], Any]


AS_TEXT = Writing(str, instant)
AS_VALUES = Writing(lambda value: value, lambda value: value.astimezone(UTC))


def optional_object(values: Mapping[str, Any]) -> dict[str, Any] | None:
    """A nested object that is null when none of its fields is set (as the models' properties)."""
    return dict(values) if any(value is not None for value in values.values()) else None


class OrjsonProvider(DefaultJSONProvider):
    """Flask's JSON, encoded by orjson (about 0.5 µs an object against several for json).

    orjson writes UUIDs and datetimes itself, as `str` and `isoformat` would (answers written
    `AS_VALUES` hold them); dataclasses still go through Flask's `default`. Calls with options
    keep the standard encoder, with a `default` that writes datetimes as orjson does.
    """

    _options = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_NON_STR_KEYS

    @staticmethod
    def default(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.isoformat()
        return DefaultJSONProvider.default(value)

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if kwargs:
            return super().dumps(obj, **kwargs)
        return orjson.dumps(obj, default=self.default, option=self._options).decode()

    @classmethod
    def sorted_keys(cls, obj: Any) -> bytes:
        """`obj` as JSON with every object's keys sorted (what ETags hash): the same bytes
        whether its ids and instants are values or already text."""
        return orjson.dumps(obj, default=cls.default, option=cls._options | orjson.OPT_SORT_KEYS)

    def response(self, *args: Any, **kwargs: Any) -> Any:
        data = self._prepare_response_obj(args, kwargs)
        body = orjson.dumps(data, default=self.default, option=self._options)
        return self._app.response_class(body, mimetype=self.mimetype)  # type: ignore[arg-type]
