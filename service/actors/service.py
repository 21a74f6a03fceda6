"""Recording and finding actors."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.actors.models import Actor
from service.pagination import Page, PageRequest, SortOrder, fetch_page
from service.references import get_by_reference
from service.slugged import create_slugged, delete_slugged, update_slugged
from service.text import fold

NOUN = "actor"
BY_SLUG = SortOrder("actors", "slug", (Actor.slug,))


def list_actors(session: Session, filters: dict[str, Any], page: PageRequest) -> Page[Actor]:
    statement = select(Actor)
    if kind := filters.get("kind"):
        statement = statement.where(Actor.kind == kind)
    if country_code := filters.get("country_code"):
        statement = statement.where(Actor.country_code == country_code)
    if q := filters.get("q"):
        statement = statement.where(Actor.search_text.contains(fold(q), autoescape=True))
    return fetch_page(session, statement, BY_SLUG, page)


def get_actor(session: Session, reference: str) -> Actor:
    return get_by_reference(session, Actor, reference, NOUN)


def create_actor(session: Session, data: dict[str, Any]) -> Actor:
    data.setdefault("aliases", [])
    data.setdefault("links", [])
    return create_slugged(session, Actor, data, NOUN)


def update_actor(session: Session, reference: str, changes: dict[str, Any]) -> Actor:
    return update_slugged(session, get_actor(session, reference), changes, NOUN)  # type: ignore[no-any-return]


def delete_actor(session: Session, reference: str) -> None:
    delete_slugged(session, get_actor(session, reference), NOUN)
