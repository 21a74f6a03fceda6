"""ReadQuery: the statements' hot reads run on PostgreSQL's driver cursor, and must give what
SQLAlchemy gives (the same rows, values of the same types), fail as SQLAlchemy fails, and stay
visible to anything listening to the engine's statements."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import bindparam, func, literal, select, text
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.orm import Session

from service.data.engine import make_engine
from service.data.pagination import PageRequest
from service.data.rows import plain_rows
from service.data.search import Searchable
from service.data.sessions import get_session
from service.fast.driver import ReadQuery
from service.resources.statements import service as statements
from service.resources.statements.views import _ONE_WITH_PARTS, _PAGE_PARTS
from tests.test_pagination import recorded_sql

pytestmark = pytest.mark.postgresql_only(
    "on SQLite a ReadQuery runs through SQLAlchemy: there is nothing to compare"
)


def _through_sqlalchemy(session: Session, query: ReadQuery, parameters: dict[str, Any]) -> list[Any]:
    return plain_rows(session.connection().execute(query.query, parameters))


def _same_rows(session: Session, query: ReadQuery, parameters: dict[str, Any]) -> list[Any]:
    driven = query.rows(session, parameters)
    expected = _through_sqlalchemy(session, query, parameters)
    assert driven == expected
    assert [row._fields for row in driven] == [row._fields for row in expected]
    for got, want in zip(driven, expected, strict=True):
        assert [type(value) for value in got] == [type(value) for value in want], got._fields
    return driven


def test_statement_reads_give_the_rows_sqlalchemy_gives(app: Flask, demo: FlaskClient) -> None:
    listed = demo.get("/api/v1/statements?limit=100").get_json()["items"]
    assert listed
    with app.test_request_context("/api/v1/statements", method="GET"):
        session = get_session()
        for item in listed:
            rows = _same_rows(session, _ONE_WITH_PARTS, {"id": item["id"]})
            assert str(rows[0].id) == item["id"]
        parts = _same_rows(session, _PAGE_PARTS, {"ids": [item["id"] for item in listed]})
        assert {row.part for row in parts} == {"position", "mention"}

        # The list's own page query, by actor, with the enums and instants its rows carry.
        trump = next(item["actor"] for item in listed if item["actor"]["slug"] == "donald-trump")
        page = PageRequest(limit=3)
        query, order = statements._list_query((("actor", True),), (), False, "-said_at", False, "postgresql")
        rows = _same_rows(session, query, {"actor_id": trump["id"], **page.parameters(order)})
        assert len(rows) == 3
        assert {str(row.actor_id) for row in rows} == {trump["id"]}

        # A search: its words are written into the SQL, quotes and all.
        query, order = statements._list_query((), (), True, "relevance", False, "postgresql")
        searches = [("territory", True), ("'paper tiger'", True), ("o'clock'; DROP TABLE actors", False)]
        for words, found in searches:
            parameters = {**Searchable.parameters("postgresql", words), **page.parameters(order)}
            assert bool(_same_rows(session, query, parameters)) is found, words


def test_a_driver_error_is_raised_as_sqlalchemy_raises_it(app: Flask, database: Any) -> None:
    dividing = ReadQuery(select((literal(1) / bindparam("by")).label("quotient")))
    with app.test_request_context("/api/v1/statements", method="GET"):
        session = get_session()
        assert dividing.rows(session, {"by": 1})[0].quotient == 1
        with pytest.raises(DataError) as raised:
            dividing.rows(session, {"by": 0})
        assert "division by zero" in str(raised.value.orig)


def test_a_lost_connection_is_invalidated_and_the_next_read_gets_a_new_one(database_url: str) -> None:
    engine = make_engine(database_url)
    query = ReadQuery(select(func.pg_backend_pid().label("pid")))
    try:
        with Session(engine) as first:
            pid = query.rows(first, {})[0].pid
            with engine.connect() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            with pytest.raises(OperationalError) as raised:
                query.rows(first, {})
            assert raised.value.connection_invalidated
        with Session(engine) as second:
            assert query.rows(second, {})[0].pid != pid
    finally:
        engine.dispose()


def test_an_engine_being_watched_sees_the_statements_reads(app: Flask, demo: FlaskClient) -> None:
    statement = demo.get("/api/v1/statements?limit=1").get_json()["items"][0]
    with recorded_sql(app) as recorded:
        assert demo.get(f"/api/v1/statements/{statement['id']}").status_code == 200
    assert any("FROM STATEMENTS" in sql and "STATEMENT_POSITIONS" in sql for sql, _ in recorded)
