"""Every fast writer (service/fast/answers.py's WRITERS) writes what marshmallow's own dump of its
schema writes, field by field, nested too, in both ways of writing, on records that set and leave
out every optional part: a field added to a schema and not to its writer fails here."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from marshmallow import Schema, fields
from sqlalchemy import select

import service
from service.data.pagination import PageRequest
from service.data.sessions import get_session
from service.demo.load import load_story
from service.fast.answers import AS_TEXT, AS_VALUES, WRITERS, HandWrittenDump, Writer
from service.resources.actors.models import Actor
from service.resources.analysis.schemas import ShiftSchema, ShiftsQuerySchema
from service.resources.analysis.service import actor_shifts
from service.resources.events.models import Event
from service.resources.events.schemas import EventSchema
from service.resources.events.service import EVENT_REFERENCES
from service.resources.statements.models import Statement
from service.resources.statements.schemas import StatementSchema
from service.resources.statements.service import with_references
from service.web.json import OrjsonProvider

ZELENSKY_SAID = 'Volodymyr Zelensky said on Tuesday that "Ukraine will never trade land for peace."\n'


def _import_all_of_service() -> None:
    """Every module of the service, so every writer and every schema is defined."""
    for module in pkgutil.walk_packages(service.__path__, "service."):
        importlib.import_module(module.name)


def _record_varied_statements(client: FlaskClient) -> None:
    """Beside the demo's: a statement with no optional part, one with every part, sources and
    reposts with each of their fields set and unset, a date-time, a shift between statements
    without a source, and one accepted from an article."""
    event = client.get("/api/v1/events?limit=1").get_json()["items"][0]["id"]
    sanctions = {
        "slug": "russia-sanctions",
        "name": "Sanctions on Russia",
        "negative_pole": "Lift them",
        "positive_pole": "Tighten them",
    }
    assert client.post("/api/v1/topics", json=sanctions).status_code == 201
    trump, putin = {"actor": "donald-trump", "kind": "post"}, {"actor": "vladimir-putin"}

    def sanctions_at(value: float) -> dict[str, Any]:
        return {"topic": "russia-sanctions", "value": value}

    bodies: list[dict[str, Any]] = [
        {
            "actor": "vladimir-putin",
            "text": "Bare.",
            "kind": "quote",
            "said_at": "2025-01-01",
            "said_at_precision": "year",
        },
        {
            **trump,
            "text": "Everything set — “quoted”, ünïcode.",
            "kind": "interview",
            "said_at": "2025-08-15T21:07:00+02:00",
            "language": "en-US",
            "source": {"publisher": "Fox", "published_at": "2025-08-16"},
            "event": event,
            "positions": [
                {"topic": "ukraine-territorial-integrity", "value": -1, "confidence": 0},
                {"topic": "russia-sanctions", "value": 0.25},
            ],
            "mentions": ["ukraine", "vladimir-putin", "european-union"],
        },
        {
            **trump,
            "text": "Sourced the other way.",
            "said_at": "2025-07-01",
            "source": {"url": "https://example.com/s", "title": "A title", "author": "Someone"},
        },
        {
            **trump,
            "text": "Passed on.",
            "kind": "repost",
            "said_at": "2025-08-01",
            "said_at_precision": "month",
            "reposted_from": {"handle": "@someone"},
        },
        {
            **trump,
            "text": "Passed on, named.",
            "kind": "repost",
            "said_at": "2025-08-02",
            "reposted_from": {"name": "Some One", "url": "https://x.com/someone"},
        },
        # A shift whose two ends have no source.
        {
            **putin,
            "text": "Lift them.",
            "kind": "speech",
            "said_at": "2025-03-01",
            "positions": [sanctions_at(-1)],
        },
        {
            **putin,
            "text": "Perhaps not.",
            "kind": "quote",
            "said_at": "2025-04-01",
            "positions": [sanctions_at(0.5)],
        },
    ]
    for body in bodies:
        response = client.post("/api/v1/statements", json=body)
        assert response.status_code == 201, response.get_json()
    article = client.post(
        "/api/v1/articles", json={"title": "Kyiv", "published_at": "2025-10-02", "text": ZELENSKY_SAID}
    ).get_json()
    draft = article["drafts"][0]
    accepted = client.post(f"/api/v1/articles/{article['id']}/drafts/{draft['id']}/accept")
    assert accepted.status_code == 201, accepted.get_json()


def _roots(app: Flask) -> dict[type[Schema], list[Any]]:
    """The records the API answers, by the schema that answers them: every statement, event
    and shift (of every actor, with events between them picked for each reason)."""
    with app.app_context():
        session = get_session()
        statements = session.scalars(with_references(select(Statement))).unique().all()
        events = session.scalars(select(Event).options(*EVENT_REFERENCES)).unique().all()
        filters = ShiftsQuerySchema().load({})
        shifts = [
            shift
            for actor in session.scalars(select(Actor.slug))
            for shift in actor_shifts(session, actor, filters, PageRequest(limit=200)).items
        ]
    assert len(statements) >= 14  # the demo's and the varied ones
    picked = [event for shift in shifts for event in shift.events_between]
    assert {"participant", "topic", "mentioned_actor"} <= {r for event in picked for r in event.reasons}
    assert any(event.mentioned_actors for event in picked)
    return {StatementSchema: list(statements), EventSchema: list(events), ShiftSchema: shifts}


def _nested(field: fields.Field[Any]) -> tuple[fields.Nested | None, bool]:
    """The Nested field `field` is or holds as its items, and whether it holds a list."""
    if isinstance(field, fields.List):
        return (field.inner if isinstance(field.inner, fields.Nested) else None), True
    return (field if isinstance(field, fields.Nested) else None), False


def _collect(
    schema: Schema, records: Iterable[Any], found: dict[type[Schema], list[Any]], under: str | None = None
) -> None:
    """`records` under the schema that dumps them, and every record nested in them under its own."""
    records = list(records)
    found[type(schema)].extend(records)
    under = type(schema).__name__ if type(schema) in WRITERS else under
    for name, field in schema.fields.items():
        nested, many = _nested(field)
        if nested is None:
            continue
        # Under a fast writer, marshmallow's dump must be marshmallow's all the way down.
        assert not (under and isinstance(nested.schema, HandWrittenDump)), f"{under}: {name}"
        values = [getattr(record, field.attribute or name) for record in records]
        inner = [item for value in values if value is not None for item in (value if many else [value])]
        _collect(nested.schema, inner, found, under)


def _observe(schema: Schema, dumped: dict[str, Any], path: str, seen: dict[str, set[str]]) -> None:
    """Which optional parts the dump `dumped` sets and leaves out, by path, nested too."""
    for name, field in schema.fields.items():
        key = field.data_key or name
        where, value = f"{path}.{key}", dumped[key]
        if field.allow_none:
            seen[where].add("unset" if value is None else "set")
        nested, many = _nested(field)
        if many:
            seen[where].add("items" if value else "empty")
        if nested is not None and value is not None:
            for item in value if many else [value]:
                _observe(nested.schema, item, where, seen)


def _unexercised(schema: Schema, dumps: list[dict[str, Any]]) -> list[str]:
    """The optional parts that the dumps never set or never leave out, and the lists never filled."""
    seen: dict[str, set[str]] = defaultdict(set)
    for dumped in dumps:
        _observe(schema, dumped, type(schema).__name__, seen)
    missing = [
        f"{where} never {need}"
        for where, got in seen.items()
        for need in ("set", "unset")
        if got & {"set", "unset"} and need not in got
    ]
    return missing + [
        f"{where} never has items" for where, got in seen.items() if "empty" in got and "items" not in got
    ]


def _differences(written: Any, dumped: Any, path: str, *, exact: bool) -> Iterator[str]:
    """Where `written` is not `dumped`: keys (and their order), values, and with `exact` types."""
    if isinstance(dumped, dict) and isinstance(written, dict):
        missing, extra = [k for k in dumped if k not in written], [k for k in written if k not in dumped]
        if missing:
            yield f"{path}: no {missing}, which the dump has"
        if extra:
            yield f"{path}: {extra}, which the dump has not"
        if not missing and not extra and list(written) != list(dumped):
            yield f"{path}: keys in the order {list(written)}, the dump's {list(dumped)}"
        for key in dumped.keys() & written.keys():
            yield from _differences(written[key], dumped[key], f"{path}.{key}", exact=exact)
    elif isinstance(dumped, list) and isinstance(written, list):
        if len(written) != len(dumped):
            yield f"{path}: {len(written)} items, the dump {len(dumped)}"
        for index, (item, dumped_item) in enumerate(zip(written, dumped, strict=False)):
            yield from _differences(item, dumped_item, f"{path}[{index}]", exact=exact)
    elif written != dumped or (exact and type(written) is not type(dumped)):
        yield f"{path}: {written!r} ({type(written).__name__}), the dump {dumped!r} ({type(dumped).__name__})"


def _check(app: Flask, schema_class: type[Schema], write: Writer, record: Any) -> list[str]:
    """How `write` differs from marshmallow's dump of `record`: as text exactly, as values once
    written as the app's JSON (and the same bytes with sorted keys, so the same ETag)."""
    name = schema_class.__name__
    dumped = Schema.dump(schema_class(), record)  # marshmallow's own, even for a HandWrittenDump
    problems = list(_differences(write(record, AS_TEXT), dumped, f"{name} AS_TEXT", exact=True))
    as_values = write(record, AS_VALUES)
    problems += _differences(json.loads(app.json.dumps(as_values)), dumped, f"{name} AS_VALUES", exact=True)
    if not problems and OrjsonProvider.sorted_keys(as_values) != OrjsonProvider.sorted_keys(dumped):
        problems.append(f"{name} AS_VALUES: {OrjsonProvider.sorted_keys(as_values)!r} as sorted JSON")
    return problems


