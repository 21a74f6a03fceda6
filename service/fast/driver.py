"""Hot reads on the driver's cursor: the only queries that go around SQLAlchemy's execution."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Select, exc
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler

from service.data.rows import plain_rows, row_maker


class ReadQuery:
    """A select built once and run by a hot read path, its rows as `plain_rows` gives them.

    On PostgreSQL it runs on the driver's cursor of the session's connection, its SQL compiled
    once, without SQLAlchemy's execution (a context, a cursor result, its rows). Parameters and
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
        self.make_row = row_maker(tuple(query.selected_columns.keys()))
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
