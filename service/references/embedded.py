"""Embedded references: a referenced record as another record's answer shows it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from types import SimpleNamespace
from typing import Any

from marshmallow import Schema, fields
from sqlalchemy.orm.strategy_options import _AbstractLoad

from service.values.dates import Precision, WorldDate


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


@dataclass(frozen=True)
class EmbeddedReference:
    """One kind of embedded reference: the schema that answers it, and the columns it needs of
    the record referred to, which are that schema's fields. Loading only those spares decoding
    every actor's aliases and links (JSON) many times a page. Its writer is made from the same
    fields (service/fast/answers.py: reference_writer)."""

    schema: type[Schema]

    @cached_property
    def attributes(self) -> tuple[str, ...]:
        return tuple(field.attribute or name for name, field in self.schema._declared_fields.items())

    def columns(self, model: type[Any]) -> tuple[Any, ...]:
        """The mapped columns of `model` the reference shows, in the schema's order."""
        return tuple(getattr(model, attribute) for attribute in self.attributes)

    def load(self, loader: _AbstractLoad, model: type[Any]) -> Any:
        """`loader`, of a relationship to `model`, made to load only what the reference shows."""
        return loader.load_only(*self.columns(model))


ACTOR_REFERENCE = EmbeddedReference(ActorRefSchema)
TOPIC_REFERENCE = EmbeddedReference(TopicRefSchema)
EVENT_REFERENCE = EmbeddedReference(EventRefSchema)


def labelled(prefix: str, columns: tuple[Any, ...]) -> list[Any]:
    """A reference's columns, named `{prefix}_{column}` to read it from a row of several."""
    return [column.label(f"{prefix}_{column.key}") for column in columns]


def referenced(found: Any, prefix: str, columns: tuple[Any, ...]) -> SimpleNamespace:
    """What a row read with `labelled(prefix, columns)` holds of the record referred to."""
    return SimpleNamespace(**{column.key: getattr(found, f"{prefix}_{column.key}") for column in columns})
