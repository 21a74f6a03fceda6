"""Time the analysis endpoints for an actor with 10,000 statements on PostgreSQL.

    .venv/bin/python bench/analysis.py [--statements 10000] [--repeat 30]

Builds a database of its own (dropped and made again) by the migrations, loads the demo story,
adds N statements by Donald Trump (one a day, each with a position on Ukraine's territorial
integrity and two mentions) and N/5 events he took part in, then calls each endpoint in-process
through the Flask test client (the app's own time: routing, validation, SQL, serialisation;
no network) and prints the median and 95th percentile.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

from service.app import create_app
from service.config import Settings
from service.data import migrate
from service.data.sessions import get_session
from service.demo.load import load_story
from service.resources.events.models import Event, EventParticipant, event_topics
from service.resources.statements.models import Statement, StatementPosition, statement_mentions
from service.values.examples import seed_id

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/stanceline_bench_analysis"


def fresh_database(url: str) -> None:
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    migrate.upgrade(url)


def fill(url: str, count: int) -> None:
    rng = random.Random(7)
    trump = seed_id("actors", "donald-trump")
    topic = seed_id("topics", "ukraine-territorial-integrity")
    mentioned = [seed_id("actors", "russia"), seed_id("actors", "ukraine")]
    start = datetime(1990, 1, 1, tzinfo=UTC)
    now = datetime.now(UTC)
    statements, positions, mentions = [], [], []
    value = 0.0
    for day in range(count):
        said_at = start + timedelta(days=day)
        statement_id = uuid.uuid4()
        value = max(-1.0, min(1.0, value + rng.choice([-0.7, -0.2, 0.0, 0.2, 0.7])))
        statements.append(
            {
                "id": statement_id,
                "actor_id": trump,
                "text": f"Statement {day}",
                "kind": "post",
                "said_at": said_at,
                "said_at_precision": "day",
                "created_at": now,
                "updated_at": now,
            }
        )
        positions.append(
            {
                "statement_id": statement_id,
                "topic_id": topic,
                "value": round(value, 2),
                "confidence": 0.9,
                "actor_id": trump,
                "said_at": said_at,
            }
        )
        mentions += [{"statement_id": statement_id, "actor_id": actor_id} for actor_id in mentioned]
    events, participants, tags = [], [], []
    for number in range(count // 5):
        begins = start + timedelta(days=number * 5 + 2)
        event_id = uuid.uuid4()
        events.append(
            {
                "id": event_id,
                "title": f"Event {number}",
                "kind": "meeting",
                "start_at": begins,
                "start_precision": "day",
                "ends_before": begins + timedelta(days=1),
                "sources": [],
                "created_at": now,
                "updated_at": now,
            }
        )
        participants.append({"event_id": event_id, "actor_id": trump, "role": "participant"})
        if number % 2:
            tags.append({"event_id": event_id, "topic_id": topic})
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(insert(Statement), statements)
        connection.execute(insert(StatementPosition), positions)
        connection.execute(insert(statement_mentions), mentions)
        connection.execute(insert(Event), events)
        connection.execute(insert(EventParticipant), participants)
        connection.execute(insert(event_topics), tags)
        connection.execute(text("ANALYZE"))
    engine.dispose()


def measure(client, url: str, repeat: int) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    timings = []
    size = 0
    for _ in range(repeat):
        began = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.get_json()
        size = len(response.data)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], size


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--statements", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    fresh_database(args.database_url)
    app = create_app(Settings(database_url=args.database_url))
    with app.app_context():
        load_story(get_session())
    fill(args.database_url, args.statements)
    client = app.test_client()
    topic = "ukraine-territorial-integrity"
    first_timeline = client.get("/api/v1/actors/donald-trump/timeline").get_json()
    deep = "/api/v1/actors/donald-trump/timeline?limit=50"
    cursor = None
    for _ in range(100):  # 5,000 items in
        page = client.get(deep + (f"&cursor={cursor}" if cursor else "")).get_json()
        cursor = page["next_cursor"]
    assert first_timeline["items"]
    endpoints = {
        "timeline, first page": "/api/v1/actors/donald-trump/timeline",
        "timeline, 5,000 items deep": f"{deep}&cursor={cursor}",
        "positions, first page": f"/api/v1/actors/donald-trump/positions?topic={topic}",
        "shifts, first page": f"/api/v1/actors/donald-trump/shifts?topic={topic}",
        "shifts, all topics": "/api/v1/actors/donald-trump/shifts",
        "stances as of a date": f"/api/v1/topics/{topic}/stances?at=2010-06-01",
        "alignment, two actors": f"/api/v1/topics/{topic}/alignment?actors=donald-trump,volodymyr-zelensky",
    }
    print(f"{args.statements} statements by one actor, {args.statements // 5} events; PostgreSQL; in-process")
    print(f"{'endpoint':32} {'median ms':>10} {'p95 ms':>8} {'bytes':>8}")
    for name, url in endpoints.items():
        median, p95, size = measure(client, url, args.repeat)
        print(f"{name:32} {median:10.1f} {p95:8.1f} {size:8}")


if __name__ == "__main__":
    main()
