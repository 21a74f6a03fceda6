"""Create, update and delete for records that have a unique slug (actors, topics)."""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Mapped, Session

from service.problems import Conflict
from service.references.referrers import ensure_unreferenced
from service.resources.revisions.service import History
from service.values.slugs import make_slug


class Slugged(Protocol):
    slug: Mapped[str]
    name: Mapped[str]


SluggedT = TypeVar("SluggedT")


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


def claim_slug(session: Session, model: Any, slug: str, noun: str, exclude: Any = None) -> str:
    """An explicitly asked-for slug, or 409 when another record holds it."""
    if _slug_taken(session, model, slug, exclude):
        raise Conflict(f"Another {noun} already has the slug '{slug}'.")
    return slug


def create_slugged(
    session: Session, model: type[SluggedT], data: dict[str, Any], noun: str, history: History
) -> SluggedT:
    slug = data.pop("slug", None)
    data["slug"] = (
        claim_slug(session, model, slug, noun) if slug else available_slug(session, model, data["name"])
    )
    record = model(**data)
    session.add(record)
    history.created(session, record)
    session.commit()
    return record


def update_slugged(
    session: Session, record: Any, changes: dict[str, Any], noun: str, history: History
) -> Any:
    """Apply a partial update; the slug changes only when the client sends one."""
    if "slug" in changes and changes["slug"] != record.slug:
        claim_slug(session, type(record), changes["slug"], noun, exclude=record)
    before = history.snapshot(record)
    for name, value in changes.items():
        setattr(record, name, value)
    history.updated(session, record, before)
    session.commit()
    return record


def delete_slugged(session: Session, record: Any, noun: str, history: History) -> None:
    ensure_unreferenced(session, type(record).__tablename__, record.id, noun)
    history.deleted(session, record)
    session.delete(record)
    session.commit()
