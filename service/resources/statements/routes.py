"""HTTP routes for statements."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask.views import MethodView

from service.data.pagination import Page, PageRequest
from service.data.sessions import get_session
from service.resources.revisions.routes import add_revisions_route, past_state, record_id_for
from service.resources.revisions.schemas import AsOfQuerySchema
from service.resources.statements import service
from service.resources.statements.models import Statement
from service.resources.statements.schemas import (
    STATEMENT_CREATE_EXAMPLE,
    StatementCreateSchema,
    StatementQuerySchema,
    StatementSchema,
)
from service.values.examples import seed_id_text
from service.web.blueprint import LOCATION_HEADER, Blueprint, id_parameter, patch_schema

blp = Blueprint(
    "statements",
    __name__,
    url_prefix="/api/v1/statements",
    description="What actors said or posted, verbatim, with the positions it takes on topics.",
)


@blp.route("")
class StatementCollection(MethodView):
    @blp.doc(
        operationId="list_statements",
        summary="List statements",
        description="Newest first unless `sort=said_at`. Filters combine; references are ids or "
        "slugs, and an unknown one is a 422 naming the parameter.",
    )
    @blp.arguments(StatementQuerySchema, location="query")
    @blp.paginated(StatementSchema)
    def get(self, args: dict[str, Any], page: PageRequest) -> Page[Any]:
        return service.list_statements(get_session(), args, page)

    @blp.doc(
        operationId="create_statement",
        summary="Record a statement",
        description="References (actor, topics, mentions) are ids or slugs; `event` is an event id.",
    )
    @blp.etag
    @blp.arguments(StatementCreateSchema, example=STATEMENT_CREATE_EXAMPLE)
    @blp.response(201, StatementSchema, headers={"Location": LOCATION_HEADER})
    def post(self, data: dict[str, Any]) -> tuple[Statement, int, dict[str, str]]:
        statement = service.record_statement(get_session(), data)
        return statement, 201, {"Location": url_for("statements.StatementItem", statement=str(statement.id))}


STATEMENT_PARAMETER = id_parameter("statement", seed_id_text("statements", "trump-post-2025-09-23"))


@blp.route("/<statement>", parameters=[STATEMENT_PARAMETER])
@blp.etag
class StatementItem(MethodView):
    @blp.doc(
        operationId="get_statement",
        summary="Get a statement",
        description="With its positions, mentions and source; `as_of` gives it as it was then.",
    )
    @blp.arguments(AsOfQuerySchema, location="query")
    @blp.response(200, StatementSchema)
    @blp.problems(404)
    def get(self, args: dict[str, Any], statement: str) -> Any:
        if (as_of := args.get("as_of")) is not None:
            return past_state(blp, "statement", record_id_for(Statement, statement, "statement"), as_of)
        return service.read_statement(get_session(), statement)

    @blp.doc(
        operationId="update_statement",
        summary="Update a statement",
        description="Only the fields sent change; `positions` and `mentions`, when sent, replace the lists.",
    )
    @blp.arguments(patch_schema(StatementCreateSchema))
    @blp.response(200, StatementSchema)
    @blp.problems(404, 412)
    def patch(self, changes: dict[str, Any], statement: str) -> Statement:
        session = get_session()
        current = service.get_statement(session, statement, for_update=True)
        blp.check_etag(current, StatementSchema)
        return service.update_statement(session, current, changes)

    @blp.doc(
        operationId="delete_statement",
        summary="Delete a statement",
        description="Its positions and mentions go with it.",
    )
    @blp.response(204)
    @blp.problems(404, 412)
    def delete(self, statement: str) -> None:
        session = get_session()
        current = service.get_statement(session, statement, for_update=True)
        blp.check_etag(current, StatementSchema)
        service.delete_statement(session, current)


add_revisions_route(blp, Statement, "statement", STATEMENT_PARAMETER)
