"""The migrations build the schema the models describe, and can be undone and redone."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from service import migrate
from service.db import make_engine
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
