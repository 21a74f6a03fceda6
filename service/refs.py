"""Small embedded objects that stand for a referenced record in answers."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from service.dates import Precision, WorldDate
from service.representation import AS_TEXT, Writing


class ActorRefSchema(Schema):
    class Meta:
        title = "ActorRef"
        description = "An actor referred to by another record."
        example = {
            "id": "c49c0b59-4abf-5a83-9d8d-1bfafeca738d",
            "slug": "donald-trump",
            "name": "Donald Trump",
        }

    id = fields.UUID(required=True, metadata={"description": "The actor's id."})
    slug = fields.String(
        required=True, metadata={"description": "The actor's slug.", "example": "donald-trump"}
    )
    name = fields.String(
        required=True, metadata={"description": "The actor's name.", "example": "Donald Trump"}
    )


class TopicRefSchema(Schema):
    class Meta:
        title = "TopicRef"
        description = "A topic referred to by another record."
        example = {
            "id": "fda8cfb4-c48b-5835-bf0e-1c17df828459",
            "slug": "ukraine-territorial-integrity",
            "name": "Ukraine's territorial integrity",
        }

    id = fields.UUID(required=True, metadata={"description": "The topic's id."})
    slug = fields.String(
        required=True,
        metadata={"description": "The topic's slug.", "example": "ukraine-territorial-integrity"},
    )
    name = fields.String(
        required=True,
        metadata={"description": "The topic's name.", "example": "Ukraine's territorial integrity"},
    )


class EventRefSchema(Schema):
    class Meta:
        title = "EventRef"
        description = "An event referred to by another record."
        example = {
            "id": "c13d7b30-9cc9-5ac4-a6c0-84d30b2a1a25",
            "title": "Trump–Putin summit in Alaska",
            "kind": "summit",
            "start": "2025-08-15T00:00:00+00:00",
            "start_precision": "day",
        }

    id = fields.UUID(required=True, metadata={"description": "The event's id."})
    title = fields.String(
        required=True,
        metadata={"description": "The event's title.", "example": "Trump–Putin summit in Alaska"},
    )
    kind = fields.String(required=True, metadata={"description": "The event's kind.", "example": "summit"})
    start = WorldDate(
        required=True,
        attribute="start_at",
        metadata={
            "description": "When it began (start of its period, UTC).",
            "example": "2025-08-15T00:00:00+00:00",
        },
    )
    start_precision = fields.Enum(
        Precision, by_value=True, required=True, metadata={"description": "How precisely the start is known."}
    )


def reference(record_id: Any, slug: str, name: str, writing: Writing = AS_TEXT) -> dict[str, Any]:
    """What ActorRefSchema and TopicRefSchema dump, written directly (service/representation.py)."""
    return {"id": writing.uuid(record_id), "slug": slug, "name": name}


def actor_ref(actor: Any) -> dict[str, Any]:
    return reference(actor.id, actor.slug, actor.name)


def topic_ref(topic: Any) -> dict[str, Any]:
    return reference(topic.id, topic.slug, topic.name)


def event_reference(
    event_id: Any, title: str, kind: Any, start_at: Any, start_precision: Any, writing: Writing = AS_TEXT
) -> dict[str, Any]:
    """What EventRefSchema dumps, written directly."""
    return {
        "id": writing.uuid(event_id),
        "title": title,
        "kind": kind.value,
        "start": writing.instant(start_at),
        "start_precision": start_precision.value,
    }


def event_ref(event: Any) -> dict[str, Any]:
    return event_reference(event.id, event.title, event.kind, event.start_at, event.start_precision)
