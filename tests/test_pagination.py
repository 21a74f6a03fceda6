"""Keyset pagination: complete, stable, signed cursors, and no OFFSET or COUNT."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from service.data.sessions import get_database
from tests.helpers import assert_problem


def links_of(header: str) -> dict[str, str]:
    """An RFC 8288 Link header as {rel: url}."""
    links = {}
    for part in header.split(", "):
        url, rel = part.split(">; rel=")
        links[rel.strip('"')] = url.removeprefix("<")
    return links


def add_actors(client: FlaskClient, count: int, kind: str = "person") -> None:
    for number in range(count):
        response = client.post("/api/v1/actors", json={"name": f"Actor {number:02d}", "kind": kind})
        assert response.status_code == 201


def test_following_cursors_visits_every_item_once_in_order(client: FlaskClient) -> None:
    add_actors(client, 7)

    seen, url, pages = [], "/api/v1/actors?limit=3", 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        body = response.get_json()
        seen += [item["slug"] for item in body["items"]]
        pages += 1
        links = links_of(response.headers["Link"])
        assert links["first"] == "http://localhost/api/v1/actors?limit=3"
        if body["next_cursor"]:
            url = links["next"]
            assert url.startswith("http://localhost/api/v1/actors?")
            assert f"cursor={body['next_cursor']}" in url
        else:
            assert "next" not in links
            url = ""

    assert pages == 3
    assert seen == [f"actor-{n:02d}" for n in range(7)]


def test_link_keeps_the_filters(client: FlaskClient) -> None:
    add_actors(client, 3, kind="group")
    add_actors(client, 1, kind="state")

    first = client.get("/api/v1/actors?kind=group&limit=2")
    link = links_of(first.headers["Link"])["next"]
    assert "kind=group" in link
    assert "limit=2" in link

    second = client.get(link).get_json()
    assert [i["kind"] for i in second["items"]] == ["group"]
    assert second["next_cursor"] is None


def test_tampered_cursor_is_400(client: FlaskClient) -> None:
    add_actors(client, 3)
    cursor = client.get("/api/v1/actors?limit=1").get_json()["next_cursor"]
    tampered = cursor[:-2] + ("AA" if cursor[-2:] != "AA" else "BB")

    for bad in (tampered, "not-a-cursor", "e30"):
        body = assert_problem(client.get(f"/api/v1/actors?cursor={bad}"), 400, "invalid-cursor")
        assert body["detail"] == "The cursor is malformed or has been altered."


def test_cursor_of_another_list_is_400(client: FlaskClient) -> None:
    add_actors(client, 2)
    cursor = client.get("/api/v1/actors?limit=1").get_json()["next_cursor"]

    body = assert_problem(client.get(f"/api/v1/topics?cursor={cursor}"), 400, "invalid-cursor")
    assert body["detail"] == "The cursor belongs to another list or sort order, not to 'slug'."


def test_limit_out_of_range_is_422(client: FlaskClient) -> None:
    for limit in ("0", "201", "ten"):
        body = assert_problem(client.get(f"/api/v1/actors?limit={limit}"), 422, "validation-error")
        assert list(body["errors"]) == ["limit"]


@contextmanager
def recorded_sql(app: Flask) -> Iterator[list[tuple[str, Any]]]:
    statements: list[tuple[str, Any]] = []
    engine = get_database(app).engine

    def record(_conn: object, _cursor: object, statement: str, parameters: Any, *_: object) -> None:
        statements.append((statement.upper(), parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_a_deep_page_is_one_keyset_query_without_offset_or_count(
    client: FlaskClient, anonymous_client: FlaskClient, app: Flask
) -> None:
    add_actors(client, 5)
    cursor = client.get("/api/v1/actors?limit=4").get_json()["next_cursor"]

    # Read without a key, so that the only query is the page's own.
    with recorded_sql(app) as statements:
        page = anonymous_client.get(f"/api/v1/actors?limit=4&cursor={cursor}").get_json()

    assert [i["slug"] for i in page["items"]] == ["actor-04"]
    selects = [(sql, params) for sql, params in statements if sql.lstrip().startswith("SELECT")]
    assert len(selects) == 1
    sql, params = selects[0]
    assert "COUNT(" not in sql
    # SQLite's compiler always writes OFFSET after LIMIT; it must then be 0.
    assert "OFFSET" not in sql or (sql.rstrip().endswith("OFFSET ?") and list(params)[-1] == 0)
    assert "ACTORS.SLUG >" in sql.replace("(", "").replace(")", "")


def test_cursor_reused_with_other_filters_is_400(client: FlaskClient) -> None:
    add_actors(client, 3)
    cursor = client.get("/api/v1/actors?limit=1").get_json()["next_cursor"]

    body = assert_problem(
        client.get(f"/api/v1/actors?limit=1&kind=person&cursor={cursor}"), 400, "invalid-cursor"
    )
    assert "other filters" in body["detail"]
    # The limit is not a filter: a page of another length still follows on.
    assert client.get(f"/api/v1/actors?limit=2&cursor={cursor}").status_code == 200


def test_cursor_follows_on_with_the_same_filters_in_any_order(client: FlaskClient) -> None:
    add_actors(client, 3, kind="group")
    cursor = client.get("/api/v1/actors?kind=group&q=actor&limit=1").get_json()["next_cursor"]

    response = client.get(f"/api/v1/actors?q=actor&limit=1&kind=group&cursor={cursor}")
    assert response.status_code == 200, response.get_json()
    assert [item["slug"] for item in response.get_json()["items"]] == ["actor-01"]