@pytest.fixture
def records(app: Flask, client: FlaskClient) -> dict[type[Schema], list[Any]]:
    """The demo's records and the varied ones, by every schema that dumps them."""
    with app.app_context():
        load_story(get_session())
    _record_varied_statements(client)
    found: dict[type[Schema], list[Any]] = defaultdict(list)
    for schema_class, roots in _roots(app).items():
        _collect(schema_class(), roots, found)
    return found


def test_every_fast_writer_writes_its_schemas_dump(
    app: Flask, records: dict[type[Schema], list[Any]]
) -> None:
    _import_all_of_service()
    assert WRITERS
    for schema_class, write in WRITERS.items():
        found = records.get(schema_class)
        assert found, f"no {schema_class.__name__} among the records: give the test records it dumps"
        schema = schema_class()
        with app.app_context():
            assert not _unexercised(schema, [Schema.dump(schema, record) for record in found])
            problems = [problem for record in found for problem in _check(app, schema_class, write, record)]
        assert not problems, "\n".join(dict.fromkeys(problems))


def test_a_hand_written_dump_is_its_writers_and_with_only_marshmallows(
    app: Flask, records: dict[type[Schema], list[Any]]
) -> None:
    statements = records[StatementSchema]
    with app.app_context():
        for schema_class in (StatementSchema, ShiftSchema):
            schema = schema_class()
            found = records[schema_class]
            assert schema.dump(found, many=True) == schema.generic_dump(found, many=True)
            assert schema.dump(found[0]) == schema.generic_dump(found[0])
        assert StatementSchema(only=("id",)).dump(statements[0]) == {"id": str(statements[0].id)}


