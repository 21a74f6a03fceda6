"""Fixtures: a database built by the Alembic migrations, the app, and a per-test rollback.

`--database sqlite` (default) or `--database postgresql`. PostgreSQL runs make and drop
a database of their own on the server named by TEST_POSTGRES_URL; if it cannot be
reached the run fails at once: it never quietly falls back to SQLite.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import OperationalError
from werkzeug.serving import make_server

from service.app import create_app
from service.config import Settings
from service.data import migrate
from service.data.sessions import get_database, get_session
from service.demo.load import load_story
from service.resources.auth.service import create_key
from service.web.roles import Role

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database",
        choices=["sqlite", "postgresql"],
        default=os.environ.get("STANCELINE_TEST_DATABASE", "sqlite"),
        help="Which database the suite runs on.",
    )


def pytest_report_header(config: pytest.Config) -> str:
    return f"stanceline database: {config.getoption('--database')}"


@pytest.fixture(scope="session")
def backend(pytestconfig: pytest.Config) -> str:
    return str(pytestconfig.getoption("--database"))


@pytest.fixture(autouse=True)
def _postgresql_only(request: pytest.FixtureRequest, backend: str) -> None:
    """Tests marked `postgresql_only(reason)` run in the PostgreSQL run only."""
    marker = request.node.get_closest_marker("postgresql_only")
    if marker is not None and backend != "postgresql":
        pytest.skip(marker.args[0] if marker.args else "PostgreSQL only")


@contextmanager
def postgres_database(admin_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        where = make_url(admin_url).render_as_string()
        if os.environ.get("CI"):
            pytest.exit(f"PostgreSQL is unreachable at {where} and CI needs it: {exc.orig}", 3)
        # On a developer's machine without PostgreSQL, say so loudly and run nothing.
        pytest.exit(
            f"SKIPPED THE POSTGRESQL RUN: unreachable at {where} ({exc.orig}). "
            "Start PostgreSQL or set TEST_POSTGRES_URL; CI always runs it.",
            0,
        )
    name = f"stanceline_test_{os.getpid()}_{secrets.token_hex(4)}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def empty_database(backend: str, directory: Path) -> Iterator[str]:
    """The URL of a new, empty database of the backend under test."""
    if backend == "postgresql":
        with postgres_database(os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)) as url:
            yield url
    else:
        yield f"sqlite:///{directory / f'stanceline-{secrets.token_hex(4)}.db'}"


@pytest.fixture(scope="session")
def database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database brought to the latest schema by the migrations, shared by the session."""
    with empty_database(backend, tmp_path_factory.mktemp("db")) as url:
        migrate.upgrade(url)
        yield url


@pytest.fixture(scope="session")
def app(database_url: str) -> Iterator[Flask]:
    application = create_app(
        Settings(
            database_url=database_url,
            max_body_bytes=64 * 1024,
            # Limits have tests of their own (test_limits.py); the rest of the suite is not rationed.
            rate_limit_per_address="1000000/minute",
            rate_limit_per_key="1000000/minute",
        )
    )
    application.config["TESTING"] = True
    yield application
    get_database(application).engine.dispose()


@pytest.fixture
def database(app: Flask) -> Iterator[Connection]:
    """Each test's writes happen inside one outer transaction that is rolled back after it."""
    db = get_database(app)
    connection = db.engine.connect()
    outer = connection.begin()
    db.bind_to_connection(connection)
    try:
        yield connection
    finally:
        outer.rollback()
        connection.close()


def make_key(app: Flask, role: Role, name: str = "test key") -> str:
    """A new API key's secret (inside the test's transaction)."""
    with get_database(app).new_session() as session:
        return create_key(session, name, role)[1]


@pytest.fixture
def admin_key(app: Flask, database: Connection) -> str:
    return make_key(app, Role.admin, "test admin")


@pytest.fixture
def anonymous_client(app: Flask, database: Connection) -> FlaskClient:
    """A client that sends no API key."""
    return app.test_client()


@pytest.fixture
def client(app: Flask, database: Connection, admin_key: str) -> FlaskClient:
    """A client that sends an admin key with every request."""
    test_client = app.test_client()
    test_client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {admin_key}"
    return test_client


@pytest.fixture
def demo(app: Flask, client: FlaskClient) -> FlaskClient:
    """`client`, with the demo story loaded (inside the test's transaction)."""
    with app.app_context():
        load_story(get_session())
    return client


class LiveServer:
    """The app served over real HTTP by a threaded server, on a database of its own whose
    writes really commit: for tests of concurrent requests."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def key(self, role: Role = Role.admin) -> str:
        with self.app.app_context(), get_database(self.app).new_session() as session:
            return create_key(session, f"live {role}", role)[1]

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=10)
        get_database(self.app).engine.dispose()


@pytest.fixture
def live_server(backend: str, tmp_path: Path) -> Iterator[LiveServer]:
    with empty_database(backend, tmp_path) as url:
        migrate.upgrade(url)
        server = LiveServer(
            create_app(
                Settings(
                    database_url=url,
                    rate_limit_per_address="1000000/minute",
                    rate_limit_per_key="1000000/minute",
                )
            )
        )
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture
def make_app(database_url: str, database: Connection) -> Callable[..., Flask]:
    """Apps with settings of a test's own, inside the test's transaction like the main app
    (and on its connection, so they open none of their own)."""

    def make(**settings: Any) -> Flask:
        application = create_app(Settings(database_url=database_url, **settings))
        get_database(application).bind_to_connection(database)
        return application

    return make
