"""One NDJSON line per record: {"type": ..., "id": ..., and the fields its create request takes,
references as ids}. Export writes these lines; import reads them (and hand-written ones, where
references may also be slugs)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from marshmallow import Schema, fields
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from service.resources.actors.models import Actor
from service.resources.actors.schemas import ActorSchema
from service.resources.actors.service import create_actor
from service.resources.events.models import Event
from service.resources.events.schemas import EventCreateSchema, EventSchema
from service.resources.events.service import EVENT_REFERENCES, record_event
from service.resources.events.service import WRITES as EVENT_WRITES
from service.resources.records import Writes
from service.resources.relations.models import ActorRelation
from service.resources.relations.schemas import RelationCreateSchema, RelationSchema
from service.resources.relations.service import record_relation, with_actors
from service.resources.statements.models import Statement
from service.resources.statements.schemas import StatementCreateSchema, StatementSchema
from service.resources.statements.service import WRITES as STATEMENT_WRITES
from service.resources.statements.service import record_statement, with_references
from service.resources.topics.models import Topic
from service.resources.topics.schemas import TopicSchema
from service.resources.topics.service import create_topic

SERVER_MADE = ("created_at", "updated_at")


def _ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items]


def _actor_line(shown: dict[str, Any]) -> dict[str, Any]:
    return shown


def _statement_line(shown: dict[str, Any]) -> dict[str, Any]:
    shown.pop("article", None)
    return {
        **shown,
        "actor": shown["actor"]["id"],
        "event": shown["event"]["id"] if shown["event"] else None,
        "positions": [
            {"topic": p["topic"]["id"], "value": p["value"], "confidence": p["confidence"]}
            for p in shown["positions"]
        ],
        "mentions": _ids(shown["mentions"]),
    }


def _event_line(shown: dict[str, Any]) -> dict[str, Any]:
    return {
        **shown,
        "participants": [{"actor": p["actor"]["id"], "role": p["role"]} for p in shown["participants"]],
        "topics": _ids(shown["topics"]),
        "parent": shown["parent"]["id"] if shown["parent"] else None,
    }


def _relation_line(shown: dict[str, Any]) -> dict[str, Any]:
    return {**shown, "subject": shown["subject"]["id"], "object": shown["object"]["id"]}


def _with_id(create_schema: type[Schema]) -> type[Schema]:
    """The create schema, also taking the record's id (import keeps ids, so exports round-trip)."""
    return type(
        f"{create_schema.__name__.removesuffix('Schema')}ImportSchema",
        (create_schema,),
        {"id": fields.UUID()},
    )


@dataclass(frozen=True)
class RecordType:
    name: str  # as in a line's "type"
    model: Any
    shown_as: type[Schema]
    to_line: Callable[[dict[str, Any]], dict[str, Any]]
    read_as: type[Schema]
    record: Callable[[Session, dict[str, Any]], Any]
    query: Callable[[], Select[Any]]
    # Kinds a file holds by the hundred thousand are imported in batches (see `batched`), with
    # the writes of their create requests.
    writes: Writes[Any] | None = None

    @property
    def new_record(self) -> Callable[..., Any] | None:
        """What a batch makes each line's record with (`Writes.new`); None for kinds imported
        line by line."""
        return None if self.writes is None else self.writes.new

    def line(self, record: Any, schema: Schema) -> dict[str, Any]:
        shown = self.to_line(schema.dump(record))
        for name in SERVER_MADE:
            shown.pop(name, None)
        return {"type": self.name, **shown}


class _ActorImportSchema(ActorSchema):
    id = fields.UUID()


class _TopicImportSchema(TopicSchema):
    id = fields.UUID()


# In the order an import of everything must follow: what is referred to comes first.
TYPES = [
    RecordType(
        "actor", Actor, ActorSchema, _actor_line, _ActorImportSchema, create_actor, lambda: select(Actor)
    ),
    RecordType(
        "topic", Topic, TopicSchema, _actor_line, _TopicImportSchema, create_topic, lambda: select(Topic)
    ),
    RecordType(
        "event",
        Event,
        EventSchema,
        _event_line,
        _with_id(EventCreateSchema),
        record_event,
        lambda: select(Event).options(*EVENT_REFERENCES),
        EVENT_WRITES,
    ),
    RecordType(
        "statement",
        Statement,
        StatementSchema,
        _statement_line,
        _with_id(StatementCreateSchema),
        record_statement,
        lambda: with_references(select(Statement)),
        STATEMENT_WRITES,
    ),
    RecordType(
        "relation",
        ActorRelation,
        RelationSchema,
        _relation_line,
        _with_id(RelationCreateSchema),
        record_relation,
        lambda: with_actors(select(ActorRelation)),
    ),
]
BY_NAME = {record_type.name: record_type for record_type in TYPES}
BY_PLURAL = {f"{record_type.name}s": record_type for record_type in TYPES}
