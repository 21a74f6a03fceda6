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

from service.app import create_app
from service.config import Settings
from service.data import migrate
from service.data.sessions import get_database
from service.resources.bulk import batched
from service.web.roles import Role
from tests.conftest import empty_database, make_key
from tests.helpers import assert_problem

NDJSON = "application/x-ndjson"
KINDS = ("actors", "topics", "events", "statements", "relations")


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


def _statement_line(**fields: Any) -> str:
    line = {"type": "statement", "kind": "quote", "text": "Words.", "said_at": "2025-10-01", **fields}
    return json.dumps(line)


def _assert_reads_back_as_posted(
    client: FlaskClient, plural: str, record_id: str, line: dict[str, Any]
) -> None:
    """The imported record reads back as the same line POSTed does, and its one revision is it."""
    imported = client.get(f"/api/v1/{plural}/{record_id}").get_json()
    posted = client.post(
        f"/api/v1/{plural}", json={k: v for k, v in line.items() if k not in ("type", "id")}
    ).get_json()
    bookkeeping = ("id", "created_at", "updated_at")
    assert {k: v for k, v in imported.items() if k not in bookkeeping} == {
        k: v for k, v in posted.items() if k not in bookkeeping
    }
    history = client.get(f"/api/v1/{plural}/{record_id}/revisions").get_json()["items"]
    assert [(revision["action"], revision["after"]) for revision in history] == [("create", imported)]


def test_imported_statements_read_back_as_one_recorded_by_post(
    demo: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batched, "BATCH_SIZE", 2)  # several batches, and an event line between them
    event = demo.get("/api/v1/events?limit=1").get_json()["items"][0]["id"]
    sanctions = {"slug": "sanctions", "name": "Sanctions", "negative_pole": "-", "positive_pole": "+"}
    assert demo.post("/api/v1/topics", json=sanctions).status_code == 201
    bodies = [
        {"actor": "vladimir-putin", "said_at": "2025-08-15T21:07:00+02:00", "event": event},
        {
            "actor": "donald-trump",
            "language": "en",
            "source": {"publisher": "X", "published_at": "2025-09-23"},
            "positions": [
                {"topic": "sanctions", "value": 0.5},
                {"topic": "ukraine-territorial-integrity", "value": -0.25, "confidence": 0.5},
            ],
            "mentions": ["ukraine", "european-union", "ukraine"],
        },
        {"actor": "donald-trump", "kind": "repost", "reposted_from": {"handle": "@someone"}},
    ]
    lines = [_statement_line(**body) for body in bodies]
    lines.insert(2, json.dumps({"type": "actor", "name": "Kaja Kallas", "kind": "person"}))
    lines.append(_statement_line(actor="kaja-kallas", mentions=["donald-trump"]))

    report = _import(demo, "\n".join(lines)).get_json()

    assert report["created"] == 5
    ids = [result["id"] for result in report["results"] if result["type"] == "statement"]
    for statement_id, body in zip(ids, bodies, strict=False):
        _assert_reads_back_as_posted(demo, "statements", statement_id, json.loads(_statement_line(**body)))
    assert demo.get(f"/api/v1/statements/{ids[3]}").get_json()["actor"]["slug"] == "kaja-kallas"


