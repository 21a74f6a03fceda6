"""Load the seed story through the same schemas and service functions as the API.

Each record gets a fixed id made from its key, so loading twice changes nothing: records
already present are left as they are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from marshmallow import Schema
from sqlalchemy.orm import Session

from service.demo.story import STORY, SeedRecord
from service.references.lookup import find_by_reference
from service.resources.actors.models import Actor
from service.resources.actors.schemas import ActorSchema
from service.resources.actors.service import create_actor
from service.resources.events.models import Event
from service.resources.events.schemas import EventCreateSchema
from service.resources.events.service import record_event
from service.resources.relations.models import ActorRelation
from service.resources.relations.schemas import RelationCreateSchema
from service.resources.relations.service import record_relation
from service.resources.statements.models import Statement
from service.resources.statements.schemas import StatementCreateSchema
from service.resources.statements.service import record_statement
from service.resources.topics.models import Topic
from service.resources.topics.schemas import TopicSchema
from service.resources.topics.service import create_topic
from service.values.examples import seed_id

_RESOURCES: dict[str, tuple[type[Any], type[Schema], Callable[[Session, dict[str, Any]], Any]]] = {
    "actors": (Actor, ActorSchema, create_actor),
    "topics": (Topic, TopicSchema, create_topic),
    "events": (Event, EventCreateSchema, record_event),
    "statements": (Statement, StatementCreateSchema, record_statement),
    "relations": (ActorRelation, RelationCreateSchema, record_relation),
}


def _exists(session: Session, record: SeedRecord, model: type[Any]) -> bool:
    if record.resource in {"actors", "topics"}:
        return find_by_reference(session, model, record.key) is not None
    return session.get(model, seed_id(record.resource, record.key)) is not None


def load_story(session: Session) -> Counter[str]:
    """Record every part of the story not yet present; returns what was added, by resource."""
    added: Counter[str] = Counter()
    for record in STORY:
        model, schema, create = _RESOURCES[record.resource]
        if _exists(session, record, model):
            continue
        payload = dict(record.payload)
        for field in ("event", "parent"):
            if field in payload:
                payload[field] = str(seed_id("events", payload[field]))
        data = schema().load(payload)
        data["id"] = seed_id(record.resource, record.key)
        create(session, data)
        added[record.resource] += 1
    return added
