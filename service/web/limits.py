"""Request rate limits (Flask-Limiter) and CORS, from the settings."""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, g, has_app_context, request
from flask_cors import CORS
from flask_limiter import ApplicationLimit, HeaderNames, Limiter
from flask_limiter.util import get_remote_address
from limits.storage import RedisStorage

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
    "RateLimit",
    "RateLimit-Policy",
    "Idempotent-Replayed",
]


# Seconds to wait for Redis to take a connection, and for each answer.
REDIS_TIMEOUTS: dict[str, str | int] = {"socket_connect_timeout": 1, "socket_timeout": 1}


# limits' acquire_sliding_window.lua, that also answers the window it counted in. Milliseconds.
_ACQUIRE_AND_READ_SLIDING_WINDOW = """
local limit = tonumber(ARGV[1])
local expiry = tonumber(ARGV[2]) * 1000
local amount = tonumber(ARGV[3])

local current_ttl = tonumber(redis.call('pttl', KEYS[2]))
if current_ttl > 0 and current_ttl < expiry then
    -- the current window has ended: it becomes the previous one
    redis.call('rename', KEYS[2], KEYS[1])
    redis.call('set', KEYS[2], 0, 'PX', current_ttl + expiry)
end

local previous_count = tonumber(redis.call('get', KEYS[1])) or 0
local previous_ttl = math.max(tonumber(redis.call('pttl', KEYS[1])), 0)
local current_count = tonumber(redis.call('get', KEYS[2])) or 0
current_ttl = math.max(tonumber(redis.call('pttl', KEYS[2])), 0)
local weighted_count = math.floor(previous_count * previous_ttl / expiry) + current_count

if amount > limit or weighted_count + amount > limit then
    return {0, previous_count, previous_ttl, current_count, current_ttl}
end
if redis.call('exists', KEYS[2]) == 1 then
    current_count = redis.call('incrby', KEYS[2], amount)
else
    redis.call('set', KEYS[2], amount, 'PX', expiry * 2)
    -- as a read a moment later sees it: at exactly two windows, limits would say it resets now
    current_count, current_ttl = amount, expiry * 2 - 1
end
return {1, previous_count, previous_ttl, current_count, current_ttl}
"""


# Our storage's schemes: limits' own for Redis, prefixed.
_SCHEME_PREFIX = "stanceline+"


class OneTripRedisStorage(RedisStorage):
    """limits' Redis storage, taking one round trip a request where it takes two.

    Flask-Limiter counts a request (one script) and then reads the window back for the
    `X-RateLimit-*` headers (another). Here the counting script answers the window it counted
    in, and the read that follows in the same request is answered from it (its saving is in
    bench/README.md). Keys and their values are limits' own, so instances of either kind share
    one budget.
    """

    STORAGE_SCHEME = [_SCHEME_PREFIX + scheme for scheme in RedisStorage.STORAGE_SCHEME]

    def __init__(self, uri: str, **options: Any) -> None:
        super().__init__(uri.removeprefix(_SCHEME_PREFIX), **options)

    def initialize_storage(self, uri: str) -> None:
        super().initialize_storage(uri)
        self._acquire_and_read = self.get_connection().register_script(
            _ACQUIRE_AND_READ_SLIDING_WINDOW.encode()
        )

    def acquire_sliding_window_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        previous_key = self.prefixed_key(self._previous_window_key(key))
        current_key = self.prefixed_key(self._current_window_key(key))
        acquired, previous_count, previous_ttl, current_count, current_ttl = self._acquire_and_read(
            [previous_key, current_key], [limit, expiry, amount]
        )
        if has_app_context():  # kept for this request only: its next read is of this count
            g.setdefault("rate_limit_windows", {})[key] = (
                int(previous_count),
                previous_ttl / 1000,
                int(current_count),
                current_ttl / 1000,
            )
        return bool(acquired)

    def get_sliding_window(self, key: str, expiry: int) -> tuple[int, float, int, float]:
        counted: dict[str, tuple[int, float, int, float]] = (
            g.get("rate_limit_windows", {}) if has_app_context() else {}
        )
        if key in counted:
            return counted.pop(key)
        return super().get_sliding_window(key, expiry)


def _storage_uri(redis_url: str | None) -> str:
    return _SCHEME_PREFIX + redis_url if redis_url else "memory://"


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


def ietf_headers(limiter: Limiter) -> Callable[[Response], Response]:
    """The IETF RateLimit and RateLimit-Policy fields (draft-ietf-httpapi-ratelimit-headers, as
    structured fields) for the limit X-RateLimit-* reports: its quota `q` and window `w` in
    seconds, the requests `r` left and the seconds `t` until the window frees them."""

    def add(response: Response) -> Response:
        remaining = response.headers.get("X-RateLimit-Remaining")
        reset = response.headers.get("X-RateLimit-Reset")
        current = limiter.current_limit
        if current is None or remaining is None or reset is None:
            return response
        name = "key" if "/key:" in current.key else "address"
        window = current.limit.get_expiry()
        seconds_left = max(0, min(window, math.ceil(float(reset) - time.time())))
        response.headers["RateLimit-Policy"] = f'"{name}";q={current.limit.amount};w={window}'
        response.headers["RateLimit"] = f'"{name}";r={max(0, int(remaining))};t={seconds_left}'
        return response

    return add


def init_app(app: Flask, settings: Settings) -> Limiter:
    """Register before authentication, so that failed attempts are counted too."""
    # Registered before the limiter's, so that these run after it has written its headers.
    app.after_request(_retry_after_on_429_only)
    ietf: list[Callable[[Response], Response]] = []
    app.after_request(lambda response: ietf[0](response) if ietf else response)
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
        storage_uri=_storage_uri(settings.redis_url),
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
    ietf.append(ietf_headers(limiter))
    _allow_cors(app, settings)
    return limiter


def _allow_cors(app: Flask, settings: Settings) -> None:
    CORS(
        app,
        resources={r"/api/*": {"origins": list(settings.cors_origins)}, r"/openapi.json": {"origins": "*"}},
        expose_headers=EXPOSED_HEADERS,
        allow_headers=["Authorization", "Content-Type", "If-Match", "If-None-Match", "Idempotency-Key"],
        methods=["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
        max_age=600,
    )
