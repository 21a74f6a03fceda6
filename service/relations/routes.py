"""HTTP routes for relations between actors."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask.views import MethodView

from service.db import get_session
from service.demo.ids import seed_id_text
from service.pagination import Page, PageRequest
from service.relations import service
from service.relations.models import ActorRelation
from service.relations.schemas import (
    RELATION_CREATE_EXAMPLE,
    RelationCreateSchema,
    RelationQuerySchema,
    RelationSchema,
)
from service.smorest import LOCATION_HEADER, Blueprint, id_parameter, patch_schema

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
    def get(self, args: dict[str, Any]) -> Page[ActorRelation]:
        page = PageRequest.from_args(args)
        return service.list_relations(get_session(), args, page)

    @blp.doc(operationId="create_relation", summary="Record a relation")
    @blp.arguments(RelationCreateSchema, example=RELATION_CREATE_EXAMPLE)
    @blp.response(201, RelationSchema, headers={"Location": LOCATION_HEADER})
    def post(self, data: dict[str, Any]) -> tuple[ActorRelation, int, dict[str, str]]:
        relation = service.record_relation(get_session(), data)
        return relation, 201, {"Location": url_for("relations.RelationItem", relation=str(relation.id))}


@blp.route(
    "/<relation>",
    parameters=[id_parameter("relation", seed_id_text("relations", "donald-trump-leader-of-united-states"))],
)
class RelationItem(MethodView):
    @blp.doc(operationId="get_relation", summary="Get a relation")
    @blp.response(200, RelationSchema)
    @blp.problems(404)
    def get(self, relation: str) -> ActorRelation:
        return service.get_relation(get_session(), relation)

    @blp.doc(
        operationId="update_relation", summary="Update a relation", description="Only the fields sent change."
    )
    @blp.arguments(patch_schema(RelationCreateSchema))
    @blp.response(200, RelationSchema)
    @blp.problems(404)
    def patch(self, changes: dict[str, Any], relation: str) -> ActorRelation:
        return service.update_relation(get_session(), relation, changes)

    @blp.doc(operationId="delete_relation", summary="Delete a relation")
    @blp.response(204)
    @blp.problems(404)
    def delete(self, relation: str) -> None:
        service.delete_relation(get_session(), relation)
