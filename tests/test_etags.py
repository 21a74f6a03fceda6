"""ETags and conditional requests: no client silently overwrites another's change."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import requests
from flask.testing import FlaskClient

from tests.conftest import LiveServer
from tests.helpers import assert_problem
from tests.story import record_story_over_http


def _item_urls(client: FlaskClient) -> dict[str, str]:
    story = record_story_over_http(client)
    relation = client.post(
        "/api/v1/relations", json={"subject": "ukraine", "object": "russia", "kind": "adversary"}
    ).get_json()
    return {
        "actor": "/api/v1/actors/donald-trump",
        "topic": "/api/v1/topics/ukraine-territorial-integrity",
        "statement": f"/api/v1/statements/{story['trump-post-2025-09-23']['id']}",
        "event": f"/api/v1/events/{story['alaska-summit']['id']}",
        "relation": f"/api/v1/relations/{relation['id']}",
    }


CHANGES: dict[str, dict[str, Any]] = {
    "actor": {"description": "45th and 47th President of the United States."},
    "topic": {"description": "Whether Ukraine keeps its 1991 borders."},
    "statement": {"language": "de"},
    "event": {"description": "Trump and Putin met at Joint Base Elmendorf-Richardson."},
    "relation": {"valid_from": "2022-02-24"},
}


@pytest.mark.parametrize("resource", list(CHANGES))
def test_every_item_has_an_etag_that_changes_with_it_and_serves_304(
    client: FlaskClient, resource: str
) -> None:
    url = _item_urls(client)[resource]
    first = client.get(url)
    etag = first.headers["ETag"]

    not_modified = client.get(url, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304
    assert not_modified.get_data() == b""
    assert not_modified.headers["ETag"] == etag

    updated = client.patch(url, json=CHANGES[resource], headers={"If-Match": etag})
    assert updated.status_code == 200, updated.get_json()
    assert updated.headers["ETag"] != etag
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 200
    assert client.get(url).headers["ETag"] == updated.headers["ETag"]


@pytest.mark.parametrize("resource", list(CHANGES))
def test_a_write_with_a_stale_etag_gets_412_and_changes_nothing(client: FlaskClient, resource: str) -> None:
    url = _item_urls(client)[resource]
    stale = client.get(url).headers["ETag"]
    assert client.patch(url, json=CHANGES[resource]).status_code == 200  # someone else's change
    current = client.get(url).get_json()

    mine = client.patch(url, json=CHANGES[resource], headers={"If-Match": stale})
    assert_problem(mine, 412, "precondition-failed")
    assert_problem(client.delete(url, headers={"If-Match": stale}), 412, "precondition-failed")

    assert client.get(url).get_json() == current


def test_without_if_match_a_write_applies_to_what_is_current(client: FlaskClient) -> None:
    url = _item_urls(client)["actor"]

    assert client.patch(url, json={"description": "first"}).status_code == 200
    assert client.patch(url, json={"description": "second"}).status_code == 200
    assert client.get(url).get_json()["description"] == "second"
    assert client.delete(url, headers={"If-Match": "*"}).status_code in (204, 409)


def test_two_clients_editing_one_statement_cannot_lose_either_change(live_server: LiveServer) -> None:
    """Both read the same version, both write at once with If-Match: one wins, the other is
    told (412) and, after reading again, makes its change on top of the winner's."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {live_server.key()}"
    base = live_server.url
    session.post(f"{base}/api/v1/actors", json={"name": "Donald Trump", "kind": "person"}).raise_for_status()
    created = session.post(
        f"{base}/api/v1/statements",
        json={"actor": "donald-trump", "text": "Original.", "kind": "post", "said_at": "2025-09-23"},
    )
    url = created.headers["Location"]
    etag = created.headers.get("ETag") or session.get(f"{base}{url}").headers["ETag"]

    for round_number in range(5):
        results: dict[str, requests.Response] = {}
        start = threading.Barrier(2)

        def edit(
            text: str, if_match: str, results: dict[str, requests.Response], start: threading.Barrier
        ) -> None:
            start.wait()
            results[text] = session_for_thread().patch(
                f"{base}{url}", json={"text": text}, headers={"If-Match": if_match}
            )

        def session_for_thread() -> requests.Session:
            own = requests.Session()
            own.headers.update(session.headers)
            return own

        threads = [
            threading.Thread(target=edit, args=(text, etag, results, start))
            for text in (f"Alpha {round_number}.", f"Beta {round_number}.")
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

        statuses = sorted(response.status_code for response in results.values())
        assert statuses == [200, 412], {text: r.text for text, r in results.items()}
        winner = next(text for text, response in results.items() if response.status_code == 200)
        current = session.get(f"{base}{url}")
        assert current.json()["text"] == winner
        etag = current.headers["ETag"]
