"""Statements over HTTP: record, embed references, filter, update, delete, and refuse bad input."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import assert_problem
from tests.story import record_story_over_http
from tests.test_pagination import recorded_sql

TERRITORY = "ukraine-territorial-integrity"


@pytest.fixture
def story(client: FlaskClient) -> dict[str, dict[str, Any]]:
    return record_story_over_http(client)


def statement(**fields: Any) -> dict[str, Any]:
    return {"actor": "donald-trump", "text": "Words.", "kind": "quote", "said_at": "2025-09-01", **fields}


def slugs_of(client: FlaskClient, query: str) -> list[str]:
    response = client.get(f"/api/v1/statements?{query}")
    assert response.status_code == 200, response.get_json()
    return [s["text"] for s in response.get_json()["items"]]


def test_record_with_references_by_id_or_slug_answers_embedded_objects(
    client: FlaskClient, story: dict[str, dict[str, Any]]
) -> None:
    trump_id = story["donald-trump"]["id"]
    response = client.post(
        "/api/v1/statements",
        json=statement(
            actor=trump_id,
            said_at="2025-09-23T15:04:05+02:00",
            event=story["trump-zelensky-unga-meeting"]["id"],
            positions=[{"topic": story[TERRITORY]["id"], "value": 0.5}],
            mentions=["volodymyr-zelensky", "volodymyr-zelensky", story["ukraine"]["id"]],
            reposted_from={"name": "Acyn", "handle": "@Acyn"},
        ),
    )

    assert response.status_code == 201
    body = response.get_json()
    assert response.headers["Location"] == f"/api/v1/statements/{body['id']}"
    assert body["actor"] == {"id": trump_id, "slug": "donald-trump", "name": "Donald Trump"}
    assert body["said_at"] == "2025-09-23T13:04:00+00:00"  # in UTC, to its precision
    assert body["said_at_precision"] == "minute"
    assert body["event"]["title"] == "Trump–Zelensky meeting at the UN General Assembly"
    assert body["positions"] == [
        {
            "topic": {
                "id": story[TERRITORY]["id"],
                "slug": TERRITORY,
                "name": "Ukraine's territorial integrity",
            },
            "value": 0.5,
            "confidence": 1.0,
        }
    ]
    assert sorted(m["slug"] for m in body["mentions"]) == ["ukraine", "volodymyr-zelensky"]
    assert body["reposted_from"] == {"name": "Acyn", "handle": "@Acyn", "url": None}
    assert body["source"] is None
    assert client.get(response.headers["Location"]).get_json() == body


def test_a_month_precise_date_is_kept_as_the_start_of_its_month(client: FlaskClient, story: Any) -> None:
    body = client.post(
        "/api/v1/statements", json=statement(said_at="2025-08-17", said_at_precision="month")
    ).get_json()
    assert (body["said_at"], body["said_at_precision"]) == ("2025-08-01T00:00:00+00:00", "month")


def test_filters_combine(client: FlaskClient, story: dict[str, dict[str, Any]]) -> None:
    assert slugs_of(client, "actor=volodymyr-zelensky&sort=said_at") == [
        "this option was not on the table",
        "game changer",
    ]
    assert slugs_of(client, "kind=quote") == ["game changer", "look like a paper tiger"]
    assert slugs_of(client, "mentions=russia&actor=donald-trump") == [
        "look like a paper tiger",
        story["trump-repost-2025-08-17"]["text"],
    ]
    assert slugs_of(client, f"event={story['unga-80-general-debate']['id']}") == ["look like a paper tiger"]
    assert slugs_of(client, f"topic={TERRITORY}&since=2025-09-01&until=2025-09-30") == [
        story["trump-post-2025-09-23"]["text"],
        "its demand to keep control of the Donetsk and Luhansk regions",
    ]
    assert slugs_of(client, "since=2025-09-24T00:00:00Z") == ["game changer"]


def test_update_replaces_positions_and_keeps_what_is_not_sent(
    client: FlaskClient, story: dict[str, dict[str, Any]]
) -> None:
    original = story["trump-post-2025-09-23"]
    url = f"/api/v1/statements/{original['id']}"

    response = client.patch(url, json={"positions": [{"topic": TERRITORY, "value": 1.0, "confidence": 0.5}]})

    assert response.status_code == 200
    updated = response.get_json()
    assert [(p["value"], p["confidence"]) for p in updated["positions"]] == [(1.0, 0.5)]
    assert updated["text"] == original["text"]
    assert updated["mentions"] == original["mentions"]

    moved = client.patch(url, json={"said_at": "2025-09-24", "actor": "vladimir-putin"}).get_json()
    assert (moved["actor"]["slug"], moved["said_at"]) == ("vladimir-putin", "2025-09-24T00:00:00+00:00")
    assert slugs_of(client, f"actor=vladimir-putin&topic={TERRITORY}") == [original["text"]]

    cleared = client.patch(url, json={"positions": [], "mentions": [], "source": None}).get_json()
    assert (cleared["positions"], cleared["mentions"], cleared["source"]) == ([], [], None)


def test_delete_removes_the_statement_and_its_positions(
    client: FlaskClient, story: dict[str, dict[str, Any]]
) -> None:
    url = f"/api/v1/statements/{story['trump-post-2025-09-23']['id']}"
    assert client.delete(url).status_code == 204
    assert_problem(client.get(url), 404)
    assert slugs_of(client, f"actor=donald-trump&topic={TERRITORY}") == [
        story["trump-repost-2025-08-17"]["text"]
    ]


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"actor": "nobody"}, {"actor": ["No actor with id or slug 'nobody'."]}),
        (
            {"positions": [{"topic": "no-such-topic", "value": 0.1}], "mentions": ["ghost"]},
            {
                "positions.0.topic": ["No topic with id or slug 'no-such-topic'."],
                "mentions.0": ["No actor with id or slug 'ghost'."],
            },
        ),
        (
            {"event": "00000000-0000-4000-8000-000000000000"},
            {"event": ["No event with id '00000000-0000-4000-8000-000000000000'."]},
        ),
        (
            {"positions": [{"topic": TERRITORY, "value": 1.5}]},
            {"positions.0.value": ["Must be between -1 and 1."]},
        ),
        (
            {"positions": [{"topic": TERRITORY, "value": 0.1, "confidence": -0.1}]},
            {"positions.0.confidence": ["Must be between 0 and 1."]},
        ),
        (
            {"positions": [{"topic": TERRITORY, "value": 0.1}, {"topic": TERRITORY, "value": 0.2}]},
            {"positions.1.topic": ["This topic already has a position."]},
        ),
        (
            {"kind": "tweet"},
            {"kind": ["Must be one of: quote, paraphrase, post, repost, speech, interview, document."]},
        ),
        (
            {"said_at": "23 September 2025"},
            {"said_at": ["Not a date (YYYY-MM-DD) or a date-time with a time zone (RFC 3339)."]},
        ),
        (
            {"said_at": "2025-02-30"},
            {"said_at": ["Not a date (YYYY-MM-DD) or a date-time with a time zone (RFC 3339)."]},
        ),
        ({"said_at": "2025-09-23T10:00:00"}, {"said_at": ["A date-time needs a time zone offset or Z."]}),
        ({"said_at_precision": "week"}, {"said_at_precision": ["Must be one of: year, month, day, minute."]}),
        ({"language": "english!"}, {"language": ["A BCP 47 language tag."]}),
        ({"text": ""}, {"text": ["Length must be between 1 and 20000."]}),
    ],
)
def test_bad_statement_is_422_naming_the_field_and_writes_nothing(
    client: FlaskClient, story: Any, fields: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    before = client.get("/api/v1/statements?limit=200").get_json()["items"]

    body = assert_problem(
        client.post("/api/v1/statements", json=statement(**fields)), 422, "validation-error"
    )

    assert body["errors"] == errors
    assert client.get("/api/v1/statements?limit=200").get_json()["items"] == before


def test_the_same_topic_by_id_and_by_slug_is_a_duplicate(
    client: FlaskClient, story: dict[str, dict[str, Any]]
) -> None:
    positions = [{"topic": TERRITORY, "value": 0.1}, {"topic": story[TERRITORY]["id"], "value": 0.2}]
    body = assert_problem(
        client.post("/api/v1/statements", json=statement(positions=positions)), 422, "validation-error"
    )
    assert body["errors"] == {"positions.1.topic": ["This topic already has a position."]}


def test_unknown_reference_in_a_filter_is_422(client: FlaskClient) -> None:
    body = assert_problem(
        client.get("/api/v1/statements?actor=nobody&topic=nothing"), 422, "validation-error"
    )
    assert body["errors"] == {
        "actor": ["No actor with id or slug 'nobody'."],
        "topic": ["No topic with id or slug 'nothing'."],
    }
    body = assert_problem(
        client.get("/api/v1/statements?since=2025-10-01&until=2025-09-01"), 422, "validation-error"
    )
    assert body["errors"] == {"until": ["'since' must not be after 'until'."]}


def test_a_filter_by_id_finds_what_the_same_filter_by_slug_finds(
    client: FlaskClient, story: dict[str, dict[str, Any]]
) -> None:
    by_slug = "actor=donald-trump&mentions=russia&topic=" + TERRITORY
    by_id = (
        f"actor={story['donald-trump']['id']}&mentions={story['russia']['id']}&topic={story[TERRITORY]['id']}"
    )
    assert slugs_of(client, by_slug) == slugs_of(client, by_id) == [story["trump-repost-2025-08-17"]["text"]]

    def pages(query: str) -> list[list[str]]:
        found, url = [], f"/api/v1/statements?{query}&limit=1"
        while url:
            response = client.get(url)
            found.append([item["text"] for item in response.get_json()["items"]])
            url = (
                response.get_json()["next_cursor"]
                and f"{url.split('&cursor=')[0]}&cursor={response.get_json()['next_cursor']}"
            )
        return found

    trump_pages = pages("actor=donald-trump&sort=said_at")
    assert len(trump_pages) >= 3
    assert pages(f"actor={story['donald-trump']['id']}&sort=said_at") == trump_pages


def test_a_filter_naming_a_record_without_statements_is_an_empty_page_not_an_error(
    client: FlaskClient, story: dict[str, dict[str, Any]]
) -> None:
    silent = client.post("/api/v1/actors", json={"name": "Silent Actor", "kind": "person"}).get_json()
    for reference in (silent["slug"], silent["id"]):
        assert client.get(f"/api/v1/statements?actor={reference}").get_json() == {
            "items": [],
            "next_cursor": None,
        }
        assert slugs_of(client, f"mentions={reference}") == []
    # A cursor whose later statements were deleted since: an empty page too.
    said = client.get("/api/v1/statements?actor=donald-trump&sort=said_at&limit=200").get_json()["items"]
    first = client.get(f"/api/v1/statements?actor=donald-trump&sort=said_at&limit={len(said) - 1}").get_json()
    assert client.delete(f"/api/v1/statements/{said[-1]['id']}").status_code == 204
    after = client.get(f"/api/v1/statements?actor=donald-trump&sort=said_at&cursor={first['next_cursor']}")
    assert after.get_json() == {"items": [], "next_cursor": None}


def test_an_unknown_id_in_a_filter_is_422_naming_it(client: FlaskClient, story: Any) -> None:
    nobody = "00000000-0000-4000-8000-000000000000"
    body = assert_problem(
        client.get(f"/api/v1/statements?actor={nobody}&mentions=donald-trump&event={nobody}"),
        422,
        "validation-error",
    )
    assert body["errors"] == {
        "actor": [f"No actor with id or slug '{nobody}'."],
        "event": [f"No event with id '{nobody}'."],
    }


def test_unknown_statement_is_404(client: FlaskClient) -> None:
    assert_problem(client.get("/api/v1/statements/00000000-0000-4000-8000-000000000000"), 404)
    assert_problem(client.patch("/api/v1/statements/not-an-id", json={}), 404)


def test_a_page_loads_every_reference_in_a_fixed_number_of_queries(
    client: FlaskClient, app: Flask, story: Any
) -> None:
    for day in range(1, 21):
        response = client.post(
            "/api/v1/statements",
            json=statement(
                said_at=f"2025-07-{day:02d}",
                positions=[{"topic": TERRITORY, "value": 0.0}],
                mentions=["russia", "ukraine"],
                event=story["alaska-summit"]["id"],
            ),
        )
        assert response.status_code == 201

    def select_count(limit: int) -> int:
        with recorded_sql(app) as statements:
            page = client.get(f"/api/v1/statements?limit={limit}").get_json()
        assert len(page["items"]) == limit
        return sum(1 for sql, _ in statements if sql.lstrip().startswith("SELECT"))

    # The API key, the page, then its actors and events, its positions, its mentions.
    assert select_count(2) == select_count(25) <= 5
