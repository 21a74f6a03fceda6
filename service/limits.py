"""Request rate limits (Flask-Limiter) and CORS, from the settings."""

from __future__ import annotations

import hashlib

from flask import Flask, Response, request
from flask_cors import CORS
from flask_limiter import ApplicationLimit, HeaderNames, Limiter
from flask_limiter.util import get_remote_address

from service.config import Settings

EXPOSED_HEADERS = [
    "ETag",
    "Link",
    "Location",
    "Retry-After",
    "X-Request-ID",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
    "Idempotent-Replayed",
]


# Seconds to wait for Redis to take a connection, and for each answer.
REDIS_TIMEOUTS: dict[str, str | int] = {"socket_connect_timeout": 1, "socket_timeout": 1}


def _presented_key() -> str | None:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else None


def _api_key_identity() -> str:
    """The key presented, by digest: unknown keys use up a budget too."""
    return "key:" + hashlib.sha256((_presented_key() or "").encode()).hexdigest()[:32]


def _is_exempt() -> bool:
    # Health probes and the documentation pages are not rationed.
    return not request.path.startswith("/api/")


def _no_key_or_exempt() -> bool:
    return _is_exempt() or _presented_key() is None


# Flask-Limiter puts Retry-After on every answer, and over a 503's own; keep it for 429s only.
_LIMITER_RETRY_AFTER = "X-RateLimit-Retry-After"


def _retry_after_on_429_only(response: Response) -> Response:
    retry_after = response.headers.pop(_LIMITER_RETRY_AFTER, None)
    if response.status_code == 429 and retry_after is not None:
        response.headers["Retry-After"] = retry_after
    return response


def init_app(app: Flask, settings: Settings) -> Limiter:
    """Register before authentication, so that failed attempts are counted too."""
    app.after_request(_retry_after_on_429_only)  # registered first, so it runs after the limiter's
    limiter = Limiter(
        get_remote_address,
        app=app,
        # One budget across all routes, not one per route.
        application_limits=[
            ApplicationLimit(
                settings.rate_limit_per_address, key_function=get_remote_address, exempt_when=_is_exempt
            ),
            ApplicationLimit(
                settings.rate_limit_per_key, key_function=_api_key_identity, exempt_when=_no_key_or_exempt
            ),
        ],
        storage_uri=settings.redis_url or "memory://",
        # A Redis that stops answering is given up on like one that is down, instead of holding
        # each request until the worker is killed. It answers in well under a millisecond.
        storage_options=REDIS_TIMEOUTS if settings.redis_url else {},
        # Redis down: count in this process's memory meanwhile, and never fail a request for it.
        in_memory_fallback_enabled=True,
        swallow_errors=True,
        headers_enabled=True,
        header_name_mapping={HeaderNames.RETRY_AFTER: _LIMITER_RETRY_AFTER},
        key_prefix="stanceline",
        # A sliding window: no double budget across a window's edge, and two Redis round trips
        # a request (take, then read for the headers) where a fixed window takes three.
        strategy="sliding-window-counter",
    )
    CORS(
        app,
        resources={r"/api/*": {"origins": list(settings.cors_origins)}, r"/openapi.json": {"origins": "*"}},
        expose_headers=EXPOSED_HEADERS,
        allow_headers=["Authorization", "Content-Type", "If-Match", "If-None-Match", "Idempotency-Key"],
        methods=["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
        max_age=600,
    )
    return limiter
