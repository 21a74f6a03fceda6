"""Liveness and readiness."""

from __future__ import annotations

from flask.testing import FlaskClient

from service.app import create_app
from service.config import Settings
from tests.helpers import assert_problem


def test_liveness_and_readiness_when_the_database_answers(client: FlaskClient) -> None:
    assert client.get("/healthz").get_json() == {"status": "ok", "checks": {}}
    assert client.get("/readyz").get_json() == {"status": "ok", "checks": {"database": "ok"}}


def test_readiness_is_503_when_the_database_is_unreachable() -> None:
    # Port 1 on loopback refuses at once: a real failed connection, no mock.
    app = create_app(
        Settings(database_url="postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2")
    )
    client = app.test_client()

    assert client.get("/healthz").status_code == 200
    body = assert_problem(client.get("/readyz"), 503, "service-unavailable")
    assert body["detail"] == "The database cannot be reached."


def test_a_lost_database_answers_503_with_retry_after_not_500() -> None:
    app = create_app(
        Settings(database_url="postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2")
    )

    response = app.test_client().get("/api/v1/actors")

    assert_problem(response, 503, "service-unavailable")
    assert response.headers["Retry-After"] == "5"
