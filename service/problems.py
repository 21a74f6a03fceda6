"""Every error answered as RFC 9457 application/problem+json, from this one place."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, g, request
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:stanceline:problem:"

log = logging.getLogger(__name__)


def problem_type(name: str) -> str:
    return PROBLEM_TYPE_PREFIX + name


class Problem(Exception):
    """An error a client caused or must know about, with its problem type."""

    status: int = 400
    type_name: str | None = None  # None: "about:blank", the status says it all

    def __init__(self, detail: str, *, headers: Mapping[str, str] | None = None, **extensions: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = dict(headers or {})
        self.extensions = extensions


class NotFound(Problem):
    status = 404


class Conflict(Problem):
    status = 409
    type_name = "conflict"


class StillReferenced(Problem):
    status = 409
    type_name = "still-referenced"


class MissingBody(Problem):
    status = 400
    type_name = "missing-body"


class UnsupportedMediaType(Problem):
    status = 415


class InvalidText(Problem):
    """A NUL byte, a lone surrogate or bytes that are not UTF-8 where text is expected."""

    status = 400
    type_name = "invalid-text"


class NotAcceptable(Problem):
    status = 406
    type_name = "not-acceptable"


class UriTooLong(Problem):
    status = 414
    type_name = "uri-too-long"


class InvalidCursor(Problem):
    status = 400
    type_name = "invalid-cursor"


class ValidationFailed(Problem):
    """A 422 raised by domain logic, shaped like marshmallow's own 422s."""

    status = 422
    type_name = "validation-error"

    def __init__(self, errors: Mapping[str, list[str]], detail: str | None = None) -> None:
        super().__init__(detail or "The request has invalid fields.", errors=dict(errors))


class Unauthorized(Problem):
    """No key where one is needed, or a key that is unknown or revoked."""

    status = 401
    type_name = "unauthorized"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="stanceline"'})


class Forbidden(Problem):
    status = 403
    type_name = "forbidden"


class PreconditionFailed(Problem):
    status = 412
    type_name = "precondition-failed"


class InvalidIdempotencyKey(Problem):
    status = 400
    type_name = "invalid-idempotency-key"


class IdempotencyKeyReused(Problem):
    status = 422
    type_name = "idempotency-key-reused"


class ServiceUnavailable(Problem):
    status = 503
    type_name = "service-unavailable"


