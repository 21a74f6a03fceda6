"""Who still refers to a record, so that deleting it can answer 409 instead of orphaning data.

Each resource that points at another registers a counter here; deletes ask them all.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import Column, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from service.problems import StillReferenced

ReferenceCounter = Callable[[Session, uuid.UUID], int]

_counters: dict[str, list[tuple[str, ReferenceCounter]]] = {}


def register_referrer(target: str, label: str, counter: ReferenceCounter) -> None:
    """`counter` tells how many `label` records refer to a `target` record."""
    entries = _counters.setdefault(target, [])
    if all(existing != label for existing, _ in entries):
        entries.append((label, counter))


def count_where(column: InstrumentedAttribute[Any] | Column[Any]) -> ReferenceCounter:
    """A counter of rows whose foreign key `column` equals the record's id."""

    def counter(session: Session, record_id: uuid.UUID) -> int:
        return session.scalar(select(func.count()).where(column == record_id)) or 0

    return counter


def ensure_unreferenced(session: Session, target: str, record_id: uuid.UUID, noun: str) -> None:
    counts = {}
    for label, counter in sorted(_counters.get(target, []), key=lambda entry: entry[0]):
        count = counter(session, record_id)
        if count:
            counts[label] = count
    if counts:
        listed = ", ".join(f"{count} {label}" for label, count in counts.items())
        raise StillReferenced(
            f"The {noun} is still referenced by {listed}; remove those references first.",
            references=counts,
        )
