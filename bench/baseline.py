"""The bare app the service is measured against: plain Flask, psycopg 3 with a pool, orjson.

No ORM, no marshmallow, no validation, no middleware. It serves the same statements from the
same database in the same JSON as the service, so bench/run.py can compare like with like:

    GET /statements/<id>                          one statement
    GET /statements?actor=<id>&limit=&cursor=     an actor's statements, newest first, keyset
    GET /search?q=&limit=                         full-text search, best match first

    BASELINE_DATABASE_URL=postgresql://... gunicorn 'bench.baseline:app'
"""

from __future__ import annotations

import base64
import os
import uuid
from datetime import datetime
from typing import Any

import orjson
from flask import Flask, Response, request
from psycopg import Connection
from psycopg.rows import dict_row
from psycopg.sql import SQL, Composed, Literal
from psycopg_pool import ConnectionPool

app = Flask(__name__)
_pool: ConnectionPool | None = None

COLUMNS = """s.id, s.text, s.kind, s.said_at, s.said_at_precision, s.language, s.source_url,
    s.source_title, s.source_publisher, s.source_author, s.source_published_at,
    s.reposted_from_name, s.reposted_from_handle, s.reposted_from_url, s.article_id,
    s.article_span_start, s.article_span_end, s.created_at, s.updated_at,
    a.id AS actor_id, a.slug AS actor_slug, a.name AS actor_name,
    e.id AS event_id, e.title AS event_title, e.kind AS event_kind, e.start_at AS event_start,
    e.start_precision AS event_start_precision"""
# The statement columns a page is cut from, before its actors and events are joined.
PAGE_COLUMNS = """id, actor_id, event_id, text, kind, said_at, said_at_precision, language, source_url,
    source_title, source_publisher, source_author, source_published_at, reposted_from_name,
    reposted_from_handle, reposted_from_url, article_id, article_span_start, article_span_end,
    created_at, updated_at"""
REFERENCES = "JOIN actors a ON a.id = s.actor_id LEFT JOIN events e ON e.id = s.event_id"
# Positions and mentions of the statements `match` picks, in one query, as the service reads them.
PARTS = """SELECT p.statement_id, 'position' AS part, p.value, p.confidence,
        t.id AS part_id, t.slug AS part_slug, t.name AS part_name
    FROM statement_positions p JOIN topics t ON t.id = p.topic_id WHERE p.statement_id {match}
    UNION ALL
    SELECT m.statement_id, 'mention', NULL, NULL, a.id, a.slug, a.name
    FROM statement_mentions m JOIN actors a ON a.id = m.actor_id WHERE m.statement_id {match}"""
PART_ORDER = "part, CASE WHEN part = 'position' THEN part_id END, part_slug"
CONFIGS = ("simple", "english", "german", "french", "spanish", "russian")


def pool() -> ConnectionPool:
    global _pool
    if _pool is None:  # made in the worker, after gunicorn forks
        _pool = ConnectionPool(
            os.environ["BASELINE_DATABASE_URL"],
            min_size=2,
            max_size=4,
            open=True,
            # Reads without a transaction around them (no BEGIN and COMMIT), as the service's.
            kwargs={"autocommit": True},
        )
    return _pool


def _rows(connection: Connection[Any], sql: str | Composed, params: dict[str, Any]) -> list[dict[str, Any]]:
    with connection.cursor(row_factory=dict_row) as cursor:
        return cursor.execute(sql, params).fetchall()


def _json(body: Any, status: int = 200) -> Response:
    # orjson writes ids and instants itself (UTC instants as +00:00), as the service's answers.
    return Response(orjson.dumps(body), status=status, mimetype="application/json")


