"""Deleting a record that others still refer to answers 409, names them, and deletes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.helpers import assert_problem
from tests.story import record_story_over_http


@pytest.fixture
def story(client: FlaskClient) -> dict[str, dict[str, Any]]:
    return record_story_over_http(client)


@pytest.mark.parametrize(
    ("url", "references", "detail"),
    [
        (
            "/api/v1/actors/donald-trump",
            {"event_participations": 3, "relations": 1, "statement_mentions": 2, "statements": 3},
            "The actor is still referenced by 3 event_participations, 1 relations, 2 statement_mentions, "
            "3 statements; remove those references first.",
        ),
        (
            "/api/v1/topics/ukraine-territorial-integrity",
            {"events": 3, "statement_positions": 4},
            "The topic is still referenced by 3 events, 4 statement_positions; "
            "remove those references first.",
        ),
    ],
)
def test_deleting_a_referenced_actor_or_topic_is_409(
    client: FlaskClient, story: Any, url: str, references: dict[str, int], detail: str
) -> None:
    before = client.get(url).get_json()

    body = assert_problem(client.delete(url), 409, "still-referenced")

    assert body["references"] == references
    assert body["detail"] == detail
    assert client.get(url).get_json() == before


def test_deleting_a_referenced_event_is_409_and_keeps_its_participants(
    client: FlaskClient, story: dict[str, dict[str, Any]]
) -> None:
    debate = story["unga-80-general-debate"]
    url = f"/api/v1/events/{debate['id']}"

    body = assert_problem(client.delete(url), 409, "still-referenced")

    assert body["references"] == {"child_events": 1, "statements": 1}
    assert client.get(url).get_json() == debate


def test_once_unreferenced_the_record_deletes(client: FlaskClient, story: dict[str, dict[str, Any]]) -> None:
    meeting, debate = story["trump-zelensky-unga-meeting"], story["unga-80-general-debate"]
    paper_tiger = story["trump-paper-tiger-2025-09-23"]

    assert client.delete(f"/api/v1/events/{meeting['id']}").status_code == 204
    assert client.patch(f"/api/v1/statements/{paper_tiger['id']}", json={"event": None}).status_code == 200
    assert client.delete(f"/api/v1/events/{debate['id']}").status_code == 204

    assert client.get("/api/v1/events?participant=volodymyr-zelensky").get_json()["items"] == []
    # Nothing refers to Acyn: deleting it is allowed.
    assert client.delete("/api/v1/actors/acyn").status_code == 204
