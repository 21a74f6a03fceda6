"""Topics over HTTP."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.helpers import assert_problem

TERRITORY = {
    "name": "Ukraine's territorial integrity",
    "negative_pole": "Ukraine should cede occupied territory",
    "positive_pole": "Ukraine should regain all its territory",
}


def test_topic_lifecycle(client: FlaskClient) -> None:
    created = client.post("/api/v1/topics", json=TERRITORY)
    assert created.status_code == 201
    topic = created.get_json()
    assert topic["slug"] == "ukraine-s-territorial-integrity"
    assert created.headers["Location"] == f"/api/v1/topics/{topic['id']}"

    assert client.get(f"/api/v1/topics/{topic['slug']}").get_json() == topic

    patched = client.patch(
        f"/api/v1/topics/{topic['id']}",
        json={"slug": "ukraine-territorial-integrity", "description": "Borders of 1991"},
    )
    assert patched.status_code == 200
    assert patched.get_json()["slug"] == "ukraine-territorial-integrity"
    assert patched.get_json()["positive_pole"] == TERRITORY["positive_pole"]
    assert client.get("/api/v1/topics/ukraine-territorial-integrity").status_code == 200
    assert_problem(client.get("/api/v1/topics/ukraine-s-territorial-integrity"), 404)

    assert client.delete("/api/v1/topics/ukraine-territorial-integrity").status_code == 204
    assert_problem(client.get(f"/api/v1/topics/{topic['id']}"), 404)


def test_topic_needs_both_poles(client: FlaskClient) -> None:
    body = assert_problem(
        client.post("/api/v1/topics", json={"name": "NATO expansion"}), 422, "validation-error"
    )
    assert body["errors"] == {
        "negative_pole": ["Missing data for required field."],
        "positive_pole": ["Missing data for required field."],
    }


def test_topic_search_is_case_and_accent_insensitive(client: FlaskClient) -> None:
    client.post("/api/v1/topics", json=TERRITORY)
    client.post("/api/v1/topics", json={**TERRITORY, "name": "Sécurité européenne"})

    def names(q: str) -> list[str]:
        return [t["name"] for t in client.get(f"/api/v1/topics?q={q}").get_json()["items"]]

    assert names("UKRAINE") == [TERRITORY["name"]]
    assert names("securite") == ["Sécurité européenne"]
    assert names("SÉCURITÉ") == ["Sécurité européenne"]


def test_duplicate_topic_slug_is_409(client: FlaskClient) -> None:
    client.post("/api/v1/topics", json={**TERRITORY, "slug": "territory"})
    assert_problem(client.post("/api/v1/topics", json={**TERRITORY, "slug": "territory"}), 409, "conflict")
