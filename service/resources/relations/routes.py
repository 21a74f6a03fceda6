"""HTTP routes for relations between actors."""

from __future__ import annotations

from typing import Any

from flask import Response, url_for
from flask.views import MethodView

from service.data.pagination import Page, PageRequest
from service.data.sessions import get_session
from service.resources.relations import service
from service.resources.relations.models import ActorRelation
from service.resources.relations.schemas import (
    RELATION_CREATE_EXAMPLE,
    RelationCreateSchema,
    RelationQuerySchema,
    RelationSchema,
)
from service.resources.revisions.routes import add_revisions_route, past_state, record_id_for
from service.resources.revisions.schemas import AsOfQuerySchema
from service.values.examples import seed_id_text
from service.web.blueprint import LOCATION_HEADER, Blueprint, id_parameter, patch_schema

blp = Blueprint(
    "relations",
    __name__,
    url_prefix="/api/v1/relations",
    description="Relations between actors (ally, adversary, member_of, leader_of, part_of, negotiates_with).",
)


@blp.route("")
class RelationCollection(MethodView):
    @blp.doc(
        operationId="list_relations",
        summary="List relations",
        description="Oldest recorded first. `actor` matches either side; `at` keeps those valid that day.",
    )
    @blp.arguments(RelationQuerySchema, location="query")
    @blp.paginated(RelationSchema)
    def get(self, args: dict[str, Any], page: PageRequest) -> Page[ActorRelation]:
        return service.list_relations(get_session(), args, page)

    @blp.doc(
        operationId="create_relation",
        summary="Record a relation",
        description="Subject and object are actor ids or slugs; dates bound when it holds.",
    )
    @blp.etag
    @blp.arguments(RelationCreateSchema, example=RELATION_CREATE_EXAMPLE)
    @blp.response(201, RelationSchema, headers={"Location": LOCATION_HEADER})
    def post(self, data: dict[str, Any]) -> tuple[ActorRelation, int, dict[str, str]]:
        relation = service.record_relation(get_session(), data)
        return relation, 201, {"Location": url_for("relations.RelationItem", relation=str(relation.id))}


RELATION_PARAMETER = id_parameter(
    "relation", seed_id_text("relations", "donald-trump-leader-of-united-states")
)


@blp.route("/<relation>", parameters=[RELATION_PARAMETER])
@blp.etag
class RelationItem(MethodView):
    @blp.doc(
        operationId="get_relation",
        summary="Get a relation",
        description="By id; `as_of` gives it as it was then.",
    )
    @blp.arguments(AsOfQuerySchema, location="query")
    @blp.response(200, RelationSchema)
    @blp.problems(404)
    def get(self, args: dict[str, Any], relation: str) -> ActorRelation | Response:
        if (as_of := args.get("as_of")) is not None:
            return past_state(blp, "relation", record_id_for(ActorRelation, relation, "relation"), as_of)
        return service.get_relation(get_session(), relation)

    @blp.doc(
        operationId="update_relation", summary="Update a relation", description="Only the fields sent change."
    )
    @blp.arguments(patch_schema(RelationCreateSchema))
    @blp.response(200, RelationSchema)
    @blp.problems(404, 412)
    def patch(self, changes: dict[str, Any], relation: str) -> ActorRelation:
        session = get_session()
        current = service.get_relation(session, relation, for_update=True)
        blp.check_etag(current, RelationSchema)
        return service.update_relation(session, current, changes)

    @blp.doc(
        operationId="delete_relation",
        summary="Delete a relation",
        description="Its history stays readable at `/revisions`.",
    )
    @blp.response(204)
    @blp.problems(404, 412)
    def delete(self, relation: str) -> None:
        session = get_session()
        current = service.get_relation(session, relation, for_update=True)
        blp.check_etag(current, RelationSchema)
        service.delete_relation(session, current)


add_revisions_route(blp, ActorRelation, "relation", RELATION_PARAMETER)
