"""Alembic environment: migrates the database named by DATABASE_URL (or the caller's URL)."""

from __future__ import annotations

from logging.config import fileConfig
from typing import Any

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection

from service.config import Settings
from service.data.base import Base
from service.data.engine import make_engine
from service.data.types import UTCDateTime
from service.resources import load_all_models

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

load_all_models()
target_metadata = Base.metadata
# The advisory lock every upgrade takes on PostgreSQL (any number no other lock of ours uses).
MIGRATION_LOCK = 7_346_825_310_442_871


def _database_url() -> str:
    return config.get_main_option("sqlalchemy.url") or Settings.from_environment().database_url


def run_migrations_offline() -> None:
    context.configure(
        url=_database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_database_url())
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    # Full-text search lives outside the models (migration 0006, service/data/search.py).
    if type_ == "table" and name is not None and "_fts" in name:
        return False
    return not (type_ == "column" and name == "search_vector")


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    # Migrations spell out plain SQLAlchemy types, so they never import the app's code.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _run(connection: Connection) -> None:
    if connection.dialect.name != "sqlite":
        _migrate(connection)
        return
    # SQLite alters a table by copying it and dropping the original; with foreign keys on, that
    # drop would cascade to the rows that refer to it. So: off while migrating (it only takes
    # effect outside a transaction, hence on the driver's connection), then check, then on.
    driver = connection.connection.dbapi_connection
    assert driver is not None
    driver.execute("PRAGMA foreign_keys = OFF")
    try:
        _migrate(connection)
        broken = driver.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"The migration left rows with broken references: {broken[:5]}")
    finally:
        driver.execute("PRAGMA foreign_keys = ON")


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_item=_render_item,
        include_name=_include_name,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Instances that start together migrate one at a time: the others wait here, then
            # find the schema at head. A transaction's lock, so it holds behind PgBouncer in
            # transaction mode too, and the commit releases it.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