def test_imported_statements_with_bad_references_are_named_by_line(
    demo: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batched, "BATCH_SIZE", 3)
    territory = demo.get("/api/v1/topics/ukraine-territorial-integrity").get_json()["id"]
    taken = demo.get("/api/v1/statements?limit=1").get_json()["items"][0]["id"]
    fresh = "0d9e8a4c-1b2f-4c3d-9e8f-7a6b5c4d3e2f"
    lines = [
        _statement_line(actor="donald-trump", id=fresh),
        _statement_line(actor="nobody-at-all"),
        _statement_line(
            actor="donald-trump",
            positions=[
                {"topic": "ukraine-territorial-integrity", "value": 1},
                {"topic": territory, "value": 0},
                {"topic": "no-such-topic", "value": 0},
            ],
        ),
        _statement_line(actor="donald-trump", mentions=["ukraine", "nobody"]),
        _statement_line(actor="donald-trump", event="6f1e9c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b"),
        _statement_line(actor="donald-trump", id=taken),
        _statement_line(actor="donald-trump", id=fresh),
        _statement_line(actor="vladimir-putin"),
    ]

    report = _import(demo, "\n".join(lines), mode="continue").get_json()

    errors = {result["line"]: result["errors"] for result in report["results"] if result["errors"]}
    assert errors == {
        2: {"actor": ["No actor with id or slug 'nobody-at-all'."]},
        3: {
            "positions.1.topic": ["This topic already has a position."],
            "positions.2.topic": ["No topic with id or slug 'no-such-topic'."],
        },
        4: {"mentions.1": ["No actor with id or slug 'nobody'."]},
        5: {"event": ["No event with id '6f1e9c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b'."]},
        6: {"_line": [f"Conflicts with a record already there: statement {taken} exists."]},
        7: {"_line": [f"Conflicts with a record already there: statement {fresh} exists."]},
    }
    assert (report["created"], report["failed"]) == (2, 6)
    assert demo.get(f"/api/v1/statements/{fresh}").get_json()["text"] == "Words."
    assert len(demo.get("/api/v1/statements?actor=vladimir-putin&q=words").get_json()["items"]) == 1

    refused = _import(demo, "\n".join(lines[:2]))
    assert set(assert_problem(refused, 422, "validation-error")["errors"]) == {"line 1._line", "line 2.actor"}


def _event_line(**fields: Any) -> dict[str, Any]:
    return {"type": "event", "title": "A meeting", "kind": "meeting", "start": "2025-09-01", **fields}


def test_imported_events_read_back_as_one_recorded_by_post(
    demo: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batched, "BATCH_SIZE", 2)
    in_database = demo.get("/api/v1/events?limit=1").get_json()["items"][0]["id"]
    in_file = "5b0c2e8a-6d1f-4e3a-9b7c-2f4e6a8c0d1e"
    bodies = [
        {"id": in_file, "kind": "summit", "start": "2025-08-15T11:00:00-08:00", "end": "2025-08-16"},
        {
            "title": "Talks, day one",
            "parent": in_file,  # in the same batch: written before this line
            "location": {"name": "Anchorage", "country_code": "US", "lat": 61.2, "lon": -149.9},
            "participants": [
                {"actor": "vladimir-putin", "role": "participant"},
                {"actor": "donald-trump", "role": "host"},
            ],
            "topics": ["ukraine-territorial-integrity", "ukraine-territorial-integrity"],
            "sources": [{"url": "https://example.org/a", "publisher": "Example"}],
        },
        {"kind": "attack", "start": "2025-08-28", "parent": in_database, "description": "Strikes."},
    ]
    lines = [json.dumps(_event_line(**body)) for body in bodies]

    report = _import(demo, "\n".join(lines)).get_json()

    assert report["created"] == 3
    for result, body in zip(report["results"], bodies, strict=True):
        _assert_reads_back_as_posted(demo, "events", result["id"], _event_line(**body))
    assert report["results"][0]["id"] == in_file


def test_imported_events_that_cannot_be_made_are_named_by_line(
    demo: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batched, "BATCH_SIZE", 3)
    taken = demo.get("/api/v1/events?limit=1").get_json()["items"][0]["id"]
    unknown = "6f1e9c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b"
    twice = {"actor": "donald-trump", "role": "host"}
    lines = [
        _event_line(participants=[{"actor": "nobody-at-all", "role": "host"}]),
        _event_line(participants=[twice, {**twice, "role": "participant"}]),
        _event_line(start="2025-09-02", end="2025-09-01"),
        _event_line(parent=unknown, topics=["no-such-topic"]),
        _event_line(id=taken),
        _event_line(title="Fine"),
    ]

    report = _import(demo, "\n".join(json.dumps(line) for line in lines), mode="continue").get_json()

    errors = {result["line"]: result["errors"] for result in report["results"] if result["errors"]}
    assert errors == {
        1: {"participants.0.actor": ["No actor with id or slug 'nobody-at-all'."]},
        2: {"participants.1.actor": ["This actor already takes part in the event."]},
        3: {"end": ["The end must not be before the start."]},
        4: {
            "parent": [f"No event with id '{unknown}'."],
            "topics.0": ["No topic with id or slug 'no-such-topic'."],
        },
        5: {"_line": [f"Conflicts with a record already there: event {taken} exists."]},
    }
    assert (report["created"], report["failed"]) == (1, 5)
    assert [e["title"] for e in demo.get("/api/v1/events?q=fine").get_json()["items"]] == ["Fine"]


