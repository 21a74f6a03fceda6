"""One way to find a record by its id or its slug, wherever a path or a field takes one."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.problems import NotFound, ValidationFailed

ModelT = TypeVar("ModelT")


def unknown_reference(noun: str, reference: str) -> str:
    """The message for a reference (id or slug) that names no record."""
    return f"No {noun} with id or slug '{reference}'."


def unknown_id(noun: str, record_id: object) -> str:
    """The message for an id that names no record."""
    return f"No {noun} with id '{record_id}'."


def parse_uuid(reference: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(reference)
    except ValueError:
        return None


def find_by_reference(
    session: Session, model: type[ModelT], reference: str, *, for_update: bool = False
) -> ModelT | None:
    """The record whose id (a UUID) or slug is `reference`, or None.

    `for_update` locks its row until the transaction ends (PostgreSQL), so a conditional
    write compares its If-Match with the state it will change, not an older one.
    """
    statement = select(model).where(_names(model, reference))
    if for_update:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return session.scalars(statement).one_or_none()


def find_id_by_reference(session: Session, model: type[Any], reference: str) -> uuid.UUID | None:
    """The id of the record whose id or slug is `reference`, or None: for a filter, which
    needs nothing else of the record."""
    statement = select(model.id).where(_names(model, reference))
    found: uuid.UUID | None = session.connection().execute(statement).scalar()
    return found


def _names(model: Any, reference: str) -> Any:
    """The condition for the record an id (a UUID) or slug names."""
    record_id = parse_uuid(reference)
    return model.id == record_id if record_id is not None else model.slug == reference


def get_by_reference(
    session: Session, model: type[ModelT], reference: str, noun: str, *, for_update: bool = False
) -> ModelT:
    """For a path parameter: the record, or 404."""
    record = find_by_reference(session, model, reference, for_update=for_update)
    if record is None:
        raise NotFound(unknown_reference(noun, reference))
    return record


def resolve_field_reference(
    session: Session, model: type[ModelT], reference: str, field: str, noun: str
) -> ModelT:
    """For a reference inside a request body or query: the record, or 422 naming the field."""
    record = find_by_reference(session, model, reference)
    if record is None:
        raise ValidationFailed(
            {field: [unknown_reference(noun, reference)]},
            detail=f"Unknown {noun} in: {field}",
        )
    return record


class FieldReferences:
    """Resolve every reference in a request, then report all unknown ones in one 422."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.errors: dict[str, list[str]] = {}

    def resolve(self, model: type[ModelT], reference: str, field: str, noun: str) -> ModelT | None:
        record = self.find(model, reference)
        if record is None:
            self.reject(field, unknown_reference(noun, reference))
        return record

    def get(self, model: type[ModelT], record_id: uuid.UUID, field: str, noun: str) -> ModelT | None:
        record = self.find_id(model, record_id)
        if record is None:
            self.reject(field, unknown_id(noun, record_id))
        return record

    def resolve_id(self, model: type[Any], reference: str, field: str, noun: str) -> uuid.UUID | None:
        """For a filter: the id of the record an id or slug names, read alone."""
        found = find_id_by_reference(self.session, model, reference)
        if found is None:
            self.reject(field, unknown_reference(noun, reference))
        return found

    def check_id(self, model: type[Any], record_id: uuid.UUID, field: str, noun: str) -> uuid.UUID | None:
        """For a filter by id: the id, if a record has it."""
        found = find_id_by_reference(self.session, model, str(record_id))
        if found is None:
            self.reject(field, unknown_id(noun, record_id))
        return found

    def find(self, model: type[ModelT], reference: str) -> ModelT | None:
        """The record an id or slug names, or None (a subclass may look elsewhere)."""
        return find_by_reference(self.session, model, reference)

    def find_id(self, model: type[ModelT], record_id: uuid.UUID) -> ModelT | None:
        """The record an id names, or None (a subclass may look elsewhere)."""
        return self.session.get(model, record_id)

    def reject(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            fields = ", ".join(sorted(self.errors))
            raise ValidationFailed(self.errors, detail=f"Invalid references in: {fields}")
