"""How every list is asked for and answered over HTTP: its query arguments, its envelope and its Link."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import request
from marshmallow import Schema, fields, validate

from service.data.pagination import DEFAULT_LIMIT, MAX_LIMIT


def next_link(next_cursor: str) -> str:
    """An RFC 8288 Link header value for the next page of the current request."""
    args = request.args.copy()
    args["cursor"] = next_cursor
    return f'<{request.path}?{urlencode(list(args.items(multi=True)))}>; rel="next"'


class PageQuerySchema(Schema):
    """Query arguments that every list takes."""

    limit = fields.Integer(
        load_default=DEFAULT_LIMIT,
        validate=validate.Range(min=1, max=MAX_LIMIT),
        metadata={
            "description": f"How many items to return, 1 to {MAX_LIMIT}.",
            "example": 20,
        },
    )
    cursor = fields.String(
        validate=validate.Length(min=1, max=1000),
        metadata={
            "description": "Opaque cursor from a previous page's `next_cursor`; "
            "omit it for the first page. A cursor from another list or sort gets 400.",
        },
    )


_page_schemas: dict[type[Schema], type[Schema]] = {}


def page_schema_for(item_schema: type[Schema]) -> type[Schema]:
    """The {"items", "next_cursor"} envelope for a list of `item_schema`."""
    if item_schema not in _page_schemas:
        item_name = item_schema.__name__.removesuffix("Schema")
        item_example = getattr(getattr(item_schema, "Meta", None), "example", None)
        meta = type(
            "Meta",
            (),
            {
                "title": f"{item_name}Page",
                "description": f"One page of {item_name} items and the cursor of the next.",
                "example": {"items": [item_example] if item_example else [], "next_cursor": None},
            },
        )
        _page_schemas[item_schema] = type(
            f"{item_name}PageSchema",
            (Schema,),
            {
                "Meta": meta,
                "items": fields.List(
                    fields.Nested(item_schema),
                    required=True,
                    metadata={"description": "The items of this page, in the list's order."},
                ),
                "next_cursor": fields.String(
                    required=True,
                    allow_none=True,
                    metadata={
                        "description": "Pass as `cursor` to get the next page; null on the last page.",
                        "example": None,
                    },
                ),
            },
        )
    return _page_schemas[item_schema]
