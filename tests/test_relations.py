"""Relations between actors: record, list by actor and kind, as of a date, and bad input."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.helpers import assert_problem
from tests.story import record_story_over_http


@pytest.fixture
def story(client: FlaskClient) -> dict[str, dict[str, Any]]:
    return record_story_over_http(client)


def listed(client: FlaskClient, query: str) -> list[tuple[str, str, str]]:
    response = client.get(f"/api/v1/relations?{query}")
    assert response.status_code == 200, response.get_json()
    return [(r["subject"]["slug"], r["kind"], r["object"]["slug"]) for r in response.get_json()["items"]]


def test_the_story_implies_leaders_and_a_war(client: FlaskClient, story: Any) -> None:
    assert set(listed(client, "kind=leader_of")) == {
        ("donald-trump", "leader_of", "united-states"),
        ("vladimir-putin", "leader_of", "russia"),
        ("volodymyr-zelensky", "leader_of", "ukraine"),
    }
    # `actor` matches either side.
    assert set(listed(client, "actor=russia")) == {
        ("vladimir-putin", "leader_of", "russia"),
        ("ukraine", "adversary", "russia"),
    }
    assert listed(client, "subject=ukraine&kind=adversary") == [("ukraine", "adversary", "russia")]


def test_as_of_a_date_and_updates(client: FlaskClient, story: Any) -> None:
    # Trump's current term starts 2025-01-20.
    assert ("donald-trump", "leader_of", "united-states") not in listed(client, "at=2024-06-01")
    assert ("donald-trump", "leader_of", "united-states") in listed(client, "at=2025-09-01")

    created = client.post(
        "/api/v1/relations",
        json={
            "subject": "donald-trump",
            "object": "vladimir-putin",
            "kind": "negotiates_with",
            "valid_from": "2025-08-15",
            "valid_until": "2025-08-15",
            "source": {"title": "Alaska summit"},
        },
    )
    assert created.status_code == 201
    relation = created.get_json()
    assert created.headers["Location"] == f"/api/v1/relations/{relation['id']}"
    assert relation["source"]["title"] == "Alaska summit"
    assert ("donald-trump", "negotiates_with", "vladimir-putin") in listed(client, "at=2025-08-15")
    assert ("donald-trump", "negotiates_with", "vladimir-putin") not in listed(client, "at=2025-08-16")

    patched = client.patch(f"/api/v1/relations/{relation['id']}", json={"valid_until": None})
    assert patched.status_code == 200
    assert ("donald-trump", "negotiates_with", "vladimir-putin") in listed(client, "at=2025-09-30")

    assert client.delete(f"/api/v1/relations/{relation['id']}").status_code == 204
    assert_problem(client.get(f"/api/v1/relations/{relation['id']}"), 404)


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"subject": "nobody", "object": "russia", "kind": "ally"},
            {"subject": ["No actor with id or slug 'nobody'."]},
        ),
        (
            {"subject": "russia", "object": "russia", "kind": "ally"},
            {"object": ["An actor cannot be in a relation with itself."]},
        ),
        (
            {"subject": "ukraine", "object": "russia", "kind": "friend"},
            {"kind": ["Must be one of: ally, adversary, member_of, leader_of, part_of, negotiates_with."]},
        ),
        (
            {
                "subject": "ukraine",
                "object": "russia",
                "kind": "ally",
                "valid_from": "2025-02-01",
                "valid_until": "2025-01-01",
            },
            {"valid_until": ["Must not be before valid_from."]},
        ),
        (
            {"subject": "ukraine", "object": "russia", "kind": "ally", "valid_from": "soon"},
            {"valid_from": ["Not a valid date."]},
        ),
    ],
)
def test_bad_relation_is_422(
    client: FlaskClient, story: Any, body: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    assert (
        assert_problem(client.post("/api/v1/relations", json=body), 422, "validation-error")["errors"]
        == errors
    )


def test_an_actor_in_a_relation_cannot_be_deleted(client: FlaskClient, story: Any) -> None:
    body = assert_problem(client.delete("/api/v1/actors/vladimir-putin"), 409, "still-referenced")
    assert body["references"]["relations"] == 1
