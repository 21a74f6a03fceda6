"""The service through a real PgBouncer in transaction mode (DATABASE_POOLER=transaction)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import exc, make_url, text

from service.app import create_app
from service.config import Settings
from service.data.engine import make_engine
from service.data.sessions import get_database

pytestmark = pytest.mark.postgresql_only("PgBouncer stands before PostgreSQL only")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pgbouncer() -> str:
    found = shutil.which("pgbouncer") or (
        "/usr/sbin/pgbouncer" if Path("/usr/sbin/pgbouncer").exists() else None
    )
    if found is None and os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "pgbouncer"], check=False, capture_output=True)
        found = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    if found is None or not Path(found).exists():
        if os.environ.get("CI"):
            pytest.fail("pgbouncer is not installed and CI needs it (apt-get install pgbouncer)")
        pytest.skip("PGBOUNCER NOT INSTALLED: apt-get install pgbouncer; CI always runs this")
    return found


@pytest.fixture(scope="module")
def bouncer_url(database_url: str) -> Iterator[str]:
    """`database_url` reached through a PgBouncer in transaction mode on a free port."""
    url = make_url(database_url)
    folder = Path(tempfile.mkdtemp(prefix="stanceline-pgbouncer-"))
    shutil.chown(folder, "postgres")
    port = _free_port()
    (folder / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"* = host={url.host or '127.0.0.1'} port={url.port or 5432}\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        "auth_type = trust\n"
        f"auth_file = {folder / 'users.txt'}\n"
        "pool_mode = transaction\ndefault_pool_size = 3\nmax_client_conn = 100\n"
        f"logfile = {folder / 'pgbouncer.log'}\n"
    )
    (folder / "users.txt").write_text(f'"{url.username}" ""\n')
    command = [_pgbouncer(), str(folder / "pgbouncer.ini")]
    if os.geteuid() == 0:  # it refuses to run as root
        command = ["runuser", "-u", "postgres", "--", *command]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if process.poll() is not None:
                pytest.fail(f"pgbouncer did not start: {(folder / 'pgbouncer.log').read_text()}")
            time.sleep(0.05)
        yield url.set(host="127.0.0.1", port=port).render_as_string(hide_password=False)
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(folder, ignore_errors=True)


def test_many_queries_on_few_server_connections_break_no_prepared_statement(bouncer_url: str) -> None:
    engine = make_engine(bouncer_url, statement_timeout_ms=5000, pooler="transaction", pool_size=8)

    def work(worker: int) -> list[int]:
        answers = []
        for round_ in range(20):  # past psycopg's prepare threshold (5) on every connection
            with engine.begin() as connection:
                answers.append(
                    connection.execute(text("SELECT :n + 1"), {"n": worker * 100 + round_}).scalar_one()
                )
        return answers

    try:
        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(work, range(8)))
        with engine.begin() as connection:
            zone = connection.execute(text("SHOW timezone")).scalar_one()
    finally:
        engine.dispose()
    assert results == [[worker * 100 + round_ + 1 for round_ in range(20)] for worker in range(8)]
    assert zone == "UTC"


def test_the_statement_timeout_applies_through_the_pooler(bouncer_url: str) -> None:
    engine = make_engine(bouncer_url, statement_timeout_ms=200, pooler="transaction")
    try:
        with pytest.raises(exc.OperationalError, match="statement timeout"), engine.begin() as connection:
            connection.execute(text("SELECT pg_sleep(3)"))
        with engine.begin() as connection:
            assert connection.execute(text("SELECT 1")).scalar_one() == 1
    finally:
        engine.dispose()


def test_the_migration_lock_is_held_through_the_pooler(bouncer_url: str) -> None:
    """The migrations' lock is a transaction-level advisory lock: it holds through PgBouncer."""
    engine = make_engine(bouncer_url, pooler="transaction", pool_size=2)
    try:
        with engine.begin() as first:
            first.execute(text("SELECT pg_advisory_xact_lock(424242)"))
            with engine.begin() as second:
                taken = second.execute(text("SELECT pg_try_advisory_xact_lock(424242)")).scalar_one()
        with engine.begin() as third:
            free = third.execute(text("SELECT pg_try_advisory_xact_lock(424242)")).scalar_one()
    finally:
        engine.dispose()
    assert taken is False
    assert free is True


def test_the_service_answers_reads_through_the_pooler(bouncer_url: str) -> None:
    app = create_app(
        Settings(
            database_url=bouncer_url,
            database_pooler="transaction",
            rate_limit_per_address="1000000/minute",
            rate_limit_per_key="1000000/minute",
        )
    )
    client = app.test_client()
    try:
        statuses = {client.get("/api/v1/actors?limit=5").status_code for _ in range(30)}
    finally:
        get_database(app).engine.dispose()
    assert statuses == {200}
