"""JSON logs, one object a line, each with the request id of the request it belongs to."""

from __future__ import annotations

import logging
import sys

from flask import g, has_request_context
from pythonjsonlogger.json import JsonFormatter

LOG_FIELDS = ["asctime", "levelname", "name", "message"]
RENAMED = {"asctime": "time", "levelname": "level", "name": "logger"}


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record: the current request's, or null outside requests."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = g.get("request_id") if has_request_context() else None
        return True


def json_formatter() -> JsonFormatter:
    return JsonFormatter([*LOG_FIELDS, "request_id"], rename_fields=RENAMED, timestamp=False)


def configure_logging(level: int = logging.INFO) -> None:
    """Send every log line to stderr as JSON. Safe to call again: one handler at most."""
    root = logging.getLogger()
    root.setLevel(level)
    for handler in root.handlers:
        if getattr(handler, "stanceline", False):
            return
    handler = logging.StreamHandler(sys.stderr)
    handler.stanceline = True  # type: ignore[attr-defined]
    handler.setFormatter(json_formatter())
    handler.addFilter(RequestIdFilter())
    root.addHandler(handler)
