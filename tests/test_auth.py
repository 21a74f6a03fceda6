"""API keys: who may read, write and manage keys, and how keys are kept."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.engine import Connection

from service.data.sessions import get_database
from service.resources.auth.models import ApiKey
from service.web.roles import Role
from tests.conftest import make_key
from tests.helpers import assert_problem

TRUMP = {"name": "Donald Trump", "kind": "person"}
CONTRACT = Path(__file__).resolve().parent.parent / "openapi" / "openapi.json"


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_reads_are_open_by_default_and_writes_need_a_key(anonymous_client: FlaskClient) -> None:
    assert anonymous_client.get("/api/v1/actors").status_code == 200

    response = anonymous_client.post("/api/v1/actors", json=TRUMP)

    body = assert_problem(response, 401, "unauthorized")
    assert "editor" in body["detail"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert anonymous_client.get("/api/v1/actors/donald-trump").status_code == 404  # nothing written


@pytest.mark.parametrize(
    "header",
    ["Bearer stl_not-a-key", "Basic dXNlcjpwYXNz", "Bearer", "stl_only-the-secret"],
)
def test_a_bad_or_malformed_key_is_refused_even_for_reads(anonymous_client: FlaskClient, header: str) -> None:
    response = anonymous_client.get("/api/v1/actors", headers={"Authorization": header})

    assert_problem(response, 401, "unauthorized")


def test_each_role_may_do_what_it_should_and_no_more(app: Flask, anonymous_client: FlaskClient) -> None:
    reader, editor, admin = (make_key(app, role) for role in Role)

    assert anonymous_client.get("/api/v1/actors", headers=bearer(reader)).status_code == 200
    assert_problem(
        anonymous_client.post("/api/v1/actors", json=TRUMP, headers=bearer(reader)), 403, "forbidden"
    )
    assert anonymous_client.post("/api/v1/actors", json=TRUMP, headers=bearer(editor)).status_code == 201
    assert_problem(anonymous_client.get("/api/v1/keys", headers=bearer(editor)), 403, "forbidden")
    assert_problem(
        anonymous_client.post("/api/v1/keys", json={"name": "x", "role": "admin"}, headers=bearer(editor)),
        403,
        "forbidden",
    )
    assert anonymous_client.get("/api/v1/keys", headers=bearer(admin)).status_code == 200


def test_an_admin_makes_a_key_whose_secret_is_shown_once_and_stored_hashed(
    app: Flask, client: FlaskClient, anonymous_client: FlaskClient
) -> None:
    created = client.post("/api/v1/keys", json={"name": "newsroom importer", "role": "editor"})

    assert created.status_code == 201
    body = created.get_json()
    secret = body["key"]
    assert secret.startswith("stl_")
    assert len(secret) > 40
    assert body["prefix"] == secret[:12]
    assert created.headers["Location"] == f"/api/v1/keys/{body['id']}"
    shown_again = client.get(f"/api/v1/keys/{body['id']}").get_json()
    assert "key" not in shown_again
    assert shown_again["last_used_at"] is None
    with app.app_context(), get_database(app).new_session() as session:
        stored = session.scalars(select(ApiKey).where(ApiKey.id == uuid.UUID(body["id"]))).one()
        assert secret not in json.dumps({c.name: str(getattr(stored, c.name)) for c in ApiKey.__table__.c})

    assert anonymous_client.post("/api/v1/actors", json=TRUMP, headers=bearer(secret)).status_code == 201
    assert client.get(f"/api/v1/keys/{body['id']}").get_json()["last_used_at"] is not None


def test_a_revoked_key_stops_working_at_once(client: FlaskClient, anonymous_client: FlaskClient) -> None:
    body = client.post("/api/v1/keys", json={"name": "leaked", "role": "editor"}).get_json()
    assert anonymous_client.get("/api/v1/actors", headers=bearer(body["key"])).status_code == 200

    revoked = client.delete(f"/api/v1/keys/{body['id']}")

    assert revoked.status_code == 200
    assert revoked.get_json()["revoked_at"] is not None
    assert_problem(anonymous_client.get("/api/v1/actors", headers=bearer(body["key"])), 401, "unauthorized")
    assert_problem(client.delete(f"/api/v1/keys/{body['id']}"), 409, "conflict")
    listed = [key["id"] for key in client.get("/api/v1/keys").get_json()["items"]]
    assert body["id"] not in listed
    listed = [key["id"] for key in client.get("/api/v1/keys?include_revoked=true").get_json()["items"]]
    assert body["id"] in listed


def test_reads_can_be_closed_to_anyone_without_a_key(
    make_app: Callable[..., Flask], database: Connection
) -> None:
    closed = make_app(reads_open=False)
    anonymous = closed.test_client()

    assert_problem(anonymous.get("/api/v1/actors"), 401, "unauthorized")
    assert_problem(anonymous.get("/api/v1/topics/anything/stances"), 401, "unauthorized")
    assert anonymous.get("/healthz").status_code == 200  # probes need no key
    reader = make_key(closed, Role.reader)
    assert anonymous.get("/api/v1/actors", headers=bearer(reader)).status_code == 200


def test_the_cli_makes_the_first_admin_key(app: Flask, anonymous_client: FlaskClient) -> None:
    result = app.test_cli_runner().invoke(args=["keys", "create", "--name", "first admin"])

    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    assert anonymous_client.get("/api/v1/keys", headers=bearer(secret)).status_code == 200


def test_the_contract_declares_the_bearer_scheme_and_each_operations_needs() -> None:
    contract = json.loads(CONTRACT.read_text())

    assert contract["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": contract["components"]["securitySchemes"]["bearerAuth"]["description"],
    }
    create_statement = contract["paths"]["/api/v1/statements"]["post"]
    assert create_statement["security"] == [{"bearerAuth": []}]
    assert {"401", "403"} <= set(create_statement["responses"])
    list_statements = contract["paths"]["/api/v1/statements"]["get"]
    assert list_statements["security"] == [{"bearerAuth": []}, {}]
    assert contract["paths"]["/api/v1/keys"]["get"]["x-required-role"] == "admin"
    assert contract["paths"]["/healthz"]["get"]["security"] == []
