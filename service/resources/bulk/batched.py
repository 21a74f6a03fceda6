"""Records imported in batches: references resolved with one query per kind, rows written with
one multi-row write per table, revision numbers taken once per batch.

Record by record, an import goes through the ORM's flush and a revision each (about 1,000
statements or 150 events a second); a file of a million statements needs the database's bulk
path. A line is still made into its record by the same writes a create request goes through
(`Writes.new` in service/resources/records.py), so it gets the same checks and messages; only
where references come from and how rows are written differ:

1. `add`: a first pass over the line notes the references it names (`Writes.find_references`
   with `CollectedReferences`).
2. `flush`: each kind's references of the whole batch are found with one query, and a second
   pass makes each line's record from them (`KnownReferences`), without adding it to the session.
3. The records' rows, taken from the mapping (`table_rows`), are written with COPY on
   PostgreSQL (executemany elsewhere), with a revision each whose `after` is the record as GET
   shows it.

A batch the database still refuses (a conflict no check foresaw) is undone and its lines go
through the record-by-record path, so each bad line is named.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, inspect, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import MANYTOONE

from service.data.base import utcnow
from service.data.dialects import insert_rows
from service.problems import ValidationFailed
from service.references.lookup import FieldReferences, parse_uuid
from service.resources.revisions.models import Action, Revision
from service.resources.revisions.service import API_KEY_INFO, allocate_numbers

if TYPE_CHECKING:
    from service.resources.bulk.records import RecordType

BATCH_SIZE = 2000
# Records found are kept for the next batches (an import only adds, so they stay true), up to
# this many of a kind, so that memory stays bounded.
KNOWN_LIMIT = 20_000


def conflict(detail: object) -> str:
    """The message for a line whose record clashes with one the database holds."""
    return f"Conflicts with a record already there: {detail}"


class CollectedReferences(FieldReferences):
    """The first pass: notes each reference a line names (by model) and finds none of them."""

    def __init__(self, session: Session, wanted: dict[Any, set[Any]]) -> None:
        super().__init__(session)
        self.wanted = wanted

    def resolve(self, model: Any, reference: str | uuid.UUID, field: str, noun: str) -> Any:
        """Notes the reference and finds nothing, without a message: the second pass reports them."""
        self.wanted.setdefault(model, set()).add(reference)
        return None


class KnownReferences(FieldReferences):
    """The second pass: references looked up among the records found for the whole batch, where
    one that is absent names no record."""

    def __init__(self, session: Session, known: dict[Any, dict[Any, Any]]) -> None:
        super().__init__(session)
        self.known = known

    def find(self, model: Any, reference: str | uuid.UUID) -> Any:
        return self.known[model].get(reference)


def find_references(session: Session, model: Any, references: set[Any], known: dict[Any, Any]) -> None:
    """Add to `known` the record each reference (an id, as UUID or text, or a slug) names, with
    one query for those not in it yet; references that name no record stay absent."""
    wanted = references - known.keys()
    if not wanted:
        return
    ids = {reference: parsed for reference in wanted if (parsed := parse_uuid(reference)) is not None}
    slugs = {reference for reference in wanted - ids.keys() if isinstance(reference, str)}
    condition = model.id.in_(set(ids.values()))
    if slugs and hasattr(model, "slug"):
        condition = or_(condition, model.slug.in_(slugs))
    found = session.scalars(select(model).where(condition)).all()
    by_id = {record.id: record for record in found}
    by_slug = {getattr(record, "slug", None): record for record in found}
    known.update({reference: by_id[parsed] for reference, parsed in ids.items() if parsed in by_id})
    known.update({slug: by_slug[slug] for slug in slugs if slug in by_slug})


@dataclass
class PendingLine:
    """A line that passed the schema, waiting for its batch; `errors` and `id` are its result."""

    data: dict[str, Any]
    outcome: Any  # has `id` and `errors`, set when the batch is written
    errors: dict[str, list[str]] = field(default_factory=dict)
    id: str | None = None
    record: Any = None  # made from the line, never added to the session


class RecordBatch:
    """The lines of one kind of record in an import, written `BATCH_SIZE` at a time."""

    def __init__(self, session: Session, record_type: RecordType) -> None:
        assert record_type.writes is not None
        self.session = session
        self.model = record_type.model
        self.writes = record_type.writes
        self.history = record_type.writes.history
        self.record_one = record_type.record  # for batches the database refuses
        self.pending: list[PendingLine] = []
        self.pending_ids: set[uuid.UUID] = set()
        self.wanted: dict[Any, set[Any]] = {}  # the references of the pending lines, by model
        self.known: dict[Any, dict[Any, Any]] = {}  # records found, by model and reference

    def add(self, data: dict[str, Any], outcome: Any) -> None:
        """Queue a line; `outcome.id` or `outcome.errors` is set when its batch is written."""
        wanted: dict[Any, set[Any]] = {}
        self.writes.find_references(CollectedReferences(self.session, wanted), data)
        own = {parse_uuid(reference) for reference in wanted.get(self.model, ())}
        if own & self.pending_ids:
            self.flush()  # it refers to a record of this batch (an event's parent): write that first
        for model, references in wanted.items():
            self.wanted.setdefault(model, set()).update(references)
        self.pending.append(PendingLine(data, outcome))
        if data.get("id") is not None:
            self.pending_ids.add(data["id"])
        if len(self.pending) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        batch, self.pending, wanted, self.wanted = self.pending, [], self.wanted, {}
        self.pending_ids = set()
        accepted = self._check(batch, wanted) if batch else []
        if accepted:
            try:
                self._write(accepted)
                self.session.commit()  # the batch's savepoint
            except IntegrityError:
                self.session.rollback()
                for pending in accepted:
                    self._record_alone(pending)
        for pending in batch:
            pending.outcome.id, pending.outcome.errors = pending.id, pending.errors

    def _record_alone(self, pending: PendingLine) -> None:
        try:
            pending.id = str(self.record_one(self.session, dict(pending.data)).id)
        except IntegrityError as exc:
            self.session.rollback()
            pending.id = None
            pending.errors = {"_line": [conflict(exc.orig)]}

    def _check(self, batch: list[PendingLine], wanted: dict[Any, set[Any]]) -> list[PendingLine]:
        """Make each line's record; lines that cannot be made (or whose id is taken) get errors."""
        for model, references in wanted.items():
            known = self.known.setdefault(model, {})
            if len(known) > KNOWN_LIMIT:
                known.clear()
            find_references(self.session, model, references, known)
        given_ids = [item.data["id"] for item in batch if item.data.get("id") is not None]
        # Earlier batches are written by now, so this also finds an id given twice in the file.
        taken: set[uuid.UUID] = set()
        if given_ids:
            taken.update(self.session.scalars(select(self.model.id).where(self.model.id.in_(given_ids))))
        accepted = []
        for item in batch:
            try:
                # Untracked: its rows are written here, not by the session's flush.
                item.record = self.writes.new(
                    self.session, dict(item.data), KnownReferences(self.session, self.known), tracked=False
                )
            except ValidationFailed as exc:
                item.errors = exc.extensions["errors"]
                continue
            if item.record.id in taken:
                item.errors = {"_line": [conflict(f"{self.history.resource} {item.record.id} exists.")]}
                continue
            taken.add(item.record.id)
            accepted.append(item)
        return accepted

    def _write(self, accepted: list[PendingLine]) -> None:
        now = utcnow()
        rows: dict[Table, list[dict[str, Any]]] = {}
        for item in accepted:
            item.record.created_at = item.record.updated_at = now
            for table, row in table_rows(item.record):
                rows.setdefault(table, []).append(row)
        for table, table_rows_ in rows.items():  # parents before children, as `table_rows` gives them
            insert_rows(self.session, table, table_rows_)
        first = allocate_numbers(self.session, len(accepted))
        api_key_id = self.session.info.get(API_KEY_INFO)
        insert_rows(
            self.session,
            Revision.__table__,
            [
                {
                    "number": first + offset,
                    "resource": self.history.resource,
                    "record_id": item.record.id,
                    "action": Action.create,
                    "recorded_at": now,
                    "api_key_id": api_key_id,
                    "before": None,
                    "after": self.history.snapshot(item.record),
                }
                for offset, item in enumerate(accepted)
            ],
        )
        for item in accepted:
            item.id = str(item.record.id)


