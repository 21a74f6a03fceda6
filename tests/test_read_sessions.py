"""Read requests' sessions: on PostgreSQL their queries run without a transaction (autocommit),
which a server-side cursor needs and a write must have; both are refused on every database."""

from __future__ import annotations

from datetime import timedelta

import orjson
import pytest
import requests
from flask import Flask
from sqlalchemy import insert, select, text
from sqlalchemy.engine import Connection

from service.data.engine import make_engine
from service.data.sessions import get_database, get_session, streaming_session
from service.demo.load import load_story
from service.resources.actors.models import Actor
from tests.conftest import LiveServer


def test_a_server_of_its_own_streams_exports_and_pages_shifts(live_server: LiveServer) -> None:
    """Through real HTTP, on a database whose reads are not inside a test's transaction."""
    with live_server.app.app_context(), get_database(live_server.app).new_session() as session:
        load_story(session)
    base = live_server.url

    export = requests.get(f"{base}/api/v1/export", params={"type": "statements"}, timeout=10)
    assert export.status_code == 200, export.text
    lines = [orjson.loads(line) for line in export.text.splitlines()]
    listed = requests.get(f"{base}/api/v1/statements", params={"limit": 100}, timeout=10).json()["items"]
    assert sorted(line["id"] for line in lines) == sorted(item["id"] for item in listed)

    topic = {"topic": "ukraine-territorial-integrity"}
    shifts = requests.get(f"{base}/api/v1/actors/donald-trump/shifts", params=topic, timeout=10)
    assert shifts.status_code == 200, shifts.text
    first = shifts.json()["items"][0]
    assert (first["from"]["said_at"][:10], first["to"]["said_at"][:10]) == ("2025-08-17", "2025-09-23")
    assert {item["event"]["title"] for item in first["events_between"]}


def test_a_read_requests_session_refuses_to_write_or_stream_outside_a_transaction(
    app: Flask, database: Connection
) -> None:
    with app.test_request_context("/api/v1/actors", method="GET"):
        session = get_session()
        with pytest.raises(RuntimeError, match="may not write"):
            session.execute(insert(Actor).values(slug="x", name="X", kind="person"))
        session.add(Actor(slug="y", name="Y", kind="person"))
        with pytest.raises(RuntimeError, match="may not write"):
            session.flush()
        session.rollback()
        with pytest.raises(RuntimeError, match="streaming_session"):
            session.execute(select(Actor.id).execution_options(yield_per=10)).all()
        with streaming_session(session) as streaming:
            assert streaming.execute(select(Actor.id).execution_options(yield_per=10)).all() is not None


def test_postgresql_connections_read_timestamps_in_utc(backend: str, database_url: str) -> None:
    """UTCDateTime leaves PostgreSQL's values as psycopg returns them: in the session's zone."""
    if backend != "postgresql":
        pytest.skip("SQLite keeps no time zone; UTCDateTime tags its values as UTC")
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SHOW timezone")).scalar() == "UTC"
            moment = connection.execute(text("SELECT TIMESTAMPTZ '2025-08-15 20:00:00+03'")).scalar()
            assert moment.utcoffset() == timedelta(0)
            assert moment.hour == 17
    finally:
        engine.dispose()