CSV_STATEMENTS = (
    "actor,kind,text,said_at,source.publisher,source.url,positions,mentions\r\n"
    'donald-trump,quote,"Two lines,\nwith a comma.",2025-10-01,X,https://x.com/p/1,'
    '"[{""topic"": ""ukraine-territorial-integrity"", ""value"": 0.5}]","[""ukraine""]"\r\n'
    "nobody-at-all,quote,Words.,2025-10-02,,,,\r\n"
    "vladimir-putin,quote,Words.,2025-10-03,,,[not json,\r\n"
    "vladimir-putin,quote,Words.,2025-10-04,,,,,extra\r\n"
    "vladimir-putin,speech,Plain.,2025-10-05,,,,\r\n"
)


def _import_csv(client: FlaskClient, body: str, kind: str, mode: str = "all") -> Any:
    return client.post(f"/api/v1/import?type={kind}&mode={mode}", data=body, content_type="text/csv")


def test_csv_rows_import_as_records_with_the_line_each_begins_on(demo: FlaskClient) -> None:
    report = _import_csv(demo, CSV_STATEMENTS, "statements", mode="continue").get_json()

    assert [(r["line"], sorted(r["errors"])) for r in report["results"]] == [
        (2, []),
        (4, ["actor"]),
        (5, ["positions"]),
        (6, ["_line"]),
        (7, []),
    ]
    first = demo.get(f"/api/v1/statements/{report['results'][0]['id']}").get_json()
    assert first["text"] == "Two lines,\nwith a comma."
    assert first["source"]["publisher"] == "X"
    assert first["source"]["title"] is None
    assert [p["value"] for p in first["positions"]] == [0.5]
    assert [m["slug"] for m in first["mentions"]] == ["ukraine"]

    refused = _import_csv(demo, CSV_STATEMENTS, "statements")
    assert "line 4.actor" in assert_problem(refused, 422, "validation-error")["errors"]


def test_csv_needs_its_type_and_ndjson_lines_may_take_it(demo: FlaskClient) -> None:
    no_type = demo.post("/api/v1/import", data=CSV_STATEMENTS, content_type="text/csv")
    assert set(assert_problem(no_type, 422, "validation-error")["errors"]) == {"type"}
    topic = {"type": "topic", "name": "Peace", "negative_pole": "-", "positive_pole": "+"}
    lines = '{"name": "Kaja Kallas", "kind": "person"}\n' + json.dumps(topic)
    report = demo.post("/api/v1/import?type=actors", data=lines, content_type=NDJSON).get_json()
    assert [result["type"] for result in report["results"]] == ["actor", "topic"]
    header_only = _import_csv(demo, "name,kind\r\n", "actors")
    assert assert_problem(header_only, 422, "validation-error")["errors"] == {
        "_body": ["The file has no records."]
    }


def test_the_cli_imports_csv(app: Flask, demo: FlaskClient, tmp_path: Path) -> None:
    file = tmp_path / "actors.csv"
    file.write_text("name,kind,country_code\nKaja Kallas,person,EE\n")

    imported = app.test_cli_runner().invoke(args=["import", "--csv", "actors", str(file)])

    assert imported.exit_code == 0, imported.output
    assert demo.get("/api/v1/actors/kaja-kallas").get_json()["country_code"] == "EE"
