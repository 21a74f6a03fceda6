"""Actors over HTTP: create, read by id or slug, list with filters, update, delete."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.helpers import assert_problem

NAUDITT = {
    "name": "Jürgen Nauditt",
    "kind": "person",
    "aliases": ["@jurgen_nauditt"],
    "country_code": "DE",
}


def create(client: FlaskClient, **fields: Any) -> dict[str, Any]:
    response = client.post("/api/v1/actors", json=fields)
    assert response.status_code == 201, response.get_json()
    body: dict[str, Any] = response.get_json()
    return body


def test_create_makes_a_folded_slug_and_answers_201_with_location(client: FlaskClient) -> None:
    response = client.post("/api/v1/actors", json=NAUDITT)

    assert response.status_code == 201
    actor = response.get_json()
    assert actor["slug"] == "jurgen-nauditt"
    assert actor["name"] == "Jürgen Nauditt"
    assert actor["aliases"] == ["@jurgen_nauditt"]
    assert actor["links"] == []
    assert actor["description"] is None
    assert actor["created_at"].endswith("+00:00")
    assert response.headers["Location"] == f"/api/v1/actors/{actor['id']}"
    assert client.get(response.headers["Location"]).get_json() == actor


def test_get_accepts_id_or_slug(client: FlaskClient) -> None:
    actor = create(client, **NAUDITT)

    by_id = client.get(f"/api/v1/actors/{actor['id']}")
    by_slug = client.get("/api/v1/actors/jurgen-nauditt")

    assert by_id.status_code == by_slug.status_code == 200
    assert by_id.get_json() == by_slug.get_json() == actor


def test_same_name_twice_gets_a_numbered_slug(client: FlaskClient) -> None:
    first = create(client, name="John Smith", kind="person")
    second = create(client, name="John Smith", kind="person")

    assert (first["slug"], second["slug"]) == ("john-smith", "john-smith-2")


def test_explicit_duplicate_slug_is_409(client: FlaskClient) -> None:
    create(client, name="Donald Trump", kind="person", slug="trump")

    response = client.post("/api/v1/actors", json={"name": "Other", "kind": "person", "slug": "trump"})

    body = assert_problem(response, 409, "conflict")
    assert body["detail"] == "Another actor already has the slug 'trump'."


def test_list_filters_by_kind_country_and_folded_name_or_alias(client: FlaskClient) -> None:
    create(client, **NAUDITT)
    create(client, name="Germany", kind="state", country_code="DE")
    create(client, name="Russia", kind="state", country_code="RU", aliases=["Kremlin"])

    def slugs(query: str) -> list[str]:
        response = client.get(f"/api/v1/actors?{query}")
        assert response.status_code == 200
        return [item["slug"] for item in response.get_json()["items"]]

    assert slugs("") == ["germany", "jurgen-nauditt", "russia"]
    assert slugs("kind=state") == ["germany", "russia"]
    assert slugs("country_code=DE") == ["germany", "jurgen-nauditt"]
    assert slugs("kind=state&country_code=DE") == ["germany"]
    assert slugs("q=JURGEN") == ["jurgen-nauditt"]
    assert slugs("q=J%C3%BCrgen") == ["jurgen-nauditt"]
    assert slugs("q=kreml") == ["russia"]
    assert slugs("q=@jurgen_") == ["jurgen-nauditt"]
    assert slugs("q=100%25") == []


def test_patch_changes_only_the_fields_sent(client: FlaskClient) -> None:
    actor = create(client, **NAUDITT, description="Commentator on X")

    response = client.patch(
        f"/api/v1/actors/{actor['slug']}", json={"aliases": ["Nauditt"], "description": None}
    )

    assert response.status_code == 200
    updated = response.get_json()
    assert updated["aliases"] == ["Nauditt"]
    assert updated["description"] is None
    assert {k: v for k, v in updated.items() if k not in {"aliases", "description", "updated_at"}} == {
        k: v for k, v in actor.items() if k not in {"aliases", "description", "updated_at"}
    }
    assert updated["updated_at"] >= actor["updated_at"]
    assert [i["slug"] for i in client.get("/api/v1/actors?q=nauditt").get_json()["items"]] == [
        "jurgen-nauditt"
    ]
    assert client.get("/api/v1/actors?q=@jurgen").get_json()["items"] == []


def test_patch_to_a_taken_slug_is_409_and_changes_nothing(client: FlaskClient) -> None:
    create(client, name="Russia", kind="state")
    ukraine = create(client, name="Ukraine", kind="state")

    response = client.patch(f"/api/v1/actors/{ukraine['id']}", json={"slug": "russia", "name": "X"})

    assert_problem(response, 409, "conflict")
    assert client.get(f"/api/v1/actors/{ukraine['id']}").get_json() == ukraine


def test_delete_answers_204_then_404(client: FlaskClient) -> None:
    actor = create(client, **NAUDITT)

    assert client.delete(f"/api/v1/actors/{actor['slug']}").status_code == 204
    body = assert_problem(client.get(f"/api/v1/actors/{actor['id']}"), 404)
    assert body["detail"] == f"No actor with id or slug '{actor['id']}'."
    assert_problem(client.delete(f"/api/v1/actors/{actor['id']}"), 404)


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        (
            {"name": "X", "kind": "person", "country_code": "ZZ"},
            "country_code",
            "Not an ISO 3166-1 alpha-2 country code.",
        ),
        (
            {"name": "X", "kind": "person", "country_code": "us"},
            "country_code",
            "Not an ISO 3166-1 alpha-2 country code.",
        ),
        (
            {"name": "X", "kind": "person", "wikidata_id": "22686"},
            "wikidata_id",
            "A Wikidata id is Q and digits.",
        ),
        (
            {"name": "X", "kind": "politician"},
            "kind",
            "Must be one of: person, state, organization, group, media.",
        ),
        ({"kind": "person"}, "name", "Missing data for required field."),
        ({"name": "", "kind": "person"}, "name", "Length must be between 1 and 200."),
        (
            {"name": "X", "kind": "person", "slug": "Not A Slug"},
            "slug",
            "Lower-case letters, digits and single hyphens.",
        ),
        (
            {"name": "X", "kind": "person", "slug": "c49c0b59-4abf-5a83-9d8d-1bfafeca738d"},
            "slug",
            "A slug must not look like a UUID.",
        ),
        (
            {"name": "X", "kind": "person", "links": ["ftp://x.org"]},
            "links.0",
            "Not an http(s) URL.",
        ),
        (
            {"name": "X", "kind": "person", "id": "c49c0b59-4abf-5a83-9d8d-1bfafeca738d"},
            "id",
            "Unknown field.",
        ),
        (
            {"name": "X", "kind": "person", "created_at": "2025-01-01T00:00:00Z"},
            "created_at",
            "Unknown field.",
        ),
        ({"name": "X", "kind": "person", "colour": "red"}, "colour", "Unknown field."),
        ({"name": "X\u0000", "kind": "person"}, "name", "Must not contain NUL characters."),
    ],
)
def test_invalid_actor_is_422_naming_the_field(
    client: FlaskClient, payload: dict[str, Any], field: str, message: str
) -> None:
    response = client.post("/api/v1/actors", json=payload)

    body = assert_problem(response, 422, "validation-error")
    assert body["errors"] == {field: [message]}
    assert body["detail"] == f"Invalid input in: {field}"
    assert client.get("/api/v1/actors").get_json()["items"] == []


def test_invalid_filter_is_422(client: FlaskClient) -> None:
    body = assert_problem(client.get("/api/v1/actors?kind=tribe&country_code=XX"), 422, "validation-error")
    assert set(body["errors"]) == {"kind", "country_code"}
