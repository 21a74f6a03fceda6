"""Idempotency-Key on POST: a retried request replays the first answer instead of writing twice.

The request's writes and the stored answer commit in one transaction (`HeldTransaction`), and
the key's row is inserted before the view runs: a second request with the same key waits on
that row's unique key until the first commits, then replays its answer. Only 2xx answers are
kept; after any other, nothing is kept and the same key may be used again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime, timedelta

from flask import Flask, Response, g, request
from sqlalchemy import Integer, String, Text, delete
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Mapped, Session, mapped_column

from service.config import Settings
from service.data.base import Base, utcnow
from service.data.sessions import HeldTransaction, get_database
from service.data.types import JSONType, UTCDateTime
from service.problems import Conflict, IdempotencyKeyReused, InvalidIdempotencyKey, problem_response

log = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
_KEPT_HEADERS = ("Content-Type", "Location", "ETag")


class IdempotentRequest(Base):
    """A POST made with an Idempotency-Key, and the answer it got."""

    __tablename__ = "idempotent_requests"

    owner: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    status: Mapped[int | None] = mapped_column(Integer)
    headers: Mapped[dict[str, str] | None] = mapped_column(JSONType)
    body: Mapped[str | None] = mapped_column(Text)


def _fingerprint() -> str:
    """The request as far as replay is concerned: method, path, query and body (JSON
    compared by value, so key order and spacing do not matter)."""
    raw = request.get_data(cache=True)
    try:
        body = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        body = raw
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), request.query_string, body):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def _key_from_header() -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= 255 or not all("!" <= char <= "~" for char in key):
        raise InvalidIdempotencyKey(f"{HEADER} must be 1 to 255 visible ASCII characters.")
    return key


def _replay(stored: IdempotentRequest, fingerprint: str) -> Response | None:
    if stored.fingerprint != fingerprint:
        raise IdempotencyKeyReused(
            f"This {HEADER} was used for a different request; use a new key for a new request."
        )
    if stored.status is None:
        return None
    response = Response(stored.body, status=stored.status, headers=stored.headers or {})
    response.headers[REPLAYED_HEADER] = "true"
    return response


def _stored_answer(session: Session, owner: str, key: str, fingerprint: str) -> Response | None:
    stored = session.get(IdempotentRequest, (owner, key))
    return None if stored is None else _replay(stored, fingerprint)


def _begin(settings: Settings) -> Response | None:
    if request.method != "POST" or (key := _key_from_header()) is None:
        return None
    owner = str(g.get("api_key_id") or "anonymous")
    fingerprint = _fingerprint()
    oldest = utcnow() - timedelta(hours=settings.idempotency_hours)
    database = get_database()
    with database.new_session(writes=True) as session:  # expired keys are forgotten, and free again
        session.execute(delete(IdempotentRequest).where(IdempotentRequest.created_at < oldest))
        session.commit()
    with database.new_session() as session:
        if (replay := _stored_answer(session, owner, key, fingerprint)) is not None:
            return replay
    held = HeldTransaction(database)
    try:
        held.session.add(IdempotentRequest(owner=owner, key=key, fingerprint=fingerprint))
        held.session.flush()  # waits here while another request holds the same key
    except IntegrityError:
        held.rollback()
        with database.new_session() as session:
            if (replay := _stored_answer(session, owner, key, fingerprint)) is not None:
                return replay
        raise Conflict(f"A request with this {HEADER} is still being processed; retry shortly.") from None
    except BaseException:
        held.rollback()
        raise
    g.held_transaction, g.idempotency = held, (owner, key)
    g.db_session = held.session
    held.session.info.update(g.get("session_info", {}))
    return None


def _finish(response: Response) -> Response:
    held: HeldTransaction | None = g.pop("held_transaction", None)
    if held is None:
        return response
    g.pop("db_session", None)
    if not 200 <= response.status_code < 300:
        held.rollback()
        return response
    try:
        stored = held.session.get(IdempotentRequest, g.idempotency)
        assert stored is not None
        stored.status = response.status_code
        stored.headers = {name: response.headers[name] for name in _KEPT_HEADERS if name in response.headers}
        stored.body = response.get_data(as_text=True)
        held.commit()
    except SQLAlchemyError:
        held.rollback()
        log.exception("could not commit an idempotent request")
        return problem_response(
            503,
            "The change could not be saved and nothing was written; retry with the same key.",
            type_name="service-unavailable",
            title="Service unavailable",
            headers={"Retry-After": "1"},
        )
    except BaseException:
        held.rollback()
        raise
    return response


def _abandon(_exc: BaseException | None) -> None:
    held: HeldTransaction | None = g.pop("held_transaction", None)
    if held is not None:
        held.rollback()


def init_app(app: Flask, settings: Settings) -> None:
    """Register after authentication, so the key's owner is known."""
    app.before_request(lambda: _begin(settings))
    app.after_request(_finish)
    app.teardown_request(_abandon)
