"""Sessions: the request's, a read request's (it never writes), a held transaction, a streaming one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import Engine, event
from sqlalchemy.engine import Connection, Transaction
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from service.data.engine import WRITE_TRANSACTION, make_engine

# Session.info: the session of a read request, which may not write nor hold a server-side cursor.
READS_ONLY = "stanceline_reads_only"
_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Database:
    """The app's engine and session factory; one per app, made lazily after a fork."""

    def __init__(self, database_url: str, *, statement_timeout_ms: int = 0, pooler: str = "none") -> None:
        self.database_url = database_url
        self.statement_timeout_ms = statement_timeout_ms
        self.pooler = pooler
        self._engine: Engine | None = None
        self._autocommit_engine: Engine | None = None
        self.session_factory = sessionmaker(expire_on_commit=False)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(
                self.database_url, statement_timeout_ms=self.statement_timeout_ms, pooler=self.pooler
            )
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
        # Through a transaction-mode pooler a read keeps its transaction: SET LOCAL needs one.
        autocommit = self.pooler != "transaction"
        if autocommit and isinstance(bind, Engine) and bind.dialect.name == "postgresql":
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
        raise RuntimeError(
            "A server-side cursor needs a transaction: use service.data.sessions.streaming_session."
        )


@event.listens_for(Session, "before_flush")
def _refuse_flush_in_read_session(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(READS_ONLY):
        raise RuntimeError("A read request's session may not write.")
