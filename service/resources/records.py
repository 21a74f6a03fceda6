"""Create, update and delete: one machinery for every kind of record.

A write resolves every reference its request names first, so that one 422 lists each unknown
one, then applies the changes, records the revision in the record's history and commits, once.
A kind of record declares the fields that name other records (`One`, `Many`, `Rows`) and says
how the rest of a request changes it (`Writes.apply`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.data.base import assign, new_id
from service.problems import Conflict
from service.references.lookup import FieldReferences
from service.references.referrers import ensure_unreferenced
from service.resources.revisions.service import History
from service.values.slugs import make_slug

RecordT = TypeVar("RecordT")
Found = dict[str, Any]  # what each reference field of a request names, by field


class ReferenceField(Protocol):
    """A field of a request that names records: found first, set once every one is found."""

    @property
    def name(self) -> str: ...

    def resolve(self, references: FieldReferences, data: dict[str, Any]) -> Any: ...

    def apply(
        self, record: Any, data: dict[str, Any], found: Any, *, creating: bool, tracked: bool
    ) -> None: ...


@dataclass(frozen=True)
class One:
    """A field naming one record (a statement's actor, an event's parent), kept in the relationship
    of the same name and its id in `<name>_id`: none when the field is null, or absent on create."""

    name: str
    model: Any
    noun: str
    id_column: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "id_column", f"{self.name}_id")

    def resolve(self, references: FieldReferences, data: dict[str, Any]) -> Any:
        reference = data.get(self.name)
        return None if reference is None else references.resolve(self.model, reference, self.name, self.noun)

    def apply(self, record: Any, data: dict[str, Any], found: Any, *, creating: bool, tracked: bool) -> None:
        if creating or self.name in data:
            assign(record, self.name, found, tracked=tracked)
            if found is not None or not creating:  # a new record's is null already
                setattr(record, self.id_column, None if found is None else found.id)


@dataclass(frozen=True)
class Many:
    """A list of references (a statement's mentions), each record kept once, in `order`: the
    order reads load them in, so that answers to writes and reads agree."""

    name: str
    model: Any
    noun: str
    order: Callable[[Any], Any]

    def resolve(self, references: FieldReferences, data: dict[str, Any]) -> list[Any] | None:
        if self.name not in data:
            return None
        records: list[Any] = []
        for index, reference in enumerate(data[self.name] or []):
            record = references.resolve(self.model, reference, f"{self.name}.{index}", self.noun)
            if record is not None and record not in records:
                records.append(record)
        return records

    def apply(self, record: Any, data: dict[str, Any], found: Any, *, creating: bool, tracked: bool) -> None:
        if creating or self.name in data:
            assign(record, self.name, sorted(found or [], key=self.order), tracked=tracked)


@dataclass(frozen=True)
class Rows:
    """A list of items each naming a record by their field `key` (a statement's positions, each
    on a topic), kept as rows of `row_model` with the item's `values`, in `order`. A record named
    twice is refused with the message `twice`."""

    name: str
    key: str
    model: Any
    noun: str
    row_model: Any
    values: tuple[str, ...]
    twice: str
    order: Callable[[Any], Any]
    key_column: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key_column", f"{self.key}_id")

    def resolve(self, references: FieldReferences, data: dict[str, Any]) -> list[tuple[Any, Any]] | None:
        if self.name not in data:
            return None
        found: list[tuple[Any, Any]] = []
        seen = set()
        for index, item in enumerate(data[self.name] or []):
            path = f"{self.name}.{index}.{self.key}"
            record = references.resolve(self.model, item[self.key], path, self.noun)
            if record is not None and record.id in seen:
                references.reject(path, self.twice)
            elif record is not None:
                seen.add(record.id)
                found.append((record, item))
        return found

    def apply(self, record: Any, data: dict[str, Any], found: Any, *, creating: bool, tracked: bool) -> None:
        if not creating and self.name not in data:
            return
        # Keep the rows of records that stay (same key), so the flush updates rather than re-inserts.
        existing = (
            {} if creating else {getattr(row, self.key_column): row for row in getattr(record, self.name)}
        )
        rows = []
        for target, item in found or []:
            row = existing.get(target.id)
            if row is None:
                row = self.row_model(**{self.key_column: target.id})
                assign(row, self.key, target, tracked=tracked)
            for name in self.values:
                setattr(row, name, item[name])
            rows.append(row)
        assign(record, self.name, sorted(rows, key=self.order), tracked=tracked)


class Writes(Generic[RecordT]):
    """Create, update and delete of one kind of record, each recorded in its history.

    The default `apply` sets each field the request sends; a kind whose fields need more says so
    by overriding it, and `prepare` checks what the references found.
    """

    def __init__(
        self, model: type[RecordT], noun: str, history: History, *references: ReferenceField
    ) -> None:
        self.model, self.noun, self.history, self.references = model, noun, history, references
        self._make: Any = model  # a mapped class, which takes its columns as keywords
        self.table: str = cast(Any, model).__tablename__  # as referrers register it

    def new(
        self,
        session: Session,
        data: dict[str, Any],
        references: FieldReferences | None = None,
        *,
        tracked: bool = True,
    ) -> RecordT:
        """The record a create request describes, not yet added to the session (422 if it cannot
        be). `references` resolves what it names (by default, one query each), as a bulk import
        does for a whole batch; `tracked` as for `service.data.base.assign`."""
        record: RecordT = self._make(id=data.pop("id", None) or new_id())
        self._write(session, record, data, creating=True, references=references, tracked=tracked)
        return record

    def create(self, session: Session, data: dict[str, Any]) -> RecordT:
        record = self.new(session, data)
        session.add(record)
        self.history.created(session, record)
        session.commit()
        return record

    def update(self, session: Session, record: RecordT, changes: dict[str, Any]) -> RecordT:
        """Apply a partial update: only the fields sent change."""
        before = self.history.snapshot(record)
        self._write(session, record, changes, creating=False)
        self.history.updated(session, record, before)
        session.commit()
        return record

    def delete(self, session: Session, record: Any) -> None:
        """Delete the record, or 409 while other records refer to it."""
        ensure_unreferenced(session, self.table, record.id, self.noun)
        self.history.deleted(session, record)
        session.delete(record)
        session.commit()

    def _write(
        self,
        session: Session,
        record: RecordT,
        data: dict[str, Any],
        *,
        creating: bool,
        references: FieldReferences | None = None,
        tracked: bool = True,
    ) -> None:
        """Find every record the request names (one 422 for all that are unknown), then apply it."""
        references = references if references is not None else FieldReferences(session)
        found = self.find_references(references, data)
        self.prepare(session, record, data, found, references, creating=creating)
        references.raise_if_any()
        self.apply(record, data, found, creating=creating, tracked=tracked)

    def find_references(self, references: FieldReferences, data: dict[str, Any]) -> Found:
        """What each field of the request that names records names, as `references` finds it (a
        bulk import's first pass only notes them all, to find a batch's at once)."""
        return {named.name: named.resolve(references, data) for named in self.references}

    def prepare(
        self,
        session: Session,
        record: RecordT,
        data: dict[str, Any],
        found: Found,
        references: FieldReferences,
        *,
        creating: bool,
    ) -> None:
        """Before anything is set: note on `references` what else is wrong with the records found,
        and fill in what the server decides (nothing, by default)."""

    def apply(
        self, record: RecordT, data: dict[str, Any], found: Found, *, creating: bool, tracked: bool
    ) -> None:
        self.apply_references(record, data, found, creating=creating, tracked=tracked)
        named = {reference_field.name for reference_field in self.references}
        copy_fields(record, data, [name for name in data if name not in named])

    def apply_references(
        self, record: RecordT, data: dict[str, Any], found: Found, *, creating: bool, tracked: bool
    ) -> None:
        for reference_field in self.references:
            reference_field.apply(
                record, data, found[reference_field.name], creating=creating, tracked=tracked
            )


def copy_fields(record: Any, data: dict[str, Any], names: Iterable[str]) -> None:
    """Set each of the fields `names` that the request sends."""
    for name in names:
        if name in data:
            setattr(record, name, data[name])


@dataclass(frozen=True)
class Embedded:
    """An object of a request kept in its record's columns `<name>_<field>` (a statement's source)."""

    name: str
    fields: tuple[str, ...]
    columns: tuple[tuple[str, str], ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", tuple((name, f"{self.name}_{name}") for name in self.fields))

    def apply(self, record: Any, data: dict[str, Any]) -> bool:
        """Set the columns when the request sends the object (all null for null; a new record's
        are null already); whether they were set."""
        if self.name not in data:
            return False
        sent = data[self.name] or {}
        for name, column in self.columns:
            setattr(record, column, sent.get(name))
        return True


class SluggedWrites(Writes[RecordT]):
    """Records with a unique slug (actors, topics): made from the name unless the request gives
    one; a slug another record holds is a 409."""

    def prepare(
        self,
        session: Session,
        record: RecordT,
        data: dict[str, Any],
        found: Found,
        references: FieldReferences,
        *,
        creating: bool,
    ) -> None:
        slug = data.get("slug")
        if creating and not slug:
            data["slug"] = available_slug(session, self.model, data["name"])
        elif slug is not None and slug != getattr(record, "slug", None):
            claim_slug(session, self.model, slug, self.noun, exclude=record)


def _slug_taken(session: Session, model: Any, slug: str, exclude: Any = None) -> bool:
    statement = select(model.id).where(model.slug == slug)
    if exclude is not None:
        statement = statement.where(model.id != exclude.id)
    return session.scalars(statement.limit(1)).first() is not None


def available_slug(session: Session, model: Any, name: str) -> str:
    """A slug made from `name`, with -2, -3 ... added when another record has it."""
    base = make_slug(name)
    slug, suffix = base, 1
    while _slug_taken(session, model, slug):
        suffix += 1
        tail = f"-{suffix}"
        slug = base[: 100 - len(tail)] + tail
    return slug


def claim_slug(session: Session, model: Any, slug: str, noun: str, exclude: Any = None) -> None:
    """409 when a record other than `exclude` holds the slug a request asks for."""
    if _slug_taken(session, model, slug, exclude):
        raise Conflict(f"Another {noun} already has the slug '{slug}'.")
