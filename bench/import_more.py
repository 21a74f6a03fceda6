"""Import more statements into a filled database through the service's import, then take them out.

    .venv/bin/python bench/import_more.py [--database-url URL] [--statements 20000] [--recent]

generate.py measures an import into a database that grows from empty; this measures one into a
database that is already full (bench/generate.py's million), as a client's next import is. It
writes that many statements as generate.py makes them (random actors, said over ten years, or,
with `--recent`, one a minute up to now), imports them with `import_lines` (the function behind
`POST /api/v1/import`), and prints statements a second with the CPU time of the import's own
process and of PostgreSQL's processes, each a statement. Then it deletes what it wrote (the
statements, with their positions and mentions, and their revisions) and vacuums those tables,
so the database is left as generate.py made it and runs can be repeated.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from cpu import command_cpu_seconds
from generate import statement_lines, write
from sqlalchemy.engine import make_url

from service.app import create_app
from service.config import Settings
from service.data.sessions import get_database
from service.resources.bulk.service import import_lines


def said_recently(lines: Any, count: int) -> Any:
    """The same lines, said one a minute, the last one now."""
    now = datetime.now(UTC)
    for number, line in enumerate(lines):
        line["said_at"] = (now - timedelta(minutes=count - number)).isoformat()
        yield line


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/stanceline_bench"
    )
    parser.add_argument("--statements", type=int, default=20_000)
    parser.add_argument("--recent", action="store_true", help="said in the last days, not over ten years")
    parser.add_argument("--actors", type=int, default=10_000, help="as generate.py filled the database")
    parser.add_argument("--topics", type=int, default=50)
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args()
    url = make_url(args.database_url).set(drivername="postgresql+psycopg").render_as_string(False)
    plain = make_url(args.database_url).set(drivername="postgresql").render_as_string(False)
    count = args.statements

    with psycopg.connect(plain) as connection:
        last_revision, started_at = connection.execute(
            "SELECT coalesce(max(number), 0), now() FROM revisions"
        ).fetchone()  # type: ignore[misc]
    lines = statement_lines(random.Random(), count, 0, args.actors, args.topics, args.events)
    app = create_app(Settings(database_url=url))
    try:
        with tempfile.TemporaryDirectory() as directory, app.app_context():
            path = Path(directory) / "statements.ndjson"
            write(path, said_recently(lines, count) if args.recent else lines)
            started, own_cpu = time.perf_counter(), time.process_time()
            database_cpu = command_cpu_seconds("postgres")
            with path.open("rb") as file:
                report = import_lines(get_database(), file, "all", keep_accepted=False)
            seconds = time.perf_counter() - started
            own_cpu = time.process_time() - own_cpu
            database_cpu = command_cpu_seconds("postgres") - database_cpu
            if not report.written:
                raise SystemExit(f"{report.failed} line(s) refused, e.g. {report.results[:3]}")
    finally:
        with psycopg.connect(plain, autocommit=True) as connection:
            connection.execute("DELETE FROM statements WHERE created_at >= %s", [started_at])
            connection.execute("DELETE FROM revisions WHERE number > %s", [last_revision])
            connection.execute("VACUUM statements, statement_positions, statement_mentions, revisions")
    print(
        f"{count:,} statements in {seconds:.1f} s = {count / seconds:,.0f} statements/s; "
        f"the import's process CPU {own_cpu / count * 1e6:.0f} µs a statement "
        f"(busy {own_cpu / seconds:.0%} of the time), "
        f"PostgreSQL's {database_cpu / count * 1e6:.0f} µs"
    )


if __name__ == "__main__":
    main()
