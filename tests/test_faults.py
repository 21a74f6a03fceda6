"""Faults of production, each with the real server under gunicorn against a PostgreSQL server
this module starts for itself (initdb, its own port): the database going away and coming
back, a worker killed mid-write, a graceful stop under load, a statement that runs too long.

They run in the PostgreSQL run of the suite (`make test-postgresql`, always in CI). Without
PostgreSQL's server binaries they are skipped, except under CI, where that is a failure.
"""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

from tests.faults import Gunicorn, PrivatePostgres, postgres_bin, prepare_database, problem_of

STATEMENT = {
    "actor": "donald-trump",
    "kind": "post",
    "said_at": "2025-09-23",
    "mentions": ["russia"],
    "positions": [
        {"topic": "ukraine-territorial-integrity", "value": 1.0, "confidence": 0.9},
        {"topic": "sanctions-on-russia", "value": 0.5, "confidence": 0.5},
    ],
}


@pytest.fixture(scope="module")
def private_postgres(backend: str) -> Iterator[PrivatePostgres]:
    if backend != "postgresql":
        pytest.skip("fault tests run in the PostgreSQL run")
    folder = postgres_bin()
    if folder is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL server binaries (initdb, pg_ctl) are missing; CI needs them")
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    server = PrivatePostgres(folder)
    try:
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture
def database(private_postgres: PrivatePostgres) -> Iterator[tuple[str, dict[str, str]]]:
    """A fresh database on the private server, migrated, with an editor key."""
    if not private_postgres.is_running():
        private_postgres.start()
    name = f"faults_{time.monotonic_ns()}"
    # No pool: a connection kept across a test that stops the server would be dead.
    admin = create_engine(private_postgres.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = private_postgres.url.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url, prepare_database(url)
    finally:
        if not private_postgres.is_running():
            private_postgres.start()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _seed(base: str, key: dict[str, str]) -> None:
    for body in (
        {"name": "Donald Trump", "kind": "person"},
        {"name": "Russia", "kind": "state"},
    ):
        requests.post(f"{base}/api/v1/actors", json=body, headers=key, timeout=10).raise_for_status()
    for name in ("Ukraine territorial integrity", "Sanctions on Russia"):
        topic = {"name": name, "negative_pole": "against", "positive_pole": "for"}
        requests.post(f"{base}/api/v1/topics", json=topic, headers=key, timeout=10).raise_for_status()


def _engine(url: str) -> Engine:
    return create_engine(url)


@pytest.fixture
def seeded_server(
    database: tuple[str, dict[str, str]], tmp_path: Path
) -> Iterator[tuple[Gunicorn, dict[str, str]]]:
    """The service under gunicorn on the test's database, with two actors and two topics."""
    url, key = database
    server = Gunicorn(url, tmp_path / "gunicorn.log")
    try:
        _seed(server.url, key)
        yield server, key
    finally:
        server.kill()


def test_the_database_going_away_gives_503_and_the_service_recovers_without_restart(
    private_postgres: PrivatePostgres, seeded_server: tuple[Gunicorn, dict[str, str]]
) -> None:
    server, key = seeded_server
    assert requests.get(f"{server.url}/api/v1/actors", timeout=10).status_code == 200

    private_postgres.stop()
    during = [requests.get(f"{server.url}/api/v1/actors", timeout=20) for _ in range(6)]
    actor = {"name": "X", "kind": "person"}
    during.append(requests.post(f"{server.url}/api/v1/actors", json=actor, headers=key, timeout=20))
    ready_during = requests.get(f"{server.url}/readyz", timeout=20)
    private_postgres.start()

    for response in [*during, ready_during]:
        assert response.status_code == 503, response.text
        assert problem_of(response)["type"] == "urn:stanceline:problem:service-unavailable"
        assert int(response.headers["Retry-After"]) > 0
    # Back without a restart: the pool drops dead connections and makes new ones.
    after = [requests.get(f"{server.url}/api/v1/actors", timeout=20) for _ in range(6)]
    assert [response.status_code for response in after] == [200] * 6
    assert requests.get(f"{server.url}/readyz", timeout=20).json()["checks"]["database"] == "ok"
    assert len(after[0].json()["items"]) == 2  # nothing was lost


def test_a_database_restart_between_requests_is_not_seen_by_clients(
    private_postgres: PrivatePostgres, seeded_server: tuple[Gunicorn, dict[str, str]]
) -> None:
    server, _ = seeded_server
    # Every worker holds a pooled connection, which the restart closes while it is idle.
    before = [requests.get(f"{server.url}/api/v1/actors", timeout=10) for _ in range(20)]
    assert [response.status_code for response in before] == [200] * 20
    private_postgres.stop()
    private_postgres.start()
    after = [requests.get(f"{server.url}/api/v1/actors", timeout=20) for _ in range(20)]
    assert [response.status_code for response in after] == [200] * 20, after[0].text


def test_a_worker_killed_mid_write_loses_no_acknowledged_write_and_leaves_none_half_done(
    database: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    url, key = database
    server = Gunicorn(url, tmp_path / "gunicorn.log")
    acknowledged: list[str] = []
    failures: list[str] = []
    lock = threading.Lock()
    try:
        _seed(server.url, key)

        def write(worker: int) -> None:
            session = requests.Session()
            for index in range(25):
                body = {**STATEMENT, "text": f"Statement {worker}-{index}"}
                try:
                    response = session.post(
                        f"{server.url}/api/v1/statements", json=body, headers=key, timeout=20
                    )
                except requests.RequestException as exc:  # the killed worker's connection
                    with lock:
                        failures.append(repr(exc))
                    continue
                with lock:
                    if 200 <= response.status_code < 300:
                        acknowledged.append(response.json()["id"])
                    else:
                        failures.append(f"{response.status_code} {response.text}")

        writers = [threading.Thread(target=write, args=(worker,)) for worker in range(4)]
        for writer in writers:
            writer.start()
        while len(acknowledged) < 20:
            time.sleep(0.01)
        victim = server.worker_pids()[0]
        os.kill(victim, signal.SIGKILL)
        for writer in writers:
            writer.join(timeout=120)

        assert victim not in server.worker_pids()  # the master replaced it
        assert len(acknowledged) >= 20
        engine = _engine(url)
        try:
            with engine.connect() as connection:
                stored = {
                    str(row.id): (row.positions, row.mentions)
                    for row in connection.execute(
                        text(
                            "SELECT s.id, "
                            "(SELECT count(*) FROM statement_positions p WHERE p.statement_id = s.id) "
                            "AS positions, "
                            "(SELECT count(*) FROM statement_mentions m WHERE m.statement_id = s.id) "
                            "AS mentions "
                            "FROM statements s"
                        )
                    )
                }
                revisions = connection.execute(
                    text("SELECT count(*) FROM revisions WHERE resource = 'statement'")
                ).scalar_one()
        finally:
            engine.dispose()
        assert set(acknowledged) <= set(stored), "an acknowledged write is missing"
        assert all(counts == (2, 1) for counts in stored.values()), "a statement is half written"
        assert revisions == len(stored)  # each write and its revision, together or not at all
    finally:
        server.kill()


def _hold_actor_row(url: str) -> tuple[Engine, Any, Any]:
    """Lock Trump's row in a transaction of the test's own, so that writes to it wait."""
    engine = _engine(url)
    connection = engine.connect()
    transaction = connection.begin()
    connection.execute(text("SELECT id FROM actors WHERE slug = 'donald-trump' FOR UPDATE"))
    return engine, connection, transaction


def _waiting_on_locks(url: str, count: int) -> None:
    engine = _engine(url)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with engine.connect() as connection:
                waiting = connection.execute(
                    text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
                ).scalar_one()
            if waiting >= count:
                return
            time.sleep(0.05)
        raise AssertionError(f"{count} requests never reached the database")
    finally:
        engine.dispose()


def test_sigterm_lets_requests_in_flight_finish_and_refuses_new_connections(
    database: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    url, key = database
    server = Gunicorn(url, tmp_path / "gunicorn.log", STANCELINE_GRACEFUL_TIMEOUT="30")
    try:
        _seed(server.url, key)
        engine, connection, transaction = _hold_actor_row(url)
        answers: list[requests.Response] = []

        def patch(description: str) -> None:
            answers.append(
                requests.patch(
                    f"{server.url}/api/v1/actors/donald-trump",
                    json={"description": description},
                    headers=key,
                    timeout=60,
                )
            )

        in_flight = [threading.Thread(target=patch, args=(f"edit {n}",)) for n in range(2)]
        for thread in in_flight:
            thread.start()
        _waiting_on_locks(url, 2)  # both workers are inside a request

        server.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        refused = False
        while not refused and time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
                time.sleep(0.05)
            except ConnectionResetError:
                continue  # queued just as the last listener closed, so never accepted: probe again
            except ConnectionRefusedError:
                refused = True
        assert refused, "the server still accepted connections after SIGTERM"

        transaction.commit()  # let the in-flight requests through
        connection.close()
        engine.dispose()
        for thread in in_flight:
            thread.join(timeout=60)
        assert [answer.status_code for answer in answers] == [200, 200]
        assert server.terminate() == 0, server.output()
    finally:
        server.kill()


def test_a_statement_over_the_timeout_gives_503_and_the_worker_stays(
    database: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    url, key = database
    server = Gunicorn(
        url, tmp_path / "gunicorn.log", DATABASE_STATEMENT_TIMEOUT_MS="500", WEB_CONCURRENCY="1"
    )
    try:
        _seed(server.url, key)
        workers = server.worker_pids()
        engine, connection, transaction = _hold_actor_row(url)
        try:
            slow = requests.patch(
                f"{server.url}/api/v1/actors/donald-trump", json={"description": "x"}, headers=key, timeout=30
            )
        finally:
            transaction.rollback()
            connection.close()
            engine.dispose()

        assert slow.status_code == 503
        assert problem_of(slow)["type"] == "urn:stanceline:problem:service-unavailable"
        assert "Retry-After" in slow.headers
        assert server.worker_pids() == workers  # not killed, not replaced
        after = requests.patch(
            f"{server.url}/api/v1/actors/donald-trump", json={"description": "y"}, headers=key, timeout=30
        )
        assert after.status_code == 200
        assert requests.get(f"{server.url}/readyz", timeout=10).status_code == 200
    finally:
        server.kill()
