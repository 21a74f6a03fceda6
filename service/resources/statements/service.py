"""Recording and finding statements."""

from __future__ import annotations

import uuid
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session, joinedload, selectinload

from service.data.base import assign, new_id
from service.data.pagination import Page, PageRequest, SortOrder, fetch_page, page_query
from service.data.search import SEARCHABLE, Searchable, register_searchable, relevance_order, search_sort
from service.fast.driver import ReadQuery
from service.problems import NotFound
from service.references.embedded import ACTOR_REFERENCE, EVENT_REFERENCE, TOPIC_REFERENCE
from service.references.filters import ReferenceFilter, ReferenceFilters
from service.references.lookup import FieldReferences, get_by_reference, parse_uuid, unknown
from service.references.referrers import count_where, ensure_unreferenced, register_referrer
from service.resources.actors.models import Actor
from service.resources.events.models import Event
from service.resources.revisions.service import History
from service.resources.statements.models import Statement, StatementPosition, statement_mentions
from service.resources.statements.schemas import DUPLICATE_TOPIC, StatementSchema
from service.resources.statements.views import as_rows, page_with_references, read_one, statement_answers
from service.resources.topics.models import Topic
from service.values.dates import changed_world_date, range_end, range_start, to_instant

NOUN = "statement"
register_searchable("statements", Statement.id)
HISTORY = History("statement", StatementSchema)
ORDERS = {
    "-said_at": SortOrder("statements", "-said_at", (Statement.said_at, Statement.id), descending=True),
    "said_at": SortOrder("statements", "said_at", (Statement.said_at, Statement.id)),
}

register_referrer("actors", "statements", count_where(Statement.actor_id))
register_referrer("actors", "statement_mentions", count_where(statement_mentions.c.actor_id))
register_referrer("topics", "statement_positions", count_where(StatementPosition.topic_id))
register_referrer("events", "statements", count_where(Statement.event_id))

SOURCE_FIELDS = ("url", "title", "publisher", "author", "published_at")
REPOSTED_FROM_FIELDS = ("name", "handle", "url")

# Every reference an answer embeds, loaded in a fixed number of queries whatever the page size.
_LOAD = (
    ACTOR_REFERENCE.load(joinedload(Statement.actor), Actor),
    EVENT_REFERENCE.load(joinedload(Statement.event), Event),
    TOPIC_REFERENCE.load(selectinload(Statement.positions).joinedload(StatementPosition.topic), Topic),
    ACTOR_REFERENCE.load(selectinload(Statement.mentions), Actor),
)


def with_references(statement: Select[Any]) -> Select[Any]:
    return statement.options(*_LOAD)


# Filters that name a record, by id or slug (an event by id).
REFERENCE_FILTERS = ReferenceFilters(
    ReferenceFilter("actor", Actor, "actor", lambda actor_id: Statement.actor_id == actor_id),
    ReferenceFilter(
        "topic",
        Topic,
        "topic",
        lambda topic_id: Statement.id.in_(
            select(StatementPosition.statement_id).where(StatementPosition.topic_id == topic_id)
        ),
    ),
    ReferenceFilter(
        "mentions",
        Actor,
        "actor",
        lambda actor_id: Statement.id.in_(
            select(statement_mentions.c.statement_id).where(statement_mentions.c.actor_id == actor_id)
        ),
    ),
    ReferenceFilter("event", Event, "event", lambda event_id: Statement.event_id == event_id),
)
_VALUE_FILTERS = {
    "kind": Statement.kind == bindparam("kind", type_=Statement.kind.type),
    "since": Statement.said_at >= bindparam("since", type_=Statement.said_at.type),
    "until": Statement.said_at < bindparam("until", type_=Statement.said_at.type),
}