@dataclass(frozen=True)
class _Layout:
    """How a mapped class's new records are written: its table's columns (with the attribute
    each comes from and its default), its children and its links."""

    table: Table
    columns: list[tuple[str, str, Any]]
    children: list[tuple[str, list[tuple[str, str]]]]  # attribute, (own column, child's column)
    links: list[tuple[str, Table, list[tuple[str, str]], list[tuple[str, str]]]]


@cache
def _layout(model: Any) -> _Layout:
    mapper = inspect(model)
    children, links = [], []
    for relationship in mapper.relationships:
        if relationship.direction is MANYTOONE or relationship.viewonly:
            continue
        if relationship.secondary is None:
            pairs = [(local.key, remote.key) for local, remote in relationship.local_remote_pairs]
            children.append((relationship.key, pairs))
        else:
            target = inspect(relationship.entity.class_)
            own = [(column.key, link.key) for column, link in relationship.synchronize_pairs]
            theirs = [
                (target.get_property_by_column(column).key, link.key)
                for column, link in relationship.secondary_synchronize_pairs
            ]
            links.append((relationship.key, relationship.secondary, own, theirs))
    columns = [
        (column.key, mapper.get_property_by_column(column).key, column.default)
        for column in mapper.local_table.columns
    ]
    return _Layout(mapper.local_table, columns, children, links)


def table_rows(record: Any, **foreign_key: Any) -> Iterator[tuple[Table, dict[str, Any]]]:
    """The rows a new record and what it holds are written as, parents first: its own row,
    those of its children (a statement's positions) and of its links (its mentions)."""
    layout = _layout(record.__class__)
    state = record.__dict__  # a new record's attributes are all there (unset ones are None)
    row = {}
    for column, attribute, default in layout.columns:
        value = state.get(attribute)
        if value is None and default is not None:
            value = default.arg(None) if default.is_callable else default.arg
        row[column] = value
    row.update(foreign_key)
    yield layout.table, row
    for attribute, pairs in layout.children:
        for child in state.get(attribute) or []:
            yield from table_rows(child, **{theirs: row[own] for own, theirs in pairs})
    for attribute, table, own, theirs in layout.links:
        for target in state.get(attribute) or []:  # records found in the database: read as usual
            link = {column: row[key] for key, column in own}
            link.update({column: getattr(target, key) for key, column in theirs})
            yield table, link
