"""Engine, request-scoped session and the declarative base shared by every model."""

from __future__ import annotations

import select
import uuid
from collections import namedtuple
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import uuid6
from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import JSON, DateTime, Engine, MetaData, Result, Select, create_engine, event, exc
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Connection, Dialect, Transaction
from sqlalchemy.orm import DeclarativeBase, Mapped, ORMExecuteState, Session, mapped_column, sessionmaker
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.types import TypeDecorator

# Constraint names the same on every backend, so migrations can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JSONType = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always returned timezone-aware.

    SQLite keeps no offset, so values are normalised to UTC on the way in and
    tagged as UTC on the way out; PostgreSQL uses timestamptz.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def result_processor(self, dialect: Any, coltype: Any) -> Any:
        # psycopg returns timestamptz values aware, in the session's time zone, which
        # make_engine sets to UTC: nothing to do for each value.
        if dialect.name == "postgresql":
            return None
        return super().result_processor(dialect, coltype)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    @property
    def python_type(self) -> type[datetime]:
        return datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def assign(record: Any, key: str, value: Any, *, tracked: bool) -> None:
    """Set a relationship of `record`: as a change the session's flush will write, or, not
    `tracked`, as if loaded, without the ORM's change events (a third of the time it takes to
    make a statement). Untracked records are never added to a session: a bulk import writes
    their rows itself (service/bulk/batched.py)."""
    if tracked:
        setattr(record, key, value)
    else:
        set_committed_value(record, key, value)


def new_id() -> uuid.UUID:
    """A new record's id: a UUID of version 7, which begins with a timestamp in milliseconds, so
    that new rows' index entries land together at the right end of each B-tree. A random id (version
    4) puts each on a page of its own: among a million rows with random ids, PostgreSQL took twice
    the time to store an import (bench/import_floor.py; see bench/README.md for the gain end to
    end). The other 74 bits are random, drawn by `secrets`, so one id tells nothing of the next."""
    return uuid.UUID(int=uuid6.uuid7().int)  # a plain UUID, as drivers and orjson expect


class RecordMixin:
    """Server-made identity and bookkeeping timestamps."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


# Execution option: this transaction will write (SQLite begins it IMMEDIATE).
WRITE_TRANSACTION = "stanceline_writes"
# Session.info: the session of a read request, which may not write nor hold a server-side cursor.
READS_ONLY = "stanceline_reads_only"
_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


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


def make_engine(database_url: str, *, statement_timeout_ms: int = 0, **options: Any) -> Engine:
    """An engine; on PostgreSQL every statement is cancelled after `statement_timeout_ms`
    (0: never), so a runaway query cannot hold a worker (SQLite waits at most 5 s for a lock)."""
    if database_url.startswith("sqlite"):
        engine = create_engine(database_url, **options)
        _make_sqlite_transactional(engine)
        return engine
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


class Database:
    """The app's engine and session factory; one per app, made lazily after a fork."""

    def __init__(self, database_url: str, *, statement_timeout_ms: int = 0) -> None:
        self.database_url = database_url
        self.statement_timeout_ms = statement_timeout_ms
        self._engine: Engine | None = None
        self._autocommit_engine: Engine | None = None
        self.session_factory = sessionmaker(expire_on_commit=False)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.database_url, statement_timeout_ms=self.statement_timeout_ms)
            self.session_factory.configure(bind=self._engine)
        return self._engine

    def new_session(self, *, writes: bool = False) -> Session:
        """A session; `writes` says it will write, so SQLite takes the write lock when it begins."""
        self.engine  # noqa: B018 - binds the factory on first use
        session = self.session_factory()
        if writes:
            session.connection(execution_options={WRITE_TRANSACTION: True})
        return session

    def read_session(self) -> Session:
        """A session for a read request: it never writes (an attempt raises).

        On PostgreSQL its queries run without a transaction around them (autocommit): each sees
        what was committed when it began, as each statement of a READ COMMITTED transaction
        does, and the BEGIN and ROLLBACK round trips are saved. A server-side cursor needs a
        transaction: stream from `streaming_session` instead.
        """
        session = self.new_session()
        bind = self.session_factory.kw.get("bind")
        if isinstance(bind, Engine) and bind.dialect.name == "postgresql":  # not inside a test's transaction
            if self._autocommit_engine is None:
                self._autocommit_engine = bind.execution_options(isolation_level="AUTOCOMMIT")
            session.bind = self._autocommit_engine
        session.info[READS_ONLY] = True
        return session

    def bind_to_connection(self, connection: Connection) -> None:
        """Run every session inside an outer transaction (tests roll it back)."""
        self.session_factory.configure(bind=connection, join_transaction_mode="create_savepoint")
        self._engine = connection.engine


