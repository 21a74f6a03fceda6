"""Recording and finding topics."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.data.pagination import Page, PageRequest, SortOrder, fetch_page
from service.references.lookup import get_by_reference
from service.resources.revisions.service import History
from service.resources.slugged import create_slugged, delete_slugged, update_slugged
from service.resources.topics.models import Topic
from service.resources.topics.schemas import TopicSchema
from service.values.folding import fold

NOUN = "topic"
HISTORY = History("topic", TopicSchema)
BY_SLUG = SortOrder("topics", "slug", (Topic.slug,))


def list_topics(session: Session, filters: dict[str, Any], page: PageRequest) -> Page[Topic]:
    statement = select(Topic)
    if q := filters.get("q"):
        statement = statement.where(Topic.search_text.contains(fold(q), autoescape=True))
    return fetch_page(session, statement, BY_SLUG, page)


def get_topic(session: Session, reference: str, *, for_update: bool = False) -> Topic:
    return get_by_reference(session, Topic, reference, NOUN, for_update=for_update)


def create_topic(session: Session, data: dict[str, Any]) -> Topic:
    return create_slugged(session, Topic, data, NOUN, HISTORY)


def update_topic(session: Session, topic: Topic, changes: dict[str, Any]) -> Topic:
    return update_slugged(session, topic, changes, NOUN, HISTORY)  # type: ignore[no-any-return]


def delete_topic(session: Session, topic: Topic) -> None:
    delete_slugged(session, topic, NOUN, HISTORY)