def list_statements(session: Session, filters: dict[str, Any], page: PageRequest) -> Page[Any]:
    """A page of statements as the list answers them (`views`).

    The query is built once for each combination of filters, sort and dialect, with every
    value bound when it runs: building it took as long as running it. References are bound as
    `REFERENCE_FILTERS` gives them, so the (x, said_at, id) indexes serve the order; only when
    the page is empty are they looked up, to answer 422 for one that names no record.
    """
    sort = search_sort(filters, "-said_at")
    dialect = session.get_bind().dialect.name
    references = REFERENCE_FILTERS.bind(filters)
    parameters = dict(references.values)
    given = tuple(name for name in _VALUE_FILTERS if filters.get(name) is not None)
    if "kind" in given:
        parameters["kind"] = filters["kind"]
    if "since" in given:
        parameters["since"] = range_start(filters["since"])
    if "until" in given:
        parameters["until"] = range_end(filters["until"])
    if q := filters.get("q"):
        parameters.update(Searchable.parameters(dialect, q))
    query, order = _list_query(references.shape, given, bool(q), sort, bool(page.cursor), dialect)
    key_of = _relevance_key if sort == "relevance" else None
    found = fetch_page(session, query, order, page, parameters=parameters, key_of=key_of)
    if not found.items:
        REFERENCE_FILTERS.resolve(session, filters)  # 422 if one names no record
    return Page(statement_answers(session, found.items), found.next_cursor)


@lru_cache(maxsize=512)
def _list_query(
    references: tuple[tuple[str, bool], ...],
    given: tuple[str, ...],
    q: bool,
    sort: str,
    after_cursor: bool,
    dialect: str,
) -> tuple[ReadQuery, SortOrder]:
    """The query of one page of a list with these filters (`references` as `BoundFilters.shape`
    gives them; `given` values), and its order."""
    statement = REFERENCE_FILTERS.where(select(Statement), references)
    for name in given:
        statement = statement.where(_VALUE_FILTERS[name])
    relevance = None
    if q:
        matches, relevance = SEARCHABLE["statements"].match(dialect)
        statement = statement.where(matches)
        relevance = relevance.label("relevance")  # a column of the page, to order it again by
    if relevance is not None and sort == "relevance":
        order = relevance_order("statements", relevance, Statement.id)
    else:
        order = ORDERS[sort]
    rows = as_rows(statement, relevance)
    return ReadQuery(page_query(rows, order, after_cursor=after_cursor, around=page_with_references)), order


def _relevance_key(found: Any) -> tuple[Any, ...]:
    return (found.relevance, found.id)


def read_statement(session: Session, statement_id: str) -> Any:
    """A statement as GET answers it (`views`): 404 when there is none."""
    parsed = parse_uuid(statement_id)
    found = read_one(session, parsed) if parsed else None
    if found is None:
        raise NotFound(unknown(NOUN, statement_id, by_slug=False))
    return found


def get_statement(session: Session, statement_id: str, *, for_update: bool = False) -> Statement:
    """A statement by its id; `for_update` locks its row until the transaction ends."""
    return get_by_reference(session, Statement, statement_id, NOUN, for_update=for_update, options=_LOAD)


def new_statement(
    session: Session, data: dict[str, Any], references: FieldReferences | None = None, *, tracked: bool = True
) -> Statement:
    """The statement a create request describes, not yet added to the session (422 if it cannot
    be). `references` resolves its actors, topics and event (by default, one query each);
    `tracked` as for `service.data.base.assign`."""
    statement = Statement(id=data.pop("id", None) or new_id())
    _apply(session, statement, data, creating=True, references=references, tracked=tracked)
    return statement


def record_statement(session: Session, data: dict[str, Any]) -> Statement:
    statement = new_statement(session, data)
    session.add(statement)
    HISTORY.created(session, statement)
    session.commit()
    return statement


def update_statement(session: Session, statement: Statement, changes: dict[str, Any]) -> Statement:
    before = HISTORY.snapshot(statement)
    _apply(session, statement, changes, creating=False)
    HISTORY.updated(session, statement, before)
    session.commit()
    return statement


