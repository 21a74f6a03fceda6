"""The declarative base, record ids and the bookkeeping every model shares."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import uuid6
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.orm.attributes import set_committed_value

from service.data.types import UTCDateTime

# Constraint names the same on every backend, so migrations can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def assign(record: Any, key: str, value: Any, *, tracked: bool) -> None:
    """Set a relationship of `record`: as a change the session's flush will write, or, not
    `tracked`, as if loaded, without the ORM's change events, which a bulk import has no use
    for. Untracked records are never added to a session: a bulk import writes their rows itself
    (service/resources/bulk/batched.py)."""
    if tracked:
        setattr(record, key, value)
    else:
        set_committed_value(record, key, value)


def new_id() -> uuid.UUID:
    """A new record's id: a UUID of version 7, which begins with a timestamp in milliseconds, so
    that new rows' index entries land together at the right end of each B-tree, where a random id
    (version 4) puts each on a page of its own. The other 74 bits are random, drawn by `secrets`,
    so one id tells nothing of the next."""
    return uuid.UUID(int=uuid6.uuid7().int)  # a plain UUID, as drivers and orjson expect


class RecordMixin:
    """Server-made identity and bookkeeping timestamps."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
