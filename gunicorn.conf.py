"""gunicorn settings, from the environment (docs/operations.md lists them).

The app is not preloaded: each worker makes the app, and with it its own database pool,
after the fork, so no connection is ever shared between processes.
"""

import gc
import multiprocessing
import os
import shutil
import signal
import tempfile
from typing import Any

bind = os.environ.get("STANCELINE_BIND", "127.0.0.1:8000")
# gunicorn's own advice: two workers a core, plus one.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
# A worker silent for this long is killed and replaced; requests are bounded well below it
# by the database statement timeout.
timeout = int(os.environ.get("STANCELINE_TIMEOUT", "30"))
# On SIGTERM, workers finish the requests they are serving for up to this long.
graceful_timeout = int(os.environ.get("STANCELINE_GRACEFUL_TIMEOUT", "20"))
keepalive = int(os.environ.get("STANCELINE_KEEPALIVE", "5"))
preload_app = False
# gunicorn's largest request line (its default, 4,094 bytes, answers longer URLs itself, in
# HTML): the app answers URLs over 8,000 bytes with a 414 problem+json of its own.
limit_request_line = 8190
# No control socket (gunicornc): every server on a host would share its default path, and a
# second one starting would take it from the first.
control_socket_disable = True

accesslog = "-"
errorlog = "-"
# One JSON object a line, like the app's own logs; the request id is the response's.
access_log_format = (
    '{"time": "%(t)s", "level": "INFO", "logger": "gunicorn.access", "method": "%(m)s", '
    '"path": "%(U)s", "query": "%(q)s", "status": %(s)s, "bytes": "%(B)s", "duration_us": %(D)s, '
    '"remote": "%(h)s", "user_agent": "%(a)s", "request_id": "%({x-request-id}o)s"}'
)
logconfig_dict: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "access": {"format": "%(message)s"},
    },
    "handlers": {
        "error": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
        "access": {"class": "logging.StreamHandler", "formatter": "access", "stream": "ext://sys.stdout"},
    },
    # gunicorn merges this over its defaults one key deep, so the root logger is said again:
    # without a handler here, as the app adds its own (JSON with the request id) in each worker.
    "root": {"level": "INFO", "handlers": []},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
    },
}


def on_starting(server: Any) -> None:
    """Give the workers a fresh folder for their Prometheus samples (summed at /metrics)."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder, exist_ok=True)
    else:
        folder = tempfile.mkdtemp(prefix="stanceline-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
        server.stanceline_metrics_folder = folder


def on_exit(server: Any) -> None:
    """Remove the samples folder if it was made here (an operator's own is left alone)."""
    folder = getattr(server, "stanceline_metrics_folder", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def child_exit(server: Any, worker: Any) -> None:
    """A worker that is gone no longer counts in the live gauges."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker: Any) -> None:
    """On SIGTERM a worker stops listening at once, then finishes the request in hand.

    The master closes its copy of the listening socket, but each worker holds one too until
    it exits: without this, new connections would queue behind a worker that is leaving and
    be reset later, instead of being refused cleanly now.
    """

    def stop_listening_then_exit(signum: int, frame: Any) -> None:
        for listener in worker.sockets:
            listener.close()
        worker.handle_exit(signum, frame)

    signal.signal(signal.SIGTERM, stop_listening_then_exit)
    signal.siginterrupt(signal.SIGTERM, False)  # as gunicorn has it: do not disturb the request

    # The app's modules, schemas and mappings are hundreds of thousands of objects that live as
    # long as the worker. Left to the collector, every full collection walks them all: a pause
    # of tens of milliseconds in some request (bench/README.md). Frozen, collections skip them.
    gc.collect()
    gc.freeze()
