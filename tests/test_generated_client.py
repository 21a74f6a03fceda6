"""A Python client generated from openapi/openapi.json with openapi-python-client, used over real
HTTP against the running service: every resource made, read, changed, listed (following
cursors) and deleted, and every analysis endpoint called. A contract change that breaks
generation or the round trip fails here."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from service.data.sessions import get_session
from service.demo.load import load_story
from tests.conftest import LiveServer

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT / "openapi" / "openapi.json"
TERRITORY = "ukraine-territorial-integrity"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    folder = tmp_path_factory.mktemp("generated-client")
    bin_folder = Path(sys.executable).parent
    # The chart is an image: generators that know only JSON and octet streams take it as bytes.
    config = folder / "config.yaml"
    config.write_text("content_type_overrides:\n  image/svg+xml: application/octet-stream\n")
    result = subprocess.run(
        [
            str(bin_folder / "openapi-python-client"),
            "generate",
            "--path",
            str(CONTRACT),
            "--meta",
            "none",
            "--output-path",
            str(folder / "stanceline_client"),
            "--config",
            str(config),
        ],
        cwd=folder,
        env={**os.environ, "PATH": f"{bin_folder}{os.pathsep}{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout, result.stdout  # every operation and model generated
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module("stanceline_client")
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.startswith("stanceline_client")]:
            del sys.modules[name]


def _api(name: str) -> Any:
    return importlib.import_module(f"stanceline_client.api.{name}")


def _model(name: str) -> Any:
    return getattr(importlib.import_module("stanceline_client.models"), name)


def _every(list_operation: Any, client: Any, **filters: Any) -> list[Any]:
    """All items of a list, two a page, following next_cursor."""
    items: list[Any] = []
    cursor: Any = importlib.import_module("stanceline_client.types").UNSET
    for _ in range(100):
        page = list_operation.sync(client=client, limit=2, cursor=cursor, **filters)
        items.extend(page.items)
        if not isinstance(page.next_cursor, str):
            return items
        cursor = page.next_cursor
    raise AssertionError("the cursors never ended")


def _ok(response: Any, status: int) -> Any:
    assert response.status_code == status, response.content
    return response.parsed


def test_the_generated_client_does_everything_the_api_offers(
    generated: ModuleType, live_server: LiveServer
) -> None:
    with live_server.app.app_context():
        load_story(get_session())
    client = generated.AuthenticatedClient(base_url=live_server.url, token=live_server.key())

    # Make one of each resource.
    create = {
        "actor": (_api("actors.create_actor"), _model("Actor"), {"name": "Kaja Kallas", "kind": "person"}),
        "topic": (
            _api("topics.create_topic"),
            _model("Topic"),
            {"name": "Sanctions on Russia", "negative_pole": "Lift them", "positive_pole": "Tighten them"},
        ),
    }
    made: dict[str, Any] = {}
    for name, (operation, model, body) in create.items():
        made[name] = _ok(operation.sync_detailed(client=client, body=model.from_dict(body)), 201)
    made["statement"] = _ok(
        _api("statements.create_statement").sync_detailed(
            client=client,
            body=_model("StatementCreate").from_dict(
                {
                    "actor": "kaja-kallas",
                    "kind": "quote",
                    "text": "Sanctions have to bite harder.",
                    "said_at": "2025-10-01",
                    "positions": [{"topic": "sanctions-on-russia", "value": 0.9, "confidence": 0.8}],
                    "mentions": ["russia"],
                }
            ),
        ),
        201,
    )
    made["event"] = _ok(
        _api("events.create_event").sync_detailed(
            client=client,
            body=_model("EventCreate").from_dict(
                {
                    "title": "Foreign Affairs Council",
                    "kind": "meeting",
                    "start": "2025-10-20",
                    "participants": [{"actor": "kaja-kallas", "role": "host"}],
                    "topics": ["sanctions-on-russia"],
                }
            ),
        ),
        201,
    )
    made["relation"] = _ok(
        _api("relations.create_relation").sync_detailed(
            client=client,
            body=_model("RelationCreate").from_dict(
                {"subject": "kaja-kallas", "object": "european-union", "kind": "member_of"}
            ),
        ),
        201,
    )

    # Read each back, change it, and find it in its list by following the cursors.
    changes = {
        "actor": ("actors", "ActorPatch", {"description": "High Representative of the EU."}, "slug"),
        "topic": ("topics", "TopicPatch", {"description": "EU sanctions packages."}, "slug"),
        "statement": ("statements", "StatementPatch", {"language": "en"}, "id"),
        "event": ("events", "EventPatch", {"description": "In Luxembourg."}, "id"),
        "relation": ("relations", "RelationPatch", {"valid_from": "2024-12-01"}, "id"),
    }
    for name, (package, patch_model, patch, key) in changes.items():
        reference = str(getattr(made[name], key))
        read = _api(f"{package}.get_{name}").sync(client=client, **{name: reference})
        assert read.to_dict() == made[name].to_dict()
        updated = _ok(
            _api(f"{package}.update_{name}").sync_detailed(
                client=client, body=_model(patch_model).from_dict(patch), **{name: reference}
            ),
            200,
        )
        for field, value in patch.items():
            assert str(updated.to_dict()[field])[:10] == value[:10]
        listed = _every(_api(f"{package}.list_{package}"), client)
        assert str(made[name].id) in {str(item.id) for item in listed}
        history = _api(f"{package}.list_{name}_revisions").sync(client=client, **{name: reference})
        assert [str(revision.action) for revision in history.items][-2:] == ["create", "update"]

    # Every analysis endpoint, on the seed story.
    analysis = "analysis"
    timeline = _every(_api(f"{analysis}.get_actor_timeline"), client, actor="donald-trump")
    assert len(timeline) >= 5
    positions = _api(f"{analysis}.get_actor_positions").sync(
        client=client, actor="donald-trump", topic=TERRITORY
    )
    assert [p.value for p in positions.items] == [-0.8, 0.9]
    shifts = _api(f"{analysis}.get_actor_shifts").sync(client=client, actor="donald-trump", topic=TERRITORY)
    assert shifts.items[0].delta == pytest.approx(1.7)
    assert any("Alaska" in between.event.title for between in shifts.items[0].events_between)
    stances = _api(f"{analysis}.get_topic_stances").sync(client=client, topic=TERRITORY, at="2025-09-30")
    assert {stance.actor.slug for stance in stances.items} >= {"donald-trump", "volodymyr-zelensky"}
    alignment = _api(f"{analysis}.get_topic_alignment").sync(
        client=client, topic=TERRITORY, actors="donald-trump,volodymyr-zelensky"
    )
    assert str(alignment.trend.direction) == "converging"
    chart = _api(f"{analysis}.get_actor_positions_chart").sync(
        client=client, actor="donald-trump", topic=TERRITORY
    )
    assert chart.payload.read().startswith(b"<?xml")
    feed = _api("changes.read_changes").sync(client=client, limit=200)
    assert {str(change.record_id) for change in feed.items} >= {str(made[name].id) for name in made}

    # Delete them, those that others refer to last.
    for name, package in (
        ("relation", "relations"),
        ("statement", "statements"),
        ("event", "events"),
        ("topic", "topics"),
        ("actor", "actors"),
    ):
        reference = str(made[name].id)
        assert (
            _api(f"{package}.delete_{name}").sync_detailed(client=client, **{name: reference}).status_code
            == 204
        )
        gone = _api(f"{package}.get_{name}").sync_detailed(client=client, **{name: reference})
        assert gone.status_code == 404
        assert gone.parsed.status == 404  # the problem+json model
