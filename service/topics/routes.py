"""HTTP routes for topics: decode input, call one service function, return its result."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask.views import MethodView

from service.db import get_session
from service.pagination import Page, PageRequest
from service.smorest import LOCATION_HEADER, Blueprint, patch_schema, reference_parameter
from service.topics import service
from service.topics.models import Topic
from service.topics.schemas import TopicQuerySchema, TopicSchema

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
        description="Topics in slug order, filtered.",
    )
    @blp.arguments(TopicQuerySchema, location="query")
    @blp.paginated(TopicSchema)
    def get(self, args: dict[str, Any]) -> Page[Topic]:
        page = PageRequest.from_args(args)
        return service.list_topics(get_session(), args, page)

    @blp.doc(
        operationId="create_topic",
        summary="Create a topic",
        description="The slug is made from the name when not given.",
    )
    @blp.arguments(TopicSchema)
    @blp.response(201, TopicSchema, headers={"Location": LOCATION_HEADER})
    @blp.problems(409)
    def post(self, data: dict[str, Any]) -> tuple[Topic, int, dict[str, str]]:
        topic = service.create_topic(get_session(), data)
        return topic, 201, {"Location": url_for("topics.TopicItem", topic=str(topic.id))}


@blp.route("/<topic>", parameters=[reference_parameter("topic", "ukraine-territorial-integrity")])
class TopicItem(MethodView):
    @blp.doc(operationId="get_topic", summary="Get a topic", description="By id or slug.")
    @blp.response(200, TopicSchema)
    @blp.problems(404)
    def get(self, topic: str) -> Topic:
        return service.get_topic(get_session(), topic)

    @blp.doc(
        operationId="update_topic",
        summary="Update a topic",
        description="Only the fields sent change.",
    )
    @blp.arguments(patch_schema(TopicSchema))
    @blp.response(200, TopicSchema)
    @blp.problems(404, 409)
    def patch(self, changes: dict[str, Any], topic: str) -> Topic:
        return service.update_topic(get_session(), topic, changes)

    @blp.doc(
        operationId="delete_topic",
        summary="Delete a topic",
        description="409 while statements or events refer to it.",
    )
    @blp.response(204)
    @blp.problems(404, 409)
    def delete(self, topic: str) -> None:
        service.delete_topic(get_session(), topic)
