"""Articles and drafts; the examples are the seed article of 2025-09-24 and what it yields."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates

from service.references.embedded import ActorRefSchema
from service.resources.articles.models import DraftStatus
from service.resources.statements.models import StatementKind
from service.resources.statements.schemas import BCP47_PATTERN, PositionInputSchema
from service.values.dates import Precision, WorldDate
from service.values.examples import seed_id_text
from service.values.fields import HttpUrl, Reference, Text
from service.web.pages import PageQuerySchema

SEED_ARTICLE = (Path(__file__).resolve().parents[2] / "demo" / "seed_article.txt").read_text(encoding="utf-8")
MAX_TEXT = 200_000
ARTICLE_ID = "6f1e9c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b"
DRAFT_ID = "0b8f3c1e-7a2d-4c59-9e61-2f4d8a7b6c5e"
REPOST = (
    "Ukraine must be prepared to lose territory to russia. Otherwise, the longer the war lasts, "
    "the more land it will lose"
)
REPOST_START = SEED_ARTICLE.index(REPOST)
TRUMP = ActorRefSchema.Meta.example
JURGEN = {"id": seed_id_text("actors", "jurgen-nauditt"), "slug": "jurgen-nauditt", "name": "Jürgen Nauditt"}

ARTICLE_CREATE_EXAMPLE = {
    "url": "https://example.com/2025/09/24/trump-ukraine-pivot",
    "title": "Trump's sharp pivot on the Russia-Ukraine war",
    "publisher": "Example News",
    "author": None,
    "published_at": "2025-09-24",
    "language": "en",
    "text": SEED_ARTICLE,
}
DRAFT_EXAMPLE = {
    "id": DRAFT_ID,
    "article_id": ARTICLE_ID,
    "status": "pending",
    "rule": "quote-then-speaker",
    "confidence": 0.85,
    "span_start": REPOST_START,
    "span_end": REPOST_START + len(REPOST),
    "text": REPOST,
    "kind": "repost",
    "speaker": TRUMP,
    "proposed_speaker": None,
    "relayed_by": JURGEN,
    "proposed_relayed_by": None,
    "said_at": "2025-08-17T00:00:00+00:00",
    "said_at_precision": "day",
    "source_url": "https://pic.twitter.com/eo1hNrVmD8",
    "event": None,
    "positions": [],
    "mentions": [seed_id_text("actors", "ukraine"), seed_id_text("actors", "russia")],
    "statement_id": None,
    "rejection_reason": None,
    "created_at": "2025-09-24T08:00:00+00:00",
    "updated_at": "2025-09-24T08:00:00+00:00",
}
ARTICLE_FIELDS_EXAMPLE = {
    "id": ARTICLE_ID,
    **{name: value for name, value in ARTICLE_CREATE_EXAMPLE.items() if name != "text"},
    "published_at": "2025-09-24T00:00:00+00:00",
    "created_at": "2025-09-24T08:00:00+00:00",
    "updated_at": "2025-09-24T08:00:00+00:00",
}


class ArticleCreateSchema(Schema):
    class Meta:
        title = "ArticleCreate"
        description = "A news article to keep as a source and to find draft statements in."
        example = ARTICLE_CREATE_EXAMPLE

    url = HttpUrl(allow_none=True, metadata={"description": "Where it was published."})
    title = Text(max_length=500, required=True, metadata={"description": "Its headline."})
    publisher = Text(max_length=200, allow_none=True, metadata={"description": "Who published it."})
    author = Text(max_length=200, allow_none=True, metadata={"description": "Who wrote it."})
    published_at = WorldDate(allow_none=True, metadata={"description": "When it was published."})
    language = fields.String(
        allow_none=True,
        validate=[validate.Length(max=35), validate.Regexp(BCP47_PATTERN, error="A BCP 47 language tag.")],
        metadata={"description": "BCP 47 language tag.", "example": "en"},
    )
    text = Text(
        max_length=MAX_TEXT,
        required=True,
        metadata={"description": f"The article's text, kept exactly as sent (up to {MAX_TEXT} characters)."},
    )

    @validates("text")
    def _has_words(self, text: str, **_: Any) -> None:
        if not text.strip():
            raise ValidationError("The text is empty.")


class DraftPositionSchema(Schema):
    class Meta:
        title = "DraftPosition"
        description = "A position the statement will take, once accepted."
        example = {
            "topic": seed_id_text("topics", "ukraine-territorial-integrity"),
            "value": -0.8,
            "confidence": 0.8,
        }

    topic = fields.UUID(required=True, metadata={"description": "The topic's id."})
    value = fields.Float(required=True, metadata={"description": "-1 to +1 between the topic's poles."})
    confidence = fields.Float(required=True, metadata={"description": "0 to 1."})


class NamedSchema(Schema):
    class Meta:
        title = "NamedInText"
        description = "Someone as the article names them, when no actor matches yet."
        example = {"name": "Jake Broe", "handle": "@RealJakeBroe"}

    name = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "The name in the text, without titles; null for an unnamed source."},
    )
    handle = fields.String(required=True, allow_none=True, metadata={"description": "The handle, if any."})
    kind = fields.String(
        allow_none=True,
        metadata={
            "description": "person, organization or group, when the text says which (an actor's kind "
            "for the first two).",
            "example": "person",
        },
    )
    description = fields.String(
        allow_none=True,
        metadata={
            "description": "For an unnamed source (name null): how the text refers to them.",
            "example": "a senior Number 10 source",
        },
    )


class DraftSchema(Schema):
    class Meta:
        title = "Draft"
        description = (
            "A statement proposed from a span of an article: `text` is always the article's own "
            "words between `span_start` and `span_end`."
        )
        example = DRAFT_EXAMPLE

    id = fields.UUID(required=True, metadata={"description": "The draft's id."})
    article_id = fields.UUID(required=True, metadata={"description": "The article it was found in."})
    status = fields.Enum(DraftStatus, by_value=True, required=True, metadata={"description": "Review state."})
    rule = fields.String(
        required=True,
        metadata={
            "description": "The rule that found it: embedded-post, relayed-colon, quote-then-speaker, "
            "speaker-then-quote, quote-continued, speaker-colon, quoted-phrase-near-speaker or "
            "reported-speech (indirect speech, of kind paraphrase)."
        },
    )
    confidence = fields.Float(required=True, metadata={"description": "How sure the rule is, 0 to 1."})
    span_start = fields.Integer(required=True, metadata={"description": "Offset of the first character."})
    span_end = fields.Integer(
        required=True, metadata={"description": "Offset just after the last character."}
    )
    text = fields.String(required=True, metadata={"description": "The article's words at the span."})
    kind = fields.Enum(
        StatementKind, by_value=True, required=True, metadata={"description": "How it was said."}
    )
    speaker = fields.Nested(
        ActorRefSchema,
        required=True,
        allow_none=True,
        metadata={"description": "Who said it; null if unknown."},
    )
    proposed_speaker = fields.Nested(
        NamedSchema,
        required=True,
        allow_none=True,
        metadata={
            "description": "Who the text names when no actor matches: make the actor, then set `speaker`."
        },
    )
    relayed_by = fields.Nested(
        ActorRefSchema,
        required=True,
        allow_none=True,
        metadata={"description": "Whose post carried the words, for words relayed by someone else."},
    )
    proposed_relayed_by = fields.Nested(
        NamedSchema,
        required=True,
        allow_none=True,
        metadata={
            "description": "Whose post carried the words, as the text names them, when no actor matches."
        },
    )
    said_at = WorldDate(required=True, allow_none=True, metadata={"description": "When it was said."})
    said_at_precision = fields.Enum(
        Precision,
        by_value=True,
        required=True,
        allow_none=True,
        metadata={"description": "How precisely `said_at` is known; null when `said_at` is."},
    )
    source_url = fields.String(
        required=True, allow_none=True, metadata={"description": "The post's own link."}
    )
    event = fields.UUID(
        required=True, allow_none=True, attribute="event_id", metadata={"description": "Event id."}
    )
    positions = fields.List(
        fields.Nested(DraftPositionSchema),
        required=True,
        metadata={"description": "Positions the statement will take (topic ids)."},
    )
    mentions = fields.List(
        fields.UUID(), required=True, metadata={"description": "Ids of the actors it names."}
    )
    statement_id = fields.UUID(
        required=True, allow_none=True, metadata={"description": "The statement made when it was accepted."}
    )
    rejection_reason = fields.String(
        required=True, allow_none=True, metadata={"description": "Why it was rejected; null unless rejected."}
    )
    created_at = fields.DateTime(required=True, metadata={"description": "When it was found (UTC)."})
    updated_at = fields.DateTime(required=True, metadata={"description": "When last changed (UTC)."})


class ArticleSummarySchema(Schema):
    class Meta:
        title = "ArticleSummary"
        description = "An article without its text and drafts, for lists."
        example = {**ARTICLE_FIELDS_EXAMPLE, "draft_count": 7}

    id = fields.UUID(required=True, metadata={"description": "The article's id."})
    url = fields.String(
        required=True, allow_none=True, metadata={"description": "Where it was published; null if not given."}
    )
    title = fields.String(required=True, metadata={"description": "Its headline."})
    publisher = fields.String(required=True, allow_none=True, metadata={"description": "Who published it."})
    author = fields.String(required=True, allow_none=True, metadata={"description": "Who wrote it."})
    published_at = fields.DateTime(
        required=True, allow_none=True, metadata={"description": "When it was published (UTC)."}
    )
    language = fields.String(required=True, allow_none=True, metadata={"description": "BCP 47 language tag."})
    draft_count = fields.Function(
        lambda article: len(article.drafts),
        required=True,
        metadata={"type": "integer", "description": "How many drafts were found."},
    )
    created_at = fields.DateTime(required=True, metadata={"description": "When it was ingested (UTC)."})
    updated_at = fields.DateTime(required=True, metadata={"description": "When last changed (UTC)."})


class ArticleSchema(ArticleSummarySchema):
    class Meta:
        title = "Article"
        description = "An article as sent, with the drafts found in it."
        example = {
            **ARTICLE_FIELDS_EXAMPLE,
            "draft_count": 1,
            "text": SEED_ARTICLE,
            "drafts": [DRAFT_EXAMPLE],
        }

    text = fields.String(required=True, metadata={"description": "Exactly as sent."})
    drafts = fields.List(
        fields.Nested(DraftSchema),
        required=True,
        metadata={"description": "The drafts found in the text, in text order."},
    )


class ArticleQuerySchema(PageQuerySchema):
    publisher = Text(max_length=200, metadata={"description": "Only articles by this publisher."})


class DraftQuerySchema(PageQuerySchema):
    status = fields.Enum(DraftStatus, by_value=True, metadata={"description": "Only drafts in this state."})


class DraftPatchSchema(Schema):
    class Meta:
        title = "DraftPatch"
        description = "Corrections to a pending draft; only the fields sent change."
        example = {
            "said_at": "2025-09-23",
            "event": seed_id_text("events", "unga-80-general-debate"),
            "mentions": ["russia"],
        }

    speaker = Reference("actor", allow_none=True, metadata={"description": "Who said it: id or slug."})
    relayed_by = Reference("actor", allow_none=True, metadata={"description": "Whose post carried it."})
    span_start = fields.Integer(validate=validate.Range(min=0), metadata={"description": "New start offset."})
    span_end = fields.Integer(validate=validate.Range(min=1), metadata={"description": "New end offset."})
    kind = fields.Enum(StatementKind, by_value=True, metadata={"description": "How it was said."})
    said_at = WorldDate(allow_none=True, metadata={"description": "When it was said."})
    said_at_precision = fields.Enum(
        Precision, by_value=True, metadata={"description": "Precision of `said_at`."}
    )
    source_url = HttpUrl(allow_none=True, metadata={"description": "The post's own link."})
    event = fields.UUID(allow_none=True, metadata={"description": "Id of the event it was said at."})
    positions = fields.List(
        fields.Nested(PositionInputSchema),
        validate=validate.Length(max=50),
        metadata={"description": "Positions the statement will take (replaces the list)."},
    )
    mentions = fields.List(
        Reference("actor"),
        validate=validate.Length(max=100),
        metadata={"description": "Actors it names (replaces the list)."},
    )


class RejectionSchema(Schema):
    class Meta:
        title = "DraftRejection"
        description = "Why a draft does not become a statement."
        example = {"reason": "Not a statement: the author's own commentary."}

    reason = Text(max_length=1000, required=True, metadata={"description": "Why it is rejected."})
