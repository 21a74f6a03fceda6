"""DATABASE_REPLICA_URLS and DATABASE_POOLER: a bad value stops the start, naming the entry."""

from __future__ import annotations

import pytest

from service.config import Settings

PRIMARY = "postgresql+psycopg://stanceline@127.0.0.1:5432/stanceline"


@pytest.mark.parametrize(
    ("entry", "said"),
    [
        ("mysql://db.example/stanceline", "is not a postgresql:// URL"),
        ("replica-1:5432", "is not a postgresql:// URL"),
        ("postgresql:///stanceline", "names no host"),
        ("postgresql://replica:notaport/stanceline", "is not a URL"),
        ("postgresql://replica:0/stanceline", "names port 0"),
    ],
)
def test_a_malformed_replica_url_stops_the_start_naming_it(entry: str, said: str) -> None:
    settings = Settings(database_url=PRIMARY, database_replica_urls=("postgresql://good:5432/s", entry))
    with pytest.raises(SystemExit) as stopped:
        settings.refuse_to_start_unsafely()
    assert said in str(stopped.value)
    assert entry in str(stopped.value)
    assert "good" not in str(stopped.value)


def test_replica_urls_are_read_from_the_environment_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://primary/s")
    monkeypatch.setenv("DATABASE_REPLICA_URLS", " postgres://r1:5433/s, ,postgresql://r2/s ")
    settings = Settings.from_environment()
    assert settings.database_replica_urls == ("postgresql+psycopg://r1:5433/s", "postgresql+psycopg://r2/s")
    settings.refuse_to_start_unsafely()


def test_replicas_need_a_postgresql_primary() -> None:
    settings = Settings(database_url="sqlite:///x.db", database_replica_urls=("postgresql://r1/s",))
    with pytest.raises(SystemExit, match="PostgreSQL DATABASE_URL"):
        settings.refuse_to_start_unsafely()


def test_an_unknown_pooler_mode_stops_the_start() -> None:
    with pytest.raises(SystemExit, match="DATABASE_POOLER is 'session'"):
        Settings(database_url=PRIMARY, database_pooler="session").refuse_to_start_unsafely()
