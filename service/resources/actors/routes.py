"""HTTP routes for actors: decode input, call one service function, return its result."""

from __future__ import annotations

from typing import Any

from flask import Response, url_for
from flask.views import MethodView

from service.data.pagination import Page, PageRequest
from service.data.sessions import get_session
from service.resources.actors import service
from service.resources.actors.models import Actor
from service.resources.actors.schemas import ActorQuerySchema, ActorSchema
from service.resources.revisions.routes import add_revisions_route, past_state, record_id_for
from service.resources.revisions.schemas import AsOfQuerySchema
from service.web.blueprint import LOCATION_HEADER, Blueprint, patch_schema, reference_parameter

blp = Blueprint(
    "actors",
    __name__,
    url_prefix="/api/v1/actors",
    description="People, states, organisations, groups and media whose words are tracked.",
)


@blp.route("")
class ActorCollection(MethodView):
    @blp.doc(
        operationId="list_actors",
        summary="List actors",
        description="Actors in slug order (or as `sort` asks), filtered by kind, country and name.",
    )
    @blp.arguments(ActorQuerySchema, location="query")
    @blp.paginated(ActorSchema)
    def get(self, args: dict[str, Any], page: PageRequest) -> Page[Actor]:
        return service.list_actors(get_session(), args, page)

    @blp.doc(
        operationId="create_actor",
        summary="Create an actor",
        description="The slug is made from the name when not given.",
    )
    @blp.etag
    @blp.arguments(ActorSchema)
    @blp.response(201, ActorSchema, headers={"Location": LOCATION_HEADER})
    @blp.problems(409)
    def post(self, data: dict[str, Any]) -> tuple[Actor, int, dict[str, str]]:
        actor = service.create_actor(get_session(), data)
        return actor, 201, {"Location": url_for("actors.ActorItem", actor=str(actor.id))}


ACTOR_PARAMETER = reference_parameter("actor", "donald-trump")


@blp.route("/<actor>", parameters=[ACTOR_PARAMETER])
@blp.etag
class ActorItem(MethodView):
    @blp.doc(operationId="get_actor", summary="Get an actor", description="By id or slug.")
    @blp.arguments(AsOfQuerySchema, location="query")
    @blp.response(200, ActorSchema)
    @blp.problems(404)
    def get(self, args: dict[str, Any], actor: str) -> Actor | Response:
        if (as_of := args.get("as_of")) is not None:
            return past_state(blp, "actor", record_id_for(Actor, actor, "actor"), as_of)
        return service.get_actor(get_session(), actor)

    @blp.doc(
        operationId="update_actor",
        summary="Update an actor",
        description="Only the fields sent change.",
    )
    @blp.arguments(patch_schema(ActorSchema))
    @blp.response(200, ActorSchema)
    @blp.problems(404, 409, 412)
    def patch(self, changes: dict[str, Any], actor: str) -> Actor:
        session = get_session()
        current = service.get_actor(session, actor, for_update=True)
        blp.check_etag(current, ActorSchema)
        return service.update_actor(session, current, changes)

    @blp.doc(
        operationId="delete_actor",
        summary="Delete an actor",
        description="409 while statements or events refer to it.",
    )
    @blp.response(204)
    @blp.problems(404, 409, 412)
    def delete(self, actor: str) -> None:
        session = get_session()
        current = service.get_actor(session, actor, for_update=True)
        blp.check_etag(current, ActorSchema)
        service.delete_actor(session, current)


add_revisions_route(blp, Actor, "actor", ACTOR_PARAMETER)
