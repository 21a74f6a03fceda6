"""Answers of the analysis endpoints; examples are the seed story's."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate, validates_schema
from webargs.fields import DelimitedList

from service.fast.answers import ACTOR_REF, AS_TEXT, EVENT_REF, TOPIC_REF, HandWrittenDump, Writing, writes
from service.references.embedded import ActorRefSchema, EventRefSchema, TopicRefSchema
from service.resources.actors.models import ActorKind
from service.resources.events.schemas import EventSchema
from service.resources.statements.schemas import StatementSchema
from service.values.dates import Precision, WorldDate, validate_range
from service.values.examples import seed_id_text
from service.values.fields import Reference
from service.web.pages import PageQuerySchema

TRUMP = ActorRefSchema.Meta.example
ZELENSKY = {
    "id": seed_id_text("actors", "volodymyr-zelensky"),
    "slug": "volodymyr-zelensky",
    "name": "Volodymyr Zelensky",
}
TERRITORY = TopicRefSchema.Meta.example
REPOST_ID = seed_id_text("statements", "trump-repost-2025-08-17")
POST_ID = seed_id_text("statements", "trump-post-2025-09-23")
REPOST_EXCERPT = (
    "Ukraine must be prepared to lose territory to russia. Otherwise, the longer the war lasts, "
    "the more land it will lose"
)
POST_EXCERPT = (
    "I think Ukraine, with the support of the European Union, is in a position to fight and WIN all…"
)


class StatementExcerptSchema(Schema):
    class Meta:
        title = "StatementExcerpt"
        description = "The statement behind a position, in short."
        example = {
            "id": REPOST_ID,
            "kind": "repost",
            "excerpt": REPOST_EXCERPT,
            "said_at": "2025-08-17T00:00:00+00:00",
            "said_at_precision": "day",
            "source_url": "https://pic.twitter.com/eo1hNrVmD8",
        }

    id = fields.UUID(required=True, metadata={"description": "The statement's id."})
    kind = fields.String(required=True, metadata={"description": "How it was said.", "example": "repost"})
    excerpt = fields.Function(
        lambda statement: _excerpt(statement.text),
        required=True,
        metadata={"description": "The text, cut at 200 characters with an ellipsis.", "type": "string"},
    )
    said_at = WorldDate(
        required=True, metadata={"description": "When it was said (start of its period, UTC)."}
    )
    said_at_precision = fields.Enum(
        Precision, by_value=True, required=True, metadata={"description": "How precisely `said_at` is known."}
    )
    source_url = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Where it was published; null if not recorded."},
    )


def _excerpt(text: str, length: int = 200) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


# --- timeline ---


class TimelineQuerySchema(PageQuerySchema):
    since = WorldDate(metadata={"description": "From this date or instant.", "example": "2025-08-01"})
    until = WorldDate(
        metadata={"description": "To the end of this date, or this instant.", "example": "2025-09-30"}
    )
    topic = Reference(
        "topic", metadata={"description": "Only statements with a position on it, and events tagged with it."}
    )
    sort = fields.String(
        load_default="at",
        validate=validate.OneOf(["at", "-at"]),
        metadata={"description": "`at` (oldest first, the default) or `-at`."},
    )

    @validates_schema
    def _since_not_after_until(self, data: dict[str, Any], **_: Any) -> None:
        validate_range(data.get("since"), data.get("until"))


class TimelineItemSchema(Schema):
    class Meta:
        title = "TimelineItem"
        description = "A statement the actor made or an event it took part in; `type` says which is set."
        example = {
            "type": "event",
            "at": "2025-08-15T00:00:00+00:00",
            "precision": "day",
            "statement": None,
            "event": EventSchema.Meta.example,
        }

    type = fields.String(
        required=True,
        validate=validate.OneOf(["statement", "event"]),
        metadata={
            "description": "`statement` or `event`: which of the two fields is set.",
            "example": "event",
        },
    )
    at = WorldDate(required=True, metadata={"description": "When it was said or began."})
    precision = fields.Enum(
        Precision,
        by_value=True,
        required=True,
        metadata={"description": "How precisely `at` is known: year, month, day or minute."},
    )
    statement = fields.Nested(
        StatementSchema,
        required=True,
        allow_none=True,
        metadata={"description": "The statement, when `type` is `statement`."},
    )
    event = fields.Nested(
        EventSchema,
        required=True,
        allow_none=True,
        metadata={"description": "The event, when `type` is `event`."},
    )


# --- positions ---


class PositionsQuerySchema(PageQuerySchema):
    topic = Reference("topic", required=True, metadata={"example": "ukraine-territorial-integrity"})
    since = WorldDate(metadata={"description": "From this date or instant."})
    until = WorldDate(metadata={"description": "To the end of this date, or this instant."})

    @validates_schema
    def _since_not_after_until(self, data: dict[str, Any], **_: Any) -> None:
        validate_range(data.get("since"), data.get("until"))


class PositionPointSchema(Schema):
    class Meta:
        title = "PositionPoint"
        description = "One position on the topic and the statement that takes it."
        example = {
            "value": -0.8,
            "confidence": 0.8,
            "said_at": "2025-08-17T00:00:00+00:00",
            "said_at_precision": "day",
            "statement": StatementExcerptSchema.Meta.example,
        }

    value = fields.Float(required=True, metadata={"description": "-1 (negative pole) to +1 (positive pole)."})
    confidence = fields.Float(
        required=True, metadata={"description": "How sure the recorder was of the value, 0 to 1."}
    )
    said_at = WorldDate(
        required=True, metadata={"description": "When it was said (start of its period, UTC)."}
    )
    said_at_precision = fields.Enum(
        Precision,
        by_value=True,
        attribute="statement.said_at_precision",
        dump_only=True,
        required=True,
        metadata={"description": "How precisely `said_at` is known."},
    )
    statement = fields.Nested(StatementExcerptSchema, required=True)


def min_delta_field(description: str) -> fields.Float:
    return fields.Float(
        load_default=0.5,
        validate=validate.Range(
            min=0, max=2, min_inclusive=False, error="Must be more than 0 and at most 2."
        ),
        metadata={"description": description, "example": 0.5},
    )


def lookback_days_field() -> fields.Integer:
    return fields.Integer(
        load_default=7,
        validate=validate.Range(min=0, max=365),
        metadata={
            "description": "Days before the earlier position from which events count as between "
            "(0 to 365, default 7).",
            "example": 7,
        },
    )


class PositionsChartQuerySchema(Schema):
    topic = Reference("topic", required=True, metadata={"example": "ukraine-territorial-integrity"})
    since = WorldDate(metadata={"description": "From this date or instant."})
    until = WorldDate(metadata={"description": "To the end of this date, or this instant."})
    min_delta = min_delta_field("Smallest change that is drawn as a shift (0 < x ≤ 2).")
    lookback_days = lookback_days_field()

    @validates_schema
    def _since_not_after_until(self, data: dict[str, Any], **_: Any) -> None:
        validate_range(data.get("since"), data.get("until"))


# --- shifts ---


class ShiftsQuerySchema(PageQuerySchema):
    topic = Reference("topic", metadata={"description": "Only this topic; every topic when absent."})
    min_delta = min_delta_field("Smallest change in value that counts as a shift (0 < x ≤ 2).")
    lookback_days = lookback_days_field()


class ShiftEndSchema(Schema):
    class Meta:
        title = "ShiftEnd"
        description = "One side of a shift: the actor's position on that day and the statement behind it."
        example = {
            "value": -0.8,
            "said_at": "2025-08-17T00:00:00+00:00",
            "said_at_precision": "day",
            "statement": StatementExcerptSchema.Meta.example,
            "statements_that_day": 1,
        }

    value = fields.Float(required=True, metadata={"description": "The day's confidence-weighted mean."})
    said_at = WorldDate(
        required=True, metadata={"description": "When the position was taken (start of its day, UTC)."}
    )
    said_at_precision = fields.Enum(
        Precision,
        by_value=True,
        required=True,
        attribute="precision",
        metadata={"description": "How precisely its statement's date is known."},
    )
    statement = fields.Nested(
        StatementExcerptSchema, required=True, metadata={"description": "The most confident."}
    )
    statements_that_day = fields.Integer(
        required=True, metadata={"description": "Positions merged into the value."}
    )


class PickedEventSchema(Schema):
    class Meta:
        title = "EventBetween"
        description = "An event between a shift's positions, and why it was picked."
        example = {
            "event": EventRefSchema.Meta.example,
            "reasons": ["participant", "topic"],
            "mentioned_actors": [],
        }

    event = fields.Nested(EventRefSchema, required=True)
    reasons = fields.List(
        fields.String(validate=validate.OneOf(["participant", "topic", "mentioned_actor"])),
        required=True,
        metadata={
            "description": "`participant`: the actor took part; `topic`: tagged with the shift's topic; "
            "`mentioned_actor`: an actor one of the statements mentions took part."
        },
    )
    mentioned_actors = fields.List(
        fields.Nested(ActorRefSchema), required=True, metadata={"description": "For `mentioned_actor`: who."}
    )


class ShiftSchema(HandWrittenDump):
    class Meta:
        title = "Shift"
        description = (
            "A pivot: two consecutive daily positions on one topic that differ by at least `min_delta`."
        )
        example = {
            "topic": TERRITORY,
            "from": ShiftEndSchema.Meta.example,
            "to": {
                "value": 0.9,
                "said_at": "2025-09-23T00:00:00+00:00",
                "said_at_precision": "day",
                "statement": {
                    "id": POST_ID,
                    "kind": "post",
                    "excerpt": POST_EXCERPT,
                    "said_at": "2025-09-23T00:00:00+00:00",
                    "said_at_precision": "day",
                    "source_url": "https://pic.twitter.com/8eUCfuiYFr",
                },
                "statements_that_day": 1,
            },
            "delta": 1.7,
            "direction": "toward_positive",
            "days": 37,
            "events_between": [PickedEventSchema.Meta.example],
        }

    topic = fields.Nested(TopicRefSchema, required=True)
    from_ = fields.Nested(ShiftEndSchema, required=True, data_key="from", attribute="start")
    to = fields.Nested(ShiftEndSchema, required=True, attribute="end")
    delta = fields.Float(required=True, metadata={"description": "`to.value - from.value`."})
    direction = fields.String(
        required=True,
        validate=validate.OneOf(["toward_positive", "toward_negative"]),
        metadata={"description": "`toward_positive` or `toward_negative`: which pole the actor moved to."},
    )
    days = fields.Integer(required=True, metadata={"description": "Days between the two positions' dates."})
    events_between = fields.List(
        fields.Nested(PickedEventSchema),
        required=True,
        metadata={
            "description": "Events in the interval that involve the actor, the topic, or an actor either "
            "statement mentions, each with why."
        },
    )


@writes(ShiftSchema)
def write_shift(shift: Any, writing: Writing = AS_TEXT) -> dict[str, Any]:
    """What ShiftSchema dumps: written directly, not field by field, as a busy actor's page has
    over a thousand events between its shifts."""
    return {
        "topic": TOPIC_REF(shift.topic, writing),
        "from": write_shift_end(shift.start, writing),
        "to": write_shift_end(shift.end, writing),
        "delta": float(shift.delta),
        "direction": shift.direction,
        "days": shift.days,
        "events_between": [
            {
                "event": EVENT_REF(picked.event, writing),
                "reasons": list(picked.reasons),
                "mentioned_actors": [ACTOR_REF(actor, writing) for actor in picked.mentioned_actors],
            }
            for picked in shift.events_between
        ],
    }


@writes(ShiftEndSchema)
def write_shift_end(end: Any, writing: Writing = AS_TEXT) -> dict[str, Any]:
    """What ShiftEndSchema dumps."""
    statement = end.statement
    return {
        "value": float(end.value),
        "said_at": writing.instant(end.said_at),
        "said_at_precision": end.precision.value,
        "statement": {
            "id": writing.uuid(statement.id),
            "kind": str(statement.kind),
            "excerpt": _excerpt(statement.text),
            "said_at": writing.instant(statement.said_at),
            "said_at_precision": statement.said_at_precision.value,
            "source_url": statement.source_url,
        },
        "statements_that_day": end.statements_that_day,
    }


# --- stances ---


class StancesQuerySchema(PageQuerySchema):
    at = WorldDate(
        metadata={
            "description": "As of the end of this date, or this instant (default: now).",
            "example": "2025-09-01",
        }
    )
    kind = fields.Enum(ActorKind, by_value=True, metadata={"description": "Only actors of this kind."})


class StanceSchema(Schema):
    class Meta:
        title = "Stance"
        description = "An actor's latest position on the topic as of the date, and the statement behind it."
        example = {
            "actor": TRUMP,
            "value": -0.8,
            "confidence": 0.8,
            "said_at": "2025-08-17T00:00:00+00:00",
            "statement": StatementExcerptSchema.Meta.example,
        }

    actor = fields.Nested(ActorRefSchema, required=True)
    value = fields.Float(required=True, metadata={"description": "The latest position as of `at`, -1 to +1."})
    confidence = fields.Float(required=True, metadata={"description": "How sure the recorder was, 0 to 1."})
    said_at = WorldDate(required=True, metadata={"description": "When that position was taken."})
    statement = fields.Nested(StatementExcerptSchema, required=True)


# --- alignment ---


class AlignmentQuerySchema(Schema):
    actors = DelimitedList(
        Reference("actor"),
        required=True,
        validate=validate.Length(equal=2, error="Name exactly two actors."),
        metadata={
            "description": "Two actors, comma-separated ids or slugs.",
            "example": "donald-trump,volodymyr-zelensky",
        },
    )


class MonthlyValueSchema(Schema):
    class Meta:
        title = "MonthlyValue"
        description = "An actor's latest position by the end of the month, carried forward."
        example = {"value": -0.8, "said_at": "2025-08-17T00:00:00+00:00", "statement_id": REPOST_ID}

    value = fields.Float(
        required=True,
        metadata={"description": "The actor's latest position by the end of the month, -1 to +1."},
    )
    said_at = WorldDate(
        required=True,
        metadata={
            "description": "When that position was taken (it may be carried forward from an earlier month)."
        },
    )
    statement_id = fields.UUID(required=True, metadata={"description": "The statement that took it."})


class AlignmentMonthSchema(Schema):
    class Meta:
        title = "AlignmentMonth"
        description = "Both actors' values in a month and their distance."
        example = {
            "month": "2025-08",
            "first": MonthlyValueSchema.Meta.example,
            "second": {
                "value": 1.0,
                "said_at": "2025-08-01T00:00:00+00:00",
                "statement_id": seed_id_text("statements", "zelensky-refusal-2025-08"),
            },
            "distance": 1.8,
        }

    month = fields.String(
        required=True, metadata={"description": "The month, as YYYY-MM.", "example": "2025-08"}
    )
    first = fields.Nested(
        MonthlyValueSchema, required=True, metadata={"description": "The first actor named."}
    )
    second = fields.Nested(
        MonthlyValueSchema, required=True, metadata={"description": "The second actor named."}
    )
    distance = fields.Float(required=True, metadata={"description": "|first - second|, 0 to 2."})


class TrendSchema(Schema):
    class Meta:
        title = "AlignmentTrend"
        description = "How the distance moved from the first month to the last."
        example = {"first_distance": 1.8, "last_distance": 0.1, "change": -1.7, "direction": "converging"}

    first_distance = fields.Float(
        required=True,
        metadata={"description": "Distance between the two in the first month both had a position (0 to 2)."},
    )
    last_distance = fields.Float(required=True, metadata={"description": "Distance in the last month."})
    change = fields.Float(
        required=True, metadata={"description": "last_distance minus first_distance: below 0 is converging."}
    )
    direction = fields.String(
        required=True,
        validate=validate.OneOf(["converging", "diverging", "stable"]),
        metadata={"description": "`stable` when the distance changed by less than 0.1."},
    )


class AlignmentSchema(Schema):
    class Meta:
        title = "Alignment"
        description = "How close two actors' positions on a topic were, month by month."
        example = {
            "topic": TERRITORY,
            "actors": [TRUMP, ZELENSKY],
            "months": [
                AlignmentMonthSchema.Meta.example,
                {
                    "month": "2025-09",
                    "first": {"value": 0.9, "said_at": "2025-09-23T00:00:00+00:00", "statement_id": POST_ID},
                    "second": AlignmentMonthSchema.Meta.example["second"],
                    "distance": 0.1,
                },
            ],
            "trend": TrendSchema.Meta.example,
        }

    topic = fields.Nested(TopicRefSchema, required=True)
    actors = fields.List(
        fields.Nested(ActorRefSchema),
        required=True,
        metadata={"description": "The two actors compared, in the order asked."},
    )
    months = fields.List(
        fields.Nested(AlignmentMonthSchema),
        required=True,
        metadata={
            "description": "From the first month both have a position to the last month either has one."
        },
    )
    trend = fields.Nested(
        TrendSchema,
        required=True,
        allow_none=True,
        metadata={"description": "Whether the two grew closer or further apart over the months."},
    )
