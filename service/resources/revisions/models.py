from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.data.base import Base, utcnow
from service.data.types import JSONType, UTCDateTime, enum_column


class Action(enum.StrEnum):
    create = "create"
    update = "update"
    delete = "delete"


class Revision(Base):
    """One create, update or delete of a record, with the record before and after it.

    `number` is taken from the change counter while the writing transaction holds its
    row lock, so numbers become visible in the order they were given: a reader of the
    change feed never sees number n + 1 before number n.
    """

    __tablename__ = "revisions"

    number: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=False
    )
    resource: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[uuid.UUID] = mapped_column()
    action: Mapped[Action] = mapped_column(enum_column(Action))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    api_key_id: Mapped[uuid.UUID | None] = mapped_column()
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONType)

    __table_args__ = (Index("ix_revisions_resource_record_id_number", "resource", "record_id", "number"),)


class ChangeCounter(Base):
    """A single row: the last revision number given out."""

    __tablename__ = "change_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(BigInteger)


def changed_fields(revision: Revision) -> dict[str, dict[str, Any]]:
    """Each top-level field whose value differs, with its value before and after."""
    before, after = revision.before or {}, revision.after or {}
    return {
        name: {"before": before.get(name), "after": after.get(name)}
        for name in sorted(before.keys() | after.keys())
        if before.get(name) != after.get(name)
    }