def flatten_messages(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turn marshmallow's nested messages into {"positions.0.value": [...]}."""
    if isinstance(messages, Mapping):
        flat: dict[str, list[str]] = {}
        for key, value in messages.items():
            key = str(key)
            path = prefix if key == "_schema" and prefix else f"{prefix}.{key}" if prefix else key
            for sub_path, sub_messages in flatten_messages(value, path).items():
                flat.setdefault(sub_path, []).extend(sub_messages)
        return flat
    if isinstance(messages, list | tuple):
        if all(isinstance(item, str) for item in messages):
            return {prefix or "_schema": list(messages)}
        return flatten_messages(dict(enumerate(messages)), prefix)
    return {prefix or "_schema": [str(messages)]}


def problem_response(
    status: int,
    detail: str | None = None,
    *,
    type_name: str | None = None,
    title: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> Response:
    body: dict[str, Any] = {
        "type": problem_type(type_name) if type_name else "about:blank",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    body["instance"] = request.path
    request_id = g.get("request_id")
    if request_id:
        body["request_id"] = request_id
    body.update(extensions)
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


_TITLES = {
    "validation-error": "Validation failed",
    "malformed-json": "Malformed JSON",
    "missing-body": "Missing body",
    "invalid-cursor": "Invalid cursor",
    "invalid-text": "Invalid text",
    "not-acceptable": "Not acceptable",
    "uri-too-long": "URI too long",
    "conflict": "Conflict",
    "still-referenced": "Still referenced",
    "service-unavailable": "Service unavailable",
    "unauthorized": "Unauthorized",
    "forbidden": "Forbidden",
    "precondition-failed": "Precondition failed",
    "invalid-idempotency-key": "Invalid Idempotency-Key",
    "idempotency-key-reused": "Idempotency-Key reused",
}


def from_problem(problem: Problem) -> Response:
    title = _TITLES.get(problem.type_name) if problem.type_name else None
    return problem_response(
        problem.status,
        problem.detail,
        type_name=problem.type_name,
        title=title,
        headers=problem.headers,
        **problem.extensions,
    )


def from_http_exception(error: HTTPException) -> Response:
    """Werkzeug and webargs errors: unknown routes, 405, 413, bad JSON, 422s."""
    if error.response is not None:  # abort(Response): already the answer (a 304)
        return error.response  # type: ignore[return-value]
    status = error.code or 500
    if status == 500:
        return internal_error(getattr(error, "original_exception", None) or error)
    data = getattr(error, "data", None) or {}
    headers = _headers_of(error, data)
    messages = data.get("messages")
    if status == 400 and isinstance(messages, Mapping) and "json" in messages:
        return _malformed_json(error, headers)
    if status == 422 and messages is not None:
        return _invalid_input(messages, headers)
    return problem_response(status, data.get("message") or error.description, headers=headers)


def _headers_of(error: HTTPException, data: Mapping[str, Any]) -> dict[str, str]:
    """The headers webargs asked for, and the Allow a 405 must carry."""
    headers = dict(data.get("headers") or {})
    if error.code == 405 and error.valid_methods:  # type: ignore[attr-defined]
        headers["Allow"] = ", ".join(sorted(error.valid_methods))  # type: ignore[attr-defined]
    return headers


def _malformed_json(error: HTTPException, headers: Mapping[str, str]) -> Response:
    original = getattr(error, "exc", None)
    detail = "The request body is not valid JSON"
    if original is not None:
        detail += f": {original}"
    return problem_response(
        400, detail, type_name="malformed-json", title=_TITLES["malformed-json"], headers=headers
    )


def _invalid_input(messages: Mapping[str, Any], headers: Mapping[str, str]) -> Response:
    """webargs' messages by location (json, query, ...) flattened into one map of field paths."""
    errors: dict[str, list[str]] = {}
    for location_messages in messages.values():
        errors.update(flatten_messages(location_messages))
    fields = ", ".join(sorted(errors))
    return problem_response(
        422,
        f"Invalid input in: {fields}",
        type_name="validation-error",
        title=_TITLES["validation-error"],
        headers=headers,
        errors=errors,
    )


def internal_error(exc: BaseException) -> Response:
    log.error(
        "unhandled error serving %s %s (request_id=%s)",
        request.method,
        request.path,
        g.get("request_id"),
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    return problem_response(500, "An unexpected error occurred. Quote the request_id when reporting it.")


# SQLite raises OperationalError for mistakes in SQL too; only these mean "try again later".
_SQLITE_UNAVAILABLE = ("database is locked", "unable to open database", "disk i/o error")


def is_unavailable(exc: OperationalError) -> bool:
    """Whether the database could not be reached or did not answer in time."""
    if exc.connection_invalidated:
        return True
    if type(exc.orig).__module__.startswith("sqlite3"):
        return any(reason in str(exc.orig).lower() for reason in _SQLITE_UNAVAILABLE)
    return True  # psycopg: connection failures, timeouts, cancelled statements


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(Problem, from_problem)

    @app.errorhandler(IntegrityError)
    def _integrity_error(exc: IntegrityError) -> Response:
        # The service checks uniqueness and references first; this answers the races.
        # The first line only: PostgreSQL's DETAIL line quotes the values that clashed.
        log.info("integrity error: %s", str(exc.orig).splitlines()[0] if str(exc.orig) else type(exc.orig))
        return problem_response(
            409,
            "The request conflicts with the current state of the data; re-read and retry.",
            type_name="conflict",
            title=_TITLES["conflict"],
        )

    @app.errorhandler(OperationalError)
    def _database_unavailable(exc: OperationalError) -> Response:
        if not is_unavailable(exc):
            return internal_error(exc)  # a fault in our SQL, not a database that is away
        log.warning("database unavailable: %s", exc.orig)
        return problem_response(
            503,
            "The database is unavailable; retry shortly.",
            type_name="service-unavailable",
            title=_TITLES["service-unavailable"],
            headers={"Retry-After": "5"},
        )

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        if isinstance(exc, HTTPException):
            return from_http_exception(exc)
        return internal_error(exc)
