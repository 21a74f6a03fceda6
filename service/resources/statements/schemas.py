from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from service.fast.answers import ACTOR_REF, AS_TEXT, EVENT_REF, TOPIC_REF, HandWrittenDump, Writing, writes
from service.references.embedded import ActorRefSchema, EventRefSchema, TopicRefSchema
from service.resources.statements.models import StatementKind
from service.values.dates import Precision, WorldDate, validate_range
from service.values.fields import HttpUrl, Reference, SearchQuery, Text
from service.values.objects import optional_object
from service.web.pages import PageQuerySchema

BCP47_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"

POST_2025_09_23 = (
    "I think Ukraine, with the support of the European Union, is in a position to fight and WIN "
    "all of Ukraine back in its original form…. Ukraine would be able to take back their Country "
    "in its original form and, who knows, maybe even go further than that!"
)
SOURCE_EXAMPLE = {
    "url": "https://pic.twitter.com/8eUCfuiYFr",
    "title": "Post by Acyn quoting Donald Trump",
    "publisher": "X",
    "author": "Acyn (@Acyn)",
    "published_at": "2025-09-23T00:00:00+00:00",
}
STATEMENT_EXAMPLE = {
    "id": "c001e3c7-65b0-5d8f-b0fb-be4b9c01790b",
    "actor": ActorRefSchema.Meta.example,
    "text": POST_2025_09_23,
    "kind": "post",
    "said_at": "2025-09-23T00:00:00+00:00",
    "said_at_precision": "day",
    "language": "en",
    "source": SOURCE_EXAMPLE,
    "reposted_from": None,
    "event": None,
    "positions": [{"topic": TopicRefSchema.Meta.example, "value": 0.9, "confidence": 0.9}],
    "mentions": [
        {"id": "da22ac2c-ef25-5357-8b68-7c6b9d835caf", "slug": "ukraine", "name": "Ukraine"},
        {"id": "af571c25-23dc-5074-b88b-58bf417a5bee", "slug": "european-union", "name": "European Union"},
    ],
    "article": None,
    "created_at": "2025-09-24T08:00:00+00:00",
    "updated_at": "2025-09-24T08:00:00+00:00",
}
STATEMENT_CREATE_EXAMPLE = {
    "actor": "donald-trump",
    "text": POST_2025_09_23,
    "kind": "post",
    "said_at": "2025-09-23",
    "language": "en",
    "source": SOURCE_EXAMPLE,
    "positions": [{"topic": "ukraine-territorial-integrity", "value": 0.9, "confidence": 0.9}],
    "mentions": ["ukraine", "european-union"],
}


class SourceSchema(Schema):
    class Meta:
        title = "Source"
        description = "Where a statement or event was published or reported."
        example = SOURCE_EXAMPLE

    url = HttpUrl(
        allow_none=True, metadata={"description": "Address of the source.", "example": SOURCE_EXAMPLE["url"]}
    )
    title = Text(
        max_length=500,
        allow_none=True,
        metadata={"description": "Title.", "example": SOURCE_EXAMPLE["title"]},
    )
    publisher = Text(
        max_length=200, allow_none=True, metadata={"description": "Outlet or platform.", "example": "X"}
    )
    author = Text(
        max_length=200,
        allow_none=True,
        metadata={"description": "Who wrote or posted it.", "example": "Acyn (@Acyn)"},
    )
    published_at = WorldDate(
        allow_none=True,
        metadata={"description": "When it was published.", "example": SOURCE_EXAMPLE["published_at"]},
    )


class RepostedFromSchema(Schema):
    class Meta:
        title = "RepostedFrom"
        description = "For a repost: whose post it passes on."
        example = {
            "name": "Jürgen Nauditt",
            "handle": "@jurgen_nauditt",
            "url": "https://x.com/jurgen_nauditt",
        }

    name = Text(
        max_length=200,
        allow_none=True,
        metadata={"description": "Original author.", "example": "Jürgen Nauditt"},
    )
    handle = fields.String(
        allow_none=True,
        validate=validate.Regexp(r"^@?[A-Za-z0-9_.]{1,99}$", error="A handle such as @name."),
        metadata={"description": "Original author's handle.", "example": "@jurgen_nauditt"},
    )
    url = HttpUrl(
        allow_none=True, metadata={"description": "Original post.", "example": "https://x.com/jurgen_nauditt"}
    )


class PositionInputSchema(Schema):
    class Meta:
        title = "PositionInput"
        description = "The position a statement takes on one topic."
        example = {"topic": "ukraine-territorial-integrity", "value": 0.9, "confidence": 0.9}

    topic = Reference("topic", required=True, metadata={"example": "ukraine-territorial-integrity"})
    value = fields.Float(
        required=True,
        validate=validate.Range(min=-1, max=1, error="Must be between -1 and 1."),
        metadata={"description": "-1 is the topic's negative pole, +1 its positive pole.", "example": 0.9},
    )
    confidence = fields.Float(
        load_default=1.0,
        validate=validate.Range(min=0, max=1, error="Must be between 0 and 1."),
        metadata={"description": "How sure the recorder is of the value (default 1).", "example": 0.9},
    )


