"""Schemathesis drives every operation of the published contract against the app in-process.

The contract tested is the committed openapi/openapi.json (test_docs checks that it is what the
code generates). Every check is on: no server errors, documented status codes, content types,
headers and bodies, negative data rejected and valid data accepted. The demo story is loaded, so
the documented examples (slugs and ids of demo records) reach real rows.

Some rules cannot be said in JSON Schema: references must name existing records, an event's end
is not before its start, `since` is not after `until`, coordinates come in pairs, a topic or an
actor appears once per list. Generated "valid" cases are brought within those rules before they
are sent (their breaches are tested one by one elsewhere); negative cases are sent as generated.
"""

from __future__ import annotations

import json
import os
import string
import uuid
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig
from schemathesis.config._checks import (
    NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES,
    POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES,
)
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlalchemy.engine import Connection

from service.data.sessions import get_session
from service.demo.load import load_story
from service.demo.story import TERRITORY
from service.values.examples import seed_id_text

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "30"))
CONTRACT = Path(__file__).resolve().parent.parent / "openapi" / "openapi.json"

# A body over the configured size limit is refused with 413 whether or not its fields are valid:
# no per-field bound in JSON Schema can express the limit on a whole body.
_TOO_LARGE = {
    "negative_data_rejection": {"expected-statuses": [*NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES, "413"]},
    "positive_data_acceptance": {"expected-statuses": [*POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES, "413"]},
}
schema = schemathesis.openapi.from_path(CONTRACT, config=SchemathesisConfig.from_dict({"checks": _TOO_LARGE}))

# The import body is NDJSON, which Schemathesis cannot make from a JSON Schema: valid lines.
schemathesis.openapi.media_type(
    "application/x-ndjson",
    st.text(alphabet=string.ascii_letters, min_size=1, max_size=30).map(
        lambda name: (json.dumps({"type": "actor", "name": name, "kind": "person"}) + "\n").encode()
    ),
)

# A CSV import names its resource in `type`; the rows are statements of known actors.
schemathesis.openapi.media_type(
    "text/csv",
    st.text(alphabet=string.ascii_letters + " ", min_size=1, max_size=30).map(
        lambda words: f"actor,kind,text,said_at\r\ndonald-trump,quote,{words}.,2025-10-01\r\n".encode()
    ),
)

KNOWN_REFERENCES = {
    "actor": "donald-trump",
    "participant": "vladimir-putin",
    "mentions": "russia",
    "topic": TERRITORY,
    "event": seed_id_text("events", "alaska-summit"),
    "parent": seed_id_text("events", "unga-80-general-debate"),
    "subject": "ukraine",
    "object": "russia",
}


@pytest.fixture
def demo_app(app: Flask, database: Connection) -> Flask:
    with app.app_context():
        load_story(get_session())
    return app


def _ordered(first: Any, second: Any) -> tuple[Any, Any]:
    return (second, first) if str(first) > str(second) else (first, second)


