"""Input crafted to break a parser or a database answers a precise 4xx problem+json, never a 500."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.helpers import assert_problem

# One JSON body route of each kind: a create, a PATCH, and a body that is not a resource.
JSON_ROUTES = [("POST", "/api/v1/actors"), ("POST", "/api/v1/topics"), ("POST", "/api/v1/statements")]


@pytest.mark.parametrize(("method", "path"), JSON_ROUTES)
def test_body_nested_ten_thousand_deep_is_malformed_json(client: FlaskClient, method: str, path: str) -> None:
    body = '{"name": ' + "[" * 10_000 + "]" * 10_000 + "}"
    response = client.open(path, method=method, data=body, content_type="application/json")
    problem = assert_problem(response, 400, "malformed-json")
    assert "depth limit" in problem["detail"]


@pytest.mark.parametrize(("method", "path"), JSON_ROUTES)
def test_lone_surrogate_in_a_string_is_malformed_json(client: FlaskClient, method: str, path: str) -> None:
    response = client.open(path, method=method, data='{"name": "a\\ud800b"}', content_type="application/json")
    problem = assert_problem(response, 400, "malformed-json")
    assert "surrogate" in problem["detail"].lower()


def test_surrogate_pair_is_still_text(client: FlaskClient) -> None:
    body = '{"name": "Emoji \\ud83d\\ude00 Fan", "kind": "person"}'
    response = client.post("/api/v1/actors", data=body, content_type="application/json")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["name"] == "Emoji \U0001f600 Fan"


def test_patch_with_deep_body_is_malformed_json(client: FlaskClient) -> None:
    actor = client.post("/api/v1/actors", json={"name": "Deep Patch", "kind": "person"}).get_json()
    body = '{"name": ' + "[" * 5_000 + "]" * 5_000 + "}"
    response = client.patch(f"/api/v1/actors/{actor['id']}", data=body, content_type="application/json")
    assert_problem(response, 400, "malformed-json")


def test_nul_in_a_body_string_is_422_naming_the_field(client: FlaskClient) -> None:
    response = client.post("/api/v1/actors", json={"name": "a\x00b", "kind": "person"})
    problem = assert_problem(response, 422, "validation-error")
    assert list(problem["errors"]) == ["name"]
    assert client.get("/api/v1/actors?q=a").status_code == 200


def test_nul_in_a_nested_body_string_names_its_path(client: FlaskClient) -> None:
    response = client.post("/api/v1/actors", json={"name": "Ok", "kind": "person", "aliases": ["x", "y\x00"]})
    problem = assert_problem(response, 422, "validation-error")
    assert list(problem["errors"]) == ["aliases.1"]


def test_nul_in_a_path_parameter_is_400(client: FlaskClient) -> None:
    problem = assert_problem(client.get("/api/v1/actors/a%00b"), 400, "invalid-text")
    assert "NUL" in problem["detail"]


def test_nul_in_a_query_parameter_is_422_naming_it(client: FlaskClient) -> None:
    problem = assert_problem(client.get("/api/v1/actors?q=a%00b"), 422, "validation-error")
    assert problem["errors"] == {"q": ["Must not contain NUL characters."]}


def test_query_string_not_utf8_is_400(client: FlaskClient) -> None:
    problem = assert_problem(client.get("/api/v1/actors?q=J%FCrgen"), 400, "invalid-text")
    assert "UTF-8" in problem["detail"]


def test_utf8_query_string_is_served(client: FlaskClient) -> None:
    assert client.get("/api/v1/actors?q=J%C3%BCrgen").status_code == 200
