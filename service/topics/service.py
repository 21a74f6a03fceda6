"""Recording and finding topics."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.pagination import Page, PageRequest, SortOrder, fetch_page
from service.references import get_by_reference
from service.slugged import create_slugged, delete_slugged, update_slugged
from service.text import fold
from service.topics.models import Topic

NOUN = "topic"
BY_SLUG = SortOrder("topics", "slug", (Topic.slug,))


def list_topics(session: Session, filters: dict[str, Any], page: PageRequest) -> Page[Topic]:
    statement = select(Topic)
    if q := filters.get("q"):
        statement = statement.where(Topic.search_text.contains(fold(q), autoescape=True))
    return fetch_page(session, statement, BY_SLUG, page)


def get_topic(session: Session, reference: str) -> Topic:
    return get_by_reference(session, Topic, reference, NOUN)


def create_topic(session: Session, data: dict[str, Any]) -> Topic:
    return create_slugged(session, Topic, data, NOUN)


def update_topic(session: Session, reference: str, changes: dict[str, Any]) -> Topic:
    return update_slugged(session, get_topic(session, reference), changes, NOUN)  # type: ignore[no-any-return]


def delete_topic(session: Session, reference: str) -> None:
    delete_slugged(session, get_topic(session, reference), NOUN)