class HeldTransaction:
    """A session whose commits are held until `commit()`: service functions commit as usual
    (a savepoint each), and the whole is committed or rolled back once, together with
    whatever the holder adds afterwards (the stored answer of an idempotent request)."""

    def __init__(self, database: Database) -> None:
        bind = database.session_factory.kw.get("bind")
        self.transaction: Transaction
        if isinstance(bind, Connection):  # tests: inside their outer transaction
            self.connection, self._owns_connection = bind, False
            self.transaction = bind.begin_nested()
        else:
            self.connection = database.engine.connect().execution_options(**{WRITE_TRANSACTION: True})
            self._owns_connection = True
            self.transaction = self.connection.begin()
        self.session = Session(
            bind=self.connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )

    def commit(self) -> None:
        try:
            self.session.commit()  # releases the session's own savepoint
            self.transaction.commit()
        finally:
            self._close()

    def rollback(self) -> None:
        try:
            self.session.close()  # the session's savepoint first, then the whole
            if self.transaction.is_active:
                self.transaction.rollback()
        finally:
            self._close()

    def _close(self) -> None:
        self.session.close()
        if self._owns_connection:
            self.connection.close()


def init_app(app: Flask, database: Database) -> None:
    app.extensions["stanceline.db"] = database

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            # Anything not committed by a service function is abandoned, never half-written:
            # closing rolls back what the session began and returns its connection.
            session.close()


def get_database(app: Flask | None = None) -> Database:
    database: Database = (app or current_app).extensions["stanceline.db"]
    return database


def get_session() -> Session:
    """The session of the current request (or CLI command)."""
    if "db_session" not in g:
        database = get_database()
        if has_request_context() and request.method in _READ_METHODS:
            g.db_session = database.read_session()
        else:
            g.db_session = database.new_session(writes=has_request_context())
        g.db_session.info.update(g.get("session_info", {}))
    session: Session = g.db_session
    return session


@contextmanager
def streaming_session(session: Session) -> Iterator[Session]:
    """A session to read with a server-side cursor (`yield_per`) beside `session`: in a
    transaction, which such a cursor lives in, when `session` is a read request's."""
    if not session.info.get(READS_ONLY):
        yield session
        return
    streaming = get_database().new_session()
    try:
        yield streaming
    finally:
        streaming.close()


@event.listens_for(Session, "do_orm_execute")
def _refuse_in_read_session(state: ORMExecuteState) -> None:
    """A read request's session is not in a transaction on PostgreSQL: a write would not be
    atomic, and a server-side cursor fails. Both are refused on every database, so that the
    tests find them."""
    if not state.session.info.get(READS_ONLY):
        return
    if state.is_insert or state.is_update or state.is_delete:
        raise RuntimeError("A read request's session may not write.")
    if state.execution_options.get("yield_per") or state.execution_options.get("stream_results"):
        raise RuntimeError("A server-side cursor needs a transaction: use service.db.streaming_session.")


