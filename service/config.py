"""Settings from the environment, in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULT_SQLITE_PATH = Path("var") / "stanceline.db"
# Only for local use: cursors are signed with it, so every worker must share it.
DEVELOPMENT_SECRET = "stanceline-development-secret-change-me"  # noqa: S105 - dev only
# STANCELINE_ENV: the image says production; a checkout, by default, is development.
ENVIRONMENTS = ("development", "production")
# DATABASE_POOLER: "transaction" when a PgBouncer in transaction mode stands before PostgreSQL.
POOLERS = ("none", "transaction")


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if not raw:
        return default
    return raw.strip().lower() in ("1", "true", "yes", "on")


def _list(name: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in os.environ.get(name, "").split(",") if item.strip())


def _normalise_database_url(url: str) -> str:
    # Operators paste plain postgres:// URLs; SQLAlchemy needs the psycopg 3 driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def replica_url_problem(url: str) -> str | None:
    """Why a DATABASE_REPLICA_URLS entry cannot be a PostgreSQL replica's URL, or None."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        return f"'{url}' is not a URL ({error})"
    if parts.scheme not in ("postgres", "postgresql", "postgresql+psycopg"):
        return f"'{url}' is not a postgresql:// URL"
    if not parts.hostname:
        return f"'{url}' names no host"
    if port == 0:
        return f"'{url}' names port 0"
    return None


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str = DEVELOPMENT_SECRET
    max_body_bytes: int = 1024 * 1024
    default_page_limit: int = 50
    max_page_limit: int = 200
    # Reads without a key; writes always need an editor key, key management an admin key.
    reads_open: bool = True
    # Limits in the `limits` notation, applied per client address and per API key.
    rate_limit_per_address: str = "600/minute"
    rate_limit_per_key: str = "1200/minute"
    # Shared limit counters for several instances; memory (per process) when unset.
    redis_url: str | None = None
    cors_origins: tuple[str, ...] = ()
    idempotency_hours: int = 24
    # PostgreSQL cancels any statement that runs longer (503 problem); 0 turns it off.
    statement_timeout_ms: int = 15000
    environment: str = "development"
    # Streaming replicas that may answer reads; the primary (database_url) answers the rest.
    database_replica_urls: tuple[str, ...] = ()
    database_replica_max_lag_seconds: float = 5.0
    database_pooler: str = "none"
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_environment(cls) -> Settings:
        database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}"
        return cls(
            database_url=_normalise_database_url(database_url),
            secret_key=os.environ.get("SECRET_KEY") or DEVELOPMENT_SECRET,
            max_body_bytes=_int("MAX_BODY_BYTES", 1024 * 1024),
            reads_open=_bool("READS_OPEN", True),
            rate_limit_per_address=os.environ.get("RATE_LIMIT_PER_ADDRESS") or "600/minute",
            rate_limit_per_key=os.environ.get("RATE_LIMIT_PER_KEY") or "1200/minute",
            redis_url=os.environ.get("REDIS_URL") or None,
            cors_origins=_list("CORS_ORIGINS"),
            idempotency_hours=_int("IDEMPOTENCY_HOURS", 24),
            statement_timeout_ms=_int("DATABASE_STATEMENT_TIMEOUT_MS", 15000),
            environment=os.environ.get("STANCELINE_ENV") or "development",
            database_replica_urls=tuple(
                _normalise_database_url(url) for url in _list("DATABASE_REPLICA_URLS")
            ),
            database_replica_max_lag_seconds=float(os.environ.get("DATABASE_REPLICA_MAX_LAG_SECONDS") or 5),
            database_pooler=os.environ.get("DATABASE_POOLER") or "none",
        )

    def refuse_to_start_unsafely(self) -> None:
        """Stop at start-up, saying what to set, rather than serve production with a secret
        anyone can read in this repository (it signs every cursor)."""
        if self.environment not in ENVIRONMENTS:
            raise SystemExit(f"STANCELINE_ENV is '{self.environment}': set it to development or production.")
        self._refuse_bad_database_settings()
        if self.environment == "production" and self.secret_key == DEVELOPMENT_SECRET:
            raise SystemExit(
                "SECRET_KEY is not set, and production will not start with the development value. "
                "Set SECRET_KEY to a long random value, the same for every instance, e.g. the output "
                "of: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )

    def _refuse_bad_database_settings(self) -> None:
        """A typo in a replica's URL or the pooler's mode stops the start, naming the entry,
        instead of surfacing later as reads that quietly all go to the primary."""
        if self.database_pooler not in POOLERS:
            raise SystemExit(f"DATABASE_POOLER is '{self.database_pooler}': set it to none or transaction.")
        problems = [problem for url in self.database_replica_urls if (problem := replica_url_problem(url))]
        if problems:
            raise SystemExit(
                "DATABASE_REPLICA_URLS has entries that are not PostgreSQL URLs: "
                + "; ".join(problems)
                + ". Give comma-separated postgresql://user@host:port/database URLs."
            )
        if self.database_replica_urls and self.database_url.startswith("sqlite"):
            raise SystemExit("DATABASE_REPLICA_URLS needs a PostgreSQL DATABASE_URL (the primary).")

    def flask_config(self) -> dict[str, Any]:
        return {
            "SECRET_KEY": self.secret_key,
            "MAX_CONTENT_LENGTH": self.max_body_bytes,
            "API_TITLE": "Stanceline API",
            "API_VERSION": "1.0.0",
            "OPENAPI_VERSION": "3.1.0",
            # Relative, so the document is right wherever the service is deployed.
            "API_SPEC_OPTIONS": {"servers": [{"url": "/", "description": "This service."}]},
            "OPENAPI_URL_PREFIX": "/",
            "OPENAPI_JSON_PATH": "openapi.json",
            "OPENAPI_SWAGGER_UI_PATH": "/docs/",
            "OPENAPI_SWAGGER_UI_URL": "/static/swagger-ui/",
            "OPENAPI_SWAGGER_UI_CONFIG": {"deepLinking": True, "tryItOutEnabled": False},
            "STANCELINE_REDIS_URL": self.redis_url,
            "OPENAPI_REDOC_PATH": "/redoc",
            "OPENAPI_REDOC_URL": "/static/redoc/redoc.standalone.js",
            **self.extra,
        }