class PositionSchema(Schema):
    class Meta:
        title = "Position"
        description = "The position a statement takes on one topic."
        example = {"topic": TopicRefSchema.Meta.example, "value": 0.9, "confidence": 0.9}

    topic = fields.Nested(TopicRefSchema, required=True)
    value = fields.Float(
        required=True, metadata={"description": "From -1 (negative pole) to +1 (positive pole)."}
    )
    confidence = fields.Float(required=True, metadata={"description": "From 0 to 1."})


DUPLICATE_TOPIC = "This topic already has a position."


def _unique_topics(positions: list[dict[str, Any]]) -> None:
    seen: set[str | None] = set()
    for index, position in enumerate(positions):
        topic = position.get("topic")  # absent when the item failed its own validation
        if topic is not None and topic in seen:
            raise ValidationError({str(index): {"topic": [DUPLICATE_TOPIC]}})
        seen.add(topic)


class StatementCreateSchema(Schema):
    class Meta:
        title = "StatementCreate"
        description = "A statement to record. References are ids or slugs."
        example = STATEMENT_CREATE_EXAMPLE

    actor = Reference(
        "actor",
        required=True,
        metadata={"description": "Who said it: id or slug.", "example": "donald-trump"},
    )
    text = Text(
        max_length=20000,
        required=True,
        metadata={"description": "What was said, verbatim.", "example": POST_2025_09_23},
    )
    kind = fields.Enum(
        StatementKind, by_value=True, required=True, metadata={"description": "How it was said."}
    )
    said_at = WorldDate(
        required=True,
        metadata={
            "description": "When: a date or an RFC 3339 date-time. Stored as the start of the "
            "period its precision names.",
            "example": "2025-09-23",
        },
    )
    said_at_precision = fields.Enum(
        Precision,
        by_value=True,
        metadata={
            "description": "How precisely `said_at` is known; `day` for a date and `minute` "
            "for a date-time when not given."
        },
    )
    language = fields.String(
        allow_none=True,
        validate=[validate.Length(max=35), validate.Regexp(BCP47_PATTERN, error="A BCP 47 language tag.")],
        metadata={"description": "BCP 47 language tag of the text.", "example": "en"},
    )
    source = fields.Nested(SourceSchema, allow_none=True, metadata={"description": "Where it was published."})
    reposted_from = fields.Nested(
        RepostedFromSchema, allow_none=True, metadata={"description": "For reposts."}
    )
    event = fields.UUID(allow_none=True, metadata={"description": "Id of the event it was said at."})
    positions = fields.List(
        fields.Nested(PositionInputSchema),
        validate=validate.Length(max=50),
        metadata={"description": "Positions on topics, one per topic."},
    )
    mentions = fields.List(
        Reference("actor"),
        validate=validate.Length(max=100),
        metadata={"description": "Actors it names: ids or slugs.", "example": ["ukraine", "european-union"]},
    )

    @validates("positions")
    def _one_position_per_topic(self, positions: list[dict[str, Any]], **_: Any) -> None:
        _unique_topics(positions)


class ArticleSpanSchema(Schema):
    class Meta:
        title = "ArticleSpan"
        description = "Where a statement's words stand in the article it came from."
        example = {"id": "6f1e9c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b", "span_start": 2032, "span_end": 2144}

    id = fields.UUID(required=True, metadata={"description": "The article's id."})
    span_start = fields.Integer(required=True, metadata={"description": "Offset of the first character."})
    span_end = fields.Integer(
        required=True, metadata={"description": "Offset just after the last character."}
    )


class StatementSchema(HandWrittenDump):
    class Meta:
        title = "Statement"
        description = "What an actor said or posted, verbatim, and the positions it takes."
        example = STATEMENT_EXAMPLE

    id = fields.UUID(required=True, metadata={"description": "Server-made identifier."})
    actor = fields.Nested(ActorRefSchema, required=True, metadata={"description": "Who said it."})
    text = fields.String(required=True, metadata={"description": "What was said, verbatim."})
    kind = fields.Enum(
        StatementKind,
        by_value=True,
        required=True,
        metadata={
            "description": "How it was said: quote, paraphrase, post, repost, speech, interview or document."
        },
    )
    said_at = WorldDate(required=True, metadata={"description": "Start of the period it was said in (UTC)."})
    said_at_precision = fields.Enum(
        Precision,
        by_value=True,
        required=True,
        metadata={"description": "How precisely `said_at` is known: year, month, day or minute."},
    )
    language = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "BCP 47 language tag of the text; null if not recorded."},
    )
    source = fields.Nested(
        SourceSchema,
        required=True,
        allow_none=True,
        metadata={"description": "Where it was published; null if not recorded."},
    )
    reposted_from = fields.Nested(
        RepostedFromSchema,
        required=True,
        allow_none=True,
        metadata={"description": "For a repost, whose post it was; null otherwise."},
    )
    event = fields.Nested(
        EventRefSchema,
        required=True,
        allow_none=True,
        metadata={"description": "The event it was said at; null if none."},
    )
    positions = fields.List(
        fields.Nested(PositionSchema),
        required=True,
        metadata={"description": "The positions it takes, one per topic."},
    )
    mentions = fields.List(
        fields.Nested(ActorRefSchema), required=True, metadata={"description": "The actors it names."}
    )
    article = fields.Nested(
        ArticleSpanSchema,
        required=True,
        allow_none=True,
        metadata={"description": "The article it was accepted from, and where its words stand there."},
    )
    created_at = fields.DateTime(required=True, metadata={"description": "When recorded (UTC)."})
    updated_at = fields.DateTime(required=True, metadata={"description": "When last changed (UTC)."})


