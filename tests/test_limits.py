"""Rate limits per address and per key (memory, and Redis shared by instances), and CORS."""

from __future__ import annotations

import os
import secrets
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import redis
from flask import Flask
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import SlidingWindowCounterRateLimiter
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection

from service.app import create_app
from service.config import Settings
from service.data import migrate
from service.data.sessions import get_database
from service.resources.auth.service import create_key
from service.web.roles import Role
from tests.conftest import empty_database, make_key
from tests.helpers import assert_problem

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def reachable_redis() -> redis.Redis:
    """The test Redis, cleared of this service's counters; skipped outside CI when it is not running."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"Redis is not running at {REDIS_URL}; CI runs this test")
    for key in client.scan_iter("LIMITS:{LIMITER/stanceline/*"):
        client.delete(key)
    return client


def redis_url_for(storage: str) -> str | None:
    """Where an app counts requests: in its memory, or in the test Redis (cleared)."""
    if storage == "memory":
        return None
    reachable_redis()
    return REDIS_URL


@pytest.fixture(params=["memory", "redis"])
def limited(request: pytest.FixtureRequest, make_app: Callable[..., Flask], database: Connection) -> Flask:
    redis_url = redis_url_for(request.param)
    return make_app(rate_limit_per_address="5/minute", rate_limit_per_key="3/minute", redis_url=redis_url)


def _from(address: str) -> dict[str, str]:
    return {"REMOTE_ADDR": address}


def test_an_address_over_its_limit_gets_429_with_retry_after(limited: Flask) -> None:
    client = limited.test_client()
    answers = [client.get("/api/v1/actors", environ_base=_from("10.0.0.1")) for _ in range(6)]

    assert [answer.status_code for answer in answers] == [200] * 5 + [429]
    assert answers[0].headers["X-RateLimit-Limit"] == "5"
    assert answers[0].headers["X-RateLimit-Remaining"] == "4"
    assert "Retry-After" not in answers[0].headers
    refused = answers[-1]
    assert_problem(refused, 429)
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    # Another address has its own budget; probes are never rationed.
    assert client.get("/api/v1/actors", environ_base=_from("10.0.0.2")).status_code == 200
    assert client.get("/healthz", environ_base=_from("10.0.0.1")).status_code == 200


def test_each_key_has_its_own_budget_and_bad_keys_use_it_up_too(limited: Flask) -> None:
    client = limited.test_client()
    first, second = make_key(limited, Role.reader), make_key(limited, Role.reader)

    def get(key: str, address: str) -> int:
        headers = {"Authorization": f"Bearer {key}"}
        return client.get("/api/v1/topics", headers=headers, environ_base=_from(address)).status_code

    assert [get(first, f"10.1.0.{n}") for n in range(4)] == [200, 200, 200, 429]
    assert get(second, "10.1.0.9") == 200
    guessed = [get("stl_guess", f"10.2.0.{n}") for n in range(4)]
    assert guessed == [401, 401, 401, 429]


@pytest.mark.parametrize("storage", ["memory", "redis"])
def test_a_budget_spent_at_the_end_of_a_window_still_counts_at_the_start_of_the_next(
    storage: str, make_app: Callable[..., Flask], database: Connection
) -> None:
    """The window slides: just after a window's edge, most of the last window's count still
    counts, so a client cannot spend a whole budget at the end of one window and another at the
    start of the next. (The weighted count is rounded down, which may let one more through.)"""
    client = make_app(rate_limit_per_address="3/second", redis_url=redis_url_for(storage)).test_client()
    for attempt in range(5):
        address = _from(f"10.4.0.{attempt}")
        time.sleep(1.02 - time.time() % 1)
        second = int(time.time())
        first = client.get("/api/v1/actors", environ_base=address).status_code
        time.sleep(second + 0.8 - time.time())
        late = [client.get("/api/v1/actors", environ_base=address).status_code for _ in range(2)]
        if int(time.time()) != second:
            continue  # a slow machine crossed the edge while spending; try again
        time.sleep(second + 1.03 - time.time())
        after_the_edge = [client.get("/api/v1/actors", environ_base=address) for _ in range(3)]
        assert [first, *late] == [200, 200, 200]
        assert [answer.status_code for answer in after_the_edge].count(200) <= 1
        assert_problem(after_the_edge[-1], 429)
        return
    pytest.fail("two requests never fitted in the last 0.2 s of a second")


def test_instances_sharing_redis_share_the_limit(
    make_app: Callable[..., Flask], database: Connection
) -> None:
    reachable_redis()
    settings = {"rate_limit_per_address": "4/minute", "redis_url": REDIS_URL}
    first, second = make_app(**settings).test_client(), make_app(**settings).test_client()
    address = _from(f"10.9.{secrets.randbelow(250)}.{secrets.randbelow(250)}")  # fresh counters each run

    answers = [
        client.get("/api/v1/actors", environ_base=address).status_code for client in (first, second) * 3
    ]

    assert answers == [200, 200, 200, 200, 429, 429]


def test_a_request_counted_in_redis_takes_one_round_trip(
    make_app: Callable[..., Flask], database: Connection
) -> None:
    """Counting and the headers' figures come from one script (Flask-Limiter alone takes two)."""
    commands = reachable_redis()
    client = make_app(rate_limit_per_address="50/minute", redis_url=REDIS_URL).test_client()
    client.get("/api/v1/topics", environ_base=_from("10.5.0.1"))  # loads the script once

    def scripts_run() -> int:
        # Redis counts the commands a script runs as well; the limiter sends only scripts.
        statistics = commands.info("commandstats")
        return sum(statistics.get(f"cmdstat_{name}", {"calls": 0})["calls"] for name in ("eval", "evalsha"))

    before = scripts_run()
    remaining = [
        client.get("/api/v1/topics", environ_base=_from("10.5.0.1")).headers["X-RateLimit-Remaining"]
        for _ in range(5)
    ]
    assert scripts_run() - before == 5
    assert remaining == ["48", "47", "46", "45", "44"]


