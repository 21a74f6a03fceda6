"""Requests no handler should ever see: NUL bytes, text that is not UTF-8, and an Accept the
service cannot answer.

PostgreSQL text cannot hold a NUL character, and a query string that is not UTF-8 would reach
the handlers with replacement characters in it; both are refused before routing, with a 400
naming where the bad input is, instead of a database error (a 500) or a silent mismatch.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote_to_bytes

from flask import Flask, request

from service.problems import PROBLEM_CONTENT_TYPE, InvalidText, NotAcceptable, UriTooLong

NUL = "\x00"
#: The longest URL (path and query, as sent) the service answers; gunicorn.conf.py lets request
#: lines of up to 8,190 bytes through so that a longer URL gets this 414 as problem+json.
MAX_URL_BYTES = 8000


def nul_paths(value: Any, root: str = "") -> Iterator[str]:
    """The paths (`a.0.b`) of the keys and strings in a parsed JSON value that hold a NUL,
    walked without recursion: a document may be nested as deep as the parser allows."""
    stack: list[tuple[str, Any]] = [(root, value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                yield path or "_schema"
        elif isinstance(item, dict):
            for key, child in item.items():
                child_path = f"{path}.{key}" if path else str(key)
                if NUL in str(key):
                    yield child_path
                stack.append((child_path, child))
        elif isinstance(item, list):
            stack.extend(
                (f"{path}.{index}" if path else str(index), child) for index, child in enumerate(item)
            )


def refuse_long_url() -> None:
    """414 problem+json for a URL longer than MAX_URL_BYTES."""
    sent = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    length = len(sent.encode("latin-1", "replace")) if sent else len(request.full_path.encode())
    if length > MAX_URL_BYTES:
        raise UriTooLong(
            f"The URL is {length} bytes long; the service answers URLs of up to {MAX_URL_BYTES} bytes. "
            "Narrow the query, or page through the list with its cursor."
        )


def refuse_bad_text() -> None:
    """400 for a NUL byte in the path, or a query string not UTF-8. (A NUL in a query
    parameter is refused by its field, with a 422 naming it.)"""
    if NUL in request.path:
        raise InvalidText("The path holds a NUL byte (%00), which no id, slug or name may contain.")
    raw = unquote_to_bytes(request.query_string)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidText(f"The query string is not UTF-8 (at byte {exc.start} once decoded).") from None


def produced_type(path: str) -> str:
    """The media type an API route answers with when it succeeds: JSON, but for the charts and
    the export."""
    if path.endswith(".svg"):
        return "image/svg+xml"
    if path.rstrip("/").endswith("/export"):
        return "application/x-ndjson"
    return "application/json"


def refuse_unacceptable() -> None:
    """406 when Accept names none of the types the route answers with (its own, and
    problem+json for its errors); no Accept, or */*, accepts anything."""
    if not request.path.startswith("/api/") or not request.headers.get("Accept", "").strip():
        return
    produced = produced_type(request.path)
    if request.accept_mimetypes.best_match([produced, PROBLEM_CONTENT_TYPE]) is None:
        raise NotAcceptable(
            f"This route answers {produced} (errors as {PROBLEM_CONTENT_TYPE}); "
            f"Accept '{request.headers['Accept']}' names neither."
        )


def init_app(app: Flask) -> None:
    app.before_request(refuse_long_url)
    app.before_request(refuse_bad_text)
    app.before_request(refuse_unacceptable)
