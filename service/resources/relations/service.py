"""Recording and finding relations between actors."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, joinedload

from service.data.pagination import Page, PageRequest, SortOrder, fetch_page
from service.problems import ValidationFailed
from service.references.filters import ReferenceFilter, ReferenceFilters
from service.references.lookup import get_by_reference
from service.references.referrers import register_referrer
from service.resources.actors.models import Actor
from service.resources.records import Found, One, Writes, copy_fields
from service.resources.relations.models import ActorRelation
from service.resources.relations.schemas import RelationSchema
from service.resources.revisions.service import History
from service.values.dates import plain_source

NOUN = "relation"
HISTORY = History("relation", RelationSchema)
ORDER = SortOrder("relations", "created_at", (ActorRelation.created_at, ActorRelation.id))


def _count_relations_of(session: Session, actor_id: uuid.UUID) -> int:
    involving = or_(ActorRelation.subject_id == actor_id, ActorRelation.object_id == actor_id)
    return session.scalar(select(func.count()).where(involving)) or 0


register_referrer("actors", "relations", _count_relations_of)


_LOAD = (joinedload(ActorRelation.subject), joinedload(ActorRelation.object))


def with_actors(statement: Select[Any]) -> Select[Any]:
    return statement.options(*_LOAD)


# Filters that name an actor, by id or slug.
REFERENCE_FILTERS = ReferenceFilters(
    ReferenceFilter(
        "actor",
        Actor,
        "actor",
        lambda actor_id: or_(ActorRelation.subject_id == actor_id, ActorRelation.object_id == actor_id),
    ),
    ReferenceFilter("subject", Actor, "actor", lambda actor_id: ActorRelation.subject_id == actor_id),
    ReferenceFilter("object", Actor, "actor", lambda actor_id: ActorRelation.object_id == actor_id),
)


def list_relations(session: Session, filters: dict[str, Any], page: PageRequest) -> Page[ActorRelation]:
    references = REFERENCE_FILTERS.resolve(session, filters)  # 422 first, for one that names no record
    statement = REFERENCE_FILTERS.where(with_actors(select(ActorRelation)), references.shape)
    if kind := filters.get("kind"):
        statement = statement.where(ActorRelation.kind == kind)
    if (at := filters.get("at")) is not None:
        statement = statement.where(
            or_(ActorRelation.valid_from.is_(None), ActorRelation.valid_from <= at),
            or_(ActorRelation.valid_until.is_(None), ActorRelation.valid_until >= at),
        )
    return fetch_page(session, statement, ORDER, page, parameters=references.values)


def get_relation(session: Session, relation_id: str, *, for_update: bool = False) -> ActorRelation:
    """A relation by its id; `for_update` locks its row until the transaction ends."""
    return get_by_reference(session, ActorRelation, relation_id, NOUN, for_update=for_update, options=_LOAD)


class RelationWrites(Writes[ActorRelation]):
    def apply(
        self, relation: ActorRelation, data: dict[str, Any], found: Found, *, creating: bool, tracked: bool
    ) -> None:
        subject = found["subject"] or relation.subject
        object_ = found["object"] or relation.object
        if subject.id == object_.id:
            raise ValidationFailed({"object": ["An actor cannot be in a relation with itself."]})
        valid_from = data.get("valid_from", relation.valid_from)
        valid_until = data.get("valid_until", relation.valid_until)
        if valid_from and valid_until and valid_until < valid_from:
            raise ValidationFailed({"valid_until": ["Must not be before valid_from."]})
        self.apply_references(relation, data, found, creating=creating, tracked=tracked)
        copy_fields(relation, data, ("kind",))
        relation.valid_from, relation.valid_until = valid_from, valid_until
        if creating or "source" in data:
            relation.source = plain_source(data["source"]) if data.get("source") else None


WRITES = RelationWrites(
    ActorRelation, NOUN, HISTORY, One("subject", Actor, "actor"), One("object", Actor, "actor")
)
record_relation = WRITES.create
update_relation = WRITES.update
delete_relation = WRITES.delete
