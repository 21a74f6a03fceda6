"""Bulk import (NDJSON) and streamed export of every resource."""

from __future__ import annotations

from typing import Any

from flask import Response, g, request, stream_with_context
from flask.views import MethodView

from service.data.sessions import get_database, get_session
from service.problems import MissingBody, UnsupportedMediaType, ValidationFailed
from service.resources.bulk import service
from service.resources.bulk.csv_rows import CSV
from service.resources.bulk.schemas import (
    CSV_EXAMPLE,
    EXPORT_EXAMPLE,
    IMPORT_EXAMPLE,
    NDJSON,
    ExportQuerySchema,
    ImportQuerySchema,
    ImportReportSchema,
)
from service.values.dates import range_start
from service.web.blueprint import Blueprint
from service.web.roles import Role

blp = Blueprint(
    "bulk",
    __name__,
    url_prefix="/api/v1",
    description="Many records at once: NDJSON import, and export of every resource as NDJSON.",
)


@blp.route("/import")
class Import(MethodView):
    @blp.doc(
        operationId="import_records",
        summary="Import records from NDJSON or CSV",
        description="NDJSON: one JSON object a line, `type` (actor, topic, event, statement, relation) "
        "and the fields its create request takes, references as ids or slugs; an `id` is kept, so an "
        "export imports as the same data. Records that others refer to come first. CSV: one resource "
        "a file, named by `type`; the header names the fields, `source.url` a field of a nested "
        "object, and list fields (`positions`, `mentions`, `participants`, `topics`) hold JSON; an "
        "empty cell leaves the field out; line numbers are those where each row begins. Needs an "
        "admin key. Files larger than the body limit go through `flask --app service.app import FILE`.",
        requestBody={
            "required": True,
            "content": {
                NDJSON: {"schema": {"type": "string"}, "example": IMPORT_EXAMPLE},
                CSV: {"schema": {"type": "string"}, "example": CSV_EXAMPLE},
            },
        },
    )
    @blp.requires(Role.admin)
    @blp.arguments(ImportQuerySchema, location="query")
    @blp.response(200, ImportReportSchema)
    @blp.problems(400, 413, 415)
    def post(self, args: dict[str, Any]) -> service.ImportReport:
        text = _uploaded_text(args.get("type"))
        return service.import_upload(
            get_database(), text, request.mimetype, args["mode"], args.get("type"), g.get("session_info")
        )


def _uploaded_text(plural: str | None) -> str:
    """The body as text, refused in the order a client would fix it: its media type, the type a
    CSV file needs, then its presence and encoding."""
    if request.mimetype not in (NDJSON, CSV):
        raise UnsupportedMediaType(
            f"Send the records as {NDJSON} or {CSV}, not '{request.mimetype or 'none'}'."
        )
    if request.mimetype == CSV and plural is None:
        raise ValidationFailed({"type": ["CSV needs `type`: a file holds one resource."]})
    if not request.content_length:
        raise MissingBody("The request needs a body of NDJSON lines.")
    try:
        return request.get_data().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MissingBody(f"The body is not UTF-8: {exc}") from None


@blp.route("/export")
class Export(MethodView):
    @blp.doc(
        operationId="export_records",
        summary="Export records as NDJSON",
        description="Every record of a type, oldest first, one JSON line each, in the form import takes "
        "(references as ids). Streamed: any number of records, in constant memory.",
        responses={
            "200": {
                "description": "The records.",
                "content": {NDJSON: {"schema": {"type": "string"}, "example": EXPORT_EXAMPLE}},
            }
        },
    )
    @blp.arguments(ExportQuerySchema, location="query")
    def get(self, args: dict[str, Any]) -> Response:
        since = range_start(args["since"]) if args.get("since") is not None else None
        lines = service.export_lines(get_session(), args["type"], since)
        return Response(stream_with_context(lines), mimetype=NDJSON)
