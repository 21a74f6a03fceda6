"""Revision history, reads as of a past instant, and the change feed."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service.data.sessions import get_database
from service.resources.revisions.models import Revision
from tests.conftest import LiveServer
from tests.helpers import assert_problem
from tests.story import record_story_over_http

PUTIN = {"name": "Vladimir Putin", "kind": "person"}
RESOURCES = ("actors", "topics", "statements", "events", "relations")


def _key_id(client: FlaskClient) -> str:
    keys = client.get("/api/v1/keys").get_json()["items"]
    return str(next(key["id"] for key in keys if key["name"] == "test admin"))


def test_every_create_update_and_delete_is_recorded_with_who_and_what_changed(client: FlaskClient) -> None:
    created = client.post("/api/v1/actors", json=PUTIN).get_json()
    client.patch("/api/v1/actors/vladimir-putin", json={"country_code": "RU", "aliases": ["Putin"]})
    client.patch("/api/v1/actors/vladimir-putin", json={"country_code": "RU"})  # no change: no revision
    assert client.delete("/api/v1/actors/vladimir-putin").status_code == 204

    history = client.get(f"/api/v1/actors/{created['id']}/revisions").get_json()["items"]

    assert [revision["action"] for revision in history] == ["create", "update", "delete"]
    assert [revision["number"] for revision in history] == sorted(revision["number"] for revision in history)
    assert {revision["api_key_id"] for revision in history} == {_key_id(client)}
    create, update, delete = history
    assert create["before"] is None
    assert create["after"]["name"] == "Vladimir Putin"
    assert update["changes"]["country_code"] == {"before": None, "after": "RU"}
    assert update["changes"]["aliases"] == {"before": [], "after": ["Putin"]}
    assert "name" not in update["changes"]
    assert delete["after"] is None
    assert delete["before"]["country_code"] == "RU"


def test_a_statements_history_shows_its_positions_changing(client: FlaskClient) -> None:
    story = record_story_over_http(client)
    post = story["trump-post-2025-09-23"]
    positions = [{"topic": "ukraine-territorial-integrity", "value": 0.5, "confidence": 0.5}]

    client.patch(f"/api/v1/statements/{post['id']}", json={"positions": positions})

    history = client.get(f"/api/v1/statements/{post['id']}/revisions").get_json()["items"]
    assert [revision["action"] for revision in history] == ["create", "update"]
    change = history[1]["changes"]["positions"]
    assert change["before"][0]["value"] == post["positions"][0]["value"]
    assert change["after"][0]["value"] == 0.5


def test_as_of_answers_the_record_as_it_was_then(app: Flask, client: FlaskClient) -> None:
    created = client.post("/api/v1/actors", json=PUTIN).get_json()
    client.patch("/api/v1/actors/vladimir-putin", json={"description": "President of Russia."})
    client.delete("/api/v1/actors/vladimir-putin")
    with app.app_context(), get_database(app).new_session() as session:
        times = list(session.scalars(select(Revision.recorded_at).order_by(Revision.number)))
    created_at, updated_at, deleted_at = times[-3:]
    url = f"/api/v1/actors/{created['id']}"

    def as_of(instant: Any) -> Any:
        return client.get(url, query_string={"as_of": instant.isoformat()})

    assert as_of(created_at).get_json()["description"] is None
    assert as_of(updated_at).get_json()["description"] == "President of Russia."
    assert as_of(updated_at).headers["ETag"]
    assert_problem(as_of(deleted_at), 404)
    assert_problem(client.get(url), 404)
    assert_problem(as_of(created_at - timedelta(seconds=1)), 404)
    no_offset = client.get(url, query_string={"as_of": "2025-09-24T08:00:00"})
    assert "as_of" in assert_problem(no_offset, 422, "validation-error")["errors"]


def test_revisions_of_a_record_never_seen_are_404(client: FlaskClient) -> None:
    assert_problem(client.get("/api/v1/statements/5d0c4d43-9b74-4c35-9d64-0a7e3a4e8f10/revisions"), 404)
    assert_problem(client.get("/api/v1/actors/nobody/revisions"), 404)


def _read_feed(client: FlaskClient | requests.Session, base: str, since: str | None) -> tuple[list[Any], str]:
    query = {"limit": "7", **({"since": since} if since else {})}
    response = (
        client.get(f"{base}/api/v1/changes", query_string=query)
        if isinstance(client, FlaskClient)
        else client.get(f"{base}/api/v1/changes", params=query, timeout=10)
    )
    body = response.get_json() if isinstance(client, FlaskClient) else response.json()
    return body["items"], body["next_since"]


def _replica_from_feed(changes: list[Any], path: Path) -> dict[tuple[str, str], Any]:
    """A second database, built from nothing but the feed."""
    replica = sqlite3.connect(path)
    replica.execute("CREATE TABLE records (resource TEXT, id TEXT, body TEXT, PRIMARY KEY (resource, id))")
    for change in changes:
        if change["action"] == "delete":
            replica.execute(
                "DELETE FROM records WHERE resource = ? AND id = ?", (change["resource"], change["record_id"])
            )
        else:
            replica.execute(
                "INSERT OR REPLACE INTO records VALUES (?, ?, ?)",
                (change["resource"], change["record_id"], json.dumps(change["after"])),
            )
    replica.commit()
    rows = replica.execute("SELECT resource, id, body FROM records").fetchall()
    replica.close()
    return {(resource, record_id): json.loads(body) for resource, record_id, body in rows}


def _current_records(client: FlaskClient) -> dict[tuple[str, str], Any]:
    records = {}
    for resource in RESOURCES:
        for item in client.get(f"/api/v1/{resource}?limit=200").get_json()["items"]:
            records[(resource.removesuffix("s"), item["id"])] = item
    return records


def test_the_feed_read_between_writes_misses_and_repeats_nothing_and_rebuilds_the_data(
    client: FlaskClient, tmp_path: Path
) -> None:
    seen: list[Any] = []
    since = None

    def catch_up() -> None:
        nonlocal since
        while True:
            items, since = _read_feed(client, "", since)
            seen.extend(items)
            if not items:
                return

    catch_up()
    story = record_story_over_http(client)
    catch_up()
    client.patch("/api/v1/actors/donald-trump", json={"aliases": ["Trump", "POTUS"]})
    client.post("/api/v1/actors", json=PUTIN | {"name": "Dmitry Medvedev"})
    catch_up()
    client.delete(f"/api/v1/statements/{story['trump-repost-2025-08-17']['id']}")
    client.delete("/api/v1/actors/dmitry-medvedev")
    client.post("/api/v1/relations", json={"subject": "ukraine", "object": "russia", "kind": "adversary"})
    catch_up()
    catch_up()  # nothing new: the same cursor, no repeats

    numbers = [change["number"] for change in seen]
    assert numbers == sorted(set(numbers))
    assert {change["action"] for change in seen} == {"create", "update", "delete"}
    assert _replica_from_feed(seen, tmp_path / "replica.db") == _current_records(client)


def test_the_feed_follows_commit_order_under_concurrent_writers(live_server: LiveServer) -> None:
    """Writers commit while a reader follows the feed: every change arrives once, in order."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {live_server.key()}"
    base = live_server.url

    def write(worker: int) -> None:
        own = requests.Session()
        own.headers.update(session.headers)
        for index in range(15):
            own.post(
                f"{base}/api/v1/actors", json={"name": f"Writer {worker} actor {index}", "kind": "person"}
            )

    writers = [threading.Thread(target=write, args=(worker,)) for worker in range(4)]
    for writer in writers:
        writer.start()
    seen: list[Any] = []
    since = None
    while any(writer.is_alive() for writer in writers):
        items, since = _read_feed(session, base, since)
        seen.extend(items)
        time.sleep(0.005)
    while True:  # what committed after the last read during the writes
        items, since = _read_feed(session, base, since)
        seen.extend(items)
        if not items:
            break

    numbers = [change["number"] for change in seen]
    assert numbers == sorted(set(numbers))
    assert len(seen) == 60
    assert {change["after"]["name"] for change in seen} == {
        f"Writer {worker} actor {index}" for worker in range(4) for index in range(15)
    }
