"""Result rows as named tuples."""

from __future__ import annotations

from collections import namedtuple
from functools import lru_cache
from typing import Any

from sqlalchemy import Result


@lru_cache(maxsize=1024)
def row_maker(keys: tuple[str, ...]) -> Any:
    row_type: Any = namedtuple("PlainRow", keys)  # type: ignore[misc]  # its fields are known only here
    return row_type._make


def plain_rows(result: Result[Any]) -> list[Any]:
    """A result's rows as named tuples, whose columns read as attributes (`row.said_at`).

    Reading a column of SQLAlchemy's Row as an attribute first asks the Row's class for the name,
    which raises and catches an AttributeError inside; a named tuple reads it directly. Not for a
    streamed result: every row is read."""
    make = row_maker(tuple(result.keys()))
    return [make(row) for row in result.all()]  # all at once: iterating fetches row by row
