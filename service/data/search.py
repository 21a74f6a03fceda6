"""Full-text search, the same for statements and events on both databases.

PostgreSQL: a generated `search_vector` (tsvector, language-aware for statements) with a GIN
index; the query is read as a web search (words, "phrases", -not, or) in the simple and the
main stemmed configurations, so "strikes" finds "strike" whatever the statement's language.
SQLite: an FTS5 table per searched table (porter stemming, accents folded), kept by triggers;
every word of the query must appear. Migration 0006 builds both.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Double,
    Float,
    Select,
    String,
    and_,
    bindparam,
    cast,
    event,
    func,
    literal_column,
    select,
    text,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from service.data.pagination import SortOrder
from service.problems import ValidationFailed
from service.values.folding import fold

# Configurations a query is read in on PostgreSQL (migration 0006 indexes each statement in
# the configuration of its language).
QUERY_CONFIGS = ("simple", "english", "german", "french", "spanish", "russian")
WORD = re.compile(r"\w+")
_WORDS = "search_words"  # the bound parameter for what `q` asks for


def has_words(q: str) -> bool:
    return WORD.search(q) is not None


@dataclass(frozen=True)
class Searchable:
    table: str  # "statements" or "events"
    id_column: Any  # the model's id column

    def match(self, dialect: str) -> tuple[ColumnElement[bool], ColumnElement[float]]:
        """A condition for the rows that match the words bound as `parameters`, and each row's
        relevance (higher first)."""
        return self._postgresql() if dialect == "postgresql" else self._sqlite()

    @staticmethod
    def parameters(dialect: str, q: str) -> dict[str, Any]:
        if dialect == "postgresql":
            return {_WORDS: q}
        # Every word, each quoted: the user's text is never read as FTS5 query syntax.
        return {_WORDS: " ".join('"' + word + '"' for word in WORD.findall(q))}

    def _postgresql(self) -> tuple[ColumnElement[bool], ColumnElement[float]]:
        vector: Any = literal_column(f"{self.table}.search_vector")
        # The words are written into the SQL (escaped by SQLAlchemy) when it is sent, not sent
        # as a parameter: psycopg prepares a query it sees often, and PostgreSQL's generic plan
        # for a prepared search, made without the words, cannot tell a rare word from a common one.
        words = bindparam(_WORDS, type_=String, literal_execute=True)
        query: Any = None
        for config in QUERY_CONFIGS:
            part = func.websearch_to_tsquery(text(f"'{config}'::regconfig"), words)
            query = part if query is None else query.op("||")(part)
        # As double precision: ts_rank's float4, sent as text, would not round-trip in a cursor.
        return vector.op("@@")(query), cast(func.ts_rank(vector, query), Double)

    def _sqlite(self) -> tuple[ColumnElement[bool], ColumnElement[float]]:
        fts = f"{self.table}_fts"

        def matches() -> Any:
            return text(f"{fts} MATCH :{_WORDS}").bindparams(bindparam(_WORDS, type_=String))

        matching: Any = select(literal_column(f"{fts}.id")).select_from(text(fts)).where(matches())
        score = (
            select(literal_column(f"-bm25({fts})", Float))
            .select_from(text(fts))
            .where(and_(matches(), literal_column(f"{fts}.id") == self.id_column))
            .scalar_subquery()
        )
        return self.id_column.in_(matching), score


def search_sort(filters: dict[str, Any], default_sort: str) -> str:
    """The sort a list's filters ask for: by default `relevance` when searched (422 when
    `relevance` is asked for without `q`)."""
    q, sort = filters.get("q"), filters.get("sort") or ("relevance" if filters.get("q") else default_sort)
    if sort == "relevance" and not q:
        raise ValidationFailed({"sort": ["`relevance` needs `q`, the words to search for."]})
    return sort


def searched(
    session: Session, statement: Select[Any], filters: dict[str, Any], default_sort: str
) -> tuple[Select[Any], str, Any, dict[str, Any]]:
    """Narrow a list to what `q` finds; the sort to use, the relevance (None without q) and the
    values to run the list with."""
    sort, q = search_sort(filters, default_sort), filters.get("q")
    if not q:
        return statement, sort, None, {}
    entity = statement.column_descriptions[0]["entity"]
    dialect = session.get_bind().dialect.name
    condition, relevance = SEARCHABLE[entity.__tablename__].match(dialect)
    return statement.where(condition), sort, relevance, Searchable.parameters(dialect, q)


def relevance_order(list_name: str, relevance: Any, id_column: Any) -> SortOrder:
    return SortOrder(list_name, "relevance", (relevance, id_column), descending=True)


SEARCHABLE: dict[str, Searchable] = {}


def register_searchable(table: str, id_column: Any) -> None:
    SEARCHABLE[table] = Searchable(table, id_column)


def keep_search_text(model: type[Any], texts_of: Callable[[Any], Iterable[str | None]]) -> None:
    """Keep `model.search_text` equal to the folded texts of each row, on every write."""

    def refresh(_mapper: Any, _connection: Any, record: Any) -> None:
        record.search_text = "\n".join(fold(text) for text in texts_of(record) if text)

    event.listen(model, "before_insert", refresh)
    event.listen(model, "before_update", refresh)
