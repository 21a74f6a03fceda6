"""SQL expressions whose spelling differs between PostgreSQL and SQLite."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


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
    # SQLite keeps timestamps as UTC text (see service.db.UTCDateTime).
    moment = compiler.process(element.clauses, **kw)
    return f"(CAST(strftime('%Y', {moment}) AS INTEGER) * 12 + CAST(strftime('%m', {moment}) AS INTEGER) - 1)"