@writes(StatementSchema)
def write_statement(statement: Any, writing: Writing = AS_TEXT) -> dict[str, Any]:
    """What StatementSchema dumps of an ORM record (its references loaded)."""
    return represent_statement(
        statement,
        ACTOR_REF(statement.actor, writing),
        None if statement.event is None else EVENT_REF(statement.event, writing),
        [write_position(position, writing) for position in statement.positions],
        [ACTOR_REF(actor, writing) for actor in statement.mentions],
        writing,
    )


@writes(PositionSchema)
def write_position(position: Any, writing: Writing = AS_TEXT) -> dict[str, Any]:
    """What PositionSchema dumps of an ORM record."""
    return represent_position(TOPIC_REF(position.topic, writing), position.value, position.confidence)


def represent_position(topic: dict[str, Any], value: float, confidence: float) -> dict[str, Any]:
    """What PositionSchema dumps, its topic already written."""
    return {"topic": topic, "value": float(value), "confidence": float(confidence)}


def represent_statement(
    statement: Any,
    actor: dict[str, Any],
    event: dict[str, Any] | None,
    positions: list[dict[str, Any]],
    mentions: list[dict[str, Any]],
    writing: Writing = AS_TEXT,
) -> dict[str, Any]:
    """What StatementSchema dumps, from a statement's columns (as attributes of an ORM record or
    a row) and its references, already written."""
    return {
        "id": writing.uuid(statement.id),
        "actor": actor,
        "text": statement.text,
        "kind": statement.kind.value,
        "said_at": writing.instant(statement.said_at),
        "said_at_precision": statement.said_at_precision.value,
        "language": statement.language,
        "source": _represent_source(statement, writing),
        "reposted_from": optional_object(
            {
                "name": statement.reposted_from_name,
                "handle": statement.reposted_from_handle,
                "url": statement.reposted_from_url,
            }
        ),
        "event": event,
        "positions": positions,
        "mentions": mentions,
        "article": _represent_article(statement, writing),
        "created_at": writing.instant(statement.created_at),
        "updated_at": writing.instant(statement.updated_at),
    }


def _represent_source(statement: Any, writing: Writing) -> dict[str, Any] | None:
    source = optional_object(
        {
            "url": statement.source_url,
            "title": statement.source_title,
            "publisher": statement.source_publisher,
            "author": statement.source_author,
            "published_at": statement.source_published_at,
        }
    )
    if source is not None and source["published_at"] is not None:
        source["published_at"] = writing.instant(source["published_at"])
    return source


def _represent_article(statement: Any, writing: Writing) -> dict[str, Any] | None:
    if statement.article_id is None:
        return None
    return {
        "id": writing.uuid(statement.article_id),
        "span_start": statement.article_span_start,
        "span_end": statement.article_span_end,
    }


class StatementQuerySchema(PageQuerySchema):
    actor = Reference("actor", metadata={"description": "Only statements by this actor (id or slug)."})
    topic = Reference("topic", metadata={"description": "Only statements with a position on this topic."})
    event = fields.UUID(metadata={"description": "Only statements said at this event."})
    kind = fields.Enum(
        StatementKind, by_value=True, metadata={"description": "Only statements of this kind."}
    )
    mentions = Reference("actor", metadata={"description": "Only statements that mention this actor."})
    since = WorldDate(
        metadata={"description": "Said at or after this date or instant.", "example": "2025-08-01"}
    )
    until = WorldDate(
        metadata={
            "description": "Said before the end of this date, or at or before this instant.",
            "example": "2025-09-30",
        }
    )
    q = SearchQuery(
        metadata={
            "description": "Words to find in the text or the source's title (full text, stemmed: "
            '"strikes" finds "strike"; "a phrase", -word and or work on PostgreSQL).',
            "example": "territory",
        }
    )
    sort = fields.String(
        validate=validate.OneOf(["said_at", "-said_at", "relevance"]),
        metadata={
            "description": "`-said_at` (newest first), `said_at`, or `relevance` (best match first, "
            "with `q` only). Default: `relevance` with `q`, else `-said_at`."
        },
    )

    @validates_schema
    def _since_not_after_until(self, data: dict[str, Any], **_: Any) -> None:
        validate_range(data.get("since"), data.get("until"))
