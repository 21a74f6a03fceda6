"""Recording and finding events."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload, selectinload, with_expression

from service.data.pagination import Page, PageRequest, SortOrder, fetch_page
from service.data.search import register_searchable, relevance_order, searched
from service.problems import ValidationFailed
from service.references.embedded import ACTOR_REFERENCE, EVENT_REFERENCE, TOPIC_REFERENCE
from service.references.filters import ReferenceFilter, ReferenceFilters
from service.references.lookup import FieldReferences, get_by_reference
from service.references.referrers import count_where, register_referrer
from service.resources.actors.models import Actor
from service.resources.events.models import Event, EventParticipant, event_topics
from service.resources.events.schemas import EventSchema
from service.resources.records import Embedded, Found, Many, One, Rows, Writes, copy_fields
from service.resources.revisions.service import History
from service.resources.topics.models import Topic
from service.values.dates import changed_world_date, period_end, plain_source, range_end, range_start

NOUN = "event"
register_searchable("events", Event.id)
HISTORY = History("event", EventSchema)
ORDERS = {
    "-start": SortOrder("events", "-start", (Event.start_at, Event.id), descending=True),
    "start": SortOrder("events", "start", (Event.start_at, Event.id)),
}
MAX_PARENT_DEPTH = 100
LOCATION = Embedded("location", ("name", "country_code", "lat", "lon"))

register_referrer("actors", "event_participations", count_where(EventParticipant.actor_id))
register_referrer("topics", "events", count_where(event_topics.c.topic_id))
register_referrer("events", "child_events", count_where(Event.parent_id))

_LOAD = (
    ACTOR_REFERENCE.load(selectinload(Event.participants).joinedload(EventParticipant.actor), Actor),
    TOPIC_REFERENCE.load(selectinload(Event.topics), Topic),
    EVENT_REFERENCE.load(joinedload(Event.parent), Event),
)

EVENT_REFERENCES = _LOAD


def _with_references(statement: Select[Any]) -> Select[Any]:
    return statement.options(*_LOAD)


# Filters that name a record, by id or slug.
REFERENCE_FILTERS = ReferenceFilters(
    ReferenceFilter(
        "participant",
        Actor,
        "actor",
        lambda actor_id: Event.id.in_(
            select(EventParticipant.event_id).where(EventParticipant.actor_id == actor_id)
        ),
    ),
    ReferenceFilter(
        "topic",
        Topic,
        "topic",
        lambda topic_id: Event.id.in_(
            select(event_topics.c.event_id).where(event_topics.c.topic_id == topic_id)
        ),
    ),
)


def list_events(session: Session, filters: dict[str, Any], page: PageRequest) -> Page[Event]:
    references = REFERENCE_FILTERS.resolve(session, filters)  # 422 first, for one that names no record
    statement = REFERENCE_FILTERS.where(_with_references(select(Event)), references.shape)
    if kind := filters.get("kind"):
        statement = statement.where(Event.kind == kind)
    if country_code := filters.get("country_code"):
        statement = statement.where(Event.location_country_code == country_code)
    if (since := filters.get("since")) is not None:
        statement = statement.where(Event.ends_before > range_start(since))
    if (until := filters.get("until")) is not None:
        statement = statement.where(Event.start_at < range_end(until))
    statement, sort, relevance, searched_for = searched(session, statement, filters, "-start")
    parameters = {**references.values, **searched_for}
    if relevance is not None:  # each event answers its relevance
        statement = statement.options(with_expression(Event.relevance, relevance))
    if relevance is not None and sort == "relevance":
        order = relevance_order("events", relevance, Event.id)
        return fetch_page(
            session,
            statement,
            order,
            page,
            key_of=lambda found: (found.relevance, found.id),
            parameters=parameters,
        )
    return fetch_page(session, statement, ORDERS[sort], page, parameters=parameters)


def get_event(session: Session, event_id: str, *, for_update: bool = False) -> Event:
    """An event by its id (a path parameter): 404 when there is none.

    `for_update` locks its row until the transaction ends."""
    return get_by_reference(session, Event, event_id, NOUN, for_update=for_update, options=_LOAD)


class EventWrites(Writes[Event]):
    def prepare(
        self,
        session: Session,
        event: Event,
        data: dict[str, Any],
        found: Found,
        references: FieldReferences,
        *,
        creating: bool,
    ) -> None:
        parent = found["parent"]
        # A new event has no descendants yet, so only an existing one can be made part of itself.
        if parent is not None and not creating and _would_cycle(session, event.id, parent):
            references.reject("parent", "This parent would make the event part of itself.")

    def apply(
        self, event: Event, data: dict[str, Any], found: Found, *, creating: bool, tracked: bool
    ) -> None:
        start = changed_world_date(data, "start_at", "start_precision", event.start_at, event.start_precision)
        end = changed_world_date(data, "end_at", "end_precision", event.end_at, event.end_precision)
        if start is None:
            raise ValidationFailed({"start": ["An event needs a start."]})
        if end is not None and end[0] < start[0]:
            raise ValidationFailed({"end": ["The end must not be before the start."]})
        copy_fields(event, data, ("title", "kind", "description"))
        if creating or "sources" in data:
            event.sources = [plain_source(source) for source in data.get("sources") or []]
        LOCATION.apply(event, data)
        event.start_at, event.start_precision = start
        event.end_at, event.end_precision = end if end is not None else (None, None)
        event.ends_before = period_end(*(end or start))
        self.apply_references(event, data, found, creating=creating, tracked=tracked)


WRITES = EventWrites(
    Event,
    NOUN,
    HISTORY,
    Rows(
        "participants",
        key="actor",
        model=Actor,
        noun="actor",
        row_model=EventParticipant,
        values=("role",),
        twice="This actor already takes part in the event.",
        order=lambda participant: (participant.role.value, participant.actor_id.hex),
    ),
    Many("topics", Topic, "topic", order=lambda topic: topic.slug),
    One("parent", Event, "event"),
)
new_event = WRITES.new
record_event = WRITES.create
update_event = WRITES.update
delete_event = WRITES.delete


def _would_cycle(session: Session, event_id: uuid.UUID, parent: Event) -> bool:
    """True when `parent` is `event_id` itself or one of its descendants."""
    current: uuid.UUID | None = parent.id
    for _ in range(MAX_PARENT_DEPTH):
        if current is None:
            return False
        if current == event_id:
            return True
        current = session.scalar(select(Event.parent_id).where(Event.id == current))
    return True
