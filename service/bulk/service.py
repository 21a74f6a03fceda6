"""Export every record of a type as NDJSON lines, streamed; import such lines in one transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from marshmallow import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.bulk.records import BY_NAME, BY_PLURAL, TYPES
from service.db import Database, HeldTransaction
from service.errors import Problem, flatten_messages

EXPORT_BATCH = 500


def export_lines(session: Session, plural: str, since: datetime | None) -> Iterator[str]:
    """Every record of the type, oldest first, one JSON line each, read in batches."""
    record_type = BY_PLURAL[plural]
    model = record_type.model
    query = record_type.query().order_by(model.created_at, model.id)
    if since is not None:
        query = query.where(model.updated_at >= since)
    schema = record_type.shown_as()
    for record in session.scalars(query.execution_options(yield_per=EXPORT_BATCH)):
        yield json.dumps(record_type.line(record, schema), ensure_ascii=False) + "\n"


@dataclass
class LineResult:
    line: int
    type: str | None
    id: str | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportReport:
    mode: str
    results: list[LineResult]
    written: bool

    @property
    def created(self) -> int:
        return sum(1 for result in self.results if result.ok) if self.written else 0

    @property
    def failed(self) -> int:
        return sum(1 for result in self.results if not result.ok)


def _read(raw: str | bytes) -> tuple[str, dict[str, Any]]:
    try:
        item = json.loads(raw)
    except ValueError as exc:
        raise ValidationError({"_line": [f"Not valid JSON: {exc}"]}) from None
    if not isinstance(item, dict):
        raise ValidationError({"_line": ["A line must be a JSON object with a `type`."]})
    kind = item.pop("type", None)
    if kind not in BY_NAME:
        known = ", ".join(record_type.name for record_type in TYPES)
        raise ValidationError({"type": [f"Unknown type {kind!r}; one of: {known}."]})
    return str(kind), item


def import_lines(
    database: Database, lines: Iterable[str | bytes], mode: str, session_info: dict[str, Any] | None = None
) -> ImportReport:
    """Record each line in one transaction (each line a savepoint of it). `all`: any bad line
    and nothing is written; `continue`: bad lines are left out, the rest is written."""
    held = HeldTransaction(database)
    session = held.session
    session.info.update(session_info or {})
    results: list[LineResult] = []
    try:
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            result = LineResult(line=number, type=None)
            results.append(result)
            try:
                kind, item = _read(raw)
                result.type, record_type = kind, BY_NAME[kind]
                data = record_type.read_as().load(item)
                result.id = str(record_type.record(session, data).id)
            except ValidationError as exc:
                result.errors = flatten_messages(exc.messages)
            except Problem as exc:
                result.errors = exc.extensions.get("errors") or {"_line": [exc.detail]}
            except IntegrityError as exc:
                result.errors = {"_line": [f"Conflicts with a record already there: {exc.orig}"]}
            if result.errors:
                session.rollback()  # this line's savepoint only
        written = bool(results) and (mode == "continue" or all(result.ok for result in results))
        if written:
            held.commit()
        else:
            held.rollback()
    except BaseException:
        held.rollback()
        raise
    return ImportReport(mode, results, written)
