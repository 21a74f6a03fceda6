from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from service.references.embedded import ActorRefSchema, EventRefSchema, TopicRefSchema
from service.resources.events.models import EventKind, ParticipantRole
from service.resources.statements.schemas import SourceSchema
from service.values.dates import Precision, WorldDate, validate_range
from service.values.fields import CountryCode, Reference, SearchQuery, Text
from service.web.pages import PageQuerySchema

ALASKA_LOCATION = {
    "name": "Joint Base Elmendorf–Richardson, Anchorage, Alaska",
    "country_code": "US",
    "lat": 61.25,
    "lon": -149.8,
}
PUTIN_PARTICIPANT = {
    "actor": {
        "id": "20ed56a6-1420-57bb-93c7-5dd23494a380",
        "slug": "vladimir-putin",
        "name": "Vladimir Putin",
    },
    "role": "participant",
}
EVENT_EXAMPLE = {
    "id": "c13d7b30-9cc9-5ac4-a6c0-84d30b2a1a25",
    "title": "Trump–Putin summit in Alaska",
    "kind": "summit",
    "description": "Trump met Putin in Alaska, hoping to bring him to talks with Zelensky.",
    "start": "2025-08-15T00:00:00+00:00",
    "start_precision": "day",
    "end": None,
    "end_precision": None,
    "location": ALASKA_LOCATION,
    "participants": [{"actor": ActorRefSchema.Meta.example, "role": "host"}, PUTIN_PARTICIPANT],
    "topics": [TopicRefSchema.Meta.example],
    "sources": [],
    "parent": None,
    "created_at": "2025-09-24T08:00:00+00:00",
    "updated_at": "2025-09-24T08:00:00+00:00",
}
EVENT_CREATE_EXAMPLE = {
    "title": "Trump–Putin summit in Alaska",
    "kind": "summit",
    "description": EVENT_EXAMPLE["description"],
    "start": "2025-08-15",
    "location": ALASKA_LOCATION,
    "participants": [
        {"actor": "donald-trump", "role": "host"},
        {"actor": "vladimir-putin", "role": "participant"},
    ],
    "topics": ["ukraine-territorial-integrity"],
}


class LocationSchema(Schema):
    class Meta:
        title = "Location"
        description = "Where an event happened."
        example = ALASKA_LOCATION

    name = Text(
        max_length=300,
        allow_none=True,
        metadata={"description": "Place name.", "example": ALASKA_LOCATION["name"]},
    )
    country_code = CountryCode(
        allow_none=True, metadata={"description": "ISO 3166-1 alpha-2.", "example": "US"}
    )
    lat = fields.Float(
        allow_none=True,
        validate=validate.Range(min=-90, max=90),
        metadata={"description": "Latitude in degrees; give it with `lon`.", "example": 61.25},
    )
    lon = fields.Float(
        allow_none=True,
        validate=validate.Range(min=-180, max=180),
        metadata={"description": "Longitude in degrees; give it with `lat`.", "example": -149.8},
    )

    @validates_schema
    def _both_coordinates(self, data: dict[str, Any], **_: Any) -> None:
        if (data.get("lat") is None) != (data.get("lon") is None):
            raise ValidationError(
                "Give both lat and lon, or neither.", "lon" if data.get("lon") is None else "lat"
            )


class ParticipantInputSchema(Schema):
    class Meta:
        title = "ParticipantInput"
        description = "An actor taking part in an event, and its role."
        example = {"actor": "vladimir-putin", "role": "participant"}

    actor = Reference("actor", required=True, metadata={"example": "vladimir-putin"})
    role = fields.Enum(
        ParticipantRole, by_value=True, required=True, metadata={"description": "Its part in the event."}
    )


class ParticipantSchema(Schema):
    class Meta:
        title = "Participant"
        description = "An actor taking part in an event, and its role."
        example = PUTIN_PARTICIPANT

    actor = fields.Nested(ActorRefSchema, required=True)
    role = fields.Enum(
        ParticipantRole,
        by_value=True,
        required=True,
        metadata={
            "description": "What part the actor played: host, participant, initiator, target or mediator."
        },
    )


