"""The migrations build the schema the models describe, and can be undone and redone."""

from __future__ import annotations

import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, insert, inspect, text

from service.data import migrate
from service.data.engine import make_engine
from tests.conftest import empty_database


def test_downgrade_to_base_and_upgrade_again(backend: str, tmp_path: Path) -> None:
    with empty_database(backend, tmp_path) as url:
        migrate.upgrade(url)
        config = migrate.alembic_config(url)
        head = ScriptDirectory.from_config(config).get_current_head()

        command.downgrade(config, "base")
        engine = make_engine(url)
        with engine.connect() as connection:
            assert set(inspect(connection).get_table_names()) <= {"alembic_version"}

        migrate.upgrade(url)
        with engine.connect() as connection:
            assert MigrationContext.configure(connection).get_current_revision() == head
            assert {"actors", "topics"} <= set(inspect(connection).get_table_names())
        engine.dispose()


def test_upgrading_a_database_with_data_keeps_every_row(backend: str, tmp_path: Path) -> None:
    """Altering `statements` (SQLite copies the table) must not cascade to the rows that refer to it."""
    with empty_database(backend, tmp_path) as url:
        migrate.upgrade(url, "0004")
        engine = make_engine(url)
        tables = MetaData()
        tables.reflect(engine)
        pg = backend == "postgresql"

        def key() -> Any:
            value = uuid.uuid4()
            return value if pg else value.hex

        now = datetime(2025, 9, 24, 8, tzinfo=UTC)
        actor, topic, statement = key(), key(), key()
        stamps = {"created_at": now, "updated_at": now}
        with engine.begin() as connection:
            connection.execute(
                insert(tables.tables["actors"]),
                {
                    "id": actor,
                    "slug": "x",
                    "name": "X",
                    "kind": "person",
                    "aliases": [],
                    "links": [],
                    "search_text": "x",
                    **stamps,
                },
            )
            connection.execute(
                insert(tables.tables["topics"]),
                {
                    "id": topic,
                    "slug": "t",
                    "name": "T",
                    "negative_pole": "n",
                    "positive_pole": "p",
                    "search_text": "t",
                    **stamps,
                },
            )
            connection.execute(
                insert(tables.tables["statements"]),
                {
                    "id": statement,
                    "actor_id": actor,
                    "text": "hi",
                    "kind": "quote",
                    "said_at": now,
                    "said_at_precision": "day",
                    **stamps,
                },
            )
            connection.execute(
                insert(tables.tables["statement_positions"]),
                {
                    "statement_id": statement,
                    "topic_id": topic,
                    "value": 0.5,
                    "confidence": 1.0,
                    "actor_id": actor,
                    "said_at": now,
                },
            )
            connection.execute(
                insert(tables.tables["statement_mentions"]), {"statement_id": statement, "actor_id": actor}
            )

        migrate.upgrade(url)

        with engine.connect() as connection:
            for table in ("statements", "statement_positions", "statement_mentions"):
                assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 1, table
        engine.dispose()


_UPGRADE_LOGGING = (
    "import logging, sys; logging.basicConfig(level=logging.INFO, stream=sys.stdout, format='%(message)s'); "
    "from service.data import migrate; migrate.upgrade(sys.argv[1])"
)


@pytest.mark.postgresql_only("instances that start together share a PostgreSQL; an embedded SQLite has one")
def test_instances_that_start_together_migrate_once(backend: str, tmp_path: Path) -> None:
    """Three instances upgrade one empty database at once: each succeeds, and each migration runs once."""
    with empty_database(backend, tmp_path) as url:
        upgrades = [
            subprocess.Popen(
                [sys.executable, "-c", _UPGRADE_LOGGING, url],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
            for _ in range(3)
        ]
        outputs = [upgrade.communicate(timeout=120)[0].decode() for upgrade in upgrades]
        assert [upgrade.returncode for upgrade in upgrades] == [0, 0, 0], "\n".join(outputs)

        head = ScriptDirectory.from_config(migrate.alembic_config(url))
        revisions = [revision.revision for revision in head.walk_revisions()]
        ran = [
            line for output in outputs for line in output.splitlines() if line.startswith("Running upgrade")
        ]
        assert sorted(line.split("-> ")[1].split(",")[0] for line in ran) == sorted(revisions)
        engine = make_engine(url)
        with engine.connect() as connection:
            assert MigrationContext.configure(connection).get_current_revision() == head.get_current_head()
        engine.dispose()
