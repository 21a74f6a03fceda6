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

from service.actors.models import Actor
from service.actors.schemas import ActorSchema
from service.actors.service import create_actor
from service.demo.ids import seed_id
from service.demo.story import STORY, SeedRecord
from service.events.models import Event
from service.events.schemas import EventCreateSchema
from service.events.service import record_event
from service.references import find_by_reference
from service.relations.models import ActorRelation
from service.relations.schemas import RelationCreateSchema
from service.relations.service import record_relation
from service.statements.models import Statement
from service.statements.schemas import StatementCreateSchema
from service.statements.service import record_statement
from service.topics.models import Topic
from service.topics.schemas import TopicSchema
from service.topics.service import create_topic

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
