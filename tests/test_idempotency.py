"""Idempotency-Key: a retried POST never makes a duplicate."""

from __future__ import annotations

import threading
from datetime import timedelta

import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from service.data.base import utcnow
from service.data.sessions import get_database
from service.web.idempotency import IdempotentRequest
from service.web.roles import Role
from tests.conftest import LiveServer, make_key
from tests.helpers import assert_problem

PUTIN = {"name": "Vladimir Putin", "kind": "person", "country_code": "RU"}


def _actor_count(client: FlaskClient) -> int:
    return len(client.get("/api/v1/actors?limit=200").get_json()["items"])


def test_a_retry_with_the_same_key_replays_the_first_answer_without_writing_again(
    client: FlaskClient,
) -> None:
    first = client.post("/api/v1/actors", json=PUTIN, headers={"Idempotency-Key": "create-putin-1"})
    # Same body, other key order and spacing: the same request.
    retry = client.post(
        "/api/v1/actors",
        data='{"country_code": "RU",  "kind": "person", "name": "Vladimir Putin"}',
        headers={"Idempotency-Key": "create-putin-1", "Content-Type": "application/json"},
    )

    assert first.status_code == retry.status_code == 201
    assert retry.get_json() == first.get_json()
    assert retry.headers["Location"] == first.headers["Location"]
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert _actor_count(client) == 1


def test_the_same_key_with_another_body_is_refused(client: FlaskClient) -> None:
    client.post("/api/v1/actors", json=PUTIN, headers={"Idempotency-Key": "k-1"})

    other = client.post(
        "/api/v1/actors", json={**PUTIN, "name": "Vladimir V. Putin"}, headers={"Idempotency-Key": "k-1"}
    )

    assert_problem(other, 422, "idempotency-key-reused")
    assert _actor_count(client) == 1


def test_a_refused_request_keeps_nothing_so_the_key_can_be_used_again(client: FlaskClient) -> None:
    refused = client.post("/api/v1/actors", json={"name": ""}, headers={"Idempotency-Key": "k-2"})
    assert refused.status_code == 422

    corrected = client.post("/api/v1/actors", json=PUTIN, headers={"Idempotency-Key": "k-2"})

    assert corrected.status_code == 201
    assert _actor_count(client) == 1


def test_keys_belong_to_the_api_key_that_used_them(app: Flask, client: FlaskClient) -> None:
    other_editor = {"Authorization": f"Bearer {make_key(app, Role.editor)}"}
    mine = client.post("/api/v1/actors", json=PUTIN, headers={"Idempotency-Key": "shared"})

    theirs = client.post(
        "/api/v1/actors",
        json={"name": "Volodymyr Zelensky", "kind": "person"},
        headers={"Idempotency-Key": "shared", **other_editor},
    )

    assert mine.status_code == theirs.status_code == 201
    assert theirs.get_json()["slug"] == "volodymyr-zelensky"


def test_a_malformed_key_is_refused(client: FlaskClient) -> None:
    for key in ("", "x" * 256, "has space", "naïve"):
        response = client.post("/api/v1/actors", json=PUTIN, headers={"Idempotency-Key": key})
        assert_problem(response, 400, "invalid-idempotency-key")
    assert _actor_count(client) == 0


def test_keys_expire_after_the_configured_hours(app: Flask, client: FlaskClient) -> None:
    client.post("/api/v1/actors", json=PUTIN, headers={"Idempotency-Key": "old"})
    with app.app_context(), get_database(app).new_session() as session:
        session.execute(update(IdempotentRequest).values(created_at=utcnow() - timedelta(hours=25)))
        session.commit()

    again = client.post("/api/v1/actors", json=PUTIN, headers={"Idempotency-Key": "old"})

    # Not replayed: the key was forgotten, so this is a new request (a second Putin, new slug).
    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again.headers
    assert again.get_json()["slug"] == "vladimir-putin-2"


def test_two_simultaneous_requests_with_one_key_write_once(live_server: LiveServer) -> None:
    key = live_server.key()
    answers: list[requests.Response] = []
    start = threading.Barrier(4)

    def send() -> None:
        start.wait()
        answers.append(
            requests.post(
                f"{live_server.url}/api/v1/actors",
                json=PUTIN,
                headers={"Authorization": f"Bearer {key}", "Idempotency-Key": "race-1"},
                timeout=30,
            )
        )

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    created = [answer for answer in answers if answer.status_code == 201]
    assert len(answers) == 4
    # Each waits for the first to commit, then replays it (409 only if it is still running).
    assert all(answer.status_code in (201, 409) for answer in answers), [a.text for a in answers]
    assert {answer.json()["id"] for answer in created} == {created[0].json()["id"]}
    listed = requests.get(f"{live_server.url}/api/v1/actors", timeout=10).json()["items"]
    assert [actor["slug"] for actor in listed] == ["vladimir-putin"]
