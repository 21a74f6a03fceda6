"""Recording a revision with every write, and reading history, past states and the change feed.

Service functions that write call `History.created/updated/deleted` before they commit, so the
revision is part of the same transaction as the change it describes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from marshmallow import Schema
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from service.data.pagination import Page, PageRequest, SortOrder, decode_cursor, encode_cursor, fetch_page
from service.problems import NotFound
from service.resources.revisions.models import Action, ChangeCounter, Revision

BY_NUMBER = SortOrder("revisions", "number", (Revision.number,))
FEED = SortOrder("changes", "number", (Revision.number,))
# The session carries who writes (set per request from the API key), so services need not know.
API_KEY_INFO = "api_key_id"


def allocate_numbers(session: Session, count: int = 1) -> int:
    """The first of `count` new revision numbers.

    The UPDATE locks the counter row until this transaction ends, so transactions that
    record revisions commit one after another in number order, and the feed, read in
    number order, never skips a number that commits later.
    """
    last = session.execute(
        update(ChangeCounter)
        .where(ChangeCounter.id == 1)
        .values(last_number=ChangeCounter.last_number + count)
        .returning(ChangeCounter.last_number)
    ).scalar_one()
    return int(last) - count + 1


@dataclass
class History:
    """The history of one kind of record, snapshotted in its public representation."""

    resource: str
    schema_class: type[Schema]
    _schema: Schema | None = field(default=None, init=False, repr=False)

    def snapshot(self, record: Any) -> dict[str, Any]:
        if self._schema is None:
            self._schema = self.schema_class()
        snapshot: dict[str, Any] = self._schema.dump(record)
        return snapshot

    def created(self, session: Session, record: Any) -> None:
        session.flush()
        self._record(session, record.id, Action.create, None, self.snapshot(record))

    def updated(self, session: Session, record: Any, before: dict[str, Any]) -> None:
        session.flush()
        after = self.snapshot(record)
        if after != before:
            self._record(session, record.id, Action.update, before, after)

    def deleted(self, session: Session, record: Any) -> None:
        """Call before deleting, while the record can still be represented."""
        self._record(session, record.id, Action.delete, self.snapshot(record), None)

    def _record(
        self,
        session: Session,
        record_id: uuid.UUID,
        action: Action,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        session.add(
            Revision(
                number=allocate_numbers(session),
                resource=self.resource,
                record_id=record_id,
                action=action,
                api_key_id=session.info.get(API_KEY_INFO),
                before=before,
                after=after,
            )
        )


def list_revisions(
    session: Session, resource: str, record_id: uuid.UUID, page: PageRequest
) -> Page[Revision]:
    statement = select(Revision).where(Revision.resource == resource, Revision.record_id == record_id)
    found = fetch_page(session, statement, BY_NUMBER, page)
    if not found.items and page.cursor is None:
        raise NotFound(f"No {resource} with id '{record_id}' has ever been recorded.")
    return found


def state_as_of(session: Session, resource: str, record_id: uuid.UUID, at: datetime) -> dict[str, Any]:
    """The record as it was at `at`: the state its last revision by then left it in."""
    latest = session.scalars(
        select(Revision)
        .where(Revision.resource == resource, Revision.record_id == record_id, Revision.recorded_at <= at)
        .order_by(Revision.number.desc())
        .limit(1)
    ).first()
    if latest is None or latest.after is None:
        state = "deleted" if latest is not None else "not yet recorded"
        raise NotFound(f"The {resource} '{record_id}' was {state} at {at.isoformat()}.")
    return latest.after


@dataclass(frozen=True)
class ChangeFeedPage:
    items: list[Revision]
    next_since: str
    has_more: bool


def read_changes(session: Session, since: str | None, limit: int) -> ChangeFeedPage:
    """Changes after the cursor `since`, in commit order, with the cursor to read on from."""
    after_number = int(decode_cursor(FEED, since)[0]) if since else 0
    revisions = list(
        session.scalars(
            select(Revision).where(Revision.number > after_number).order_by(Revision.number).limit(limit + 1)
        )
    )
    has_more = len(revisions) > limit
    revisions = revisions[:limit]
    last_number = revisions[-1].number if revisions else after_number
    return ChangeFeedPage(revisions, encode_cursor(FEED, [last_number]), has_more)
