"""Statements as GET and the list answer them, read as rows rather than ORM objects.

An answer needs a statement's columns and the id, slug and name (or title) of what it refers
to. Loading them as ORM objects cost most of a list's time (instances, identity map, state
and collections: bench/README.md); read as rows they cost a third. The page is read first,
then its actors and events, positions and mentions, each in one query, in the order the
relationships give them. `StatementSchema.represent` reads both the same way.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Row, Select, select
from sqlalchemy.orm import Session

from service.actors.models import Actor
from service.events.models import Event
from service.loading import ACTOR_REF, EVENT_REF, TOPIC_REF
from service.statements.models import Statement, StatementPosition, statement_mentions
from service.topics.models import Topic


def as_rows(statement: Select[Any], relevance: Any = None) -> Select[Any]:
    """A select of statements (its filters and order) as one of their rows, with their
    `relevance` when searched.

    Actors and events are read afterwards for the page alone: joined here, a misestimate
    (a full-text match guessed at 30,000 rows that finds 250) made PostgreSQL hash all
    100,000 events for every search."""
    rows = statement.with_only_columns(*Statement.__table__.c, maintain_column_froms=False)
    return rows if relevance is None else rows.add_columns(relevance.label("relevance"))


def statement_views(session: Session, rows: Sequence[Row[Any]]) -> list[SimpleNamespace]:
    """Each row (of `as_rows`) as the statement it is, with its actor and event, positions and
    mentions read for all of them in one query each."""
    ids = [row.id for row in rows]
    references: dict[uuid.UUID, Any] = {}
    positions: dict[uuid.UUID, list[SimpleNamespace]] = defaultdict(list)
    mentions: dict[uuid.UUID, list[SimpleNamespace]] = defaultdict(list)
    if ids:
        references = {
            found.id: found
            for found in session.execute(
                select(Statement.id, *_labelled("actor", ACTOR_REF), *_labelled("event", EVENT_REF))
                .join_from(Statement, Actor, Statement.actor_id == Actor.id)
                .outerjoin(Event, Statement.event_id == Event.id)
                .where(Statement.id.in_(ids))
            )
        }
        for found in session.execute(
            select(
                StatementPosition.statement_id,
                StatementPosition.value,
                StatementPosition.confidence,
                *_labelled("topic", TOPIC_REF),
            )
            .join(Topic, StatementPosition.topic_id == Topic.id)
            .where(StatementPosition.statement_id.in_(ids))
            .order_by(StatementPosition.statement_id, StatementPosition.topic_id)
        ):
            topic = _referenced(found, "topic", TOPIC_REF)
            positions[found.statement_id].append(
                SimpleNamespace(topic=topic, value=found.value, confidence=found.confidence)
            )
        for found in session.execute(
            select(statement_mentions.c.statement_id, *_labelled("actor", ACTOR_REF))
            .join(Actor, statement_mentions.c.actor_id == Actor.id)
            .where(statement_mentions.c.statement_id.in_(ids))
            .order_by(Actor.slug)
        ):
            mentions[found.statement_id].append(_referenced(found, "actor", ACTOR_REF))
    return [_view(row, references[row.id], positions[row.id], mentions[row.id]) for row in rows]


def _labelled(prefix: str, columns: tuple[Any, ...]) -> list[Any]:
    return [column.label(f"{prefix}_{column.key}") for column in columns]


def _referenced(found: Row[Any], prefix: str, columns: tuple[Any, ...]) -> SimpleNamespace:
    """What a row read with `_labelled(prefix, columns)` holds of the record referred to."""
    return SimpleNamespace(**{column.key: found._mapping[f"{prefix}_{column.key}"] for column in columns})


def _view(row: Row[Any], references: Row[Any], positions: list[Any], mentions: list[Any]) -> SimpleNamespace:
    view = SimpleNamespace(**row._mapping, positions=positions, mentions=mentions)
    view.actor = _referenced(references, "actor", ACTOR_REF)
    view.event = _referenced(references, "event", EVENT_REF) if row.event_id is not None else None
    return view
