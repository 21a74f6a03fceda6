"""Small assertions shared by the tests."""

from __future__ import annotations

from typing import Any

from werkzeug.test import TestResponse


def assert_problem(response: TestResponse, status: int, type_name: str | None = None) -> dict[str, Any]:
    """The response is an RFC 9457 problem of `status` (and `type_name`); returns its body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body: dict[str, Any] = response.get_json(force=True)
    assert body["status"] == status
    expected_type = f"urn:stanceline:problem:{type_name}" if type_name else "about:blank"
    assert body["type"] == expected_type
    assert body["title"]
    assert "Traceback" not in response.get_data(as_text=True)
    return body
