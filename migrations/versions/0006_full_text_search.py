"""full-text search: tsvector + GIN on PostgreSQL, FTS5 tables kept by triggers on SQLite

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25

Written by hand: neither is in the models (service/data/search.py queries them by name), and env.py
leaves them out of autogenerate. On SQLite, a later migration that copies `statements` or
`events` (batch mode) drops their triggers: such a migration must run `_sqlite_search()` again.
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# BCP 47 primary language -> PostgreSQL text search configuration (others: 'simple').
CONFIGS = {
    'da': 'danish', 'de': 'german', 'en': 'english', 'es': 'spanish', 'fi': 'finnish',
    'fr': 'french', 'hu': 'hungarian', 'it': 'italian', 'nl': 'dutch', 'no': 'norwegian',
    'pt': 'portuguese', 'ro': 'romanian', 'ru': 'russian', 'sv': 'swedish', 'tr': 'turkish',
}
SEARCHED = {
    'statements': ("coalesce(text, '') || ' ' || coalesce(source_title, '')", ('text', 'source_title')),
    'events': ("coalesce(title, '') || ' ' || coalesce(description, '')", ('title', 'description')),
}


def _config(language_column: str | None) -> str:
    if language_column is None:
        return "'english'::regconfig"
    cases = ' '.join(f"WHEN '{tag}' THEN '{name}'::regconfig" for tag, name in CONFIGS.items())
    return f"CASE lower(split_part(coalesce({language_column}, ''), '-', 1)) {cases} ELSE 'simple'::regconfig END"


def _postgresql_search() -> None:
    for table, (document, _) in SEARCHED.items():
        config = _config('language' if table == 'statements' else None)
        op.execute(
            f'ALTER TABLE {table} ADD COLUMN search_vector tsvector '
            f'GENERATED ALWAYS AS (to_tsvector({config}, {document})) STORED'
        )
        op.execute(f'CREATE INDEX ix_{table}_search_vector ON {table} USING gin (search_vector)')


def _sqlite_search() -> None:
    for table, (_, columns) in SEARCHED.items():
        listed = ', '.join(columns)
        new_values = ', '.join(f'new.{column}' for column in columns)
        op.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {table}_fts USING fts5("
            f"id UNINDEXED, {listed}, tokenize='porter unicode61 remove_diacritics 2')"
        )
        op.execute(f'DELETE FROM {table}_fts')
        op.execute(f'INSERT INTO {table}_fts (id, {listed}) SELECT id, {listed} FROM {table}')
        op.execute(
            f'CREATE TRIGGER IF NOT EXISTS {table}_fts_insert AFTER INSERT ON {table} BEGIN '
            f'INSERT INTO {table}_fts (id, {listed}) VALUES (new.id, {new_values}); END'
        )
        op.execute(
            f'CREATE TRIGGER IF NOT EXISTS {table}_fts_delete AFTER DELETE ON {table} BEGIN '
            f'DELETE FROM {table}_fts WHERE id = old.id; END'
        )
        op.execute(
            f'CREATE TRIGGER IF NOT EXISTS {table}_fts_update AFTER UPDATE ON {table} BEGIN '
            f'DELETE FROM {table}_fts WHERE id = old.id; '
            f'INSERT INTO {table}_fts (id, {listed}) VALUES (new.id, {new_values}); END'
        )


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        _postgresql_search()
    else:
        _sqlite_search()


def downgrade() -> None:
    for table in SEARCHED:
        if op.get_bind().dialect.name == 'postgresql':
            op.execute(f'DROP INDEX IF EXISTS ix_{table}_search_vector')
            op.execute(f'ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector')
        else:
            for event in ('insert', 'delete', 'update'):
                op.execute(f'DROP TRIGGER IF EXISTS {table}_fts_{event}')
            op.execute(f'DROP TABLE IF EXISTS {table}_fts')
