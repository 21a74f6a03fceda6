"""Recording and finding actors."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.data.pagination import Page, PageRequest, fetch_page, named_sorts
from service.references.lookup import get_by_reference
from service.resources.actors.models import Actor
from service.resources.actors.schemas import ActorSchema
from service.resources.records import SluggedWrites
from service.resources.revisions.service import History
from service.values.folding import fold

NOUN = "actor"
HISTORY = History("actor", ActorSchema)
WRITES = SluggedWrites(Actor, NOUN, HISTORY)
SORTS = named_sorts("actors", Actor)
BY_SLUG = SORTS["slug"]


def list_actors(session: Session, filters: dict[str, Any], page: PageRequest) -> Page[Actor]:
    statement = select(Actor)
    if kind := filters.get("kind"):
        statement = statement.where(Actor.kind == kind)
    if country_code := filters.get("country_code"):
        statement = statement.where(Actor.country_code == country_code)
    if q := filters.get("q"):
        statement = statement.where(Actor.search_text.contains(fold(q), autoescape=True))
    return fetch_page(session, statement, SORTS[filters.get("sort", "slug")], page)


def get_actor(session: Session, reference: str, *, for_update: bool = False) -> Actor:
    return get_by_reference(session, Actor, reference, NOUN, for_update=for_update)


def create_actor(session: Session, data: dict[str, Any]) -> Actor:
    data.setdefault("aliases", [])
    data.setdefault("links", [])
    return WRITES.create(session, data)


update_actor = WRITES.update
delete_actor = WRITES.delete
