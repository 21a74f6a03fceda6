"""An Accept the service cannot answer gets 406 problem+json; every form of one it can is served."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.helpers import assert_problem

TOPIC = "ukraine-territorial-integrity"


@pytest.mark.parametrize(
    "accept",
    ["*/*", "application/json", "application/problem+json", "application/*", "text/html, */*;q=0.1", ""],
)
def test_json_routes_serve_what_accept_allows(demo: FlaskClient, accept: str) -> None:
    assert demo.get("/api/v1/actors", headers={"Accept": accept}).status_code == 200


@pytest.mark.parametrize("accept", ["text/html", "application/xml", "image/svg+xml", "application/json;q=0"])
def test_json_routes_refuse_what_they_cannot_produce(demo: FlaskClient, accept: str) -> None:
    problem = assert_problem(demo.get("/api/v1/actors", headers={"Accept": accept}), 406, "not-acceptable")
    assert "application/json" in problem["detail"]


def test_the_chart_and_the_export_answer_their_own_types(demo: FlaskClient) -> None:
    chart = f"/api/v1/actors/donald-trump/positions.svg?topic={TOPIC}"
    assert demo.get(chart, headers={"Accept": "image/svg+xml"}).status_code == 200
    assert_problem(demo.get(chart, headers={"Accept": "text/csv"}), 406, "not-acceptable")
    export = "/api/v1/export?type=actors"
    exported = demo.get(export, headers={"Accept": "application/x-ndjson"})
    assert exported.status_code == 200
    assert exported.get_data(as_text=True).count("\n") > 0  # read to the end: the stream closes
    assert_problem(demo.get(export, headers={"Accept": "text/csv"}), 406, "not-acceptable")


def test_the_documentation_is_not_negotiated(demo: FlaskClient) -> None:
    assert demo.get("/openapi.json", headers={"Accept": "text/html"}).status_code == 200
