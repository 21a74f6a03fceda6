"""Recording and finding relations between actors."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, joinedload

from service.data.base import new_id
from service.data.pagination import Page, PageRequest, SortOrder, fetch_page
from service.problems import ValidationFailed
from service.references.filters import ReferenceFilter, ReferenceFilters
from service.references.lookup import FieldReferences, get_by_reference
from service.references.referrers import register_referrer
from service.resources.actors.models import Actor
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


def record_relation(session: Session, data: dict[str, Any]) -> ActorRelation:
    relation = ActorRelation(id=data.pop("id", None) or new_id(), source=None)
    _apply(session, relation, data, creating=True)
    session.add(relation)
    HISTORY.created(session, relation)
    session.commit()
    return relation


def update_relation(session: Session, relation: ActorRelation, changes: dict[str, Any]) -> ActorRelation:
    before = HISTORY.snapshot(relation)
    _apply(session, relation, changes, creating=False)
    HISTORY.updated(session, relation, before)
    session.commit()
    return relation


def delete_relation(session: Session, relation: ActorRelation) -> None:
    HISTORY.deleted(session, relation)
    session.delete(relation)
    session.commit()


def _apply(session: Session, relation: ActorRelation, data: dict[str, Any], *, creating: bool) -> None:
    references = FieldReferences(session)
    subject = references.resolve(Actor, data["subject"], "subject", "actor") if "subject" in data else None
    object_ = references.resolve(Actor, data["object"], "object", "actor") if "object" in data else None
    references.raise_if_any()
    subject = subject or relation.subject
    object_ = object_ or relation.object
    if subject.id == object_.id:
        raise ValidationFailed({"object": ["An actor cannot be in a relation with itself."]})
    valid_from = data.get("valid_from", relation.valid_from)
    valid_until = data.get("valid_until", relation.valid_until)
    if valid_from and valid_until and valid_until < valid_from:
        raise ValidationFailed({"valid_until": ["Must not be before valid_from."]})
    relation.subject, relation.subject_id = subject, subject.id
    relation.object, relation.object_id = object_, object_.id
    if "kind" in data:
        relation.kind = data["kind"]
    relation.valid_from, relation.valid_until = valid_from, valid_until
    if creating or "source" in data:
        relation.source = plain_source(data["source"]) if data.get("source") else None
