"""What PostgreSQL alone takes to store imported statements: the floor under any import.

    .venv/bin/python bench/import_floor.py [--database-url URL] [--statements 20000]

Reads that many statements of a filled database (bench/generate.py) with their positions,
mentions and revisions, gives them new ids as the service makes them (`service.data.base.new_id`), and
writes them again with COPY, as an import batch does, in one transaction that is then rolled
back (the database is left as it was). Python's work is done before the clock starts, so the
figures are the database's own: the search vector, every index, the foreign keys and the
revisions' JSON. It prints statements per second and the CPU time of the database's backend
per statement.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import psycopg
from cpu import process_cpu_seconds
from sqlalchemy.engine import make_url

from service.data.base import new_id

STATEMENT_COLUMNS = [
    "id",
    "actor_id",
    "text",
    "kind",
    "said_at",
    "said_at_precision",
    "language",
    "source_url",
    "source_title",
    "source_publisher",
    "source_author",
    "source_published_at",
    "reposted_from_name",
    "reposted_from_handle",
    "reposted_from_url",
    "event_id",
    "created_at",
    "updated_at",
    "article_id",
    "article_span_start",
    "article_span_end",
]
POSITION_COLUMNS = ["statement_id", "topic_id", "value", "confidence", "actor_id", "said_at"]
MENTION_COLUMNS = ["statement_id", "actor_id"]
REVISION_COLUMNS = [
    "number",
    "resource",
    "record_id",
    "action",
    "recorded_at",
    "api_key_id",
    "before",
    "after",
]


def read_rows(connection: psycopg.Connection[Any], count: int) -> dict[str, list[list[Any]]]:
    """`count` statements and what goes with them, as rows under new ids."""
    statements = connection.execute(
        f"SELECT {', '.join(STATEMENT_COLUMNS)} FROM statements ORDER BY said_at DESC LIMIT %s", [count]
    ).fetchall()
    new_ids = {row[0]: new_id() for row in statements}
    old_ids = list(new_ids)
    positions = connection.execute(
        f"SELECT {', '.join(POSITION_COLUMNS)} FROM statement_positions WHERE statement_id = ANY(%s)",
        [old_ids],
    ).fetchall()
    mentions = connection.execute(
        f"SELECT {', '.join(MENTION_COLUMNS)} FROM statement_mentions WHERE statement_id = ANY(%s)", [old_ids]
    ).fetchall()
    revisions = connection.execute(
        "SELECT DISTINCT ON (record_id) record_id, after::text FROM revisions "
        "WHERE resource = 'statement' AND record_id = ANY(%s) ORDER BY record_id, number",
        [old_ids],
    ).fetchall()
    (last_number,) = connection.execute("SELECT coalesce(max(number), 0) FROM revisions").fetchone()  # type: ignore[misc]
    recorded_at = statements[0][16]
    no_key = (None, None)  # api_key_id, before
    return {
        "statements": [[new_ids[row[0]], *row[1:]] for row in statements],
        "statement_positions": [[new_ids[row[0]], *row[1:]] for row in positions],
        "statement_mentions": [[new_ids[row[0]], *row[1:]] for row in mentions],
        "revisions": [
            [last_number + 1 + offset, "statement", new_ids[record_id], "create", recorded_at, *no_key, after]
            for offset, (record_id, after) in enumerate(revisions)
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/stanceline_bench")
    parser.add_argument("--statements", type=int, default=20_000)
    args = parser.parse_args()
    columns = {
        "statements": STATEMENT_COLUMNS,
        "statement_positions": POSITION_COLUMNS,
        "statement_mentions": MENTION_COLUMNS,
        "revisions": REVISION_COLUMNS,
    }
    # Either spelling, as the other scripts take: SQLAlchemy's (postgresql+psycopg://) or libpq's.
    plain = make_url(args.database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain) as connection:
        rows = read_rows(connection, args.statements)
        backend = connection.info.backend_pid
        cpu_by_table: dict[str, float] = {}
        started = time.perf_counter()
        for table, table_rows in rows.items():  # parents first, as an import batch writes them
            cpu_before = process_cpu_seconds(backend)
            with connection.cursor().copy(f"COPY {table} ({', '.join(columns[table])}) FROM STDIN") as copy:
                for row in table_rows:
                    copy.write_row(row)
            cpu_by_table[table] = process_cpu_seconds(backend) - cpu_before
        elapsed = time.perf_counter() - started
        connection.rollback()
    count = len(rows["statements"])
    cpu = sum(cpu_by_table.values())
    print(
        f"{count:,} statements ({len(rows['statement_positions']):,} positions, "
        f"{len(rows['statement_mentions']):,} mentions, {len(rows['revisions']):,} revisions) "
        f"in {elapsed:.2f} s: "
        f"{count / elapsed:,.0f} statements/s; database backend CPU {cpu / count * 1e6:.0f} µs a statement"
    )
    for table, seconds in cpu_by_table.items():
        print(f"  {table:20} {seconds / count * 1e6:5.0f} µs a statement")


if __name__ == "__main__":
    main()
