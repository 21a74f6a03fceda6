"""Prometheus metrics at /metrics: requests by route and status, latency, database pool use.

Under gunicorn, each worker writes its samples to PROMETHEUS_MULTIPROC_DIR (set up by
gunicorn.conf.py) and /metrics, answered by any worker, adds them all up.
"""

from __future__ import annotations

import os
import time

from flask import Flask, Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

from service.data.sessions import get_database

REQUESTS = Counter("stanceline_http_requests_total", "HTTP requests answered.", ["method", "route", "status"])
LATENCY = Histogram(
    "stanceline_http_request_duration_seconds",
    "Time to answer a request.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
POOL_IN_USE = Gauge(
    "stanceline_db_pool_connections_in_use",
    "Database connections checked out of the pool.",
    multiprocess_mode="livesum",
)
POOL_SIZE = Gauge(
    "stanceline_db_pool_connections_open",
    "Database connections the pool holds (in use or idle).",
    multiprocess_mode="livesum",
)


def _route() -> str:
    # The rule, not the URL: /api/v1/actors/<actor>, so ids do not make a series each.
    return request.url_rule.rule if request.url_rule is not None else "unmatched"


def _observe(response: Response) -> Response:
    started = g.get("metrics_started")
    if started is not None:
        route = _route()
        LATENCY.labels(request.method, route).observe(time.perf_counter() - started)
        REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        pool = get_database().engine.pool
        checked_out = getattr(pool, "checkedout", None)
        if checked_out is not None:
            POOL_IN_USE.set(checked_out())
            POOL_SIZE.set(checked_out() + pool.checkedin())  # type: ignore[attr-defined]
    return response


def _metrics() -> Response:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = REGISTRY
    return Response(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


def init_app(app: Flask) -> None:
    app.before_request(lambda: setattr(g, "metrics_started", time.perf_counter()))
    app.after_request(_observe)
    app.add_url_rule("/metrics", endpoint="metrics", view_func=_metrics)
