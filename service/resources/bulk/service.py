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
from service.problems import Problem, ValidationFailed, flatten_messages
from service.resources.bulk.batched import BATCH_SIZE, RecordBatch, conflict
from service.resources.bulk.csv_rows import CSV, BadRow, csv_records
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


def import_upload(
    database: Database,
    text: str,
    media_type: str,
    mode: str,
    plural: str | None,
    session_info: dict[str, Any] | None = None,
) -> ImportReport:
    """Import a request's body, NDJSON or CSV (which needs `plural`). An upload that writes
    nothing is refused as a whole, with each refused line named, so a client fixes them at once."""
    if media_type == CSV:
        assert plural is not None  # the route refuses CSV without a type
        report = import_csv(database, text.splitlines(keepends=True), plural, mode, session_info)
    else:
        report = import_lines(database, text.splitlines(), mode, session_info, plural)
    if not report.lines:
        raise ValidationFailed({"_body": ["The file has no records."]})
    if not report.written:
        errors = {
            f"line {result.line}.{name}": messages
            for result in report.results
            for name, messages in result.errors.items()
        }
        raise ValidationFailed(errors, f"{report.failed} line(s) refused; nothing was written.")
    return report


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
    importing = _Import(database, mode, session_info, keep_accepted)
    try:
        for number, raw in numbered:
            importing.add(number, raw)
        return importing.finish()
    except BaseException:
        importing.held.rollback()
        raise


class _Import:
    """One import under way: its transaction, a batch for each type written in batches, and the
    lines read whose outcome their batch has not told yet."""

    def __init__(
        self, database: Database, mode: str, session_info: dict[str, Any] | None, keep_accepted: bool
    ) -> None:
        self.held = HeldTransaction(database)
        self.session = self.held.session
        self.session.info.update(session_info or {})
        self.batches = {
            record_type.name: RecordBatch(self.session, record_type)
            for record_type in TYPES
            if record_type.new_record is not None
        }
        self.report = ImportReport(mode, [], written=False)
        self.keep_accepted = keep_accepted
        self.undecided: list[LineResult] = []  # read, but perhaps still in a batch
        self.filling: RecordBatch | None = None  # the batch the last lines went to

    def add(self, number: int, raw: str | bytes | dict[str, Any] | BadRow) -> None:
        """Record one line, or queue it in its batch; a line refused leaves nothing behind."""
        result = LineResult(line=number, type=None)
        self.undecided.append(result)
        try:
            self._record(raw, result)
        except ValidationError as exc:
            self._refuse(result, flatten_messages(exc.messages))
        except Problem as exc:
            self._refuse(result, exc.extensions.get("errors") or {"_line": [exc.detail]})
        except IntegrityError as exc:
            self._refuse(result, {"_line": [conflict(exc.orig)]})

    def _record(self, raw: str | bytes | dict[str, Any] | BadRow, result: LineResult) -> None:
        if isinstance(raw, BadRow):
            raise ValidationError(raw.errors)
        kind, item = _read(raw)
        result.type = kind
        data = READERS[kind].load(item)
        batch = self.batches.get(kind)
        if self.filling is not None and self.filling is not batch:
            self.filling.flush()  # what comes before is written first
        self.filling = batch
        if batch is None:
            result.id = str(BY_NAME[kind].record(self.session, data).id)
            return
        batch.add(data, result)
        if len(self.undecided) >= SETTLE_EVERY:
            batch.flush()
            self.report.settle(self.undecided, self.keep_accepted)

    def _refuse(self, result: LineResult, errors: dict[str, list[str]]) -> None:
        result.errors = errors
        if errors:
            self.session.rollback()  # this line's savepoint only

    def finish(self) -> ImportReport:
        """Write the last batch, then keep everything or nothing, as the mode says."""
        if self.filling is not None:
            self.filling.flush()
        report = self.report
        report.settle(self.undecided, self.keep_accepted)
        report.written = report.lines > 0 and (report.mode == "continue" or report.failed == 0)
        if report.written:
            self.held.commit()
        else:
            self.held.rollback()
        return report
