"""Export every record of a type as NDJSON lines, streamed; import such lines in one transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from marshmallow import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.data.sessions import Database, HeldTransaction, streaming_session
from service.problems import Problem, flatten_messages
from service.resources.bulk.batched import BATCH_SIZE, RecordBatch, conflict
from service.resources.bulk.csv_rows import BadRow, csv_records
from service.resources.bulk.records import BY_NAME, BY_PLURAL, TYPES

EXPORT_BATCH = 500
SETTLE_EVERY = 2 * BATCH_SIZE
# One schema a type for every import: schemas hold no state between loads.
READERS = {record_type.name: record_type.read_as() for record_type in TYPES}


def export_lines(session: Session, plural: str, since: datetime | None) -> Iterator[str]:
    """Every record of the type, oldest first, one JSON line each, read in batches."""
    record_type = BY_PLURAL[plural]
    model = record_type.model
    query = record_type.query().order_by(model.created_at, model.id)
    if since is not None:
        query = query.where(model.updated_at >= since)
    schema = record_type.shown_as()
    with streaming_session(session) as streaming:
        for record in streaming.scalars(query.execution_options(yield_per=EXPORT_BATCH)):
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
    results: list[LineResult]  # every line read, or only the refused ones (see `import_lines`)
    written: bool
    lines: int = 0
    failed: int = 0

    @property
    def created(self) -> int:
        return self.lines - self.failed if self.written else 0

    def settle(self, decided: list[LineResult], keep_accepted: bool) -> None:
        """Count lines whose outcome is known; keep the refused ones, and the others if asked."""
        for result in decided:
            self.lines += 1
            self.failed += not result.ok
            if keep_accepted or not result.ok:
                self.results.append(result)
        decided.clear()


def _with_type(raw: str | bytes | dict[str, Any], default_type: str) -> str | bytes | dict[str, Any]:
    if isinstance(raw, dict):
        return raw
    try:
        item = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return raw  # reported as the line's error where every line is read
    if isinstance(item, dict):
        item.setdefault("type", default_type)
    return item if isinstance(item, dict) else raw


def _read(raw: str | bytes | dict[str, Any]) -> tuple[str, dict[str, Any]]:
    try:
        item = raw if isinstance(raw, dict) else orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ValidationError({"_line": [f"Not valid JSON: {exc}"]}) from None
    if not isinstance(item, dict):
        raise ValidationError({"_line": ["A line must be a JSON object with a `type`."]})
    kind = item.pop("type", None)
    if kind not in BY_NAME:
        known = ", ".join(record_type.name for record_type in TYPES)
        raise ValidationError({"type": [f"Unknown type {kind!r}; one of: {known}."]})
    return str(kind), item


def import_lines(
    database: Database,
    lines: Iterable[str | bytes],
    mode: str,
    session_info: dict[str, Any] | None = None,
    plural: str | None = None,
    *,
    keep_accepted: bool = True,
) -> ImportReport:
    """Import NDJSON lines (see `import_records`); lines without a type are of `plural`'s."""
    numbered: Iterator[tuple[int, str | bytes | dict[str, Any]]] = (
        (number, raw) for number, raw in enumerate(lines, start=1) if raw.strip()
    )
    if plural is not None:
        default_type = BY_PLURAL[plural].name
        numbered = ((number, _with_type(raw, default_type)) for number, raw in numbered)
    return import_records(database, numbered, mode, session_info, keep_accepted=keep_accepted)


def import_csv(
    database: Database,
    lines: Iterable[str],
    plural: str,
    mode: str,
    session_info: dict[str, Any] | None = None,
    *,
    keep_accepted: bool = True,
) -> ImportReport:
    """Import the rows of a CSV file of one resource (see `csv_rows`)."""
    records = csv_records(lines, BY_PLURAL[plural])
    return import_records(database, records, mode, session_info, keep_accepted=keep_accepted)


def import_records(
    database: Database,
    numbered: Iterable[tuple[int, str | bytes | dict[str, Any] | BadRow]],
    mode: str,
    session_info: dict[str, Any] | None = None,
    *,
    keep_accepted: bool = True,
) -> ImportReport:
    """Record each line in one transaction (each line, or batch of statements, a savepoint of
    it). `all`: any bad line and nothing is written; `continue`: bad lines are left out, the
    rest is written. Without `keep_accepted` the report keeps only refused lines, so a file of
    millions of lines imports in constant memory."""
    held = HeldTransaction(database)
    session = held.session
    session.info.update(session_info or {})
    batches = {
        record_type.name: RecordBatch(session, record_type)
        for record_type in TYPES
        if record_type.new_record is not None
    }
    report = ImportReport(mode, [], written=False)
    undecided: list[LineResult] = []  # read, but perhaps still in a batch
    filling: RecordBatch | None = None  # the batch the last lines went to
    try:
        for number, raw in numbered:
            result = LineResult(line=number, type=None)
            undecided.append(result)
            try:
                if isinstance(raw, BadRow):
                    raise ValidationError(raw.errors)
                kind, item = _read(raw)
                result.type, record_type = kind, BY_NAME[kind]
                data = READERS[kind].load(item)
                if filling is not None and filling is not batches.get(kind):
                    filling.flush()  # what comes before is written first
                filling = batches.get(kind)
                if filling is not None:
                    filling.add(data, result)
                    if len(undecided) >= SETTLE_EVERY:
                        filling.flush()
                        report.settle(undecided, keep_accepted)
                    continue
                result.id = str(record_type.record(session, data).id)
            except ValidationError as exc:
                result.errors = flatten_messages(exc.messages)
            except Problem as exc:
                result.errors = exc.extensions.get("errors") or {"_line": [exc.detail]}
            except IntegrityError as exc:
                result.errors = {"_line": [conflict(exc.orig)]}
            if result.errors:
                session.rollback()  # this line's savepoint only
        if filling is not None:
            filling.flush()
        report.settle(undecided, keep_accepted)
        report.written = report.lines > 0 and (mode == "continue" or report.failed == 0)
        if report.written:
            held.commit()
        else:
            held.rollback()
    except BaseException:
        held.rollback()
        raise
    return report
