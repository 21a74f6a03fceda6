from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from service.data.pagination import MAX_LIMIT
from service.resources.actors.schemas import TRUMP_EXAMPLE
from service.resources.revisions.models import Action, changed_fields
from service.web.pages import PageQuerySchema

RENAMED_TRUMP = {**TRUMP_EXAMPLE, "description": "47th President of the United States."}
REVISION_EXAMPLE = {
    "number": 42,
    "resource": "actor",
    "record_id": TRUMP_EXAMPLE["id"],
    "action": "update",
    "recorded_at": "2025-09-24T09:00:00+00:00",
    "api_key_id": "3f1d2c4b-5a69-4e8f-9b7a-6c5d4e3f2a1b",
    "before": TRUMP_EXAMPLE,
    "after": RENAMED_TRUMP,
    "changes": {
        "description": {"before": TRUMP_EXAMPLE["description"], "after": RENAMED_TRUMP["description"]},
    },
}


class RevisionSchema(Schema):
    class Meta:
        title = "Revision"
        description = (
            "One create, update or delete of a record, by whom and when, with the record before and after "
            "(as the API represented it then)."
        )
        example = REVISION_EXAMPLE

    number = fields.Integer(
        required=True, metadata={"description": "Position in the change feed; grows in commit order."}
    )
    resource = fields.String(
        required=True,
        metadata={
            "description": "The kind of record.",
            "enum": ["actor", "topic", "statement", "event", "relation"],
        },
    )
    record_id = fields.UUID(required=True, metadata={"description": "The record's id."})
    action = fields.Enum(Action, by_value=True, required=True, metadata={"description": "What happened."})
    recorded_at = fields.DateTime(required=True, metadata={"description": "When it was committed (UTC)."})
    api_key_id = fields.UUID(
        required=True,
        allow_none=True,
        metadata={"description": "The key that made the change; null for the CLI (demo data, imports)."},
    )
    before = fields.Dict(
        required=True, allow_none=True, metadata={"description": "The record before; null on create."}
    )
    after = fields.Dict(
        required=True, allow_none=True, metadata={"description": "The record after; null on delete."}
    )
    changes = fields.Method(
        "_changes",
        required=True,
        metadata={
            "type": "object",
            "description": "Each top-level field that differs, with its `before` and `after` values.",
            "additionalProperties": {
                "type": "object",
                "properties": {"before": {}, "after": {}},
                "required": ["before", "after"],
            },
        },
    )

    def _changes(self, revision: Any) -> dict[str, dict[str, Any]]:
        return changed_fields(revision)


class AsOfQuerySchema(Schema):
    as_of = fields.AwareDateTime(
        metadata={
            "description": "Answer with the record as it was at this instant (RFC 3339 with offset), "
            "from its revision history. 404 if it did not exist then.",
            "example": "2025-09-24T08:30:00+00:00",
        }
    )


class ChangeFeedQuerySchema(PageQuerySchema):
    class Meta:
        exclude = ("cursor",)

    since = fields.String(
        validate=validate.Length(min=1, max=1000),
        metadata={
            "description": "`next_since` from your last read; omit it to read from the first change.",
        },
    )


class ChangeFeedSchema(Schema):
    class Meta:
        title = "ChangeFeed"
        description = (
            "Changes in commit order. Read on with `since=next_since`, also when `items` is empty "
            "(nothing new yet): no change is ever skipped or repeated."
        )
        example = {
            "items": [REVISION_EXAMPLE],
            "next_since": "WyJjaGFuZ2VzOm51bWJlciIsWzQyXV0.Zk3Vq0b1",
            "has_more": False,
        }

    items = fields.List(
        fields.Nested(RevisionSchema), required=True, metadata={"description": "The changes."}
    )
    next_since = fields.String(
        required=True, metadata={"description": "Cursor after the last change here; pass it as `since`."}
    )
    has_more = fields.Boolean(
        required=True,
        metadata={"description": f"Whether more changes are waiting now (pages hold up to {MAX_LIMIT})."},
    )
