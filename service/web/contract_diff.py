"""Breaking changes between two OpenAPI documents: what would break a client generated from the
older one. (oasdiff does this well but is a Go binary; the rules /api/v1 promises are few.)

Breaking: an operation or path removed; a parameter removed, newly required, or its type
changed; a request body field newly required or removed, or accepting fewer values; a
success response removed, or a field of it removed, no longer always present, or of another
type; enum values removed from a request or added to a response.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

METHODS = ("get", "put", "post", "patch", "delete", "head", "options")


class _Spec:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document

    def resolve(self, schema: Any) -> dict[str, Any]:
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema and seen < 50:
            node: Any = self.document
            for part in schema["$ref"].removeprefix("#/").split("/"):
                node = node[part]
            schema, seen = node, seen + 1
        return schema if isinstance(schema, dict) else {}


def _types(schema: dict[str, Any]) -> set[str]:
    declared = schema.get("type")
    if declared is None:
        return set()
    return {declared} if isinstance(declared, str) else set(declared)


def _compare_schema(
    old_spec: _Spec, new_spec: _Spec, old: Any, new: Any, where: str, *, request: bool, depth: int = 0
) -> Iterator[str]:
    old, new = old_spec.resolve(old), new_spec.resolve(new)
    if depth > 12 or not old or not new:
        return
    old_types, new_types = _types(old), _types(new)
    if old_types and new_types:
        lost = old_types - new_types if request else new_types - old_types
        if lost:
            side = "accepts no longer" if request else "may now be"
            yield f"{where}: {side} of type {', '.join(sorted(lost))}"
    old_enum, new_enum = set(map(str, old.get("enum", []))), set(map(str, new.get("enum", [])))
    if old_enum and new_enum:
        if request and old_enum - new_enum:
            yield f"{where}: no longer accepts {', '.join(sorted(old_enum - new_enum))}"
        if not request and new_enum - old_enum:
            yield f"{where}: may now answer {', '.join(sorted(new_enum - old_enum))}"
    old_properties, new_properties = old.get("properties", {}), new.get("properties", {})
    old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
    for name, old_property in old_properties.items():
        field = f"{where}.{name}"
        if name not in new_properties:
            yield f"{field}: removed"
            continue
        if not request and name in old_required and name not in new_required:
            yield f"{field}: no longer always present"
        yield from _compare_schema(
            old_spec, new_spec, old_property, new_properties[name], field, request=request, depth=depth + 1
        )
    if request:
        for name in sorted(new_required - old_required):
            yield f"{where}.{name}: newly required"
    if "items" in old and "items" in new:
        yield from _compare_schema(
            old_spec, new_spec, old["items"], new["items"], f"{where}[]", request=request, depth=depth + 1
        )


def _json_schema(spec: _Spec, holder: Any) -> Any:
    content = spec.resolve(holder).get("content", {})
    for media_type, body in content.items():
        if "json" in media_type:
            return body.get("schema")
    return None


def _parameters(
    spec: _Spec, path_item: dict[str, Any], operation: dict[str, Any]
) -> dict[tuple[str, str], Any]:
    found = {}
    for raw in [*path_item.get("parameters", []), *operation.get("parameters", [])]:
        parameter = spec.resolve(raw)
        found[(parameter.get("in", ""), parameter.get("name", ""))] = parameter
    return found


def breaking_changes(old_document: dict[str, Any], new_document: dict[str, Any]) -> list[str]:
    old_spec, new_spec = _Spec(old_document), _Spec(new_document)
    problems: list[str] = []
    for path, old_item in old_document.get("paths", {}).items():
        new_item = new_document.get("paths", {}).get(path)
        if new_item is None:
            problems.append(f"{path}: path removed")
            continue
        for method in METHODS:
            if method not in old_item:
                continue
            where = f"{method.upper()} {path}"
            if method not in new_item:
                problems.append(f"{where}: operation removed")
                continue
            old_op, new_op = old_item[method], new_item[method]
            old_parameters = _parameters(old_spec, old_item, old_op)
            new_parameters = _parameters(new_spec, new_item, new_op)
            for key, old_parameter in old_parameters.items():
                new_parameter = new_parameters.get(key)
                if new_parameter is None:
                    problems.append(f"{where}: parameter {key[1]} removed")
                    continue
                if new_parameter.get("required") and not old_parameter.get("required"):
                    problems.append(f"{where}: parameter {key[1]} now required")
                problems.extend(
                    _compare_schema(
                        old_spec,
                        new_spec,
                        old_parameter.get("schema"),
                        new_parameter.get("schema"),
                        f"{where} parameter {key[1]}",
                        request=True,
                    )
                )
            for key, new_parameter in new_parameters.items():
                if key not in old_parameters and new_parameter.get("required"):
                    problems.append(f"{where}: new required parameter {key[1]}")
            old_body, new_body = old_op.get("requestBody"), new_op.get("requestBody")
            if old_body and new_body:
                problems.extend(
                    _compare_schema(
                        old_spec,
                        new_spec,
                        _json_schema(old_spec, old_body),
                        _json_schema(new_spec, new_body),
                        f"{where} body",
                        request=True,
                    )
                )
            elif new_body and new_spec.resolve(new_body).get("required") and not old_body:
                problems.append(f"{where}: now needs a body")
            for status, old_response in old_op.get("responses", {}).items():
                if not str(status).startswith("2"):
                    continue
                new_response = new_op.get("responses", {}).get(status)
                if new_response is None:
                    problems.append(f"{where}: response {status} removed")
                    continue
                problems.extend(
                    _compare_schema(
                        old_spec,
                        new_spec,
                        _json_schema(old_spec, old_response),
                        _json_schema(new_spec, new_response),
                        f"{where} {status}",
                        request=False,
                    )
                )
    return problems
