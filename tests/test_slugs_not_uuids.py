"""A slug never looks like a UUID: a URL segment that does is read as an id."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from service.app import create_app
from service.config import Settings
from service.data import migrate
from service.data.sessions import get_database
from service.values.slugs import looks_like_uuid, make_slug
from service.web.roles import Role
from tests.conftest import empty_database, make_key
from tests.helpers import assert_problem

UUID_NAME = "4038785d-e00b-4ff8-b93b-75d4909a8dd4"


@pytest.mark.parametrize("name", [UUID_NAME, UUID_NAME.replace("-", ""), UUID_NAME.upper()])
def test_a_slug_made_from_a_uuid_name_does_not_look_like_one(name: str) -> None:
    slug = make_slug(name)
    assert not looks_like_uuid(slug)
    assert slug.endswith(UUID_NAME.replace("-", "") if "-" not in name else UUID_NAME)


def test_an_actor_named_like_a_uuid_is_fetched_by_its_slug(client: FlaskClient) -> None:
    created = client.post("/api/v1/actors", json={"name": UUID_NAME, "kind": "person"})
    assert created.status_code == 201, created.get_json()
    slug = created.get_json()["slug"]
    assert slug == f"slug-{UUID_NAME}"
    assert client.get(f"/api/v1/actors/{slug}").get_json()["id"] == created.get_json()["id"]


@pytest.mark.parametrize("resource", ["actors", "topics"])
def test_a_given_uuid_slug_is_422_naming_the_field(client: FlaskClient, resource: str) -> None:
    body: dict[str, str] = {"name": "Given Slug", "slug": UUID_NAME}
    body |= {"kind": "person"} if resource == "actors" else {"negative_pole": "No", "positive_pole": "Yes"}
    problem = assert_problem(client.post(f"/api/v1/{resource}", json=body), 422, "validation-error")
    assert problem["errors"] == {"slug": ["A slug must not look like a UUID."]}


@pytest.fixture
def empty(backend: str, tmp_path: Path) -> Iterator[tuple[FlaskClient, dict[str, str]]]:
    with empty_database(backend, tmp_path) as url:
        migrate.upgrade(url)
        app = create_app(Settings(database_url=url))
        try:
            yield app.test_client(), {"Authorization": f"Bearer {make_key(app, Role.admin)}"}
        finally:
            get_database(app).engine.dispose()


def test_an_export_holding_a_uuid_named_actor_imports(
    client: FlaskClient, empty: tuple[FlaskClient, dict[str, str]]
) -> None:
    assert client.post("/api/v1/actors", json={"name": UUID_NAME, "kind": "person"}).status_code == 201
    exported = client.get("/api/v1/export?type=actors").get_data(as_text=True)
    target, admin = empty
    response = target.post(
        "/api/v1/import?mode=all", data=exported, content_type="application/x-ndjson", headers=admin
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["failed"] == 0
    assert target.get(f"/api/v1/actors/slug-{UUID_NAME}").status_code == 200
