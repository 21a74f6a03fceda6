"""What operators see: Prometheus metrics, JSON logs with request ids, readiness with Redis,
and the compose file that runs it all."""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families

from service.app import create_app
from service.config import Settings
from service.logs import RequestIdFilter, json_formatter
from tests.helpers import assert_problem
from tests.test_limits import REDIS_URL, reachable_redis

ROOT = Path(__file__).resolve().parent.parent


def _samples(client: FlaskClient) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.get_data(as_text=True))
        for sample in family.samples
    }


def test_metrics_count_requests_by_route_and_status_and_time_them(client: FlaskClient) -> None:
    ok = (
        "stanceline_http_requests_total",
        frozenset({("method", "GET"), ("route", "/api/v1/actors/<actor>"), ("status", "200")}),
    )
    missing = (
        "stanceline_http_requests_total",
        frozenset({("method", "GET"), ("route", "/api/v1/actors/<actor>"), ("status", "404")}),
    )
    timed = (
        "stanceline_http_request_duration_seconds_count",
        frozenset({("method", "GET"), ("route", "/api/v1/actors/<actor>")}),
    )
    before = _samples(client)
    client.post("/api/v1/actors", json={"name": "Donald Trump", "kind": "person"})

    for _ in range(3):
        client.get("/api/v1/actors/donald-trump")
    client.get("/api/v1/actors/nobody")

    after = _samples(client)
    assert after[ok] - before.get(ok, 0) == 3
    assert after[missing] - before.get(missing, 0) == 1
    assert after[timed] - before.get(timed, 0) == 4  # one series per route, not per id
    assert ("stanceline_db_pool_connections_in_use", frozenset()) in after
    assert ("stanceline_db_pool_connections_open", frozenset()) in after


def test_a_log_line_is_json_with_the_request_id_of_its_request() -> None:
    app = create_app(
        Settings(database_url="postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2")
    )
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(json_formatter())
    handler.addFilter(RequestIdFilter())
    logging.getLogger().addHandler(handler)
    try:
        response = app.test_client().get("/api/v1/actors", headers={"X-Request-ID": "trace-7f3a"})
    finally:
        logging.getLogger().removeHandler(handler)

    body = assert_problem(response, 503, "service-unavailable")
    assert body["request_id"] == response.headers["X-Request-ID"] == "trace-7f3a"
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    warning = next(line for line in lines if line["message"].startswith("database unavailable"))
    assert warning["level"] == "WARNING"
    assert warning["request_id"] == "trace-7f3a"
    assert {"time", "logger"} <= set(warning)


def test_readiness_checks_redis_when_it_is_configured(make_app: Callable[..., Flask]) -> None:
    unreachable = make_app(redis_url="redis://127.0.0.1:1/0").test_client().get("/readyz")
    body = assert_problem(unreachable, 503, "service-unavailable")
    assert "Redis" in body["detail"]
    assert unreachable.headers["Retry-After"]

    reachable_redis()
    reachable = make_app(redis_url=REDIS_URL).test_client().get("/readyz")
    assert reachable.get_json() == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}


def test_the_compose_file_is_valid_and_starts_the_api_as_the_tests_do() -> None:
    compose = shutil.which("docker-compose")
    if compose is None:
        pytest.skip("docker-compose is not installed (Debian package docker-compose)")

    def config(**environment: str) -> subprocess.CompletedProcess[str]:
        env = {"PATH": os.environ["PATH"], **environment}
        return subprocess.run(
            [compose, "config"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )

    # An operator must choose the secret: without one docker-compose says what to set.
    refused = config()
    assert refused.returncode != 0
    assert "set SECRET_KEY to a long random value" in refused.stderr
    result = config(SECRET_KEY="an-operator-set-secret")
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    assert set(services) == {"postgres", "redis", "api"}
    assert services["api"]["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    assert services["api"]["environment"]["SECRET_KEY"] == "an-operator-set-secret"
    assert set(services["api"]["depends_on"]) == {"postgres", "redis"}
    assert all("healthcheck" in service for service in services.values())
    assert all(service["restart"] == "unless-stopped" for service in services.values())
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "var"} <= set(ignored)  # the build context stays small
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["/entrypoint.sh"]' in dockerfile  # what tests/test_startup.py runs
    assert "USER stanceline" in dockerfile
