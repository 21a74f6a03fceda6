"""Every bad request gets an exact RFC 9457 problem+json answer; no stack trace ever leaks."""

from __future__ import annotations

import logging

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.app import create_app
from service.config import Settings
from tests.helpers import assert_problem


def test_malformed_json_is_400(client: FlaskClient) -> None:
    response = client.post("/api/v1/actors", data='{"name": "Trump",', content_type="application/json")

    body = assert_problem(response, 400, "malformed-json")
    assert body["title"] == "Malformed JSON"
    assert body["detail"].startswith("The request body is not valid JSON: ")
    assert body["instance"] == "/api/v1/actors"


def test_body_that_is_not_utf8_is_400(client: FlaskClient) -> None:
    response = client.post("/api/v1/actors", data=b'{"name": "J\xfcrgen"}', content_type="application/json")
    assert_problem(response, 400, "malformed-json")


def test_json_that_is_not_an_object_is_422(client: FlaskClient) -> None:
    body = assert_problem(client.post("/api/v1/actors", json=[1, 2]), 422, "validation-error")
    assert body["errors"] == {"_schema": ["Invalid input type."]}


def test_unknown_id_is_404(client: FlaskClient) -> None:
    body = assert_problem(client.get("/api/v1/topics/c49c0b59-4abf-5a83-9d8d-1bfafeca738d"), 404)
    assert body == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "No topic with id or slug 'c49c0b59-4abf-5a83-9d8d-1bfafeca738d'.",
        "instance": "/api/v1/topics/c49c0b59-4abf-5a83-9d8d-1bfafeca738d",
        "request_id": body["request_id"],
    }


def test_unknown_route_is_404(client: FlaskClient) -> None:
    body = assert_problem(client.get("/api/v1/nothing-here"), 404)
    assert body["instance"] == "/api/v1/nothing-here"


def test_wrong_method_is_405_with_allow(client: FlaskClient) -> None:
    response = client.put("/api/v1/actors", json={})
    assert_problem(response, 405)
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}


def test_body_over_the_limit_is_413(client: FlaskClient, app: Flask) -> None:
    limit = app.config["MAX_CONTENT_LENGTH"]
    payload = '{"name": "' + "x" * limit + '", "kind": "person"}'

    response = client.post("/api/v1/actors", data=payload, content_type="application/json")

    assert_problem(response, 413)
    assert client.get("/api/v1/actors").get_json()["items"] == []


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_wrong_content_type_is_415(client: FlaskClient, content_type: str) -> None:
    response = client.post(
        "/api/v1/actors", data='{"name": "X", "kind": "person"}', content_type=content_type
    )
    body = assert_problem(response, 415)
    assert body["detail"] == f"Send the body as application/json, not '{content_type}'."


def test_request_id_is_echoed_and_made_when_absent(client: FlaskClient) -> None:
    given = client.get("/api/v1/actors/nobody", headers={"X-Request-ID": "abc-123"})
    assert given.headers["X-Request-ID"] == "abc-123"
    assert given.get_json()["request_id"] == "abc-123"

    made = client.get("/api/v1/actors/nobody")
    assert len(made.headers["X-Request-ID"]) == 32


def test_unexpected_error_is_500_problem_logged_with_request_id(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(Settings(database_url=database_url))

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    with caplog.at_level(logging.ERROR, logger="service.problems"):
        response = app.test_client().get("/boom", headers={"X-Request-ID": "req-500"})

    body = assert_problem(response, 500)
    assert "secret internals" not in response.get_data(as_text=True)
    assert body["request_id"] == "req-500"
    assert any("req-500" in record.getMessage() and record.exc_info for record in caplog.records)


def test_missing_body_is_400(client: FlaskClient) -> None:
    for method in (client.post, client.patch):
        url = "/api/v1/actors" if method == client.post else "/api/v1/actors/anyone"
        body = assert_problem(method(url, content_type="application/json"), 400, "missing-body")
        assert body["detail"] == "The request needs a JSON body."
