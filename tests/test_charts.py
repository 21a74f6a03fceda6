"""The SVG chart of an actor's positions: well-formed, and showing the points, shift and events."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from flask.testing import FlaskClient

from tests.helpers import assert_problem

SVG = "{http://www.w3.org/2000/svg}"
TOPIC = "ukraine-territorial-integrity"


def _chart(client: FlaskClient, actor: str, **query: str) -> ET.Element:
    response = client.get(f"/api/v1/actors/{actor}/positions.svg", query_string={"topic": TOPIC, **query})
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    return ET.fromstring(response.get_data())  # raises if not well-formed


def test_the_chart_draws_every_position_the_shift_and_the_events_between(demo: FlaskClient) -> None:
    positions = demo.get(f"/api/v1/actors/donald-trump/positions?topic={TOPIC}").get_json()["items"]
    shift = demo.get(f"/api/v1/actors/donald-trump/shifts?topic={TOPIC}").get_json()["items"][0]

    svg = _chart(demo, "donald-trump")

    assert svg.find(f"{SVG}title").text == "Donald Trump on Ukraine's territorial integrity"
    dots = svg.findall(f"{SVG}g[@class='positions']/{SVG}circle")
    assert [(dot.get("data-said-at"), float(dot.get("data-value"))) for dot in dots] == [
        (p["said_at"], p["value"]) for p in positions
    ]
    assert all(dot.find(f"{SVG}title").text for dot in dots)
    bands = svg.findall(f"{SVG}g[@class='shifts']/{SVG}rect")
    assert len(bands) == 1
    assert f"{shift['delta']:+.2f}" in bands[0].find(f"{SVG}title").text
    events = [marker.find(f"{SVG}title").text for marker in svg.findall(f"{SVG}g[@class='events']/{SVG}g")]
    assert len(events) == len(shift["events_between"])
    assert any("Alaska" in label for label in events)
    texts = " ".join(text.text or "" for text in svg.iter(f"{SVG}text"))
    assert "Ukraine should regain all" in texts  # the positive pole names the top of the axis


def test_the_json_positions_link_to_their_chart(demo: FlaskClient) -> None:
    response = demo.get(f"/api/v1/actors/donald-trump/positions?topic={TOPIC}&since=2025-08-01")

    first = f"http://localhost/api/v1/actors/donald-trump/positions?topic={TOPIC}&since=2025-08-01"
    chart = f"http://localhost/api/v1/actors/donald-trump/positions.svg?topic={TOPIC}&since=2025-08-01"
    assert (
        response.headers["Link"]
        == f'<{first}>; rel="first", <{chart}>; rel="alternate"; type="image/svg+xml"'
    )
    assert demo.get(chart).status_code == 200


def test_an_actor_without_positions_gets_an_empty_chart_and_bad_requests_get_problems(
    demo: FlaskClient,
) -> None:
    svg = _chart(demo, "nato")
    assert "No positions" in " ".join(text.text or "" for text in svg.iter(f"{SVG}text"))

    assert_problem(demo.get(f"/api/v1/actors/nobody/positions.svg?topic={TOPIC}"), 404)
    assert (
        "topic"
        in assert_problem(demo.get("/api/v1/actors/donald-trump/positions.svg"), 422, "validation-error")[
            "errors"
        ]
    )
