from __future__ import annotations

from marshmallow import Schema, fields

from service.values.fields import Slug, Text
from service.web.pages import PageQuerySchema, SortField

TERRITORY_EXAMPLE = {
    "id": "fda8cfb4-c48b-5835-bf0e-1c17df828459",
    "slug": "ukraine-territorial-integrity",
    "name": "Ukraine's territorial integrity",
    "description": "Whether Ukraine should recover all the territory Russia occupies.",
    "negative_pole": "Ukraine should cede occupied territory",
    "positive_pole": "Ukraine should regain all its territory",
    "created_at": "2025-09-24T08:00:00+00:00",
    "updated_at": "2025-09-24T08:00:00+00:00",
}


class TopicSchema(Schema):
    class Meta:
        title = "Topic"
        description = "A question on which actors take positions from -1 to +1 between two poles."
        example = TERRITORY_EXAMPLE

    id = fields.UUID(
        dump_only=True,
        metadata={"description": "Server-made identifier.", "example": TERRITORY_EXAMPLE["id"]},
    )
    slug = Slug(
        metadata={
            "description": "Unique URL-safe name; made from `name` when not given. "
            "Paths accept it in place of the id.",
            "example": TERRITORY_EXAMPLE["slug"],
        }
    )
    name = Text(
        max_length=200,
        required=True,
        metadata={"description": "Display name.", "example": TERRITORY_EXAMPLE["name"]},
    )
    description = Text(
        max_length=5000,
        min_length=0,
        allow_none=True,
        metadata={
            "description": "What the topic covers.",
            "example": TERRITORY_EXAMPLE["description"],
        },
    )
    negative_pole = Text(
        max_length=300,
        required=True,
        metadata={
            "description": "What a value of -1 means.",
            "example": TERRITORY_EXAMPLE["negative_pole"],
        },
    )
    positive_pole = Text(
        max_length=300,
        required=True,
        metadata={
            "description": "What a value of +1 means.",
            "example": TERRITORY_EXAMPLE["positive_pole"],
        },
    )
    created_at = fields.DateTime(
        dump_only=True, metadata={"description": "When the record was created (UTC)."}
    )
    updated_at = fields.DateTime(
        dump_only=True, metadata={"description": "When the record last changed (UTC)."}
    )


class TopicQuerySchema(PageQuerySchema):
    sort = SortField()
    q = Text(
        max_length=200,
        metadata={
            "description": "Part of the name; case- and accent-insensitive.",
            "example": "ukraine",
        },
    )