def delete_statement(session: Session, statement: Statement) -> None:
    ensure_unreferenced(session, "statements", statement.id, NOUN)
    HISTORY.deleted(session, statement)
    session.delete(statement)
    session.commit()


def _apply(
    session: Session,
    statement: Statement,
    data: dict[str, Any],
    *,
    creating: bool,
    references: FieldReferences | None = None,
    tracked: bool = True,
) -> None:
    """Check every reference first (one 422 lists them all), then set what the request sets."""
    references = references if references is not None else FieldReferences(session)
    actor = statement.actor if not creating else None
    if "actor" in data:
        actor = references.resolve(Actor, data["actor"], "actor", "actor")
    event = None
    if data.get("event") is not None:
        event = references.resolve(Event, data["event"], "event", "event")
    positions: list[tuple[Topic, dict[str, Any]]] | None = None
    if "positions" in data:
        positions = []
        seen: set[uuid.UUID] = set()
        for index, item in enumerate(data["positions"] or []):
            topic = references.resolve(Topic, item["topic"], f"positions.{index}.topic", "topic")
            if topic is not None and topic.id in seen:
                references.reject(f"positions.{index}.topic", DUPLICATE_TOPIC)
            elif topic is not None:
                seen.add(topic.id)
                positions.append((topic, item))
    mentions: list[Actor] | None = None
    if "mentions" in data:
        mentions = []
        for index, ref in enumerate(data["mentions"] or []):
            mentioned = references.resolve(Actor, ref, f"mentions.{index}", "actor")
            if mentioned is not None and mentioned not in mentions:
                mentions.append(mentioned)
    references.raise_if_any()
    assert actor is not None

    assign(statement, "actor", actor, tracked=tracked)
    statement.actor_id = actor.id
    for name in ("text", "kind", "language"):
        if name in data:
            setattr(statement, name, data[name])
    said = changed_world_date(
        data, "said_at", "said_at_precision", statement.said_at, statement.said_at_precision
    )
    assert said is not None  # said_at is required on create and cannot be set to null
    statement.said_at, statement.said_at_precision = said
    if creating or "source" in data:
        source = data.get("source") or {}
        for name in SOURCE_FIELDS:
            setattr(statement, f"source_{name}", source.get(name))
        if statement.source_published_at is not None:
            statement.source_published_at = to_instant(statement.source_published_at)
    if creating or "reposted_from" in data:
        original = data.get("reposted_from") or {}
        for name in REPOSTED_FROM_FIELDS:
            setattr(statement, f"reposted_from_{name}", original.get(name))
    if creating or "event" in data:
        assign(statement, "event", event, tracked=tracked)
        statement.event_id = event.id if event is not None else None
    if "article_id" in data:  # set by accepting an article's draft, never by a client
        statement.article_id = data["article_id"]
        statement.article_span_start, statement.article_span_end = data["span_start"], data["span_end"]
    if creating or mentions is not None:
        ordered = sorted(mentions or [], key=lambda mentioned: mentioned.slug)  # as loaded
        assign(statement, "mentions", ordered, tracked=tracked)
    if creating or positions is not None:
        # Keep the rows of topics that stay (same key), so the flush updates rather than re-inserts.
        existing = {position.topic_id: position for position in ([] if creating else statement.positions)}
        kept = []
        for topic, item in positions or []:
            position = existing.get(topic.id)
            if position is None:
                position = StatementPosition(topic_id=topic.id)
                assign(position, "topic", topic, tracked=tracked)
            position.value, position.confidence = item["value"], item["confidence"]
            kept.append(position)
        assign(statement, "positions", sorted(kept, key=lambda position: position.topic_id), tracked=tracked)
    # Positions carry the statement's actor and date for the analysis indexes.
    for position in statement.positions:
        position.actor_id, position.said_at = actor.id, statement.said_at
