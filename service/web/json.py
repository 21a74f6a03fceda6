"""The app's JSON: orjson, with the standard encoder's options kept."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson
from flask.json.provider import DefaultJSONProvider


class OrjsonProvider(DefaultJSONProvider):
    """Flask's JSON, encoded by orjson, which writes an answer in C.

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
