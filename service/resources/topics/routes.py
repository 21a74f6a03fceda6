"""HTTP routes for topics: decode input, call one service function, return its result."""

from __future__ import annotations

from typing import Any

from flask import Response, url_for
from flask.views import MethodView

from service.data.pagination import Page, PageRequest
from service.data.sessions import get_session
from service.resources.revisions.routes import add_revisions_route, past_state, record_id_for
from service.resources.revisions.schemas import AsOfQuerySchema
from service.resources.topics import service
from service.resources.topics.models import Topic
from service.resources.topics.schemas import TopicQuerySchema, TopicSchema
from service.web.blueprint import LOCATION_HEADER, Blueprint, patch_schema, reference_parameter

blp = Blueprint(
    "topics",
    __name__,
    url_prefix="/api/v1/topics",
    description="Questions on which actors take positions between two named poles.",
)


@blp.route("")
class TopicCollection(MethodView):
    @blp.doc(
        operationId="list_topics",
        summary="List topics",
        description="Topics in slug order (or as `sort` asks), filtered.",
    )
    @blp.arguments(TopicQuerySchema, location="query")
    @blp.paginated(TopicSchema)
    def get(self, args: dict[str, Any], page: PageRequest) -> Page[Topic]:
        return service.list_topics(get_session(), args, page)

    @blp.doc(
        operationId="create_topic",
        summary="Create a topic",
        description="The slug is made from the name when not given.",
    )
    @blp.etag
    @blp.arguments(TopicSchema)
    @blp.response(201, TopicSchema, headers={"Location": LOCATION_HEADER})
    @blp.problems(409)
    def post(self, data: dict[str, Any]) -> tuple[Topic, int, dict[str, str]]:
        topic = service.create_topic(get_session(), data)
        return topic, 201, {"Location": url_for("topics.TopicItem", topic=str(topic.id))}


TOPIC_PARAMETER = reference_parameter("topic", "ukraine-territorial-integrity")


@blp.route("/<topic>", parameters=[TOPIC_PARAMETER])
@blp.etag
class TopicItem(MethodView):
    @blp.doc(operationId="get_topic", summary="Get a topic", description="By id or slug.")
    @blp.arguments(AsOfQuerySchema, location="query")
    @blp.response(200, TopicSchema)
    @blp.problems(404)
    def get(self, args: dict[str, Any], topic: str) -> Topic | Response:
        if (as_of := args.get("as_of")) is not None:
            return past_state(blp, "topic", record_id_for(Topic, topic, "topic"), as_of)
        return service.get_topic(get_session(), topic)

    @blp.doc(
        operationId="update_topic",
        summary="Update a topic",
        description="Only the fields sent change.",
    )
    @blp.arguments(patch_schema(TopicSchema))
    @blp.response(200, TopicSchema)
    @blp.problems(404, 409, 412)
    def patch(self, changes: dict[str, Any], topic: str) -> Topic:
        session = get_session()
        current = service.get_topic(session, topic, for_update=True)
        blp.check_etag(current, TopicSchema)
        return service.update_topic(session, current, changes)

    @blp.doc(
        operationId="delete_topic",
        summary="Delete a topic",
        description="409 while statements or events refer to it.",
    )
    @blp.response(204)
    @blp.problems(404, 409, 412)
    def delete(self, topic: str) -> None:
        session = get_session()
        current = service.get_topic(session, topic, for_update=True)
        blp.check_etag(current, TopicSchema)
        service.delete_topic(session, current)


add_revisions_route(blp, Topic, "topic", TOPIC_PARAMETER)
