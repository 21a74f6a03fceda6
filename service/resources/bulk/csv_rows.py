"""CSV of one resource, read as the records an NDJSON import takes.

The header names the fields the resource's create request takes. A dotted name sets a field of
a nested object (`source.url`); a list or object field in one column (`positions`, `mentions`,
`participants`) holds JSON; an empty cell leaves the field out. Each row becomes the same
record an NDJSON line would be, so it is checked by the same rules, with the line number where
the row begins.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

import orjson
from marshmallow import fields

from service.resources.bulk.records import RecordType

CSV = "text/csv"


class BadRow(ValueError):
    """A row that cannot become a record; `errors` by column."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def csv_records(
    lines: Iterable[str], record_type: RecordType
) -> Iterator[tuple[int, dict[str, Any] | BadRow]]:
    """(line number where the row begins, its record or why it is not one), row by row."""
    json_columns = {
        name
        for name, field in record_type.read_as().fields.items()
        if isinstance(field, (fields.List, fields.Nested, fields.Dict))
    }
    reader = csv.DictReader(lines, strict=True)
    next_line = 2  # the header is line 1
    for row in reader:
        begins, next_line = next_line, reader.line_num + 1
        try:
            yield begins, {"type": record_type.name, **_record(row, json_columns)}
        except BadRow as bad:
            yield begins, bad


def _record(row: dict[str | Any, str | Any], json_columns: set[str]) -> dict[str, Any]:
    if None in row:  # csv puts cells beyond the header under None
        raise BadRow({"_line": [f"More cells than the header has columns: {len(row) - 1 + len(row[None])}."]})
    record: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for column, cell in row.items():
        if cell is None:
            raise BadRow({"_line": ["Fewer cells than the header has columns."]})
        if cell == "":
            continue
        if column in json_columns:
            try:
                record[column] = orjson.loads(cell)
            except orjson.JSONDecodeError as exc:
                errors.setdefault(column, []).append(f"Not valid JSON: {exc}")
            continue
        parent, _, child = column.partition(".")
        if child:
            record.setdefault(parent, {})[child] = cell
        else:
            record[column] = cell
    if errors:
        raise BadRow(errors)
    return record
