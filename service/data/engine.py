"""Engines: SQLite made transactional, PostgreSQL in UTC with a statement timeout."""

from __future__ import annotations

import select
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import Connection

# Execution option: this transaction will write (SQLite begins it IMMEDIATE).
WRITE_TRANSACTION = "stanceline_writes"


def _make_sqlite_transactional(engine: Engine) -> None:
    """Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.

    Without this, pysqlite defers BEGIN and breaks SAVEPOINTs (SQLAlchemy's
    documented recipe); foreign keys are also off in SQLite unless asked for.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA busy_timeout = 5000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # A write takes the write lock at once: a second writer then waits for the first to
        # commit and reads what it wrote, instead of failing on a stale snapshot later.
        immediate = connection.get_execution_options().get(WRITE_TRANSACTION)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(
    database_url: str, *, statement_timeout_ms: int = 0, pooler: str = "none", **options: Any
) -> Engine:
    """An engine; on PostgreSQL every statement is cancelled after `statement_timeout_ms`
    (0: never), so a runaway query cannot hold a worker (SQLite waits at most 5 s for a lock).

    `pooler="transaction"`: a PgBouncer in transaction mode hands each transaction any server
    connection, so nothing may live on the connection: no server-side prepared statements and
    the settings made per transaction (SET LOCAL) instead of at connect.
    """
    # Errors and logs name a statement without its values: they may be personal data or keys.
    options.setdefault("hide_parameters", True)
    if database_url.startswith("sqlite"):
        engine = create_engine(database_url, **options)
        _make_sqlite_transactional(engine)
        return engine
    if pooler == "transaction":
        return _make_pooled_engine(database_url, statement_timeout_ms, options)
    # Timestamps come back in UTC (UTCDateTime relies on it), whatever the server's time zone.
    settings = ["-c timezone=UTC"]
    if statement_timeout_ms:
        settings.append(f"-c statement_timeout={statement_timeout_ms}")
    options.setdefault("connect_args", {})["options"] = " ".join(settings)
    # A read's connection, in autocommit (Database.read_session), has nothing to roll back when
    # it is returned: no call for it.
    options.setdefault("skip_autocommit_rollback", True)
    engine = create_engine(database_url, **options)
    event.listen(engine, "checkout", _drop_if_server_spoke)
    return engine


def _make_pooled_engine(database_url: str, statement_timeout_ms: int, options: dict[str, Any]) -> Engine:
    options.setdefault("connect_args", {})["prepare_threshold"] = None
    engine = create_engine(database_url, **options)
    settings = "SET LOCAL timezone = 'UTC'"
    if statement_timeout_ms:
        settings += f"; SET LOCAL statement_timeout = {int(statement_timeout_ms)}"

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # Outside autocommit this runs inside the transaction PgBouncer has just pinned.
        connection.exec_driver_sql(settings)

    event.listen(engine, "checkout", _drop_if_server_spoke)
    return engine


def _drop_if_server_spoke(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """Hand out no connection the server has closed, without a round trip to ask.

    An idle connection the server has something to say on is one it has closed or is closing
    (a restart, a terminated backend): the pool is told to make a new one instead. A ping
    before each use (pool_pre_ping) found the same for a round trip a request. A connection
    lost without a word (a network partition) fails its first query; SQLAlchemy then drops
    the pool's connections, and that request answers 503.
    """
    if dbapi_connection.closed:
        raise exc.DisconnectionError("The database closed this connection.")
    poller = select.poll()  # not select.select: it fails on descriptors numbered over 1023
    poller.register(dbapi_connection.fileno(), select.POLLIN)
    if poller.poll(0):
        raise exc.DisconnectionError("The database closed this connection.")
