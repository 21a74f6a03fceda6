"""The analysis endpoints on the seed story, recorded through the API."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.helpers import assert_problem
from tests.story import record_story_over_http

TERRITORY = "ukraine-territorial-integrity"


@pytest.fixture
def story(client: FlaskClient) -> dict[str, dict[str, Any]]:
    return record_story_over_http(client)


def get_json(client: FlaskClient, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_trumps_pivot_with_the_summit_and_the_strikes_between(
    client: FlaskClient, story: dict[str, dict[str, Any]]
) -> None:
    shifts = get_json(client, f"/api/v1/actors/donald-trump/shifts?topic={TERRITORY}")["items"]

    assert len(shifts) == 1
    shift = shifts[0]
    assert shift["delta"] == pytest.approx(1.7)
    assert shift["direction"] == "toward_positive"
    assert shift["days"] == 37
    assert (shift["from"]["value"], shift["from"]["said_at"][:10]) == (-0.8, "2025-08-17")
    assert shift["from"]["statement"]["id"] == story["trump-repost-2025-08-17"]["id"]
    assert (shift["to"]["value"], shift["to"]["said_at"][:10]) == (0.9, "2025-09-23")
    assert shift["to"]["statement"]["source_url"] == "https://pic.twitter.com/8eUCfuiYFr"

    picked = {item["event"]["title"]: item for item in shift["events_between"]}
    assert set(picked) == {
        "Trump–Putin summit in Alaska",
        "Russian strike destroys an American-owned factory in Ukraine",
        "Russian bombing of the EU Delegation building in Kyiv",
        "Russian attack on Ukraine's cabinet of ministers building",
        "General debate of the 80th UN General Assembly",
        "Trump–Zelensky meeting at the UN General Assembly",
    }
    assert picked["Trump–Putin summit in Alaska"]["reasons"] == ["participant", "topic", "mentioned_actor"]
    strike = picked["Russian attack on Ukraine's cabinet of ministers building"]
    assert strike["reasons"] == ["mentioned_actor"]
    assert [a["slug"] for a in strike["mentioned_actors"]] == ["russia", "ukraine"]
    # Crimea (2014) is long before; the same answer comes without naming the topic.
    assert get_json(client, "/api/v1/actors/donald-trump/shifts")["items"] == shifts


def test_lookback_and_min_delta_narrow_the_answer(client: FlaskClient, story: Any) -> None:
    no_lookback = get_json(client, f"/api/v1/actors/donald-trump/shifts?topic={TERRITORY}&lookback_days=0")
    titles = {item["event"]["title"] for item in no_lookback["items"][0]["events_between"]}
    assert "Trump–Putin summit in Alaska" not in titles  # two days before the repost
    assert "Russian attack on Ukraine's cabinet of ministers building" in titles

    assert get_json(client, "/api/v1/actors/donald-trump/shifts?min_delta=1.71")["items"] == []
    assert len(get_json(client, "/api/v1/actors/donald-trump/shifts?min_delta=1.7")["items"]) == 1
    assert get_json(client, "/api/v1/actors/volodymyr-zelensky/shifts")["items"] == []


def test_stances_before_and_after_the_pivot(client: FlaskClient, story: Any) -> None:
    def stances(at: str, extra: str = "") -> dict[str, float]:
        items = get_json(client, f"/api/v1/topics/{TERRITORY}/stances?at={at}{extra}")["items"]
        return {item["actor"]["slug"]: item["value"] for item in items}

    early, late = stances("2025-09-01"), stances("2025-09-30")
    assert early["donald-trump"] == -0.8
    assert late["donald-trump"] == 0.9
    assert early["volodymyr-zelensky"] == late["volodymyr-zelensky"] == 1.0
    assert stances("2025-08-16") == {"volodymyr-zelensky": 1.0}  # before Trump's repost
    assert stances("2025-09-30", "&kind=state") == {"russia": -1.0}
    # Ordered from the negative pole to the positive.
    items = get_json(client, f"/api/v1/topics/{TERRITORY}/stances?at=2025-09-30")["items"]
    assert [i["value"] for i in items] == sorted(i["value"] for i in items)
    assert items[1]["statement"]["kind"] == "post"


def test_alignment_of_trump_and_zelensky_goes_from_far_to_close(client: FlaskClient, story: Any) -> None:
    body = get_json(client, f"/api/v1/topics/{TERRITORY}/alignment?actors=donald-trump,volodymyr-zelensky")

    assert [a["slug"] for a in body["actors"]] == ["donald-trump", "volodymyr-zelensky"]
    months = [(m["month"], m["first"]["value"], m["second"]["value"], m["distance"]) for m in body["months"]]
    assert months == [("2025-08", -0.8, 1.0, 1.8), ("2025-09", 0.9, 1.0, pytest.approx(0.1))]
    assert body["trend"]["direction"] == "converging"
    assert body["trend"]["change"] == pytest.approx(-1.7)


def test_timeline_merges_statements_and_events_in_time_order(client: FlaskClient, story: Any) -> None:
    body = get_json(client, "/api/v1/actors/donald-trump/timeline?since=2025-08-01")
    kinds = [(item["type"], item["at"][:10]) for item in body["items"]]
    assert kinds[:2] == [("event", "2025-08-15"), ("statement", "2025-08-17")]
    assert sorted(kinds[2:]) == [
        ("event", "2025-09-23"),
        ("event", "2025-09-23"),
        ("statement", "2025-09-23"),
        ("statement", "2025-09-23"),
    ]
    for item in body["items"]:
        assert (item["statement"] is None) == (item["type"] == "event")
        assert (item["event"] is None) == (item["type"] == "statement")

    on_topic = [
        (i["type"], i["at"][:10])
        for i in get_json(client, f"/api/v1/actors/donald-trump/timeline?topic={TERRITORY}")["items"]
    ]
    assert on_topic[:2] == [("event", "2025-08-15"), ("statement", "2025-08-17")]
    # Same instant: the order between them is by id.
    assert sorted(on_topic[2:]) == [("event", "2025-09-23"), ("statement", "2025-09-23")]

    # Following the cursor visits the same items, newest first too.
    base = "/api/v1/actors/donald-trump/timeline?limit=2&sort=-at"
    seen, cursor = [], ""
    while True:
        page = get_json(client, f"{base}&cursor={cursor}" if cursor else base)
        seen += [(i["type"], i["at"]) for i in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    everything = get_json(client, "/api/v1/actors/donald-trump/timeline?limit=200")["items"]
    assert seen == [(i["type"], i["at"]) for i in reversed(everything)]


def test_positions_over_time_with_their_statements(client: FlaskClient, story: Any) -> None:
    items = get_json(client, f"/api/v1/actors/volodymyr-zelensky/positions?topic={TERRITORY}")["items"]
    assert [(i["value"], i["said_at"][:10], i["said_at_precision"]) for i in items] == [
        (1.0, "2025-08-01", "month")
    ]
    assert items[0]["statement"]["excerpt"] == "this option was not on the table"


@pytest.mark.parametrize(
    ("url", "errors"),
    [
        (
            "/api/v1/actors/donald-trump/shifts?min_delta=0",
            {"min_delta": ["Must be more than 0 and at most 2."]},
        ),
        (
            "/api/v1/actors/donald-trump/shifts?min_delta=2.5",
            {"min_delta": ["Must be more than 0 and at most 2."]},
        ),
        (
            "/api/v1/actors/donald-trump/shifts?topic=nothing",
            {"topic": ["No topic with id or slug 'nothing'."]},
        ),
        ("/api/v1/actors/donald-trump/positions", {"topic": ["Missing data for required field."]}),
        (
            "/api/v1/actors/donald-trump/positions?topic=nothing",
            {"topic": ["No topic with id or slug 'nothing'."]},
        ),
        (
            "/api/v1/actors/donald-trump/timeline?since=2025-10-01&until=2025-09-01",
            {"until": ["'since' must not be after 'until'."]},
        ),
        (
            f"/api/v1/topics/{TERRITORY}/stances?at=30/09/2025",
            {"at": ["Not a date (YYYY-MM-DD) or a date-time with a time zone (RFC 3339)."]},
        ),
        (
            f"/api/v1/topics/{TERRITORY}/alignment?actors=donald-trump",
            {"actors": ["Name exactly two actors."]},
        ),
        (f"/api/v1/topics/{TERRITORY}/alignment?actors=a,b,c", {"actors": ["Name exactly two actors."]}),
        (f"/api/v1/topics/{TERRITORY}/alignment", {"actors": ["Missing data for required field."]}),
        (
            f"/api/v1/topics/{TERRITORY}/alignment?actors=donald-trump,nobody",
            {"actors.1": ["No actor with id or slug 'nobody'."]},
        ),
        (
            f"/api/v1/topics/{TERRITORY}/alignment?actors=donald-trump,donald-trump",
            {"actors": ["Name two different actors."]},
        ),
    ],
)
def test_bad_analysis_queries_are_422(
    client: FlaskClient, story: Any, url: str, errors: dict[str, list[str]]
) -> None:
    assert assert_problem(client.get(url), 422, "validation-error")["errors"] == errors


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/actors/nobody/timeline",
        "/api/v1/actors/nobody/positions?topic=ukraine-territorial-integrity",
        "/api/v1/actors/nobody/shifts",
        "/api/v1/topics/nothing/stances",
        "/api/v1/topics/nothing/alignment?actors=donald-trump,volodymyr-zelensky",
    ],
)
def test_unknown_path_actor_or_topic_is_404(client: FlaskClient, url: str) -> None:
    assert_problem(client.get(url), 404)
