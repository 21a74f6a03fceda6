"""NDJSON export and import: an export imports into an empty database as the same data; bad
lines are reported by number and, by default, nothing is written."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service import migrate
from service.app import create_app
from service.auth.roles import Role
from service.config import Settings
from service.db import get_database, get_session
from service.demo.load import load_story
from tests.conftest import empty_database, make_key
from tests.helpers import assert_problem

NDJSON = "application/x-ndjson"
KINDS = ("actors", "topics", "events", "statements", "relations")


@pytest.fixture
def demo(app: Flask, client: FlaskClient) -> FlaskClient:
    with app.app_context():
        load_story(get_session())
    return client


@pytest.fixture
def empty(backend: str, tmp_path: Path) -> Iterator[tuple[FlaskClient, dict[str, str]]]:
    """A second service on an empty database of its own, and an admin key for it."""
    with empty_database(backend, tmp_path) as url:
        migrate.upgrade(url)
        app = create_app(Settings(database_url=url, max_body_bytes=8 * 1024 * 1024))
        try:
            yield app.test_client(), {"Authorization": f"Bearer {make_key(app, Role.admin)}"}
        finally:
            get_database(app).engine.dispose()


def _export(client: FlaskClient, kind: str, **query: str) -> str:
    response = client.get("/api/v1/export", query_string={"type": kind, **query})
    assert response.status_code == 200
    assert response.mimetype == NDJSON
    return response.get_data(as_text=True)


def _everything(client: FlaskClient) -> dict[str, list[dict[str, Any]]]:
    shown = {}
    for kind in KINDS:
        items = client.get(f"/api/v1/{kind}?limit=200").get_json()["items"]
        shown[kind] = sorted(
            ({k: v for k, v in item.items() if k not in ("created_at", "updated_at")} for item in items),
            key=lambda item: item["id"],
        )
    return shown


def _import(client: FlaskClient, body: str, headers: dict[str, str] | None = None, mode: str = "all") -> Any:
    return client.post(f"/api/v1/import?mode={mode}", data=body, content_type=NDJSON, headers=headers or {})


def test_an_export_imported_into_an_empty_database_is_the_same_data(
    demo: FlaskClient, empty: tuple[FlaskClient, dict[str, str]]
) -> None:
    target, admin = empty
    exported = "".join(_export(demo, kind) for kind in KINDS)

    response = _import(target, exported, admin)

    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert report["created"] == len(exported.splitlines())
    assert report["failed"] == 0
    assert _everything(target) == _everything(demo)
    # And the history records who imported it.
    assert target.get("/api/v1/changes?limit=200").get_json()["items"][0]["action"] == "create"


def test_export_lines_are_records_import_takes_and_since_narrows_them(demo: FlaskClient) -> None:
    lines = [json.loads(line) for line in _export(demo, "statements").splitlines()]
    assert {line["type"] for line in lines} == {"statement"}
    repost = next(line for line in lines if line["kind"] == "repost")
    assert repost["positions"][0]["topic"] == demo.get("/api/v1/topics").get_json()["items"][0]["id"]

    later = _export(demo, "statements", since="9999-01-01")
    assert later == ""


def test_one_bad_line_and_nothing_is_written(demo: FlaskClient) -> None:
    body = "\n".join(
        [
            json.dumps({"type": "actor", "name": "Kaja Kallas", "kind": "person"}),
            '{"type": "actor", "name": ',
            json.dumps(
                {
                    "type": "statement",
                    "actor": "nobody-at-all",
                    "kind": "quote",
                    "text": "x",
                    "said_at": "2025-10-01",
                }
            ),
            json.dumps({"type": "spaceship", "name": "x"}),
            json.dumps(["not", "an", "object"]),
        ]
    )

    response = _import(demo, body)

    errors = assert_problem(response, 422, "validation-error")["errors"]
    assert set(errors) == {"line 2._line", "line 3.actor", "line 4.type", "line 5._line"}
    assert demo.get("/api/v1/actors/kaja-kallas").status_code == 404


def test_continue_writes_the_good_lines_and_reports_each(demo: FlaskClient) -> None:
    body = "\n".join(
        [
            json.dumps({"type": "actor", "name": "Kaja Kallas", "kind": "person"}),
            json.dumps({"type": "actor", "name": "", "kind": "person"}),
            "",
            json.dumps(
                {
                    "type": "statement",
                    "actor": "kaja-kallas",
                    "kind": "quote",
                    "text": "x",
                    "said_at": "2025-10-01",
                }
            ),
        ]
    )

    report = _import(demo, body, mode="continue").get_json()

    assert (report["created"], report["failed"], report["written"]) == (2, 1, True)
    assert [(r["line"], bool(r["errors"])) for r in report["results"]] == [(1, False), (2, True), (4, False)]
    assert "name" in report["results"][1]["errors"]
    assert demo.get("/api/v1/actors/kaja-kallas").status_code == 200


def test_bad_import_requests_are_refused(demo: FlaskClient, app: Flask) -> None:
    assert_problem(_import(demo, "\n\n"), 422, "validation-error")
    assert_problem(demo.post("/api/v1/import", json={"type": "actor"}), 415)
    assert_problem(_import(demo, "x" * 70_000), 413)
    not_utf8 = demo.post("/api/v1/import", data=b'{"type": "actor", "name": "caf\xe9"}', content_type=NDJSON)
    assert_problem(not_utf8, 400, "missing-body")
    editor = {"Authorization": f"Bearer {make_key(app, Role.editor)}"}
    assert_problem(_import(demo, '{"type": "topic"}', editor), 403, "forbidden")


def test_the_cli_exports_and_imports_files(app: Flask, demo: FlaskClient, tmp_path: Path) -> None:
    file = tmp_path / "actors.ndjson"
    runner = app.test_cli_runner()
    exported = runner.invoke(args=["export", "actors", "--output", str(file)])
    assert exported.exit_code == 0, exported.output
    assert len(file.read_text().splitlines()) == len(demo.get("/api/v1/actors?limit=200").get_json()["items"])

    file.write_text(json.dumps({"type": "actor", "name": "Kaja Kallas", "kind": "person"}) + "\n")
    imported = runner.invoke(args=["import", str(file)])

    assert imported.exit_code == 0, imported.output
    assert "Imported 1 record(s)" in imported.output
    assert demo.get("/api/v1/actors/kaja-kallas").status_code == 200
