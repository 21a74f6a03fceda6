"""How every list is asked for and answered over HTTP: its query arguments, its envelope and its Link."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import request
from marshmallow import Schema, fields, validate

from service.data.pagination import DEFAULT_LIMIT, MAX_LIMIT, SORTS
from service.values.fields import NamedOneOf


def _page_url(cursor: str | None) -> str:
    """The absolute URL of the current request's list at `cursor` (None: its first page)."""
    args = request.args.copy()
    args.pop("cursor", None)
    if cursor is not None:
        args["cursor"] = cursor
    query = urlencode(list(args.items(multi=True)))
    return f"{request.base_url}?{query}" if query else request.base_url


def page_links(next_cursor: str | None) -> list[str]:
    """RFC 8288 Link values with absolute URLs: the first page, and the next one if any,
    both with the request's filters and limit."""
    links = [f'<{_page_url(None)}>; rel="first"']
    if next_cursor:
        links.append(f'<{_page_url(next_cursor)}>; rel="next"')
    return links


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


def SortField() -> fields.String:
    """The `sort` query parameter of the lists that offer several orders."""
    return fields.String(
        load_default="slug",
        validate=NamedOneOf("NameSort", SORTS),
        metadata={
            "description": "The order of the list: `slug` (the default), `name` or `created_at`, "
            "with `-` first for descending (`-created_at`: newest first). Ties are broken by id. "
            "A cursor serves the sort it was made in (another gets 400).",
            "example": "-created_at",
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
