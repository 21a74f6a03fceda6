"""Record the seed story through the HTTP API alone, as a client would."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from service.demo.story import STORY


def record_story_over_http(client: FlaskClient) -> dict[str, dict[str, Any]]:
    """POST every record of the story in order; returns the created bodies by key."""
    created: dict[str, dict[str, Any]] = {}
    for record in STORY:
        payload = dict(record.payload)
        for field in ("event", "parent"):
            if field in payload:
                payload[field] = created[payload[field]]["id"]
        response = client.post(f"/api/v1/{record.resource}", json=payload)
        assert response.status_code == 201, (record.key, response.get_json())
        created[record.key] = response.get_json()
    return created