class EventCreateSchema(Schema):
    class Meta:
        title = "EventCreate"
        description = "An event to record. References are ids or slugs; `parent` is an event id."
        example = EVENT_CREATE_EXAMPLE

    title = Text(
        max_length=300,
        required=True,
        metadata={"description": "What happened.", "example": EVENT_CREATE_EXAMPLE["title"]},
    )
    kind = fields.Enum(
        EventKind, by_value=True, required=True, metadata={"description": "What sort of event."}
    )
    description = Text(
        max_length=10000, min_length=0, allow_none=True, metadata={"description": "More detail."}
    )
    start = WorldDate(
        required=True,
        attribute="start_at",
        metadata={"description": "When it began: a date or an RFC 3339 date-time.", "example": "2025-08-15"},
    )
    start_precision = fields.Enum(
        Precision,
        by_value=True,
        metadata={"description": "How precisely `start` is known (inferred when not given)."},
    )
    end = WorldDate(
        allow_none=True,
        attribute="end_at",
        metadata={"description": "When it ended, if it spanned time; not before `start`.", "example": None},
    )
    end_precision = fields.Enum(
        Precision, by_value=True, allow_none=True, metadata={"description": "How precisely `end` is known."}
    )
    location = fields.Nested(LocationSchema, allow_none=True, metadata={"description": "Where it happened."})
    participants = fields.List(
        fields.Nested(ParticipantInputSchema),
        validate=validate.Length(max=100),
        metadata={"description": "Actors and their roles; each actor once."},
    )
    topics = fields.List(
        Reference("topic"),
        validate=validate.Length(max=50),
        metadata={
            "description": "Topics it bears on: ids or slugs.",
            "example": ["ukraine-territorial-integrity"],
        },
    )
    sources = fields.List(
        fields.Nested(SourceSchema),
        validate=validate.Length(max=50),
        metadata={"description": "Where it was reported."},
    )
    parent = fields.UUID(allow_none=True, metadata={"description": "Id of the event this one is part of."})

    @validates("participants")
    def _each_actor_once(self, participants: list[dict[str, Any]], **_: Any) -> None:
        seen: set[str | None] = set()
        for index, participant in enumerate(participants):
            actor = participant.get("actor")  # absent when the item failed its own validation
            if actor is not None and actor in seen:
                raise ValidationError(
                    {str(index): {"actor": ["This actor already takes part in the event."]}}
                )
            seen.add(actor)


class EventSchema(Schema):
    class Meta:
        title = "Event"
        description = "A summit, meeting, speech, attack, agreement... with dates, place and participants."
        example = EVENT_EXAMPLE

    id = fields.UUID(required=True, metadata={"description": "Server-made identifier."})
    title = fields.String(required=True, metadata={"description": "What happened, in a few words."})
    kind = fields.Enum(
        EventKind,
        by_value=True,
        required=True,
        metadata={"description": "What sort of event: summit, meeting, speech, attack, agreement ..."},
    )
    description = fields.String(
        required=True, allow_none=True, metadata={"description": "More about it; null if none."}
    )
    start = WorldDate(
        required=True,
        attribute="start_at",
        metadata={"description": "Start of the period it began in (UTC)."},
    )
    start_precision = fields.Enum(
        Precision,
        by_value=True,
        required=True,
        metadata={"description": "How precisely `start` is known: year, month, day or minute."},
    )
    end = WorldDate(
        required=True,
        allow_none=True,
        attribute="end_at",
        metadata={"description": "Start of the period it ended in (UTC)."},
    )
    end_precision = fields.Enum(
        Precision,
        by_value=True,
        required=True,
        allow_none=True,
        metadata={"description": "How precisely `end` is known; null when there is no end."},
    )
    location = fields.Nested(
        LocationSchema,
        required=True,
        allow_none=True,
        metadata={"description": "Where it happened; null if not recorded."},
    )
    participants = fields.List(
        fields.Nested(ParticipantSchema),
        required=True,
        metadata={"description": "The actors that took part, each in a role."},
    )
    topics = fields.List(
        fields.Nested(TopicRefSchema), required=True, metadata={"description": "The topics it bears on."}
    )
    sources = fields.List(
        fields.Nested(SourceSchema), required=True, metadata={"description": "Where it was reported."}
    )
    parent = fields.Nested(
        EventRefSchema,
        required=True,
        allow_none=True,
        metadata={"description": "The larger event it is part of; null if none."},
    )
    created_at = fields.DateTime(required=True, metadata={"description": "When recorded (UTC)."})
    updated_at = fields.DateTime(required=True, metadata={"description": "When last changed (UTC)."})


class EventQuerySchema(PageQuerySchema):
    kind = fields.Enum(EventKind, by_value=True, metadata={"description": "Only events of this kind."})
    participant = Reference(
        "actor", metadata={"description": "Only events this actor took part in (id or slug)."}
    )
    topic = Reference("topic", metadata={"description": "Only events tagged with this topic."})
    country_code = CountryCode(metadata={"description": "Only events located in this country."})
    since = WorldDate(
        metadata={
            "description": "Only events still going on at or after this date or instant.",
            "example": "2025-08-01",
        }
    )
    until = WorldDate(
        metadata={
            "description": "Only events begun by the end of this date, or by this instant.",
            "example": "2025-09-30",
        }
    )
    q = SearchQuery(
        metadata={
            "description": "Words to find in the title or description (full text, stemmed).",
            "example": "summit",
        }
    )
    sort = fields.String(
        validate=validate.OneOf(["start", "-start", "relevance"]),
        metadata={
            "description": "`-start` (latest first), `start`, or `relevance` (best match first, with `q` "
            "only). Default: `relevance` with `q`, else `-start`."
        },
    )

    @validates_schema
    def _since_not_after_until(self, data: dict[str, Any], **_: Any) -> None:
        validate_range(data.get("since"), data.get("until"))