def test_every_fast_writer_is_registered() -> None:
    """No writer skips the test above: every HandWrittenDump schema has one in WRITERS, and every
    writer (a function named write_...) of service/fast and of the resources is registered, or
    made by `reference_writer` from a registered reference's schema."""
    _import_all_of_service()
    subclasses, hand_written = [HandWrittenDump], []
    while subclasses:
        hand_written.extend(found := subclasses.pop().__subclasses__())
        subclasses.extend(found)
    assert hand_written
    unregistered = [schema.__name__ for schema in hand_written if schema not in WRITERS]
    assert not unregistered, f"HandWrittenDump schemas with no writer registered: {unregistered}"

    registered = set(WRITERS.values())
    derived_from = {write.__name__ for write in registered}
    writers = [
        (module.name, name)
        for module in pkgutil.walk_packages(service.__path__, "service.")
        if module.name.startswith(("service.fast.", "service.resources."))
        for name, value in vars(importlib.import_module(module.name)).items()
        if inspect.isfunction(value)
        and value.__name__.startswith("write_")
        and value not in registered
        and not (value.__module__ == "service.fast.answers" and value.__name__ in derived_from)
    ]
    assert not writers, f"writers not registered with service.fast.answers.writes: {writers}"


def test_get_and_list_answers_read_as_rows_equal_the_orm_records_dump(
    app: Flask, client: FlaskClient, records: dict[type[Schema], list[Any]]
) -> None:
    """GET and the list read rows, not ORM objects (service/resources/statements/views.py), and
    write them with the same writers."""
    with app.app_context():
        expected = {str(s.id): StatementSchema().generic_dump(s) for s in records[StatementSchema]}
    listed = client.get("/api/v1/statements?limit=200").get_json()["items"]
    assert {item["id"]: item for item in listed} == expected
    for statement_id, dumped in expected.items():
        answered = client.get(f"/api/v1/statements/{statement_id}").get_json()
        assert not list(_differences(answered, dumped, statement_id, exact=True))
    searched = client.get("/api/v1/statements?q=ukraine&limit=200").get_json()["items"]
    assert searched
    assert all(item == expected[item["id"]] for item in searched)


def test_answers_are_utf8_json_that_reads_back_the_same(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        load_story(get_session())
    body = {"actor": "donald-trump", "text": "Ça — “WIN” 🇺🇦", "kind": "post", "said_at": "2025-09-23"}
    created = client.post("/api/v1/statements", json=body)
    assert created.status_code == 201
    raw = client.get(created.headers["Location"]).get_data()
    assert "Ça — “WIN” 🇺🇦".encode() in raw
    assert client.get(created.headers["Location"]).get_json()["text"] == body["text"]