def _statements(rows: list[dict[str, Any]], parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows as the service shows statements, given their positions and mentions in part order."""
    positions: dict[uuid.UUID, list[dict[str, Any]]] = {row["id"]: [] for row in rows}
    mentions: dict[uuid.UUID, list[dict[str, Any]]] = {row["id"]: [] for row in rows}
    for part in parts:
        named = {"id": part["part_id"], "slug": part["part_slug"], "name": part["part_name"]}
        if part["part"] == "position":
            positions[part["statement_id"]].append(
                {"topic": named, "value": part["value"], "confidence": part["confidence"]}
            )
        else:
            mentions[part["statement_id"]].append(named)
    return [_statement(row, positions[row["id"]], mentions[row["id"]]) for row in rows]


def _optional(values: dict[str, Any]) -> dict[str, Any] | None:
    return values if any(value is not None for value in values.values()) else None


def _statement(row: dict[str, Any], positions: list[Any], mentions: list[Any]) -> dict[str, Any]:
    event = None
    if row["event_id"] is not None:
        event = {
            "id": row["event_id"],
            "title": row["event_title"],
            "kind": row["event_kind"],
            "start": row["event_start"],
            "start_precision": row["event_start_precision"],
        }
    article = None
    if row["article_id"] is not None:
        article = {
            "id": row["article_id"],
            "span_start": row["article_span_start"],
            "span_end": row["article_span_end"],
        }
    return {
        "id": row["id"],
        "actor": {"id": row["actor_id"], "slug": row["actor_slug"], "name": row["actor_name"]},
        "text": row["text"],
        "kind": row["kind"],
        "said_at": row["said_at"],
        "said_at_precision": row["said_at_precision"],
        "language": row["language"],
        "source": _optional(
            {
                "url": row["source_url"],
                "title": row["source_title"],
                "publisher": row["source_publisher"],
                "author": row["source_author"],
                "published_at": row["source_published_at"],
            }
        ),
        "reposted_from": _optional(
            {
                "name": row["reposted_from_name"],
                "handle": row["reposted_from_handle"],
                "url": row["reposted_from_url"],
            }
        ),
        "event": event,
        "positions": positions,
        "mentions": mentions,
        "article": article,
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


def _page(sql: str | Composed, params: dict[str, Any], limit: int, key: Any) -> Response:
    """A page cut by `sql` (with its actors and events), then the parts of its statements."""
    with pool().connection() as connection:
        rows = _rows(connection, sql, {**params, "limit": limit + 1})
        page = rows[:limit]
        parts = _rows(connection, PAGE_PARTS, {"ids": [row["id"] for row in page]}) if page else []
    next_cursor = key(rows[limit - 1]) if len(rows) > limit else None
    return _json({"items": _statements(page, parts), "next_cursor": next_cursor})


# The parts of a page's statements, in one query (as the service).
PAGE_PARTS = f"SELECT * FROM ({PARTS.format(match='= ANY(%(ids)s)')}) parts ORDER BY {PART_ORDER}"
# One statement with its references and parts, a row a part, in one query (as the service).
ONE = (
    f"SELECT {COLUMNS}, parts.* FROM statements s {REFERENCES} "
    f"LEFT JOIN ({PARTS.format(match='= %(id)s')}) parts ON parts.statement_id = s.id "
    f"WHERE s.id = %(id)s ORDER BY {PART_ORDER}"
)


@app.get("/statements/<statement_id>")
def get_statement(statement_id: str) -> Response:
    with pool().connection() as connection:
        rows = _rows(connection, ONE, {"id": uuid.UUID(statement_id)})
    if not rows:
        return _json({"title": "Not found"}, 404)
    return _json(_statements(rows[:1], [row for row in rows if row["part"] is not None])[0])


@app.get("/statements")
def list_statements() -> Response:
    limit = int(request.args.get("limit", 50))
    params: dict[str, Any] = {"actor": uuid.UUID(request.args["actor"])}
    after = ""
    if cursor := request.args.get("cursor"):
        said_at, last_id = orjson.loads(base64.urlsafe_b64decode(cursor))
        params |= {"said_at": datetime.fromisoformat(said_at), "id": uuid.UUID(last_id)}
        after = "AND (said_at, id) < (%(said_at)s, %(id)s)"
    sql = (
        f"SELECT {COLUMNS} FROM (SELECT {PAGE_COLUMNS} FROM statements WHERE actor_id = %(actor)s {after} "
        f"ORDER BY said_at DESC, id DESC LIMIT %(limit)s) s {REFERENCES} ORDER BY s.said_at DESC, s.id DESC"
    )

    def key(row: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(orjson.dumps([row["said_at"].isoformat(), str(row["id"])])).decode()

    return _page(sql, params, limit, key)


@app.get("/search")
def search() -> Response:
    limit = int(request.args.get("limit", 50))
    # The words written into the SQL, as the service does: a prepared search's generic plan,
    # made without them, is many times slower than the plan made for them.
    words = Literal(request.args["q"])
    query = SQL(" || ").join(SQL("websearch_to_tsquery({}, {})").format(Literal(c), words) for c in CONFIGS)
    sql = SQL(
        "SELECT {columns} FROM (SELECT {page_columns}, ts_rank(search_vector, query.q) AS rank "
        "FROM statements, (SELECT {query}) AS query(q) WHERE search_vector @@ query.q "
        "ORDER BY rank DESC, id DESC LIMIT %(limit)s) s {references} ORDER BY s.rank DESC, s.id DESC"
    ).format(columns=SQL(COLUMNS), page_columns=SQL(PAGE_COLUMNS), query=query, references=SQL(REFERENCES))
    return _page(sql, {}, limit, lambda row: None)
