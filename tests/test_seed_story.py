"""The seed story, recorded through the API alone and loaded by the demo command."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from service.demo.story import STATEMENTS, STORY
from tests.story import record_story_over_http


def items(client: FlaskClient, url: str) -> list[dict[str, Any]]:
    response = client.get(url)
    assert response.status_code == 200, response.get_json()
    body: list[dict[str, Any]] = response.get_json()["items"]
    return body


def test_a_client_records_the_story_through_the_api_and_queries_it(client: FlaskClient) -> None:
    created = record_story_over_http(client)

    repost = created["trump-repost-2025-08-17"]
    assert repost["actor"]["slug"] == "donald-trump"
    assert repost["kind"] == "repost"
    assert repost["said_at"] == "2025-08-17T00:00:00+00:00"
    assert repost["said_at_precision"] == "day"
    assert repost["source"]["author"] == "Jürgen Nauditt (@jurgen_nauditt)"
    assert [(p["topic"]["slug"], p["value"]) for p in repost["positions"]] == [
        ("ukraine-territorial-integrity", -0.8)
    ]
    assert {m["slug"] for m in repost["mentions"]} == {"ukraine", "russia"}

    # Trump's statements on the topic between two dates, oldest first.
    on_topic = items(
        client,
        "/api/v1/statements?actor=donald-trump&topic=ukraine-territorial-integrity"
        "&since=2025-08-01&until=2025-09-30&sort=said_at",
    )
    assert [(s["said_at"][:10], s["positions"][0]["value"]) for s in on_topic] == [
        ("2025-08-17", -0.8),
        ("2025-09-23", 0.9),
    ]
    # The same list ends at the end of the `until` day, inclusive.
    assert len(items(client, "/api/v1/statements?actor=donald-trump&until=2025-09-22")) == 1

    # The events Putin took part in.
    putin_events = items(client, "/api/v1/events?participant=vladimir-putin")
    assert [e["title"] for e in putin_events] == ["Trump–Putin summit in Alaska"]
    summit = putin_events[0]
    assert {(p["actor"]["slug"], p["role"]) for p in summit["participants"]} == {
        ("donald-trump", "host"),
        ("vladimir-putin", "participant"),
        ("united-states", "host"),
        ("russia", "participant"),
    }

    meeting = created["trump-zelensky-unga-meeting"]
    assert meeting["parent"]["title"] == "General debate of the 80th UN General Assembly"
    paper_tiger = created["trump-paper-tiger-2025-09-23"]
    assert paper_tiger["event"]["id"] == created["unga-80-general-debate"]["id"]


def test_demo_load_builds_the_story_and_a_second_run_changes_nothing(app: Flask, client: FlaskClient) -> None:
    runner = app.test_cli_runner()

    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert (
        first.output.strip() == "Demo data loaded: 12 actors, 1 topics, 7 events, 6 statements, 4 relations."
    )
    snapshot = {
        resource: items(client, f"/api/v1/{resource}?limit=200")
        for resource in ("actors", "topics", "events", "statements", "relations")
    }

    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0, second.output
    assert second.output.strip() == "Demo data loaded: nothing new."
    for resource, before in snapshot.items():
        assert items(client, f"/api/v1/{resource}?limit=200") == before

    assert len(snapshot["statements"]) == len(STATEMENTS)
    assert sum(len(records) for records in snapshot.values()) == len(STORY)
    # The demo holds what the API would have made of the same requests.
    trump = next(a for a in snapshot["actors"] if a["slug"] == "donald-trump")
    assert trump["wikidata_id"] == "Q22686"