def test_limits_own_redis_storage_and_the_services_share_one_budget() -> None:
    """Instances of this version and of one before it (during a rolling deploy) count in the
    same keys, the same way."""
    reachable_redis()
    item = parse("3/minute")
    stock = SlidingWindowCounterRateLimiter(storage_from_string(REDIS_URL))
    ours = SlidingWindowCounterRateLimiter(storage_from_string(f"stanceline+{REDIS_URL}"))
    identity = ("stanceline", f"10.6.{secrets.randbelow(250)}.{secrets.randbelow(250)}")

    assert [ours.hit(item, *identity), stock.hit(item, *identity), ours.hit(item, *identity)] == [True] * 3
    assert not stock.hit(item, *identity)
    assert not ours.hit(item, *identity)
    assert ours.get_window_stats(item, *identity).remaining == 0
    assert stock.get_window_stats(item, *identity).remaining == 0


def test_cors_is_off_unless_configured_and_exposes_the_headers_clients_need(
    make_app: Callable[..., Flask], database: Connection
) -> None:
    closed = make_app().test_client()
    assert (
        "Access-Control-Allow-Origin"
        not in closed.get("/api/v1/actors", headers={"Origin": "https://newsroom.example"}).headers
    )

    app = make_app(cors_origins=("https://newsroom.example",))
    client = app.test_client()
    preflight = client.options(
        "/api/v1/statements",
        headers={
            "Origin": "https://newsroom.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization, Idempotency-Key, Content-Type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://newsroom.example"
    assert "idempotency-key" in preflight.headers["Access-Control-Allow-Headers"].lower()

    answer = client.get("/api/v1/actors", headers={"Origin": "https://newsroom.example"})
    exposed = {name.strip().lower() for name in answer.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"etag", "link", "retry-after", "x-ratelimit-remaining", "location"} <= exposed
    other = client.get("/api/v1/actors", headers={"Origin": "https://elsewhere.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_a_statement_that_runs_too_long_is_cancelled_with_503(backend: str, tmp_path: Path) -> None:
    """A write waits on a row another transaction holds; the statement timeout ends the wait."""
    if backend != "postgresql":
        pytest.skip("statement timeouts are PostgreSQL's; SQLite's lock wait is its busy timeout")
    with empty_database(backend, tmp_path) as url:
        migrate.upgrade(url)
        app = create_app(Settings(database_url=url, statement_timeout_ms=300))
        client = app.test_client()
        key = make_committed_key(app)
        client.post("/api/v1/actors", json={"name": "Donald Trump", "kind": "person"}, headers=key)
        holder = create_engine(url)
        try:
            with holder.connect() as connection, connection.begin():
                connection.execute(text("SELECT id FROM actors FOR UPDATE"))  # held until the block ends
                response = client.patch("/api/v1/actors/donald-trump", json={"description": "x"}, headers=key)

            assert_problem(response, 503, "service-unavailable")
            assert response.headers["Retry-After"]
            # The worker is fine: the next request is served.
            assert (
                client.patch(
                    "/api/v1/actors/donald-trump", json={"description": "y"}, headers=key
                ).status_code
                == 200
            )
        finally:
            holder.dispose()
            get_database(app).engine.dispose()


def make_committed_key(app: Flask) -> dict[str, str]:
    with app.app_context(), get_database(app).new_session() as session:
        return {"Authorization": f"Bearer {create_key(session, 'timeout test', Role.editor)[1]}"}


def test_requests_are_served_when_redis_stops_answering(make_app: Callable[..., Flask]) -> None:
    """A Redis that takes connections and never answers (a stalled server, a full network
    buffer) is given up on, as one that is down: requests are counted in memory meanwhile."""
    with socket.create_server(("127.0.0.1", 0)) as silent:  # listens, never accepts or replies
        port = silent.getsockname()[1]
        client = make_app(
            rate_limit_per_address="3/minute", redis_url=f"redis://127.0.0.1:{port}/0"
        ).test_client()
        answers: list[int] = []

        def ask() -> None:
            answers.extend(
                client.get("/api/v1/actors", environ_base=_from("10.3.0.2")).status_code for _ in range(4)
            )

        asking = threading.Thread(target=ask, daemon=True)
        asking.start()
        # Bounded, so that a request held forever fails this test instead of hanging the suite.
        asking.join(timeout=60)
        assert not asking.is_alive(), "requests wait for a Redis that never answers"
    assert answers == [200, 200, 200, 429]


def test_requests_are_served_when_redis_is_down(make_app: Callable[..., Flask]) -> None:
    client = make_app(rate_limit_per_address="3/minute", redis_url="redis://127.0.0.1:1/0").test_client()

    answers = [client.get("/api/v1/actors", environ_base=_from("10.3.0.1")).status_code for _ in range(4)]

    # Counted in memory meanwhile: still limited, never a 500.
    assert answers == [200, 200, 200, 429]


def test_answers_carry_the_ietf_ratelimit_fields_beside_x_ratelimit(limited: Flask) -> None:
    client = limited.test_client()
    first, second = (client.get("/api/v1/actors", environ_base=_from("10.9.0.1")) for _ in range(2))

    assert first.headers["RateLimit-Policy"] == '"address";q=5;w=60'
    assert first.headers["RateLimit"].startswith('"address";r=4;t=')
    assert 0 <= int(first.headers["RateLimit"].rsplit("t=", 1)[1]) <= 60
    assert second.headers["RateLimit"].startswith('"address";r=3;')


def test_the_ietf_fields_name_the_key_budget_that_refused(limited: Flask) -> None:
    client = limited.test_client()
    headers = {"Authorization": f"Bearer {make_key(limited, Role.reader)}"}
    answers = [
        client.get("/api/v1/topics", headers=headers, environ_base=_from(f"10.9.1.{n}")) for n in range(4)
    ]

    assert answers[-1].status_code == 429
    assert answers[-1].headers["RateLimit-Policy"] == '"key";q=3;w=60'
    assert answers[-1].headers["RateLimit"].startswith('"key";r=0;t=')
