"""Actors and topics sort by slug, name or creation, either way; pages stay complete with ties."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.helpers import assert_problem
from tests.test_pagination import links_of


def _walk(client: FlaskClient, url: str) -> list[dict[str, str]]:
    """Every item of a list, following its next links."""
    items: list[dict[str, str]] = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.get_json()
        items += response.get_json()["items"]
        url = links_of(response.headers["Link"]).get("next", "")
    return items


@pytest.fixture
def tied(client: FlaskClient) -> FlaskClient:
    """Seven actors, three of them sharing a name (their slugs differ)."""
    for name in ["Zed", "Same Name", "Alpha", "Same Name", "Mid", "Same Name", "Beta"]:
        assert client.post("/api/v1/actors", json={"name": name, "kind": "person"}).status_code == 201
    return client


@pytest.mark.parametrize("sort", ["name", "-name", "created_at", "-created_at", "slug"])
def test_every_sort_pages_through_every_actor_once_in_order(tied: FlaskClient, sort: str) -> None:
    everything = tied.get(f"/api/v1/actors?limit=200&sort={sort}").get_json()["items"]
    paged = _walk(tied, f"/api/v1/actors?limit=2&sort={sort}")

    assert [item["id"] for item in paged] == [item["id"] for item in everything]
    assert len({item["id"] for item in paged}) == len(paged) == 7
    field = sort.lstrip("-")
    keys = [item[field] for item in paged]
    assert keys == sorted(keys, reverse=sort.startswith("-"))


def test_newest_first_lists_the_last_created_first(tied: FlaskClient) -> None:
    names = [item["name"] for item in tied.get("/api/v1/actors?sort=-created_at").get_json()["items"]]
    assert names[0] == "Beta"
    assert names[-1] == "Zed"


def test_a_cursor_of_another_sort_is_400(tied: FlaskClient) -> None:
    cursor = tied.get("/api/v1/actors?limit=2&sort=name").get_json()["next_cursor"]
    problem = assert_problem(
        tied.get(f"/api/v1/actors?limit=2&sort=-name&cursor={cursor}"), 400, "invalid-cursor"
    )
    assert "sort" in problem["detail"]


def test_an_unknown_sort_is_422_naming_it(client: FlaskClient) -> None:
    problem = assert_problem(client.get("/api/v1/topics?sort=popularity"), 422, "validation-error")
    assert list(problem["errors"]) == ["sort"]


def test_topics_sort_by_name_too(client: FlaskClient) -> None:
    for name in ["Tariffs", "Asylum", "Tariffs", "Nuclear power", "Budget"]:
        body = {"name": name, "negative_pole": "Against", "positive_pole": "For"}
        assert client.post("/api/v1/topics", json=body).status_code == 201
    names = [item["name"] for item in _walk(client, "/api/v1/topics?limit=2&sort=-name")]
    assert names == ["Tariffs", "Tariffs", "Nuclear power", "Budget", "Asylum"]
