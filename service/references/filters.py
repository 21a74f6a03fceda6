"""List filters that name a record by its id or its slug: one way for every list.

A filter's reference is bound as given: as the record's id, or as a slug that a scalar subquery
turns into the id. Either way the list's condition compares the referring column with one value,
so the query keeps the index that starts with that column (it never joins on slug), and it can be
built once for every value. A reference that names no record matches nothing; `resolve` looks the
references up and answers 422 naming each unknown one, which a list may do first or only once a
page comes back empty.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, String, bindparam, select
from sqlalchemy.orm import Session

from service.references.lookup import FieldReferences, find_id_by_reference, has_slug, parse_uuid, unknown


@dataclass(frozen=True)
class ReferenceFilter:
    """A query parameter that names a record of `model` (a `noun` in messages), and the list's
    condition on that record's id."""

    parameter: str
    model: Any
    noun: str
    condition: Callable[[Any], Any]

    def where(self, by_id: bool) -> Any:
        """The condition with the reference bound: as an id, or as a slug (`bind` gives the values)."""
        if by_id:
            return self.condition(bindparam(f"{self.parameter}_id", type_=self.model.id.type))
        slug = bindparam(f"{self.parameter}_slug", type_=String)
        return self.condition(select(self.model.id).where(self.model.slug == slug).scalar_subquery())


@dataclass(frozen=True)
class BoundFilters:
    """The reference filters a request gives: `shape` (each by id or by slug) is what a list's
    query is built from, `values` what it runs with."""

    shape: tuple[tuple[str, bool], ...]
    values: dict[str, Any]


class ReferenceFilters:
    """The filters of one list that name records."""

    def __init__(self, *filters: ReferenceFilter) -> None:
        self.filters = {reference_filter.parameter: reference_filter for reference_filter in filters}

    def bind(self, arguments: Mapping[str, Any]) -> BoundFilters:
        """The references as given; a model without slugs is named by its id only."""
        shape, values = [], {}
        for name, reference_filter in self.filters.items():
            if (reference := arguments.get(name)) is None:
                continue
            record_id = parse_uuid(reference)
            by_id = record_id is not None or not has_slug(reference_filter.model)
            shape.append((name, by_id))
            values[f"{name}_id" if by_id else f"{name}_slug"] = record_id if by_id else reference
        return BoundFilters(tuple(shape), values)

    def resolve(self, session: Session, arguments: Mapping[str, Any]) -> BoundFilters:
        """The references looked up, bound as the ids they name: 422 naming each that names none."""
        references = FieldReferences(session)
        shape, values = [], {}
        for name, reference_filter in self.filters.items():
            if (reference := arguments.get(name)) is None:
                continue
            model = reference_filter.model
            record_id = find_id_by_reference(session, model, reference)
            if record_id is None:
                references.reject(name, unknown(reference_filter.noun, reference, by_slug=has_slug(model)))
            shape.append((name, True))
            values[f"{name}_id"] = record_id
        references.raise_if_any()
        return BoundFilters(tuple(shape), values)

    def where(self, statement: Select[Any], shape: tuple[tuple[str, bool], ...]) -> Select[Any]:
        """`statement` narrowed by each filter in `shape`."""
        for name, by_id in shape:
            statement = statement.where(self.filters[name].where(by_id))
        return statement
