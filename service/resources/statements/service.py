"""Recording and finding statements."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session, joinedload, selectinload

from service.data.pagination import Page, PageRequest, SortOrder, fetch_page, page_query
from service.data.search import SEARCHABLE, Searchable, register_searchable, relevance_order, search_sort
from service.fast.driver import ReadQuery
from service.problems import NotFound
from service.references.embedded import ACTOR_REFERENCE, EVENT_REFERENCE, TOPIC_REFERENCE
from service.references.filters import ReferenceFilter, ReferenceFilters
from service.references.lookup import get_by_reference, parse_uuid, unknown
from service.references.referrers import count_where, register_referrer
from service.resources.actors.models import Actor
from service.resources.events.models import Event
from service.resources.records import Embedded, Found, Many, One, Rows, Writes, copy_fields
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

SOURCE = Embedded("source", ("url", "title", "publisher", "author", "published_at"))
REPOSTED_FROM = Embedded("reposted_from", ("name", "handle", "url"))

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


class StatementWrites(Writes[Statement]):
    def apply(
        self, statement: Statement, data: dict[str, Any], found: Found, *, creating: bool, tracked: bool
    ) -> None:
        self.apply_references(statement, data, found, creating=creating, tracked=tracked)
        copy_fields(statement, data, ("text", "kind", "language"))
        said = changed_world_date(
            data, "said_at", "said_at_precision", statement.said_at, statement.said_at_precision
        )
        assert said is not None  # said_at is required on create and cannot be set to null
        statement.said_at, statement.said_at_precision = said
        sourced = SOURCE.apply(statement, data)
        if sourced and statement.source_published_at is not None:
            statement.source_published_at = to_instant(statement.source_published_at)
        REPOSTED_FROM.apply(statement, data)
        if "article_id" in data:  # set by accepting an article's draft, never by a client
            statement.article_id = data["article_id"]
            statement.article_span_start, statement.article_span_end = data["span_start"], data["span_end"]
        # Positions carry the statement's actor and date for the analysis indexes.
        for position in statement.positions:
            position.actor_id, position.said_at = statement.actor_id, statement.said_at


WRITES = StatementWrites(
    Statement,
    NOUN,
    HISTORY,
    One("actor", Actor, "actor"),
    One("event", Event, "event"),
    Rows(
        "positions",
        key="topic",
        model=Topic,
        noun="topic",
        row_model=StatementPosition,
        values=("value", "confidence"),
        twice=DUPLICATE_TOPIC,
        order=lambda position: position.topic_id,
    ),
    Many("mentions", Actor, "actor", order=lambda mentioned: mentioned.slug),
)
new_statement = WRITES.new
record_statement = WRITES.create
update_statement = WRITES.update
delete_statement = WRITES.delete
