"""What differs between PostgreSQL and SQLite: SQL expressions spelt differently, and how many
rows are written at once."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import JSON, Boolean, ColumnElement, Integer, any_, bindparam, insert
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import QueryableAttribute, Session
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.visitors import InternalTraversal


class utc_month_index(FunctionElement[int]):
    """Months since year 0 of a UTC timestamp: year * 12 + month - 1 (consecutive months differ by 1)."""

    type = Integer()
    inherit_cache = True
    name = "utc_month_index"


@compiles(utc_month_index, "postgresql")
def _month_index_postgresql(element: utc_month_index, compiler: Any, **kw: Any) -> str:
    moment = f"(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'UTC')"
    year, month = f"EXTRACT(YEAR FROM {moment})", f"EXTRACT(MONTH FROM {moment})"
    return f"(CAST({year} AS INTEGER) * 12 + CAST({month} AS INTEGER) - 1)"


@compiles(utc_month_index, "sqlite")
def _month_index_sqlite(element: utc_month_index, compiler: Any, **kw: Any) -> str:
    # SQLite keeps timestamps as UTC text (see service.data.types.UTCDateTime).
    moment = compiler.process(element.clauses, **kw)
    return f"(CAST(strftime('%Y', {moment}) AS INTEGER) * 12 + CAST(strftime('%m', {moment}) AS INTEGER) - 1)"


class in_ids(ColumnElement[bool]):
    """`column IN (…)` for a list given at execution as parameter `name`.

    On PostgreSQL it is `column = ANY(:name)`, one array parameter: the SQL is the same for any
    number of ids, so psycopg parses it once and prepares it on the server, where an expanding
    IN is new text (and a new plan) for each count. Elsewhere it is an expanding IN.
    """

    inherit_cache = True
    type = Boolean()
    _traverse_internals = [
        ("column", InternalTraversal.dp_clauseelement),
        ("name", InternalTraversal.dp_string),
    ]

    def __init__(self, column: ColumnElement[Any] | QueryableAttribute[Any], name: str) -> None:
        self.column = column.__clause_element__() if isinstance(column, QueryableAttribute) else column
        self.name = name


@compiles(in_ids)
def _in_ids(element: in_ids, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.column.in_(bindparam(element.name, expanding=True)), **kw))


@compiles(in_ids, "postgresql")
def _in_ids_postgresql(element: in_ids, compiler: Any, **kw: Any) -> str:
    array = bindparam(element.name, type_=postgresql.ARRAY(element.column.type))
    return str(compiler.process(element.column == any_(array), **kw))


def insert_rows(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    """Rows written at once, not as records: by COPY on PostgreSQL, else by one executemany."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        session.execute(insert(table), rows)
        return
    columns = list(rows[0])
    names = ", ".join(f'"{name}"' for name in columns)
    # psycopg writes every value as it is (an enum of ours is a str) but JSON, written here.
    json_columns = [place for place, name in enumerate(columns) if isinstance(table.c[name].type, JSON)]
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            values = [row[name] for name in columns]
            for place in json_columns:
                if values[place] is not None:
                    values[place] = orjson.dumps(values[place]).decode()
            copy.write_row(values)
