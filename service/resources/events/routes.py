"""HTTP routes for events."""

from __future__ import annotations

from typing import Any

from flask import Response, url_for
from flask.views import MethodView

from service.data.pagination import Page, PageRequest
from service.data.sessions import get_session
from service.resources.events import service
from service.resources.events.models import Event
from service.resources.events.schemas import (
    EVENT_CREATE_EXAMPLE,
    EventCreateSchema,
    EventQuerySchema,
    EventSchema,
)
from service.resources.revisions.routes import add_revisions_route, past_state, record_id_for
from service.resources.revisions.schemas import AsOfQuerySchema
from service.values.examples import seed_id_text
from service.web.blueprint import LOCATION_HEADER, Blueprint, id_parameter, patch_schema

blp = Blueprint(
    "events",
    __name__,
    url_prefix="/api/v1/events",
    description="Summits, meetings, speeches, attacks, annexations, agreements... with participants.",
)


@blp.route("")
class EventCollection(MethodView):
    @blp.doc(
        operationId="list_events",
        summary="List events",
        description="Latest first unless `sort=start`. `since`/`until` select events whose time "
        "(start to end, at their precision) overlaps the range.",
    )
    @blp.arguments(EventQuerySchema, location="query")
    @blp.paginated(EventSchema)
    def get(self, args: dict[str, Any], page: PageRequest) -> Page[Event]:
        return service.list_events(get_session(), args, page)

    @blp.doc(
        operationId="create_event",
        summary="Record an event",
        description="Participants, topics and the parent are ids or slugs (the parent an event id); "
        "the end is not before the start.",
    )
    @blp.etag
    @blp.arguments(EventCreateSchema, example=EVENT_CREATE_EXAMPLE)
    @blp.response(201, EventSchema, headers={"Location": LOCATION_HEADER})
    def post(self, data: dict[str, Any]) -> tuple[Event, int, dict[str, str]]:
        event = service.record_event(get_session(), data)
        return event, 201, {"Location": url_for("events.EventItem", event=str(event.id))}


EVENT_PARAMETER = id_parameter("event", seed_id_text("events", "alaska-summit"))


@blp.route("/<event>", parameters=[EVENT_PARAMETER])
@blp.etag
class EventItem(MethodView):
    @blp.doc(
        operationId="get_event",
        summary="Get an event",
        description="With its participants, topics and sources; `as_of` gives it as it was then.",
    )
    @blp.arguments(AsOfQuerySchema, location="query")
    @blp.response(200, EventSchema)
    @blp.problems(404)
    def get(self, args: dict[str, Any], event: str) -> Event | Response:
        if (as_of := args.get("as_of")) is not None:
            return past_state(blp, "event", record_id_for(Event, event, "event"), as_of)
        return service.get_event(get_session(), event)

    @blp.doc(
        operationId="update_event",
        summary="Update an event",
        description="Only the fields sent change; `participants`, `topics` and `sources`, "
        "when sent, replace the lists.",
    )
    @blp.arguments(patch_schema(EventCreateSchema))
    @blp.response(200, EventSchema)
    @blp.problems(404, 412)
    def patch(self, changes: dict[str, Any], event: str) -> Event:
        session = get_session()
        current = service.get_event(session, event, for_update=True)
        blp.check_etag(current, EventSchema)
        return service.update_event(session, current, changes)

    @blp.doc(
        operationId="delete_event",
        summary="Delete an event",
        description="409 while statements or child events refer to it.",
    )
    @blp.response(204)
    @blp.problems(404, 409, 412)
    def delete(self, event: str) -> None:
        session = get_session()
        current = service.get_event(session, event, for_update=True)
        blp.check_etag(current, EventSchema)
        service.delete_event(session, current)


add_revisions_route(blp, Event, "event", EVENT_PARAMETER)
