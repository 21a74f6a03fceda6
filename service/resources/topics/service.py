"""Recording and finding topics."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.data.pagination import Page, PageRequest, fetch_page, named_sorts
from service.references.lookup import get_by_reference
from service.resources.records import SluggedWrites
from service.resources.revisions.service import History
from service.resources.topics.models import Topic
from service.resources.topics.schemas import TopicSchema
from service.values.folding import fold

NOUN = "topic"
HISTORY = History("topic", TopicSchema)
WRITES = SluggedWrites(Topic, NOUN, HISTORY)
SORTS = named_sorts("topics", Topic)
BY_SLUG = SORTS["slug"]


def list_topics(session: Session, filters: dict[str, Any], page: PageRequest) -> Page[Topic]:
    statement = select(Topic)
    if q := filters.get("q"):
        statement = statement.where(Topic.search_text.contains(fold(q), autoescape=True))
    return fetch_page(session, statement, SORTS[filters.get("sort", "slug")], page)


def get_topic(session: Session, reference: str, *, for_update: bool = False) -> Topic:
    return get_by_reference(session, Topic, reference, NOUN, for_update=for_update)


create_topic = WRITES.create
update_topic = WRITES.update
delete_topic = WRITES.delete
