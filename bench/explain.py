"""Check every list's SQL with EXPLAIN on the benchmark database: no sequential scan of a large table.

    .venv/bin/python bench/explain.py [--database-url URL]

Calls each list endpoint, with each filter and sort, in-process on the benchmark database
(bench/generate.py), records every SQL statement it runs, and asks PostgreSQL for the plan of
each. A plan that scans a table of more than 20,000 rows sequentially is printed and makes the
exit status 1; the others are summed up as one line an endpoint.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import psycopg
from sqlalchemy import event
from sqlalchemy.engine import make_url

from service.app import create_app
from service.config import Settings
from service.data.sessions import get_database

LARGE = 20_000


def _scans(plan: dict[str, Any]) -> list[str]:
    found = [plan["Relation Name"]] if plan["Node Type"] == "Seq Scan" else []
    for child in plan.get("Plans", []):
        found += _scans(child)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/stanceline_bench"
    )
    args = parser.parse_args()
    plain = make_url(args.database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    app = create_app(Settings(database_url=args.database_url, rate_limit_per_address="1000000/minute"))
    client = app.test_client()
    with psycopg.connect(plain) as connection:
        sizes = dict(connection.execute("SELECT relname, n_live_tup FROM pg_stat_user_tables").fetchall())
        actor, topic, event_id, mentioned = connection.execute(
            "SELECT s.actor_id, p.topic_id, (SELECT id FROM events LIMIT 1), "
            "(SELECT actor_id FROM statement_mentions LIMIT 1) FROM statements s "
            "JOIN statement_positions p ON p.statement_id = s.id LIMIT 1"
        ).fetchone()  # type: ignore[misc]
    busy = "busy-actor"
    urls = [
        "/api/v1/actors",
        "/api/v1/actors?kind=state",
        "/api/v1/topics",
        "/api/v1/statements",
        "/api/v1/statements?sort=said_at",
        f"/api/v1/statements?actor={actor}",
        f"/api/v1/statements?actor={busy}&sort=said_at",
        f"/api/v1/statements?topic={topic}",
        f"/api/v1/statements?event={event_id}",
        f"/api/v1/statements?mentions={mentioned}",
        "/api/v1/statements?kind=speech",
        "/api/v1/statements?since=2020-01-01&until=2020-01-31",
        "/api/v1/statements?q=ceasefire",
        "/api/v1/statements?q=ceasefire&sort=-said_at",
        "/api/v1/events",
        "/api/v1/events?kind=summit",
        f"/api/v1/events?participant={busy}",
        f"/api/v1/events?topic={topic}",
        "/api/v1/events?since=2020-01-01&until=2020-01-31",
        "/api/v1/events?q=summit",
        "/api/v1/relations",
        "/api/v1/changes",
        f"/api/v1/actors/{busy}/timeline",
        f"/api/v1/actors/{busy}/positions?topic={topic}",
        f"/api/v1/actors/{busy}/shifts?topic={topic}",
        f"/api/v1/topics/{topic}/stances?at=2020-01-01",
    ]
    captured: list[tuple[str, Any]] = []

    @event.listens_for(get_database(app).engine, "before_cursor_execute")
    def _capture(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT") and not many:
            captured.append((statement, parameters))

    failures = 0
    with psycopg.connect(plain) as connection:
        for url in urls:
            captured.clear()
            response = client.get(url)
            if response.status_code != 200:
                print(f"{url}: {response.status_code} {response.get_data(as_text=True)[:200]}")
                failures += 1
                continue
            bad = []
            for statement, parameters in captured:
                plan = connection.execute(f"EXPLAIN (FORMAT JSON) {statement}", parameters).fetchone()[0]  # type: ignore[index]
                scanned = [table for table in _scans(plan[0]["Plan"]) if sizes.get(table, 0) > LARGE]
                if scanned:
                    bad.append((scanned, statement))
            verdict = "ok" if not bad else "SEQUENTIAL SCAN"
            print(f"{verdict:16} {len(captured)} queries  {url}")
            for scanned, statement in bad:
                print(f"    {', '.join(scanned)}: {json.dumps(statement[:300])}")
            failures += bool(bad)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