@event.listens_for(Session, "before_flush")
def _refuse_flush_in_read_session(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(READS_ONLY):
        raise RuntimeError("A read request's session may not write.")


@lru_cache(maxsize=1024)
def _plain_row(keys: tuple[str, ...]) -> Any:
    row_type: Any = namedtuple("PlainRow", keys)  # type: ignore[misc]  # its fields are known only here
    return row_type._make


def plain_rows(result: Result[Any]) -> list[Any]:
    """A result's rows as named tuples, whose columns read as attributes (`row.said_at`).

    Reading a column of SQLAlchemy 2.1's Row as an attribute first asks the Row's class for the
    name, which raises and catches an AttributeError inside: about a microsecond each on the
    benchmark's machine, against a twentieth of it for a named tuple. Answers read some 40
    columns a statement: 2 ms of a 50-statement page (bench/README.md). Not for a streamed
    result: every row is read."""
    make = _plain_row(tuple(result.keys()))
    return [make(row) for row in result.all()]  # all at once: iterating fetches row by row


class ReadQuery:
    """A select built once and run by a hot read path, its rows as `plain_rows` gives them.

    On PostgreSQL it runs on the driver's cursor of the session's connection, its SQL compiled
    once: SQLAlchemy's execution (a context, a cursor result, its rows) made reading a statement
    for its GET cost 510 µs of CPU against 310 µs on the cursor (bench/README.md). Parameters and
    columns still go through the processors SQLAlchemy would apply, and a driver's error comes
    out as SQLAlchemy's (a lost connection invalidated). SQLite, and an engine whose statements
    are being watched (`before_cursor_execute` listeners: tests, bench/explain.py), run it
    through SQLAlchemy.
    """

    def __init__(self, query: Select[Any]) -> None:
        self.query = query
        self._plan: tuple[Dialect, _DriverPlan | None] | None = None

    def rows(self, session: Session, parameters: Mapping[str, Any]) -> list[Any]:
        connection = session.connection()
        plan = self._plan_for(connection.dialect)
        watched = connection.dispatch.before_cursor_execute or connection.dispatch.after_cursor_execute
        if plan is None or watched:
            return plain_rows(connection.execute(self.query, parameters))
        return plan.rows(connection, parameters)

    def _plan_for(self, dialect: Dialect) -> _DriverPlan | None:
        if self._plan is None or self._plan[0] is not dialect:
            self._plan = (dialect, _DriverPlan.of(self.query, dialect))
        return self._plan[1]


class _DriverPlan:
    """A query compiled for the driver, with the processors of its columns once its first rows
    have told their types."""

    def __init__(self, query: Select[Any], dialect: Dialect, compiled: SQLCompiler) -> None:
        self.dialect = dialect
        self.compiled = compiled
        self.column_types = [column.type.dialect_impl(dialect) for column in query.selected_columns]
        self.make_row = _plain_row(tuple(query.selected_columns.keys()))
        self.result_processors: list[tuple[int, Callable[[Any], Any]]] | None = None

    @classmethod
    def of(cls, query: Select[Any], dialect: Dialect) -> _DriverPlan | None:
        if dialect.name != "postgresql":
            return None
        compiled = query.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)
        return None if compiled.positional else cls(query, dialect, compiled)  # psycopg's are named

    def rows(self, connection: Connection, parameters: Mapping[str, Any]) -> list[Any]:
        # The SQL and values as SQLAlchemy sends them: values to be written into the SQL (the
        # search words) written in, the others through their types' processors.
        state = self.compiled.construct_expanded_state(parameters)
        sql, values = state.statement, dict(state.parameters)
        for name, process_parameter in state.processors.items():
            if name in values:
                values[name] = process_parameter(values[name])
        cursor = connection.connection.cursor()
        try:
            cursor.execute(sql, values)
            found = cursor.fetchall()
            if self.result_processors is None:
                self.result_processors = self._result_processors(cursor.description)
        except connection.dialect.loaded_dbapi.Error as error:
            raise _as_sqlalchemy_error(connection, error, sql, values, cursor) from error
        finally:
            cursor.close()
        make_row, processors = self.make_row, self.result_processors
        if not processors:
            return [make_row(row) for row in found]
        rows = []
        for row in found:
            values_of_row = list(row)
            for index, process in processors:
                values_of_row[index] = process(values_of_row[index])
            rows.append(make_row(values_of_row))
        return rows

    def _result_processors(self, description: Any) -> list[tuple[int, Callable[[Any], Any]]]:
        """Where a column's type changes what the driver read (a text to its Enum), and how."""
        described_types = [column[1] for column in description]
        return [
            (index, processor)
            for index, (column_type, described) in enumerate(
                zip(self.column_types, described_types, strict=True)
            )
            if (processor := column_type.result_processor(self.dialect, described)) is not None
        ]


def _as_sqlalchemy_error(
    connection: Connection, error: Any, sql: str, parameters: Any, cursor: Any
) -> exc.StatementError:
    """The driver's `error` as SQLAlchemy raises it (OperationalError, IntegrityError…), the
    connection invalidated if it was lost, so that the error handlers and the pool treat it as
    they treat any other."""
    dialect = connection.dialect
    lost = dialect.is_disconnect(error, connection.connection.dbapi_connection, cursor)
    if lost:
        connection.invalidate(error)
    wrapped: exc.StatementError = exc.DBAPIError.instance(
        sql, parameters, error, dialect.loaded_dbapi.Error, connection_invalidated=lost, dialect=dialect
    )
    return wrapped
