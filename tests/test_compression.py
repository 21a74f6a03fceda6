"""gzip for answers over a size when the client accepts it, with ETags that stay usable."""

from __future__ import annotations

import gzip
import json

from flask.testing import FlaskClient

from service.web.compression import MIN_SIZE

GZIP = {"Accept-Encoding": "gzip"}


def test_a_large_answer_is_gzipped_when_accepted(demo: FlaskClient) -> None:
    plain = demo.get("/api/v1/actors?limit=50")
    zipped = demo.get("/api/v1/actors?limit=50", headers=GZIP)

    assert len(plain.get_data()) > MIN_SIZE
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert json.loads(gzip.decompress(zipped.get_data())) == plain.get_json()
    assert len(zipped.get_data()) < len(plain.get_data())


def test_a_small_answer_is_sent_as_it_is(demo: FlaskClient) -> None:
    small = demo.get("/api/v1/actors?limit=1&kind=state", headers=GZIP)
    assert len(small.get_data()) < MIN_SIZE
    assert "Content-Encoding" not in small.headers


def test_the_gzip_etag_is_its_own_and_works_in_if_match_and_if_none_match(client: FlaskClient) -> None:
    created = client.post(
        "/api/v1/actors", json={"name": "Zip Person", "kind": "person", "description": "x" * 2000}
    )
    url = created.headers["Location"]
    plain = client.get(url)
    zipped = client.get(url, headers=GZIP)
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert zipped.headers["ETag"] == plain.headers["ETag"][:-1] + ':gzip"'  # strong, and distinct

    again = client.get(url, headers={**GZIP, "If-None-Match": zipped.headers["ETag"]})
    assert again.status_code == 304

    changed = client.patch(url, json={"name": "Zip Renamed"}, headers={"If-Match": zipped.headers["ETag"]})
    assert changed.status_code == 200, changed.get_json()
    stale = client.patch(url, json={"name": "Zip Stale"}, headers={"If-Match": zipped.headers["ETag"]})
    assert stale.status_code == 412
