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
from datetime import UTC, datetime
from typing import Any

import orjson
from flask import Flask, Response, request
from psycopg.rows import dict_row
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
FROM = "statements s JOIN actors a ON a.id = s.actor_id LEFT JOIN events e ON e.id = s.event_id"
CONFIGS = ("simple", "english", "german", "french", "spanish", "russian")
TSQUERY = " || ".join(f"websearch_to_tsquery('{config}', %(q)s)" for config in CONFIGS)


def pool() -> ConnectionPool:
    global _pool
    if _pool is None:  # made in the worker, after gunicorn forks
        _pool = ConnectionPool(os.environ["BASELINE_DATABASE_URL"], min_size=2, max_size=4, open=True)
    return _pool


def _instant(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def _json(body: Any, status: int = 200) -> Response:
    return Response(orjson.dumps(body), status=status, mimetype="application/json")


def _items(cursor: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows as the service shows statements, with positions and mentions in two more queries."""
    ids = [row["id"] for row in rows]
    positions: dict[uuid.UUID, list[dict[str, Any]]] = {statement_id: [] for statement_id in ids}
    mentions: dict[uuid.UUID, list[dict[str, Any]]] = {statement_id: [] for statement_id in ids}
    cursor.execute(
        "SELECT p.statement_id, p.value, p.confidence, t.id, t.slug, t.name FROM statement_positions p "
        "JOIN topics t ON t.id = p.topic_id WHERE p.statement_id = ANY(%s) ORDER BY p.topic_id",
        [ids],
    )
    for row in cursor.fetchall():
        topic = {"id": str(row["id"]), "slug": row["slug"], "name": row["name"]}
        positions[row["statement_id"]].append(
            {"topic": topic, "value": row["value"], "confidence": row["confidence"]}
        )
    cursor.execute(
        "SELECT m.statement_id, a.id, a.slug, a.name FROM statement_mentions m JOIN actors a "
        "ON a.id = m.actor_id WHERE m.statement_id = ANY(%s) ORDER BY a.slug",
        [ids],
    )
    for row in cursor.fetchall():
        mentions[row["statement_id"]].append({"id": str(row["id"]), "slug": row["slug"], "name": row["name"]})
    return [_statement(row, positions[row["id"]], mentions[row["id"]]) for row in rows]


def _optional(values: dict[str, Any]) -> dict[str, Any] | None:
    return values if any(value is not None for value in values.values()) else None


def _statement(row: dict[str, Any], positions: list[Any], mentions: list[Any]) -> dict[str, Any]:
    published_at = row["source_published_at"]
    event = None
    if row["event_id"] is not None:
        event = {
            "id": str(row["event_id"]),
            "title": row["event_title"],
            "kind": row["event_kind"],
            "start": _instant(row["event_start"]),
            "start_precision": row["event_start_precision"],
        }
    article = None
    if row["article_id"] is not None:
        article = {
            "id": str(row["article_id"]),
            "span_start": row["article_span_start"],
            "span_end": row["article_span_end"],
        }
    return {
        "id": str(row["id"]),
        "actor": {"id": str(row["actor_id"]), "slug": row["actor_slug"], "name": row["actor_name"]},
        "text": row["text"],
        "kind": row["kind"],
        "said_at": _instant(row["said_at"]),
        "said_at_precision": row["said_at_precision"],
        "language": row["language"],
        "source": _optional(
            {
                "url": row["source_url"],
                "title": row["source_title"],
                "publisher": row["source_publisher"],
                "author": row["source_author"],
                "published_at": _instant(published_at) if published_at is not None else None,
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
        "created_at": row["created_at"].isoformat(),
        "updated_at": row["updated_at"].isoformat(),
    }


def _page(sql: str, params: dict[str, Any], limit: int, key: Any) -> Response:
    with pool().connection() as connection, connection.cursor(row_factory=dict_row) as cursor:
        cursor.execute(sql, {**params, "limit": limit + 1})
        rows = cursor.fetchall()
        items = _items(cursor, rows[:limit]) if rows else []
    next_cursor = key(rows[limit - 1]) if len(rows) > limit else None
    return _json({"items": items, "next_cursor": next_cursor})


@app.get("/statements/<statement_id>")
def get_statement(statement_id: str) -> Response:
    with pool().connection() as connection, connection.cursor(row_factory=dict_row) as cursor:
        cursor.execute(f"SELECT {COLUMNS} FROM {FROM} WHERE s.id = %s", [uuid.UUID(statement_id)])
        row = cursor.fetchone()
        if row is None:
            return _json({"title": "Not found"}, 404)
        return _json(_items(cursor, [row])[0])


@app.get("/statements")
def list_statements() -> Response:
    limit = int(request.args.get("limit", 50))
    params: dict[str, Any] = {"actor": uuid.UUID(request.args["actor"])}
    after = ""
    if cursor := request.args.get("cursor"):
        said_at, last_id = orjson.loads(base64.urlsafe_b64decode(cursor))
        params |= {"said_at": datetime.fromisoformat(said_at), "id": uuid.UUID(last_id)}
        after = "AND (s.said_at, s.id) < (%(said_at)s, %(id)s)"
    sql = (
        f"SELECT {COLUMNS} FROM {FROM} WHERE s.actor_id = %(actor)s {after} "
        "ORDER BY s.said_at DESC, s.id DESC LIMIT %(limit)s"
    )

    def key(row: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(orjson.dumps([row["said_at"].isoformat(), str(row["id"])])).decode()

    return _page(sql, params, limit, key)


@app.get("/search")
def search() -> Response:
    limit = int(request.args.get("limit", 50))
    sql = (
        f"SELECT {COLUMNS} FROM {FROM}, (SELECT {TSQUERY}) AS query(q) WHERE s.search_vector @@ query.q "
        "ORDER BY ts_rank(s.search_vector, query.q) DESC, s.id DESC LIMIT %(limit)s"
    )
    return _page(sql, {"q": request.args["q"]}, limit, lambda row: None)