def _within_rules(case: schemathesis.Case, query: dict[str, Any], body: Any) -> None:
    if case.headers and "Idempotency-Key" in case.headers:
        # A key names one request; reusing it for another body is refused (tested elsewhere).
        case.headers["Idempotency-Key"] = uuid.uuid4().hex
    if case.headers and "If-Match" in case.headers:
        # An ETag must come from a read of the record (412 otherwise, tested elsewhere); `*`
        # matches whatever is current.
        case.headers["If-Match"] = "*"
    if case.path == "/api/v1/changes":
        return
    if case.path == "/api/v1/import" and case.media_type == "text/csv":
        query["type"] = "statements"
    for name in ("actor", "participant", "mentions", "topic", "event", "subject", "object"):
        if query.get(name) is not None:
            query[name] = KNOWN_REFERENCES[name]
    if query.get("q") is not None or query.get("sort") == "relevance":
        # Full-text search needs a word (a rule for Unicode letters, not a JSON Schema pattern),
        # and relevance needs a search.
        query["q"] = "Ukraine"
    if query.get("actors") is not None:
        query["actors"] = "donald-trump,volodymyr-zelensky"
    if query.get("since") and query.get("until"):
        # Dates and date-times sort as text once in one form; the later one becomes `until`.
        query["since"], query["until"] = _ordered(query["since"][:10], query["until"][:10])
    if not isinstance(body, dict):
        return
    for name in ("actor", "subject", "object"):
        if isinstance(body.get(name), str):
            body[name] = KNOWN_REFERENCES[name]
    # Examples in one test share the demo records, so a PATCH may meet an end an earlier
    # example left: a new start comes with its own (open) end.
    if body.get("valid_from") and "valid_until" not in body:
        body["valid_until"] = None
    if case.path.startswith("/api/v1/events"):
        if body.get("start") and "end" not in body:
            body["end"] = None
        if "end" not in body:
            body.pop("end_precision", None)  # it would move the stored end, maybe before the start
    if body.get("valid_from") and body.get("valid_until"):
        body["valid_from"], body["valid_until"] = _ordered(body["valid_from"], body["valid_until"])
    elif body.get("valid_until"):
        body["valid_until"] = "9999-12-31"  # not before the example relation's valid_from
    for name in ("event", "parent"):
        if body.get(name) is not None:
            body[name] = KNOWN_REFERENCES[name]
    if body.get("positions"):
        body["positions"] = [{**body["positions"][0], "topic": TERRITORY}]
    if body.get("mentions"):
        body["mentions"] = [KNOWN_REFERENCES["mentions"]]
    if body.get("participants"):
        body["participants"] = [{**body["participants"][0], "actor": KNOWN_REFERENCES["participant"]}]
    if isinstance(body.get("topics"), list) and body["topics"]:
        body["topics"] = [TERRITORY]
    if body.get("end") is not None:
        # Not before the start: the start itself, or the end of the calendar when only the
        # end changes (the example event has no end).
        body["end"] = body.get("start") or "9999-12-31"
        if body.get("start") and body.get("end_precision"):
            # The same instant, at the start's precision (its default: minute for a date-time).
            default = "minute" if "T" in str(body["start"]) else "day"
            body["end_precision"] = body.get("start_precision") or default
    location = body.get("location")
    if isinstance(location, dict) and (location.get("lat") is None) != (location.get("lon") is None):
        location["lat"] = location["lon"] = None


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    # CI replays the same examples every run, so a red run is a change's doing; developers'
    # runs explore new ones (and what they find becomes a rule or a fix).
    derandomize=bool(os.environ.get("CI")),
)
def test_every_operation_honours_the_contract(
    case: schemathesis.Case, demo_app: Flask, admin_key: str
) -> None:
    # With an admin key every operation is allowed; Schemathesis also checks that operations
    # that declare security refuse the same request without it (ignored_auth).
    # The WSGI transport does not undo Content-Encoding, as an HTTP client would: ask for none.
    demo_app_headers = {"Authorization": f"Bearer {admin_key}", "Accept-Encoding": "identity"}
    # Follow-up probes (ignored_auth's requests without the key) go to the same app.
    case.operation.schema.app = demo_app
    if case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE:
        if case.query is None:
            case.query = {}
        _within_rules(case, case.query, case.body)
    made_up_cursor = case.query and (
        case.query.get("cursor") or (case.path == "/api/v1/changes" and case.query.get("since"))
    )
    if made_up_cursor:
        # A made-up cursor is valid by its schema but not by the contract (it must come from
        # a previous page); it must be refused as exactly that.
        response = case.call_and_validate(
            app=demo_app, headers=demo_app_headers, excluded_checks=[positive_data_acceptance]
        )
        if case.method == "GET":
            assert response.status_code >= 400
        if response.status_code == 400:
            assert response.json()["type"] == "urn:stanceline:problem:invalid-cursor"
        return
    case.call_and_validate(app=demo_app, headers=demo_app_headers)
