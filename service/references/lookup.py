"""One way to find a record by its id or its slug, wherever a path or a field takes one."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.problems import NotFound, ValidationFailed

ModelT = TypeVar("ModelT")


def has_slug(model: Any) -> bool:
    """Whether records of `model` are named by a slug as well as by their id."""
    return hasattr(model, "slug")


def unknown(noun: str, reference: object, *, by_slug: bool) -> str:
    """The message for a reference that names no record, by id (or slug, where slugs name records)."""
    return f"No {noun} with {'id or slug' if by_slug else 'id'} '{reference}'."


def parse_uuid(reference: str | uuid.UUID) -> uuid.UUID | None:
    """The id a reference is, or None (a slug, or no id at all)."""
    if isinstance(reference, uuid.UUID):
        return reference
    try:
        return uuid.UUID(reference)
    except ValueError:
        return None


def _names(model: Any, reference: str | uuid.UUID) -> Any:
    """The condition for the record an id or a slug names, or None where it can name none."""
    record_id = parse_uuid(reference)
    if record_id is not None:
        return model.id == record_id
    return model.slug == reference if has_slug(model) else None


def find_by_reference(
    session: Session,
    model: type[ModelT],
    reference: str | uuid.UUID,
    *,
    for_update: bool = False,
    options: Iterable[Any] = (),
) -> ModelT | None:
    """The record whose id or slug is `reference`, loaded with `options`, or None.

    `for_update` locks its row until the transaction ends (PostgreSQL), so a conditional
    write compares its If-Match with the state it will change, not an older one.
    """
    condition = _names(model, reference)
    if condition is None:
        return None
    statement = select(model).where(condition).options(*options)
    if for_update:
        statement = statement.with_for_update(of=model).execution_options(populate_existing=True)
    found: ModelT | None = session.scalars(statement).unique().one_or_none()
    return found


def find_id_by_reference(session: Session, model: type[Any], reference: str | uuid.UUID) -> uuid.UUID | None:
    """The id of the record whose id or slug is `reference`, or None: for a filter, which
    needs nothing else of the record."""
    condition = _names(model, reference)
    if condition is None:
        return None
    found: uuid.UUID | None = session.connection().execute(select(model.id).where(condition)).scalar()
    return found


def get_by_reference(
    session: Session,
    model: type[ModelT],
    reference: str,
    noun: str,
    *,
    for_update: bool = False,
    options: Iterable[Any] = (),
) -> ModelT:
    """For a path parameter: the record, or 404."""
    record = find_by_reference(session, model, reference, for_update=for_update, options=options)
    if record is None:
        raise NotFound(unknown(noun, reference, by_slug=has_slug(model)))
    return record


class FieldReferences:
    """Resolve every reference in a request, then report all unknown ones in one 422."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.errors: dict[str, list[str]] = {}

    def resolve(
        self, model: type[ModelT], reference: str | uuid.UUID, field: str, noun: str
    ) -> ModelT | None:
        """The record an id or a slug names, or None, noting the field as wrong."""
        record = self.find(model, reference)
        if record is None:
            self.reject(field, unknown(noun, reference, by_slug=has_slug(model)))
        return record

    def find(self, model: type[ModelT], reference: str | uuid.UUID) -> ModelT | None:
        """The record an id or a slug names, or None (a subclass may look elsewhere)."""
        record_id = parse_uuid(reference)
        if record_id is not None:
            return self.session.get(model, record_id)
        return find_by_reference(self.session, model, reference)

    def reject(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            fields = ", ".join(sorted(self.errors))
            raise ValidationFailed(self.errors, detail=f"Invalid references in: {fields}")
