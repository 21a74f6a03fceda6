"""Recording and finding events."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload, selectinload, with_expression

from service.data.base import assign, new_id
from service.data.pagination import Page, PageRequest, SortOrder, fetch_page
from service.data.search import register_searchable, relevance_order, searched
from service.problems import ValidationFailed
from service.references.embedded import ACTOR_REFERENCE, EVENT_REFERENCE, TOPIC_REFERENCE
from service.references.filters import ReferenceFilter, ReferenceFilters
from service.references.lookup import FieldReferences, get_by_reference
from service.references.referrers import count_where, ensure_unreferenced, register_referrer
from service.resources.actors.models import Actor
from service.resources.events.models import Event, EventParticipant, event_topics
from service.resources.events.schemas import EventSchema
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


def new_event(
    session: Session, data: dict[str, Any], references: FieldReferences | None = None, *, tracked: bool = True
) -> Event:
    """The event a create request describes, not yet added to the session (422 if it cannot
    be). `references` resolves its participants, topics and parent (by default, one query each)."""
    event = Event(id=data.pop("id", None) or new_id())
    _apply(session, event, data, creating=True, references=references, tracked=tracked)
    return event


def record_event(session: Session, data: dict[str, Any]) -> Event:
    event = new_event(session, data)
    session.add(event)
    HISTORY.created(session, event)
    session.commit()
    return event


def update_event(session: Session, event: Event, changes: dict[str, Any]) -> Event:
    before = HISTORY.snapshot(event)
    _apply(session, event, changes, creating=False)
    HISTORY.updated(session, event, before)
    session.commit()
    return event


def delete_event(session: Session, event: Event) -> None:
    ensure_unreferenced(session, "events", event.id, NOUN)
    HISTORY.deleted(session, event)
    session.delete(event)
    session.commit()


def _apply(
    session: Session,
    event: Event,
    data: dict[str, Any],
    *,
    creating: bool,
    references: FieldReferences | None = None,
    tracked: bool = True,
) -> None:
    """Validate what the request sets against the data, then set it (all or nothing)."""
    references = references if references is not None else FieldReferences(session)
    participants: list[EventParticipant] | None = None
    topics: list[Topic] | None = None
    parent: Event | None = None
    if "participants" in data:
        # Keep the rows of actors that stay (same key), so the flush updates rather than re-inserts.
        existing = {p.actor_id: p for p in ([] if creating else event.participants)}
        participants = []
        for index, item in enumerate(data["participants"] or []):
            actor = references.resolve(Actor, item["actor"], f"participants.{index}.actor", "actor")
            if actor is not None and any(p.actor_id == actor.id for p in participants):
                references.reject(
                    f"participants.{index}.actor", "This actor already takes part in the event."
                )
            elif actor is not None:
                participant = existing.get(actor.id)
                if participant is None:
                    participant = EventParticipant(actor_id=actor.id)
                    assign(participant, "actor", actor, tracked=tracked)
                participant.role = item["role"]
                participants.append(participant)
    if "topics" in data:
        topics = []
        for index, ref in enumerate(data["topics"] or []):
            topic = references.resolve(Topic, ref, f"topics.{index}", "topic")
            if topic is not None and topic not in topics:
                topics.append(topic)
    if data.get("parent") is not None:
        parent = references.resolve(Event, data["parent"], "parent", "event")
        # A new event has no descendants yet, so only an existing one can be made part of itself.
        if parent is not None and not creating and _would_cycle(session, event.id, parent):
            references.reject("parent", "This parent would make the event part of itself.")
    references.raise_if_any()

    start = changed_world_date(data, "start_at", "start_precision", event.start_at, event.start_precision)
    end = changed_world_date(data, "end_at", "end_precision", event.end_at, event.end_precision)
    if start is None:
        raise ValidationFailed({"start": ["An event needs a start."]})
    if end is not None and end[0] < start[0]:
        raise ValidationFailed({"end": ["The end must not be before the start."]})

    for name in ("title", "kind", "description"):
        if name in data:
            setattr(event, name, data[name])
    if creating or "sources" in data:
        event.sources = [plain_source(source) for source in data.get("sources") or []]
    if "location" in data:
        location = data["location"] or {}
        event.location_name = location.get("name")
        event.location_country_code = location.get("country_code")
        event.location_lat = location.get("lat")
        event.location_lon = location.get("lon")
    event.start_at, event.start_precision = start
    event.end_at, event.end_precision = end if end is not None else (None, None)
    event.ends_before = period_end(*(end or start))
    if participants is not None:
        # In the order they are loaded in, so that answers to writes and reads agree.
        ordered = sorted(participants, key=lambda p: (p.role.value, p.actor_id.hex))
        assign(event, "participants", ordered, tracked=tracked)
    elif creating:
        assign(event, "participants", [], tracked=tracked)
    if topics is not None:
        assign(event, "topics", sorted(topics, key=lambda topic: topic.slug), tracked=tracked)
    elif creating:
        assign(event, "topics", [], tracked=tracked)
    if "parent" in data:
        assign(event, "parent", parent, tracked=tracked)
        event.parent_id = parent.id if parent is not None else None
    elif creating:
        assign(event, "parent", None, tracked=tracked)


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
