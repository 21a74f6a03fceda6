"""Hand-written answers (service/fast/answers.py) equal marshmallow's dump of the same schema,
field for field, on records that set and leave out every optional part."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service.data.pagination import PageRequest
from service.data.sessions import get_session
from service.demo.load import load_story
from service.resources.actors.models import Actor
from service.resources.analysis.schemas import ShiftSchema, ShiftsQuerySchema
from service.resources.analysis.service import actor_shifts
from service.resources.statements.models import Statement
from service.resources.statements.schemas import StatementSchema
from service.resources.statements.service import with_references


def _record_varied_statements(client: FlaskClient) -> None:
    """Statements beside the demo's: no optional part, every optional part, a repost, a date-time."""
    event = client.get("/api/v1/events?limit=1").get_json()["items"][0]["id"]
    sanctions = {
        "slug": "russia-sanctions",
        "name": "Sanctions on Russia",
        "negative_pole": "Lift them",
        "positive_pole": "Tighten them",
    }
    assert client.post("/api/v1/topics", json=sanctions).status_code == 201
    bodies: list[dict[str, Any]] = [
        {
            "actor": "vladimir-putin",
            "text": "Bare.",
            "kind": "quote",
            "said_at": "2025-01-01",
            "said_at_precision": "year",
        },
        {
            "actor": "donald-trump",
            "text": "Everything set — “quoted”, ünïcode.",
            "kind": "interview",
            "said_at": "2025-08-15T21:07:00+02:00",
            "language": "en-US",
            "source": {"publisher": "Fox", "published_at": "2025-08-16"},
            "event": event,
            "positions": [
                {"topic": "ukraine-territorial-integrity", "value": -1, "confidence": 0},
                {"topic": "russia-sanctions", "value": 0.25},
            ],
            "mentions": ["ukraine", "vladimir-putin", "european-union"],
        },
        {
            "actor": "donald-trump",
            "text": "Passed on.",
            "kind": "repost",
            "said_at": "2025-08-01",
            "said_at_precision": "month",
            "reposted_from": {"handle": "@someone"},
        },
    ]
    for body in bodies:
        response = client.post("/api/v1/statements", json=body)
        assert response.status_code == 201, response.get_json()


def test_statement_answers_equal_marshmallows_dump(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        load_story(get_session())
    _record_varied_statements(client)
    with app.app_context():
        statements = get_session().scalars(with_references(select(Statement))).unique().all()
        schema = StatementSchema()
        assert len(statements) >= 9
        for statement in statements:
            assert schema.dump(statement) == schema.generic_dump(statement), statement.id
        assert schema.dump(statements, many=True) == schema.generic_dump(statements, many=True)
        # A dump with `only` is marshmallow's own.
        assert StatementSchema(only=("id",)).dump(statements[0]) == {"id": str(statements[0].id)}


def test_shift_answers_equal_marshmallows_dump(app: Flask, client: FlaskClient) -> None:
    """Shifts of every actor of the demo (and of the varied statements), with events between
    them picked for each reason, some naming the mentioned actors that took part."""
    with app.app_context():
        load_story(get_session())
    _record_varied_statements(client)
    with app.app_context():
        session = get_session()
        filters = ShiftsQuerySchema().load({})
        shifts = [
            shift
            for actor in session.scalars(select(Actor.slug))
            for shift in actor_shifts(session, actor, filters, PageRequest(limit=200)).items
        ]
        picked = [event for shift in shifts for event in shift.events_between]
        assert {"participant", "topic", "mentioned_actor"} <= {r for event in picked for r in event.reasons}
        assert any(event.mentioned_actors for event in picked)
        schema = ShiftSchema()
        for shift in shifts:
            assert schema.dump(shift) == schema.generic_dump(shift)
        assert schema.dump(shifts, many=True) == schema.generic_dump(shifts, many=True)


def test_get_and_list_answers_read_as_rows_equal_the_orm_records_dump(
    app: Flask, client: FlaskClient
) -> None:
    """GET and the list read rows, not ORM objects (service/resources/statements/views.py)."""
    with app.app_context():
        load_story(get_session())
    _record_varied_statements(client)
    with app.app_context():
        statements = get_session().scalars(with_references(select(Statement))).unique().all()
        expected = {str(s.id): StatementSchema().generic_dump(s) for s in statements}
    listed = client.get("/api/v1/statements?limit=200").get_json()["items"]
    assert {item["id"]: item for item in listed} == expected
    for statement_id, dumped in expected.items():
        assert client.get(f"/api/v1/statements/{statement_id}").get_json() == dumped
    searched = client.get("/api/v1/statements?q=ukraine&limit=200").get_json()["items"]
    assert searched
    assert all(item == expected[item["id"]] for item in searched)


def test_answers_are_utf8_json_that_reads_back_the_same(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        load_story(get_session())
    body = {"actor": "donald-trump", "text": "Ça — “WIN” 🇺🇦", "kind": "post", "said_at": "2025-09-23"}
    created = client.post("/api/v1/statements", json=body)
    assert created.status_code == 201
    raw = client.get(created.headers["Location"]).get_data()
    assert "Ça — “WIN” 🇺🇦".encode() in raw
    assert client.get(created.headers["Location"]).get_json()["text"] == body["text"]
