"""The OWASP API Security Top 10 (2023), risk by risk: what Stanceline does about each.

Stanceline is one shared dataset: every record may be read by any reader and changed by any
editor, so "object level" authorization is the role check on every operation, not ownership.
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.web.roles import Role
from tests.conftest import make_key
from tests.helpers import assert_problem

CONTRACT = json.loads((Path(__file__).resolve().parent.parent / "openapi" / "openapi.json").read_text())
HTTP_METHODS = ("get", "post", "patch", "delete")


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in CONTRACT["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]


def _example_path(path: str) -> str:
    """The path with each parameter replaced by a well-formed value (a random id)."""
    return re.sub(r"\{[^}]+\}", str(uuid.uuid4()), path)


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


# API1:2023 Broken Object Level Authorization


def test_api1_records_are_addressed_by_unguessable_ids_and_unknown_ones_are_plain_404s(
    client: FlaskClient,
) -> None:
    first, second = (
        uuid.UUID(client.post("/api/v1/actors", json={"name": name, "kind": "person"}).get_json()["id"])
        for name in ("Vladimir Putin", "Volodymyr Zelensky")
    )
    # Version 7: a timestamp, then random bits, not a counter to walk from one record to the next.
    assert (first.version, second.version) == (7, 7)
    random_bits = (1 << 62) - 1
    assert abs((second.int & random_bits) - (first.int & random_bits)) > 1 << 40
    assert_problem(client.get(f"/api/v1/statements/{uuid.uuid4()}"), 404)
    assert_problem(client.get("/api/v1/statements/1"), 404)


# API2:2023 Broken Authentication


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer stl_unknown"}, {"Authorization": "Token abc"}, {"Authorization": ""}],
)
def test_api2_writes_without_a_valid_key_are_refused(
    anonymous_client: FlaskClient, headers: dict[str, str]
) -> None:
    response = anonymous_client.post("/api/v1/topics", json={"name": "x"}, headers=headers)

    assert_problem(response, 401, "unauthorized")
    assert "WWW-Authenticate" in response.headers


def test_api2_a_revoked_key_is_refused(client: FlaskClient, anonymous_client: FlaskClient) -> None:
    created = client.post("/api/v1/keys", json={"name": "temp", "role": "editor"}).get_json()
    client.delete(f"/api/v1/keys/{created['id']}")

    assert_problem(
        anonymous_client.get("/api/v1/actors", headers=bearer(created["key"])), 401, "unauthorized"
    )


# API3:2023 Broken Object Property Level Authorization


@pytest.mark.parametrize("field", ["id", "created_at", "updated_at", "number", "revision", "api_key_id"])
def test_api3_a_client_cannot_set_server_made_fields(client: FlaskClient, field: str) -> None:
    value: Any = str(uuid.uuid4()) if field in ("id", "api_key_id") else "2020-01-01T00:00:00+00:00"
    response = client.post("/api/v1/actors", json={"name": "Forged", "kind": "person", field: value})

    assert field in assert_problem(response, 422, "validation-error")["errors"]
    assert client.get("/api/v1/actors/forged").status_code == 404


def test_api3_key_listings_never_show_secrets_or_digests(client: FlaskClient) -> None:
    client.post("/api/v1/keys", json={"name": "importer", "role": "editor"})

    for key in client.get("/api/v1/keys").get_json()["items"]:
        assert set(key) == {"id", "name", "role", "prefix", "created_at", "last_used_at", "revoked_at"}


def test_api3_a_key_cannot_be_made_with_a_role_that_does_not_exist(client: FlaskClient) -> None:
    response = client.post("/api/v1/keys", json={"name": "x", "role": "superuser"})

    assert "role" in assert_problem(response, 422, "validation-error")["errors"]


# API4:2023 Unrestricted Resource Consumption


def test_api4_bodies_pages_and_requests_are_bounded(client: FlaskClient) -> None:
    huge = {"name": "x" * 100, "kind": "person", "description": "y" * 200_000}
    assert_problem(client.post("/api/v1/actors", json=huge), 413)
    assert (
        "limit"
        in assert_problem(client.get("/api/v1/statements?limit=201"), 422, "validation-error")["errors"]
    )
    assert "limit" in assert_problem(client.get("/api/v1/changes?limit=0"), 422, "validation-error")["errors"]
    # Rate limits: tests/test_limits.py (429 with Retry-After, per address and per key).


# API5:2023 Broken Function Level Authorization


@pytest.mark.parametrize(
    ("method", "path", "operation"),
    [op for op in _operations() if op[2].get("x-required-role") in ("editor", "admin")],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_api5_every_operation_above_reader_refuses_a_reader_key(
    app: Flask, anonymous_client: FlaskClient, method: str, path: str, operation: dict[str, Any]
) -> None:
    needed = Role(operation["x-required-role"])
    below = Role.reader if needed is Role.editor else Role.editor
    key = make_key(app, below)

    response = anonymous_client.open(_example_path(path), method=method.upper(), json={}, headers=bearer(key))

    assert_problem(response, 403, "forbidden")
    assert_problem(
        anonymous_client.open(_example_path(path), method=method.upper(), json={}), 401, "unauthorized"
    )


def test_api5_every_api_operation_declares_its_role() -> None:
    for method, path, operation in _operations():
        if path.startswith("/api/"):
            assert operation.get("x-required-role") in ("reader", "editor", "admin"), (method, path)
            assert operation["security"], (method, path)


# API6:2023 Unrestricted Access to Sensitive Business Flows
# Stanceline has no purchase, sign-up or messaging flow to abuse; mass writes need an editor key
# and are rate limited per key (API4, API5).


# API7:2023 Server Side Request Forgery


def test_api7_urls_are_stored_not_fetched_and_only_web_urls_are_accepted(client: FlaskClient) -> None:
    client.post("/api/v1/actors", json={"name": "Donald Trump", "kind": "person"})
    for url in ("file:///etc/passwd", "gopher://127.0.0.1:6379/_FLUSHALL", "http://"):
        response = client.post(
            "/api/v1/statements",
            json={
                "actor": "donald-trump",
                "text": "x",
                "kind": "post",
                "said_at": "2025-09-23",
                "source": {"url": url},
            },
        )
        assert "source.url" in assert_problem(response, 422, "validation-error")["errors"], url


# API8:2023 Security Misconfiguration


def test_api8_no_debug_no_stack_traces_and_protective_headers(
    app: Flask, anonymous_client: FlaskClient
) -> None:
    assert not app.debug
    response = anonymous_client.get("/api/v1/actors")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert (
        "Access-Control-Allow-Origin"
        not in anonymous_client.get("/api/v1/actors", headers={"Origin": "https://evil.example"}).headers
    )
    malformed = anonymous_client.get("/api/v1/nothing-here")
    assert_problem(malformed, 404)
    assert "Traceback" not in malformed.get_data(as_text=True)


# API9:2023 Improper Inventory Management


def test_api9_every_route_the_service_answers_is_in_the_published_contract(app: Flask) -> None:
    documented = {re.sub(r"\{[^}]+\}", "{}", path) for path in CONTRACT["paths"]}
    served = {
        re.sub(r"<[^>]+>", "{}", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
    }
    assert served <= documented
    assert CONTRACT["info"]["version"]
    assert all(path.startswith("/api/v1/") for path in documented if "api" in path)


# API10:2023 Unsafe Consumption of APIs
# Stanceline calls no third-party API: it stores what clients send, validated like any input.
