"""The change feed, and the revision history and past states of each kind of record."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from flask import Response
from flask.views import MethodView

from service.data.pagination import Page, PageRequest
from service.data.sessions import get_session
from service.problems import NotFound
from service.references.lookup import find_by_reference, parse_uuid, unknown
from service.resources.revisions import service
from service.resources.revisions.models import Revision
from service.resources.revisions.schemas import ChangeFeedQuerySchema, ChangeFeedSchema, RevisionSchema
from service.web.blueprint import Blueprint
from service.web.pages import PageQuerySchema

blp = Blueprint(
    "changes",
    __name__,
    url_prefix="/api/v1/changes",
    description="Every change to every record, in commit order, for clients that keep a copy in sync.",
)


@blp.route("")
class ChangeFeed(MethodView):
    @blp.doc(
        operationId="read_changes",
        summary="Read the change feed",
        description="Creates, updates and deletes of actors, topics, statements, events and relations, "
        "oldest first, each with the record after the change. Keep `next_since` and read again "
        "with it to get only what changed since: nothing is skipped or repeated.",
    )
    @blp.arguments(ChangeFeedQuerySchema, location="query")
    @blp.response(200, ChangeFeedSchema)
    def get(self, args: dict[str, Any]) -> service.ChangeFeedPage:
        return service.read_changes(get_session(), args.get("since"), args["limit"])


def record_id_for(model: Any, reference: str, noun: str) -> uuid.UUID:
    """The id of the record `reference` names: a live record by id or slug, or a deleted one by id."""
    record_id = parse_uuid(reference)
    if record_id is not None:
        return record_id
    record = find_by_reference(get_session(), model, reference)
    if record is None:  # whatever the kind, a live record is sought by id or slug here
        raise NotFound(unknown(noun, reference, by_slug=True))
    return record.id  # type: ignore[no-any-return]


def past_state(resource_blueprint: Blueprint, resource: str, record_id: uuid.UUID, at: datetime) -> Response:
    """The record as its history says it was at `at`, answered as it was represented then."""
    state = service.state_as_of(get_session(), resource, record_id, at)
    resource_blueprint.set_etag(state)
    return Response(json.dumps(state), status=200, mimetype="application/json")


def add_revisions_route(
    resource_blueprint: Blueprint, model: Any, resource: str, parameter: dict[str, Any]
) -> None:
    """Add GET .../<record>/revisions to a resource's blueprint."""

    class Revisions(MethodView):
        @resource_blueprint.doc(
            operationId=f"list_{resource}_revisions",
            summary=f"List the {resource}'s revisions",
            description=f"Every create, update and delete of the {resource}, oldest first, with who "
            "made it and the fields that changed. A deleted record's history stays readable by its id.",
        )
        @resource_blueprint.arguments(PageQuerySchema, location="query")
        @resource_blueprint.paginated(RevisionSchema)
        @resource_blueprint.problems(404)
        def get(self, args: dict[str, Any], page: PageRequest, **path: str) -> Page[Revision]:
            record_id = record_id_for(model, path[parameter["name"]], resource)
            return service.list_revisions(get_session(), resource, record_id, page)

    Revisions.__name__ = f"{resource.capitalize()}Revisions"
    resource_blueprint.route(f"/<{parameter['name']}>/revisions", parameters=[parameter])(Revisions)
