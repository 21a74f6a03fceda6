"""Statements as GET and the list answer them, read as rows rather than ORM objects.

An answer needs a statement's columns and the id, slug and name (or title) of what it refers
to. Loading them as ORM objects (instances, identity map, state and collections) costs more
than the database's work, so they are read as rows; and round trips are few: GET reads the
statement with its actor, event, positions and mentions in one query (a row for each part, the
statement's columns repeated); a list reads its page with actor and event (joined around the
cut page), then the positions and mentions of the whole page in one more, with the ids as
parameters. Each query is built once, as a ReadQuery (service/fast/driver.py: on PostgreSQL it
runs on the driver's cursor). The answers are written from the rows by the writers that write
StatementSchema's dump of an ORM record (service/fast/answers.py's registry).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, Subquery, bindparam, case, literal, null, select, union_all
from sqlalchemy.orm import Session

from service.data.dialects import in_ids
from service.fast.answers import AS_VALUES, Represented, reference_writer
from service.fast.driver import ReadQuery
from service.references.embedded import ACTOR_REFERENCE, EVENT_REFERENCE, TOPIC_REFERENCE, labelled
from service.resources.actors.models import Actor
from service.resources.events.models import Event
from service.resources.statements.models import Statement, StatementPosition, statement_mentions
from service.resources.statements.schemas import represent_position, represent_statement
from service.resources.topics.models import Topic

# Prefixes that no statement column starts with: a row may hold both.
ACTOR, EVENT, PART = "actor_ref", "event_ref", "part_ref"


# The columns each embedded reference shows, and its writer reading them from a row.
ACTOR_COLUMNS = ACTOR_REFERENCE.columns(Actor)
TOPIC_COLUMNS = TOPIC_REFERENCE.columns(Topic)
EVENT_COLUMNS = EVENT_REFERENCE.columns(Event)
_ACTOR_OF_ROW = reference_writer(ACTOR_REFERENCE, ACTOR)
_EVENT_OF_ROW = reference_writer(EVENT_REFERENCE, EVENT)
_TOPIC_OF_PART = reference_writer(TOPIC_REFERENCE, PART)
_ACTOR_OF_PART = reference_writer(ACTOR_REFERENCE, PART)


def as_rows(statement: Select[Any], relevance: Any = None) -> Select[Any]:
    """A select of statements (its filters and order) as one of their rows, with their
    `relevance` when searched."""
    rows = statement.with_only_columns(*Statement.__table__.c, maintain_column_froms=False)
    return rows if relevance is None else rows.add_columns(relevance.label("relevance"))


def _with_references(statement: Select[Any], actor_id: Any, event_id: Any) -> Select[Any]:
    return (
        statement.add_columns(*labelled(ACTOR, ACTOR_COLUMNS), *labelled(EVENT, EVENT_COLUMNS))
        .join(Actor, actor_id == Actor.id)
        .outerjoin(Event, event_id == Event.id)
    )


def page_with_references(page: Subquery) -> Select[Any]:
    """A page of `as_rows` (cut to its length, as a subquery) with each row's actor and event.

    Joined only once the page is cut: joined inside it, a misestimate (a full-text match guessed
    at 30,000 rows that finds 250) made PostgreSQL hash all 100,000 events for every search."""
    return _with_references(select(page), page.c.actor_id, page.c.event_id)


def _parts(of_statements: Callable[[Any], ColumnElement[bool]]) -> Subquery:
    """Positions and mentions of the statements `of_statements` picks (given the column that
    holds a part's statement id), as one subquery (`part` says which each row is)."""
    positions = (
        select(
            StatementPosition.statement_id.label("statement_id"),
            literal("position").label("part"),
            StatementPosition.value.label("value"),
            StatementPosition.confidence.label("confidence"),
            *labelled(PART, TOPIC_COLUMNS),
        )
        .join(Topic, StatementPosition.topic_id == Topic.id)
        .where(of_statements(StatementPosition.statement_id))
    )
    mentions = (
        select(statement_mentions.c.statement_id, literal("mention"), null(), null())
        .add_columns(*labelled(PART, ACTOR_COLUMNS))
        .join(Actor, statement_mentions.c.actor_id == Actor.id)
        .where(of_statements(statement_mentions.c.statement_id))
    )
    return union_all(positions, mentions).subquery("parts")


def _in_part_order(parts: Subquery) -> list[ColumnElement[Any]]:
    """Each statement's parts in the order of their relationships: positions by topic id,
    mentions by actor slug."""
    topic_order = case((parts.c.part == "position", parts.c[f"{PART}_id"]))
    return [parts.c.part, topic_order, parts.c[f"{PART}_slug"]]


def _page_parts() -> Select[Any]:
    parts = _parts(lambda statement_id: in_ids(statement_id, "ids"))
    return select(parts).order_by(*_in_part_order(parts))


def _one_with_parts() -> Select[Any]:
    """GET: one statement by `id` with its references (a primary-key lookup: nothing to
    misestimate), on as many rows as it has parts (one, without part, if it has none)."""
    one = _with_references(as_rows(select(Statement)), Statement.actor_id, Statement.event_id)
    parts = _parts(lambda statement_id: statement_id == bindparam("id"))
    return (
        one.add_columns(*parts.c)  # none named as a statement's (a namedtuple takes no name twice)
        .outerjoin(parts, parts.c.statement_id == Statement.id)
        .where(Statement.id == bindparam("id"))
        .order_by(*_in_part_order(parts))
    )


_PAGE_PARTS = ReadQuery(_page_parts())
_ONE_WITH_PARTS = ReadQuery(_one_with_parts())
assert [column.key for column in TOPIC_COLUMNS] == [column.key for column in ACTOR_COLUMNS], (
    "one shape for a union"
)


def read_one(session: Session, statement_id: uuid.UUID) -> Represented | None:
    """The statement as GET answers it, or None."""
    rows = _ONE_WITH_PARTS.rows(session, {"id": statement_id})
    if not rows:
        return None
    return _answers(rows[:1], [row for row in rows if row.part is not None])[0]


def statement_answers(session: Session, rows: Sequence[Any]) -> list[Represented]:
    """Each row (of `as_rows`, `with_references`, as `plain_rows`) as StatementSchema answers it, with its
    positions and mentions read for all of them in one query."""
    if not rows:
        return []
    ids = [row.id for row in rows]
    return _answers(rows, _PAGE_PARTS.rows(session, {"ids": ids}))


def _answers(rows: Sequence[Any], parts: Sequence[Any]) -> list[Represented]:
    """The answers for statement `rows`, given their `parts` (rows of `_parts` in part order)."""
    # Keyed by the ids' integers: a UUID's hash is Python code, an int's is not.
    positions: dict[int, list[dict[str, Any]]] = defaultdict(list)
    mentions: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for found in parts:
        if found.part == "position":
            topic = _TOPIC_OF_PART(found, AS_VALUES)
            positions[found.statement_id.int].append(represent_position(topic, found.value, found.confidence))
        else:
            mentions[found.statement_id.int].append(_ACTOR_OF_PART(found, AS_VALUES))
    return [
        Represented(
            represent_statement(
                row,
                _ACTOR_OF_ROW(row, AS_VALUES),
                None if row.event_id is None else _EVENT_OF_ROW(row, AS_VALUES),
                positions[row.id.int],
                mentions[row.id.int],
                AS_VALUES,
            )
        )
        for row in rows
    ]
