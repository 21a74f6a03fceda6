from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validates_schema

from service.references.embedded import ActorRefSchema
from service.resources.relations.models import RelationKind
from service.resources.statements.schemas import SourceSchema
from service.values.fields import Reference
from service.web.pages import PageQuerySchema

RELATION_EXAMPLE = {
    "id": "779bc2ad-a33e-5336-9c30-32828eb308ed",
    "subject": ActorRefSchema.Meta.example,
    "object": {
        "id": "d621f634-b11a-5447-8ebb-062d64f889cc",
        "slug": "united-states",
        "name": "United States",
    },
    "kind": "leader_of",
    "valid_from": "2025-01-20",
    "valid_until": None,
    "source": None,
    "created_at": "2025-09-24T08:00:00+00:00",
    "updated_at": "2025-09-24T08:00:00+00:00",
}
RELATION_CREATE_EXAMPLE = {
    "subject": "donald-trump",
    "object": "united-states",
    "kind": "leader_of",
    "valid_from": "2025-01-20",
}


class RelationCreateSchema(Schema):
    class Meta:
        title = "RelationCreate"
        description = "`subject` is `kind` of `object` (Trump leader_of United States) while valid."
        example = RELATION_CREATE_EXAMPLE

    subject = Reference("actor", required=True, metadata={"example": "donald-trump"})
    object = Reference("actor", required=True, metadata={"example": "united-states"})
    kind = fields.Enum(
        RelationKind,
        by_value=True,
        required=True,
        metadata={"description": "`ally`, `adversary` and `negotiates_with` read the same both ways."},
    )
    valid_from = fields.Date(
        allow_none=True,
        metadata={"description": "First day it holds; open when null.", "example": "2025-01-20"},
    )
    valid_until = fields.Date(
        allow_none=True, metadata={"description": "Last day it holds; open when null.", "example": None}
    )
    source = fields.Nested(SourceSchema, allow_none=True, metadata={"description": "Where it is stated."})

    @validates_schema
    def _valid_range(self, data: dict[str, Any], **_: Any) -> None:
        valid_from, valid_until = data.get("valid_from"), data.get("valid_until")
        if valid_from and valid_until and valid_until < valid_from:
            raise ValidationError("Must not be before valid_from.", "valid_until")


class RelationSchema(Schema):
    class Meta:
        title = "Relation"
        description = "A relation between two actors over a span of time."
        example = RELATION_EXAMPLE

    id = fields.UUID(required=True, metadata={"description": "Server-made identifier."})
    subject = fields.Nested(ActorRefSchema, required=True)
    object = fields.Nested(ActorRefSchema, required=True)
    kind = fields.Enum(
        RelationKind,
        by_value=True,
        required=True,
        metadata={
            "description": "The relation: ally, adversary, member_of, leader_of, part_of or negotiates_with."
        },
    )
    valid_from = fields.Date(
        required=True, allow_none=True, metadata={"description": "First day it holds; null when open."}
    )
    valid_until = fields.Date(
        required=True, allow_none=True, metadata={"description": "Last day it holds; null when open."}
    )
    source = fields.Nested(
        SourceSchema,
        required=True,
        allow_none=True,
        metadata={"description": "Where the relation is stated; null if not recorded."},
    )
    created_at = fields.DateTime(required=True, metadata={"description": "When recorded (UTC)."})
    updated_at = fields.DateTime(required=True, metadata={"description": "When last changed (UTC)."})


class RelationQuerySchema(PageQuerySchema):
    actor = Reference(
        "actor", metadata={"description": "Relations in which this actor is subject or object."}
    )
    subject = Reference("actor", metadata={"description": "Relations with this subject."})
    object = Reference("actor", metadata={"description": "Relations with this object."})
    kind = fields.Enum(RelationKind, by_value=True, metadata={"description": "Only relations of this kind."})
    at = fields.Date(
        metadata={"description": "Only relations that hold on this day.", "example": "2025-09-01"}
    )
