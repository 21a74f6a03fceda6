from __future__ import annotations

from marshmallow import Schema, fields, validate

from service.resources.actors.models import ActorKind
from service.values.fields import CountryCode, HttpUrl, Slug, Text
from service.web.pages import PageQuerySchema, SortField

TRUMP_EXAMPLE = {
    "id": "c49c0b59-4abf-5a83-9d8d-1bfafeca738d",
    "slug": "donald-trump",
    "name": "Donald Trump",
    "kind": "person",
    "aliases": ["Trump", "@realDonaldTrump"],
    "description": "45th and 47th President of the United States.",
    "country_code": "US",
    "wikidata_id": "Q22686",
    "links": ["https://truthsocial.com/@realDonaldTrump"],
    "created_at": "2025-09-24T08:00:00+00:00",
    "updated_at": "2025-09-24T08:00:00+00:00",
}


class ActorSchema(Schema):
    class Meta:
        title = "Actor"
        description = "A person, state, organisation, group or medium whose words are tracked."
        example = TRUMP_EXAMPLE

    id = fields.UUID(
        dump_only=True,
        metadata={"description": "Server-made identifier.", "example": TRUMP_EXAMPLE["id"]},
    )
    slug = Slug(
        metadata={
            "description": "Unique URL-safe name; made from `name` (accents folded) when not "
            "given. Paths accept it in place of the id.",
            "example": "donald-trump",
        }
    )
    name = Text(
        max_length=200,
        required=True,
        metadata={"description": "Display name.", "example": "Donald Trump"},
    )
    kind = fields.Enum(
        ActorKind,
        by_value=True,
        required=True,
        metadata={"description": "What sort of actor this is.", "example": "person"},
    )
    aliases = fields.List(
        Text(max_length=200),
        validate=validate.Length(max=50),
        metadata={
            "description": "Other names and handles it is known by (searched by `q`).",
            "example": ["Trump", "@realDonaldTrump"],
        },
    )
    description = Text(
        max_length=5000,
        min_length=0,
        allow_none=True,
        metadata={"description": "Who or what this is.", "example": TRUMP_EXAMPLE["description"]},
    )
    country_code = CountryCode(
        allow_none=True,
        metadata={"description": "ISO 3166-1 alpha-2 country code.", "example": "US"},
    )
    wikidata_id = fields.String(
        allow_none=True,
        validate=validate.Regexp(r"^Q[1-9][0-9]{0,11}$", error="A Wikidata id is Q and digits."),
        metadata={"description": "Wikidata item id.", "example": "Q22686"},
    )
    links = fields.List(
        HttpUrl(),
        validate=validate.Length(max=20),
        metadata={
            "description": "Official pages, profiles.",
            "example": ["https://truthsocial.com/@realDonaldTrump"],
        },
    )
    created_at = fields.DateTime(
        dump_only=True, metadata={"description": "When the record was created (UTC)."}
    )
    updated_at = fields.DateTime(
        dump_only=True, metadata={"description": "When the record last changed (UTC)."}
    )


class ActorQuerySchema(PageQuerySchema):
    sort = SortField()
    kind = fields.Enum(ActorKind, by_value=True, metadata={"description": "Only actors of this kind."})
    country_code = CountryCode(metadata={"description": "Only actors of this country."})
    q = Text(
        max_length=200,
        metadata={
            "description": "Part of the name or an alias; case- and accent-insensitive.",
            "example": "jurgen",
        },
    )
