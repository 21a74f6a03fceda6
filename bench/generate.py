"""Fill a PostgreSQL database for the benchmark, through the service's own bulk import.

    .venv/bin/python bench/generate.py [--database-url URL] [--statements 1000000] ...

Drops and makes the database again by the migrations, writes NDJSON files of actors, topics,
events and statements (random but seeded, so every run builds the same data), imports each
with `import_lines`, the function behind `POST /api/v1/import` and `flask import`, and prints
the lines per second of each. One actor, `busy-actor`, says `--busy` statements (10,000 by
default), one a day, with a position on `topic-000` that swings between the poles, so its
shifts are many. The others share the rest at random. Texts are drawn from a small vocabulary of
political words, found in many rows, and two of 8,000 rare words, found in few, as in real text.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import psycopg
from sqlalchemy.engine import make_url

from service.app import create_app
from service.config import Settings
from service.data import migrate
from service.data.sessions import get_database
from service.resources.bulk.service import import_lines

WORDS = [
    "ukraine",
    "russia",
    "territory",
    "ceasefire",
    "sanctions",
    "peace",
    "talks",
    "summit",
    "border",
    "army",
    "strike",
    "drone",
    "missile",
    "energy",
    "grid",
    "winter",
    "aid",
    "weapons",
    "support",
    "europe",
    "union",
    "alliance",
    "security",
    "guarantee",
    "negotiation",
    "deal",
    "victory",
    "defeat",
    "occupation",
    "independence",
    "sovereignty",
    "election",
    "parliament",
    "president",
    "minister",
    "trade",
    "tariff",
    "oil",
    "gas",
    "pipeline",
    "refugees",
    "humanitarian",
    "corridor",
    "front",
    "line",
    "offensive",
    "defence",
    "air",
    "defence",
    "agreement",
    "treaty",
    "withdrawal",
    "annexation",
    "referendum",
    "crimea",
    "donbas",
]
# Words as rare as most words of real text: 8,000 made of three syllables, two a statement, so
# each is in about 250 statements of a million ("kalomi" is one; bench/run.py searches it).
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ru",
    "sa",
    "ti",
    "vo",
    "ze",
    "pa",
    "do",
    "fu",
    "gi",
    "ha",
    "ju",
    "be",
    "ce",
    "xo",
    "wy",
    "qi",
]
RARE_WORDS = [first + second + third for first in SYLLABLES for second in SYLLABLES for third in SYLLABLES]
START = datetime(2015, 1, 1, tzinfo=UTC)
KINDS = ("quote", "paraphrase", "post", "repost", "speech", "interview")
EVENT_KINDS = ("summit", "meeting", "speech", "attack", "agreement", "sanction", "vote", "protest")


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def actor_lines(count: int) -> Iterator[dict[str, Any]]:
    yield {"type": "actor", "slug": "busy-actor", "name": "Busy Actor", "kind": "person"}
    for number in range(1, count):
        kind = ("person", "state", "organization", "group", "media")[number % 5]
        yield {"type": "actor", "slug": f"actor-{number:05}", "name": f"Actor {number:05}", "kind": kind}


def topic_lines(count: int) -> Iterator[dict[str, Any]]:
    for number in range(count):
        yield {
            "type": "topic",
            "slug": f"topic-{number:03}",
            "name": f"Topic {number:03}",
            "negative_pole": "Against",
            "positive_pole": "For",
        }


def event_lines(rng: random.Random, count: int, actors: int, topics: int) -> Iterator[dict[str, Any]]:
    for number in range(count):
        start = START + timedelta(minutes=rng.randrange(10 * 365 * 24 * 60))
        participants = rng.sample(range(1, actors), 2)
        host = "busy-actor" if number % 10 == 0 else f"actor-{participants[0]:05}"
        yield {
            "type": "event",
            "id": str(uuid.UUID(int=number + 1)),
            "title": _sentence(rng, 4),
            "kind": rng.choice(EVENT_KINDS),
            "description": _sentence(rng, 20),
            "start": start.date().isoformat(),
            "participants": [
                {"actor": host, "role": "host"},
                {"actor": f"actor-{participants[1]:05}", "role": "participant"},
            ],
            "topics": [f"topic-{rng.randrange(topics):03}"],
        }


def statement_lines(
    rng: random.Random, count: int, busy: int, actors: int, topics: int, events: int
) -> Iterator[dict[str, Any]]:
    for number in range(count):
        if number < busy:
            actor = "busy-actor"
            said = START + timedelta(days=number % 3650, minutes=number // 3650)
            # A stance that swings: runs of days on one side, then on the other.
            value = round((1 if (number // 40) % 2 else -1) * rng.uniform(0.4, 1.0), 2)
            positions = [{"topic": "topic-000", "value": value, "confidence": 0.9}]
        else:
            actor = f"actor-{rng.randrange(1, actors):05}"
            said = START + timedelta(minutes=rng.randrange(10 * 365 * 24 * 60))
            chosen = rng.sample(range(topics), rng.randint(1, 2))
            positions = [
                {"topic": f"topic-{topic:03}", "value": round(rng.uniform(-1, 1), 2), "confidence": 0.8}
                for topic in chosen
            ]
        yield {
            "type": "statement",
            "actor": actor,
            "text": f"{_sentence(rng, rng.randint(12, 40))} {' '.join(rng.sample(RARE_WORDS, 2))}.",
            "kind": rng.choice(KINDS),
            "said_at": said.isoformat(),
            "language": "en",
            "source": {"url": f"https://example.org/posts/{number}", "publisher": "Example Wire"},
            "event": str(uuid.UUID(int=rng.randrange(events) + 1)) if number % 10 == 0 else None,
            "positions": positions,
            "mentions": [f"actor-{rng.randrange(1, actors):05}" for _ in range(rng.randint(0, 3))],
        }


def write(path: Path, lines: Iterator[dict[str, Any]]) -> int:
    count = 0
    with path.open("wb") as file:
        for line in lines:
            file.write(orjson.dumps(line) + b"\n")
            count += 1
    return count


def recreate(database_url: str) -> None:
    url = make_url(database_url)
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{url.database}"')
        # Storage where a random read costs about what a sequential one does (SSD, or data in
        # memory), as docker-compose.yml runs PostgreSQL: the service and the baseline share it.
        connection.execute(f'ALTER DATABASE "{url.database}" SET random_page_cost = 1.1')
    migrate.upgrade(database_url)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/stanceline_bench"
    )
    parser.add_argument("--actors", type=int, default=10_000)
    parser.add_argument("--topics", type=int, default=50)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--busy", type=int, default=10_000, help="statements of busy-actor")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    recreate(args.database_url)
    app = create_app(Settings(database_url=args.database_url))
    with tempfile.TemporaryDirectory() as directory, app.app_context():
        folder = Path(directory)
        files = [
            ("actors", actor_lines(args.actors)),
            ("topics", topic_lines(args.topics)),
            ("events", event_lines(rng, args.events, args.actors, args.topics)),
            (
                "statements",
                statement_lines(rng, args.statements, args.busy, args.actors, args.topics, args.events),
            ),
        ]
        for name, lines in files:
            path = folder / f"{name}.ndjson"
            count = write(path, lines)
            started = time.perf_counter()
            with path.open("rb") as file:
                report = import_lines(get_database(), file, "all", keep_accepted=False)
            seconds = time.perf_counter() - started
            if not report.written:
                raise SystemExit(f"{name}: {report.failed} line(s) refused, e.g. {report.results[:3]}")
            print(f"{name:>10}: {count:>9,} lines in {seconds:7.1f} s = {count / seconds:>9,.0f} lines/s")
    plain_url = make_url(args.database_url).set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(plain_url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


if __name__ == "__main__":
    main()
