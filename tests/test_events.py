"""Events over HTTP: participants in roles, topics, parents, time ranges, and bad input."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.helpers import assert_problem
from tests.story import record_story_over_http


@pytest.fixture
def story(client: FlaskClient) -> dict[str, dict[str, Any]]:
    return record_story_over_http(client)


def event(**fields: Any) -> dict[str, Any]:
    return {"title": "A meeting", "kind": "meeting", "start": "2025-09-01", **fields}


def titles(client: FlaskClient, query: str) -> list[str]:
    response = client.get(f"/api/v1/events?{query}")
    assert response.status_code == 200, response.get_json()
    return [e["title"] for e in response.get_json()["items"]]


def test_record_an_event_with_participants_topics_location_sources_and_parent(
    client: FlaskClient, story: dict[str, dict[str, Any]]
) -> None:
    parent = story["unga-80-general-debate"]
    response = client.post(
        "/api/v1/events",
        json=event(
            title="Zelensky's address to the General Assembly",
            kind="speech",
            start="2025-09-24T14:00:00-04:00",
            end="2025-09-24T14:30:00-04:00",
            location={"name": "New York", "country_code": "US", "lat": 40.75, "lon": -73.97},
            participants=[{"actor": "volodymyr-zelensky", "role": "participant"}],
            topics=["ukraine-territorial-integrity"],
            sources=[
                {
                    "url": "https://www.un.org/en/ga",
                    "publisher": "United Nations",
                    "published_at": "2025-09-24",
                }
            ],
            parent=parent["id"],
        ),
    )

    assert response.status_code == 201
    body = response.get_json()
    assert response.headers["Location"] == f"/api/v1/events/{body['id']}"
    assert (body["start"], body["start_precision"]) == ("2025-09-24T18:00:00+00:00", "minute")
    assert body["end"] == "2025-09-24T18:30:00+00:00"
    assert body["participants"] == [
        {
            "actor": {
                "id": story["volodymyr-zelensky"]["id"],
                "slug": "volodymyr-zelensky",
                "name": "Volodymyr Zelensky",
            },
            "role": "participant",
        }
    ]
    assert [t["slug"] for t in body["topics"]] == ["ukraine-territorial-integrity"]
    assert body["sources"] == [
        {
            "url": "https://www.un.org/en/ga",
            "title": None,
            "publisher": "United Nations",
            "author": None,
            "published_at": "2025-09-24T00:00:00+00:00",
        }
    ]
    assert body["parent"]["id"] == parent["id"]
    assert body["location"] == {"name": "New York", "country_code": "US", "lat": 40.75, "lon": -73.97}
    assert client.get(response.headers["Location"]).get_json() == body


def test_filters_combine_and_since_until_select_overlapping_events(
    client: FlaskClient, story: dict[str, dict[str, Any]]
) -> None:
    attacks = titles(client, "kind=attack&sort=start")
    # Both August attacks are known only to the month: same start, so their order is by id.
    assert set(attacks[:2]) == {
        "Russian strike destroys an American-owned factory in Ukraine",
        "Russian bombing of the EU Delegation building in Kyiv",
    }
    assert attacks[2:] == ["Russian attack on Ukraine's cabinet of ministers building"]
    # A month-precise attack (August 2025) overlaps a range that starts mid-August.
    assert set(titles(client, "kind=attack&since=2025-08-20&until=2025-08-31")) == {
        "Russian strike destroys an American-owned factory in Ukraine",
        "Russian bombing of the EU Delegation building in Kyiv",
    }
    # The general debate runs 23 to 29 September, and the attack is known only as "September 2025":
    # both overlap the 28th.
    assert titles(client, "since=2025-09-28&until=2025-09-28") == [
        "General debate of the 80th UN General Assembly",
        "Russian attack on Ukraine's cabinet of ministers building",
    ]
    assert set(titles(client, "participant=volodymyr-zelensky&country_code=US")) == {
        "General debate of the 80th UN General Assembly",
        "Trump–Zelensky meeting at the UN General Assembly",
    }
    assert titles(client, "topic=ukraine-territorial-integrity&participant=russia") == [
        "Trump–Putin summit in Alaska",
        "Russian annexation of Crimea",
    ]
    assert titles(client, "country_code=UA&kind=annexation") == ["Russian annexation of Crimea"]


def test_update_replaces_participants_and_keeps_the_rest(
    client: FlaskClient, story: dict[str, dict[str, Any]]
) -> None:
    summit = story["alaska-summit"]
    url = f"/api/v1/events/{summit['id']}"

    response = client.patch(
        url,
        json={
            "participants": [
                {"actor": "vladimir-putin", "role": "host"},
                {"actor": "volodymyr-zelensky", "role": "target"},
            ]
        },
    )

    assert response.status_code == 200
    body = response.get_json()
    assert {(p["actor"]["slug"], p["role"]) for p in body["participants"]} == {
        ("vladimir-putin", "host"),
        ("volodymyr-zelensky", "target"),
    }
    assert (body["title"], body["location"], body["topics"]) == (
        summit["title"],
        summit["location"],
        summit["topics"],
    )
    assert titles(client, "participant=donald-trump&kind=summit") == []


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"start": "2025-09-02", "end": "2025-09-01"}, {"end": ["The end must not be before the start."]}),
        (
            {"kind": "party"},
            {
                "kind": [
                    "Must be one of: "
                    + ", ".join(
                        [
                            "summit",
                            "meeting",
                            "speech",
                            "statement_release",
                            "attack",
                            "military_operation",
                            "annexation",
                            "agreement",
                            "sanction",
                            "election",
                            "vote",
                            "protest",
                            "other",
                        ]
                    )
                    + "."
                ]
            },
        ),
        (
            {"start": "yesterday"},
            {"start": ["Not a date (YYYY-MM-DD) or a date-time with a time zone (RFC 3339)."]},
        ),
        (
            {"location": {"lat": 91, "lon": 0}},
            {"location.lat": ["Must be greater than or equal to -90 and less than or equal to 90."]},
        ),
        ({"location": {"lat": 10}}, {"location.lon": ["Give both lat and lon, or neither."]}),
        (
            {"participants": [{"actor": "nobody", "role": "host"}]},
            {"participants.0.actor": ["No actor with id or slug 'nobody'."]},
        ),
        (
            {"participants": [{"actor": "russia", "role": "bystander"}]},
            {"participants.0.role": ["Must be one of: host, participant, initiator, target, mediator."]},
        ),
        (
            {"participants": [{"actor": "russia", "role": "host"}, {"actor": "russia", "role": "target"}]},
            {"participants.1.actor": ["This actor already takes part in the event."]},
        ),
        ({"topics": ["no-such-topic"]}, {"topics.0": ["No topic with id or slug 'no-such-topic'."]}),
        (
            {"parent": "00000000-0000-4000-8000-000000000000"},
            {"parent": ["No event with id '00000000-0000-4000-8000-000000000000'."]},
        ),
    ],
)
def test_bad_event_is_422_naming_the_field_and_writes_nothing(
    client: FlaskClient, story: Any, fields: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    before = client.get("/api/v1/events?limit=200").get_json()["items"]

    body = assert_problem(client.post("/api/v1/events", json=event(**fields)), 422, "validation-error")

    assert body["errors"] == errors
    assert client.get("/api/v1/events?limit=200").get_json()["items"] == before


def test_a_parent_that_makes_a_cycle_is_422(client: FlaskClient, story: dict[str, dict[str, Any]]) -> None:
    debate, meeting = story["unga-80-general-debate"], story["trump-zelensky-unga-meeting"]

    for event_id, parent_id in ((debate["id"], meeting["id"]), (debate["id"], debate["id"])):
        body = assert_problem(
            client.patch(f"/api/v1/events/{event_id}", json={"parent": parent_id}), 422, "validation-error"
        )
        assert body["errors"] == {"parent": ["This parent would make the event part of itself."]}
    assert client.get(f"/api/v1/events/{debate['id']}").get_json()["parent"] is None


def test_end_before_a_start_changed_alone_is_422(
    client: FlaskClient, story: dict[str, dict[str, Any]]
) -> None:
    debate = story["unga-80-general-debate"]
    body = assert_problem(
        client.patch(f"/api/v1/events/{debate['id']}", json={"start": "2025-10-01"}), 422, "validation-error"
    )
    assert body["errors"] == {"end": ["The end must not be before the start."]}


def test_since_after_until_is_422(client: FlaskClient) -> None:
    body = assert_problem(
        client.get("/api/v1/events?since=2025-09-02&until=2025-09-01"), 422, "validation-error"
    )
    assert body["errors"] == {"until": ["'since' must not be after 'until'."]}
