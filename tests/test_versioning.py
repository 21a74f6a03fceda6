"""What /api/v1 promises: no breaking change against the last released contract, and
deprecations announced with Deprecation and Sunset headers."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.views import MethodView

from service.app import create_app
from service.config import Settings
from service.web.blueprint import Api, Blueprint
from service.web.contract_diff import breaking_changes
from service.web.openapi import COMMITTED_PATH, generate_openapi, latest_release

CURRENT = json.loads(COMMITTED_PATH.read_text())


def _changed(edit: Any) -> list[str]:
    changed = copy.deepcopy(CURRENT)
    edit(changed)
    return breaking_changes(CURRENT, changed)


def test_the_code_keeps_the_promises_of_the_last_release(app: Flask) -> None:
    release = latest_release()
    assert release is not None, "openapi/released/ holds the contract of each release"

    assert breaking_changes(json.loads(release.read_text()), generate_openapi(app)) == []


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda c: c["paths"].pop("/api/v1/relations"), "/api/v1/relations: path removed"),
        (
            lambda c: c["paths"]["/api/v1/actors/{actor}"].pop("delete"),
            "DELETE /api/v1/actors/{actor}: operation removed",
        ),
        (
            lambda c: c["components"]["schemas"]["Statement"]["properties"].pop("said_at"),
            "GET /api/v1/statements/{statement} 200.said_at: removed",
        ),
        (
            lambda c: c["components"]["schemas"]["Statement"]["required"].remove("language"),
            "GET /api/v1/statements/{statement} 200.language: no longer always present",
        ),
        (
            lambda c: c["components"]["schemas"]["Actor"]["properties"]["name"].update(
                type=["string", "null"]
            ),
            "GET /api/v1/actors/{actor} 200.name: may now be of type null",
        ),
        (
            lambda c: c["components"]["schemas"]["StatementCreate"]["required"].append("language"),
            "POST /api/v1/statements body.language: newly required",
        ),
    ],
)
def test_breaking_changes_are_found(edit: Any, expected: str) -> None:
    assert expected in _changed(edit)


def test_additions_are_not_breaking() -> None:
    def add(contract: dict[str, Any]) -> None:
        contract["components"]["schemas"]["Statement"]["properties"]["note"] = {"type": "string"}
        contract["components"]["schemas"]["StatementCreate"]["properties"]["note"] = {"type": "string"}
        contract["paths"]["/api/v1/notes"] = {"get": {"responses": {"200": {"description": "ok"}}}}

    assert _changed(add) == []


def test_a_deprecated_operation_says_so_in_the_contract_and_in_its_answers(database_url: str) -> None:
    app = create_app(Settings(database_url=database_url))
    legacy = Blueprint("legacy", __name__, url_prefix="/api/v1/legacy", description="Old ways.", public=True)

    @legacy.route("")
    class Legacy(MethodView):
        @legacy.doc(operationId="get_legacy", summary="An old way")
        @legacy.deprecated(since=date(2026, 1, 1), sunset=date(2026, 7, 1), successor="/api/v1/actors")
        @legacy.response(200)
        def get(self) -> dict[str, str]:
            return {"status": "still here"}

    api: Api = app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
    api.register_blueprint(legacy)

    response = app.test_client().get("/api/v1/legacy")

    assert response.status_code == 200
    assert response.headers["Deprecation"] == "@1767225600"
    assert response.headers["Sunset"] == "Wed, 01 Jul 2026 00:00:00 GMT"
    assert '</api/v1/actors>; rel="successor-version"' in response.headers.getlist("Link")
    assert generate_openapi(app)["paths"]["/api/v1/legacy"]["get"]["deprecated"] is True


def _kinds_contract(
    kind: dict[str, Any], precision: dict[str, Any], kinds: list[str] | None
) -> dict[str, Any]:
    """One list operation: its `kind` filter and answer field, and a nullable `precision`."""
    answer = {"type": "object", "properties": {"kind": kind, "precision": precision}}
    operation = {
        "parameters": [{"in": "query", "name": "kind", "schema": kind}],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": answer}}}},
    }
    schemas = {} if kinds is None else {"Kind": {"type": "string", "enum": kinds}}
    return {"paths": {"/things": {"get": operation}}, "components": {"schemas": schemas}}


INLINE_KINDS = _kinds_contract({"type": "string", "enum": ["a", "b"]}, {"enum": ["a", "b", None]}, kinds=None)
NAMED = {"$ref": "#/components/schemas/Kind"}
NULLABLE_NAMED = {"anyOf": [NAMED, {"type": "null"}]}


def test_an_enum_moved_behind_a_reference_is_not_a_change() -> None:
    assert breaking_changes(INLINE_KINDS, _kinds_contract(NAMED, NULLABLE_NAMED, ["a", "b"])) == []


def test_values_changed_behind_a_reference_are_found() -> None:
    fewer = breaking_changes(INLINE_KINDS, _kinds_contract(NAMED, NULLABLE_NAMED, ["a"]))
    assert "GET /things parameter kind: no longer accepts b" in fewer
    more = breaking_changes(INLINE_KINDS, _kinds_contract(NAMED, NULLABLE_NAMED, ["a", "b", "c"]))
    assert "GET /things 200.kind: may now answer c" in more
    assert "GET /things 200.precision: may now answer c" in more
