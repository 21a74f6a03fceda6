"""A 201 answer carries the record's ETag, the one a GET of it answers, so a client can write
with If-Match at once without reading the record again."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from service.data.sessions import get_database

BODIES = {
    "actors": {"name": "Etag Person", "kind": "person"},
    "topics": {"name": "Etag Topic", "negative_pole": "Against", "positive_pole": "For"},
}


@pytest.mark.parametrize("resource", sorted(BODIES))
def test_a_created_record_answers_its_etag(client: FlaskClient, resource: str) -> None:
    created = client.post(f"/api/v1/{resource}", json=BODIES[resource])
    assert created.status_code == 201
    etag = created.headers["ETag"]
    fetched = client.get(created.headers["Location"])
    assert fetched.headers["ETag"] == etag
    changed = client.patch(created.headers["Location"], json={"name": "Renamed"}, headers={"If-Match": etag})
    assert changed.status_code == 200, changed.get_json()


def test_database_errors_hide_their_parameter_values(client: FlaskClient) -> None:
    engine = get_database(client.application).engine
    with pytest.raises(DBAPIError) as raised, engine.connect() as connection:
        connection.execute(
            text("SELECT no_such_column FROM actors WHERE name = :name"), {"name": "secret-value"}
        )
    assert "secret-value" not in str(raised.value)
    assert "hidden" in str(raised.value)
