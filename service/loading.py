"""How embedded references are loaded: only the columns an answer shows of them.

A reference answers {id, slug, name}; loading whole rows would decode every actor's aliases
and links (JSON) for nothing, many times a page.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from sqlalchemy.orm.strategy_options import _AbstractLoad

from service.actors.models import Actor
from service.events.models import Event
from service.topics.models import Topic

# The columns each reference shows (service/refs.py writes them out).
ACTOR_REF = (Actor.id, Actor.slug, Actor.name)
TOPIC_REF = (Topic.id, Topic.slug, Topic.name)
EVENT_REF = (Event.id, Event.title, Event.kind, Event.start_at, Event.start_precision)


def actor_ref(loader: _AbstractLoad) -> Any:
    return loader.load_only(*ACTOR_REF)


def topic_ref(loader: _AbstractLoad) -> Any:
    return loader.load_only(*TOPIC_REF)


def event_ref(loader: _AbstractLoad) -> Any:
    return loader.load_only(*EVENT_REF)


def labelled(prefix: str, columns: tuple[Any, ...]) -> list[Any]:
    """A reference's columns, named `{prefix}_{column}` to read it from a row of several."""
    return [column.label(f"{prefix}_{column.key}") for column in columns]


def referenced(found: Any, prefix: str, columns: tuple[Any, ...]) -> SimpleNamespace:
    """What a row read with `labelled(prefix, columns)` holds of the record referred to."""
    return SimpleNamespace(**{column.key: getattr(found, f"{prefix}_{column.key}") for column in columns})
