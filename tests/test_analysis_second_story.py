"""A second story, made up for the test and entered through the API alone, analysed end to end.

Mayor Anna Keller and the city's congestion charge: she supports it, wavers on one day, turns
against it after a protest and a council vote, then comes back to it. The story exercises the
rules the first does not: two positions on one day, a month-precise position, an event picked
because a mentioned actor took part, and events that must not be picked.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

CHARGE = "congestion-charge"


def post(client: FlaskClient, resource: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(f"/api/v1/{resource}", json=body)
    assert response.status_code == 201, response.get_json()
    created: dict[str, Any] = response.get_json()
    return created


@pytest.fixture
def keller(client: FlaskClient) -> dict[str, dict[str, Any]]:
    for actor in (
        {"name": "Anna Keller", "kind": "person", "aliases": ["Mayor Keller"]},
        {"name": "Drivers' Union", "kind": "group"},
        {"name": "City Council", "kind": "organization"},
        {"name": "Green Party", "kind": "organization"},
    ):
        post(client, "actors", actor)
    post(
        client,
        "topics",
        {
            "name": "Congestion charge",
            "slug": CHARGE,
            "negative_pole": "Scrap the charge",
            "positive_pole": "Keep and raise the charge",
        },
    )
    record = {
        "protest": post(
            client,
            "events",
            {
                "title": "Drivers block the ring road",
                "kind": "protest",
                "start": "2024-02-10",
                "participants": [{"actor": "drivers-union", "role": "initiator"}],
            },
        ),
        "vote": post(
            client,
            "events",
            {
                "title": "Council votes to review the charge",
                "kind": "vote",
                "start": "2024-02-20",
                "participants": [{"actor": "city-council", "role": "host"}],
                "topics": [CHARGE],
            },
        ),
        "strike": post(
            client,
            "events",
            {
                "title": "Drivers' winter strike",
                "kind": "protest",
                "start": "2023-11-01",
                "end": "2024-01-05",
                "participants": [{"actor": "drivers-union", "role": "initiator"}],
            },
        ),
        "unrelated": post(
            client,
            "events",
            {
                "title": "Green Party congress",
                "kind": "meeting",
                "start": "2024-02-15",
                "participants": [{"actor": "green-party", "role": "host"}],
            },
        ),
        "too-early": post(
            client,
            "events",
            {"title": "Charge introduced", "kind": "other", "start": "2023-01-01", "topics": [CHARGE]},
        ),
    }

    def say(text: str, said_at: str, value: float, confidence: float = 1.0, **extra: Any) -> dict[str, Any]:
        return post(
            client,
            "statements",
            {
                "actor": "anna-keller",
                "text": text,
                "kind": "quote",
                "said_at": said_at,
                "positions": [{"topic": CHARGE, "value": value, "confidence": confidence}],
                **extra,
            },
        )

    record["support"] = say("The charge stays.", "2024-01-10", 0.8)
    record["waver"] = say("We will listen to drivers.", "2024-01-10T16:00:00+01:00", 0.2, 0.5)
    record["turn"] = say(
        "The charge has failed the drivers.",
        "2024-03-01",
        -0.6,
        said_at_precision="month",
        mentions=["drivers-union"],
    )
    record["back"] = say("We keep the charge, and raise it.", "2024-06-12", 0.9)
    return record


def test_shifts_merge_a_day_date_months_and_pick_events_for_their_reasons(
    client: FlaskClient, keller: dict[str, dict[str, Any]]
) -> None:
    shifts = client.get(f"/api/v1/actors/anna-keller/shifts?topic={CHARGE}").get_json()["items"]

    # 10 January: 0.8 (confidence 1) and 0.2 (confidence 0.5) are one day worth 0.6.
    first, second = shifts
    assert first["from"]["value"] == pytest.approx(0.6)
    assert first["from"]["statements_that_day"] == 2
    assert first["from"]["statement"]["id"] == keller["support"]["id"]  # the more confident
    assert (first["to"]["value"], first["to"]["said_at"][:10], first["to"]["said_at_precision"]) == (
        -0.6,
        "2024-03-01",
        "month",
    )
    assert first["delta"] == pytest.approx(-1.2)
    assert first["direction"] == "toward_negative"
    assert first["days"] == 51

    # The window runs from a week before 10 January to the end of March (the month-precise
    # side): the protest counts because the statement mentions the drivers' union, the vote
    # because it is tagged with the topic, the strike because it lasted into the window.
    picked = {item["event"]["title"]: item for item in first["events_between"]}
    assert list(picked) == [
        "Drivers' winter strike",
        "Drivers block the ring road",
        "Council votes to review the charge",
    ]
    assert picked["Drivers' winter strike"]["reasons"] == ["mentioned_actor"]
    assert picked["Drivers block the ring road"]["reasons"] == ["mentioned_actor"]
    assert [a["slug"] for a in picked["Drivers block the ring road"]["mentioned_actors"]] == ["drivers-union"]
    assert picked["Council votes to review the charge"]["reasons"] == ["topic"]

    assert second["delta"] == pytest.approx(1.5)
    assert second["direction"] == "toward_positive"
    assert second["days"] == 103
    assert second["events_between"] == []


def test_a_smaller_min_delta_finds_no_shift_inside_one_day(client: FlaskClient, keller: Any) -> None:
    # The two statements of 10 January differ by 0.6 but are one daily position.
    shifts = client.get(f"/api/v1/actors/anna-keller/shifts?topic={CHARGE}&min_delta=0.1").get_json()["items"]
    assert [(s["from"]["said_at"][:10], s["to"]["said_at"][:10]) for s in shifts] == [
        ("2024-01-10", "2024-03-01"),
        ("2024-03-01", "2024-06-12"),
    ]


def test_stances_and_pages_of_shifts(client: FlaskClient, keller: Any) -> None:
    stance = client.get(f"/api/v1/topics/{CHARGE}/stances?at=2024-01-10").get_json()["items"]
    # The latest position that day: the later statement (16:00 +01:00 is still 10 January in UTC).
    assert [(s["actor"]["slug"], s["value"]) for s in stance] == [("anna-keller", 0.2)]

    first_page = client.get(f"/api/v1/actors/anna-keller/shifts?topic={CHARGE}&limit=1")
    assert first_page.headers["Link"]
    body = first_page.get_json()
    rest = client.get(
        f"/api/v1/actors/anna-keller/shifts?topic={CHARGE}&limit=1&cursor={body['next_cursor']}"
    ).get_json()
    assert [s["to"]["said_at"][:10] for s in body["items"] + rest["items"]] == ["2024-03-01", "2024-06-12"]
    assert rest["next_cursor"] is None


def test_paging_through_many_shifts_gives_the_same_shifts_as_one_page(
    client: FlaskClient, keller: Any
) -> None:
    # Thirty more days of swings, some days with two statements, on a second topic too.
    post(client, "topics", {"name": "Night buses", "negative_pole": "Cut them", "positive_pole": "Run more"})
    for day in range(1, 31):
        for topic, value in ((CHARGE, 0.9 if day % 2 else -0.9), ("night-buses", 0.5 if day % 3 else -0.5)):
            post(
                client,
                "statements",
                {
                    "actor": "anna-keller",
                    "text": f"Day {day} on {topic}.",
                    "kind": "post",
                    "said_at": f"2024-09-{day:02d}T{8 + day % 5:02d}:00:00Z",
                    "positions": [{"topic": topic, "value": value}],
                },
            )

    everything = client.get("/api/v1/actors/anna-keller/shifts?limit=200").get_json()
    assert everything["next_cursor"] is None
    paged, url = [], "/api/v1/actors/anna-keller/shifts?limit=4"
    while url:
        body = client.get(url).get_json()
        paged += body["items"]
        url = (
            f"/api/v1/actors/anna-keller/shifts?limit=4&cursor={body['next_cursor']}"
            if body["next_cursor"]
            else ""
        )

    assert paged == everything["items"]
    # The charge: the story's two, then 29 daily swings (1 September repeats 12 June's 0.9);
    # night buses: into and out of every third day, the 30th only into.
    assert len(paged) == 2 + 29 + 19
