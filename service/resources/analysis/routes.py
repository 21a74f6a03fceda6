"""HTTP routes for the analysis of actors' positions over time."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Response, request
from flask.views import MethodView

from service.data.pagination import Page, PageRequest
from service.data.sessions import get_session
from service.resources.analysis import service
from service.resources.analysis.chart import render as chart_svg
from service.resources.analysis.schemas import (
    AlignmentQuerySchema,
    AlignmentSchema,
    PositionPointSchema,
    PositionsChartQuerySchema,
    PositionsQuerySchema,
    ShiftSchema,
    ShiftsQuerySchema,
    StanceSchema,
    StancesQuerySchema,
    TimelineItemSchema,
    TimelineQuerySchema,
)
from service.web.blueprint import Blueprint, reference_parameter

blp = Blueprint(
    "analysis",
    __name__,
    url_prefix="/api/v1",
    description="Timelines, positions over time, shifts and the events between them, stances, alignment.",
)

ACTOR = reference_parameter("actor", "donald-trump")
TOPIC = reference_parameter("topic", "ukraine-territorial-integrity")


@blp.route("/actors/<actor>/timeline", parameters=[ACTOR])
class ActorTimeline(MethodView):
    @blp.doc(
        operationId="get_actor_timeline",
        summary="An actor's timeline",
        description="The actor's statements and the events it took part in, merged in time order "
        "(statements by `said_at`, events by `start`). `since`/`until` keep statements said in the "
        "range and events overlapping it.",
    )
    @blp.arguments(TimelineQuerySchema, location="query")
    @blp.paginated(TimelineItemSchema)
    @blp.problems(404)
    def get(self, args: dict[str, Any], actor: str, page: PageRequest) -> Page[Any]:
        return service.actor_timeline(get_session(), actor, args, page)


def _chart_link() -> str:
    query = urlencode(
        [(name, value) for name, value in request.args.items() if name in ("topic", "since", "until")]
    )
    return f'<{request.base_url}.svg?{query}>; rel="alternate"; type="image/svg+xml"'


@blp.route("/actors/<actor>/positions", parameters=[ACTOR])
class ActorPositions(MethodView):
    @blp.doc(
        operationId="get_actor_positions",
        summary="An actor's positions on a topic over time",
        description="Oldest first, each with its statement. A statement known only to the month or "
        "year is dated at the start of that period.",
    )
    @blp.arguments(PositionsQuerySchema, location="query")
    @blp.paginated(PositionPointSchema, alternate=_chart_link)
    @blp.problems(404)
    def get(self, args: dict[str, Any], actor: str, page: PageRequest) -> Page[Any]:
        return service.actor_positions(get_session(), actor, args, page)


@blp.route("/actors/<actor>/positions.svg", parameters=[ACTOR])
class ActorPositionsChart(MethodView):
    @blp.doc(
        operationId="get_actor_positions_chart",
        summary="A chart of an actor's positions on a topic",
        description="An SVG image: the positions over time between the topic's two poles, the shifts "
        "among them (shaded) and the events between shifted positions (dashed red lines); every point, "
        "shift and event has a tooltip. The JSON positions list links to it "
        '(`Link: <...positions.svg?topic=...>; rel="alternate"; type="image/svg+xml"`).',
        responses={
            "200": {
                "description": "The chart.",
                "content": {"image/svg+xml": {"schema": {"type": "string", "format": "binary"}}},
            }
        },
    )
    @blp.arguments(PositionsChartQuerySchema, location="query")
    @blp.problems(404)
    def get(self, args: dict[str, Any], actor: str) -> Response:
        chart = chart_svg(service.positions_chart(get_session(), actor, args))
        return Response(chart, mimetype="image/svg+xml")


@blp.route("/actors/<actor>/shifts", parameters=[ACTOR])
class ActorShifts(MethodView):
    @blp.doc(
        operationId="get_actor_shifts",
        summary="Where an actor's position shifted, and what happened in between",
        description="Positions on the same UTC day are one daily position: their confidence-weighted "
        "mean. A shift is two consecutive daily positions on one topic that differ by at least "
        "`min_delta`. Positions are dated at the start of their period (a month-precise statement "
        "at the 1st). `events_between` are the events overlapping the window from `lookback_days` "
        "before the earlier position to the end of the later position's day (or month, or year), "
        "that the actor took part in, that are tagged with the topic, or that an actor mentioned "
        "by either side's statements took part in. Ordered by topic, then date.",
    )
    @blp.arguments(ShiftsQuerySchema, location="query")
    @blp.paginated(ShiftSchema)
    @blp.problems(404)
    def get(self, args: dict[str, Any], actor: str, page: PageRequest) -> Page[Any]:
        return service.actor_shifts(get_session(), actor, args, page)


@blp.route("/topics/<topic>/stances", parameters=[TOPIC])
class TopicStances(MethodView):
    @blp.doc(
        operationId="get_topic_stances",
        summary="Who stands where on a topic at a date",
        description="Each actor's latest position as of `at` (ties: higher confidence, then the "
        "later-recorded statement), ordered from the negative pole to the positive.",
    )
    @blp.arguments(StancesQuerySchema, location="query")
    @blp.paginated(StanceSchema)
    @blp.problems(404)
    def get(self, args: dict[str, Any], topic: str, page: PageRequest) -> Page[Any]:
        return service.topic_stances(get_session(), topic, args, page)


@blp.route("/topics/<topic>/alignment", parameters=[TOPIC])
class TopicAlignment(MethodView):
    @blp.doc(
        operationId="get_topic_alignment",
        summary="How close two actors' positions on a topic were, month by month",
        description="For each month from the first in which both have a position to the last in "
        "which either has one: each actor's latest position by the end of that month (carried "
        "forward), and their distance; `trend` compares the first and last months.",
    )
    @blp.arguments(AlignmentQuerySchema, location="query")
    @blp.response(200, AlignmentSchema)
    @blp.problems(404)
    def get(self, args: dict[str, Any], topic: str) -> Any:
        return service.topic_alignment(get_session(), topic, args["actors"])
