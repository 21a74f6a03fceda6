"""The contract is served, documented, and its UIs work with no internet."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from service.web.openapi import generate_openapi

COMMITTED = Path(__file__).resolve().parent.parent / "openapi" / "openapi.json"


def test_committed_openapi_matches_the_code(app: Flask) -> None:
    committed = json.loads(COMMITTED.read_text())
    assert committed == generate_openapi(app), (
        "openapi/openapi.json is out of date: run `make openapi` and commit it."
    )


def test_openapi_is_served_as_3_1(client: FlaskClient) -> None:
    spec = client.get("/openapi.json").get_json()
    assert spec["openapi"] == "3.1.0"
    assert spec["info"]["title"] == "Stanceline API"


def test_every_schema_has_an_example_and_every_operation_a_summary(app: Flask) -> None:
    spec = generate_openapi(app)
    missing_examples = [
        name for name, schema in spec["components"]["schemas"].items() if not schema.get("examples")
    ]
    assert missing_examples == []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            assert operation.get("summary"), f"{method.upper()} {path} has no summary"
            assert operation.get("operationId"), f"{method.upper()} {path} has no operationId"


def test_every_error_response_is_problem_json(app: Flask) -> None:
    responses = generate_openapi(app)["components"]["responses"]
    for name, response in responses.items():
        if "content" in response:
            assert list(response["content"]) == ["application/problem+json"], name


def _local_assets(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', html)


def test_swagger_ui_is_served_with_its_own_assets(client: FlaskClient) -> None:
    page = client.get("/docs/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assets = _local_assets(html)
    assert "/static/swagger-ui/swagger-ui-bundle.js" in assets
    assert "/static/swagger-ui/swagger-ui.css" in assets
    assert all(asset.startswith("/") for asset in assets), assets
    for asset in assets:
        with client.get(asset) as response:
            assert response.status_code == 200, asset
            assert len(response.data) > 1000


def test_the_document_names_its_server_relative_to_where_it_is_served(client: FlaskClient) -> None:
    servers = client.get("/openapi.json").get_json()["servers"]

    assert [server["url"] for server in servers] == ["/"]


def test_browsers_asking_for_a_favicon_get_an_image(client: FlaskClient) -> None:
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200
        assert response.mimetype == "image/png"
        assert response.data.startswith(b"\x89PNG")


def test_redoc_is_served_with_its_own_script(client: FlaskClient) -> None:
    page = client.get("/redoc")
    assert page.status_code == 200
    assets = _local_assets(page.get_data(as_text=True))
    assert assets == ["/static/redoc/redoc.standalone.js"]
    with client.get(assets[0]) as script:
        assert script.status_code == 200
        assert b"Redoc" in script.data[:100_000]


def test_every_operation_field_and_exchange_is_documented(app: Flask) -> None:
    spec = generate_openapi(app)
    schemas = spec["components"]["schemas"]
    undocumented = [
        f"{name}.{field}"
        for name, schema in schemas.items()
        for field, definition in schema.get("properties", {}).items()
        if not definition.get("description") and "$ref" not in definition
    ]
    assert undocumented == []
    without_example = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            where = f"{method.upper()} {path}"
            assert operation.get("description"), f"{where} has no description"
            exchanges = [("body", operation.get("requestBody", {})), *list(operation["responses"].items())]
            for status, exchange in exchanges:
                for media_type, content in exchange.get("content", {}).items():
                    if "json" not in media_type:
                        continue  # the SVG chart
                    reference = content.get("schema", {}).get("$ref", "")
                    schema = schemas.get(reference.rsplit("/", 1)[-1], {})
                    if not (content.get("example") or content.get("examples") or schema.get("examples")):
                        without_example.append(f"{where} {status}")
    assert without_example == []


def test_tags_group_operations_by_resource_in_reading_order(app: Flask) -> None:
    tags = [tag["name"] for tag in generate_openapi(app)["tags"]]

    assert tags == [
        "actors",
        "topics",
        "statements",
        "events",
        "relations",
        "analysis",
        "articles",
        "bulk",
        "changes",
        "keys",
        "health",
    ]


def _schemas_within(node: object) -> list[dict[str, object]]:
    """Every JSON object in the document, depth first: the schemas among them are found by key."""
    if isinstance(node, dict):
        return [node, *(found for value in node.values() for found in _schemas_within(value))]
    if isinstance(node, list):
        return [found for value in node for found in _schemas_within(value)]
    return []


def _committed_parameters(spec: dict[str, Any]) -> list[dict[str, Any]]:
    parameters = []
    for operations in spec["paths"].values():
        for method, operation in operations.items():
            listed = operation if method == "parameters" else operation.get("parameters", [])
            for parameter in listed:
                if "$ref" in parameter:
                    parameter = spec["components"]["parameters"][parameter["$ref"].rsplit("/", 1)[1]]
                parameters.append(parameter)
    return parameters


def test_every_enum_and_parameter_is_typed_and_each_enum_named_once() -> None:
    """Viewers show an untyped enum or parameter as "any", and an enum listed at each use
    becomes one class per use in a generated client."""
    spec = json.loads(COMMITTED.read_text())
    enums = [node for node in _schemas_within(spec) if isinstance(node.get("enum"), list)]
    assert enums
    assert [node["enum"] for node in enums if "type" not in node] == []
    untyped = [
        (parameter["in"], parameter["name"])
        for parameter in _committed_parameters(spec)
        if "type" not in parameter["schema"] and "$ref" not in parameter["schema"]
    ]
    assert untyped == []
    listed = Counter(json.dumps(sorted(map(str, node["enum"]))) for node in enums)
    assert [values for values, uses in listed.items() if uses > 1] == []
    country_code = spec["components"]["schemas"]["CountryCode"]
    assert country_code["type"] == "string"
    assert "FR" in country_code["enum"]
