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
        if not isinstance(schema, dict):
            return {}
        return self._nullable(schema)

    def _nullable(self, schema: dict[str, Any]) -> dict[str, Any]:
        """`anyOf: [X, {type: null}]` (a nullable named schema) read as X that also takes null,
        so that a value moved behind a reference is compared with what it was inline."""
        alternatives = schema.get("anyOf")
        if not isinstance(alternatives, list) or {"type": "null"} not in alternatives:
            return schema
        others = [alternative for alternative in alternatives if alternative != {"type": "null"}]
        if len(others) != 1:
            return schema
        inner = self.resolve(others[0])
        merged = {**inner, **{key: value for key, value in schema.items() if key != "anyOf"}}
        if _types(inner):
            merged["type"] = sorted(_types(inner) | {"null"})
        if "enum" in inner:
            merged["enum"] = [*inner["enum"], None]
        return merged


def _types(schema: dict[str, Any]) -> set[str]:
    declared = schema.get("type")
    if declared is None:
        return set()
    return {declared} if isinstance(declared, str) else set(declared)


def _type_changes(old: dict[str, Any], new: dict[str, Any], where: str, *, request: bool) -> Iterator[str]:
    old_types, new_types = _types(old), _types(new)
    if old_types and new_types:
        lost = old_types - new_types if request else new_types - old_types
        if lost:
            side = "accepts no longer" if request else "may now be"
            yield f"{where}: {side} of type {', '.join(sorted(lost))}"


def _enum_changes(old: dict[str, Any], new: dict[str, Any], where: str, *, request: bool) -> Iterator[str]:
    old_enum, new_enum = set(map(str, old.get("enum", []))), set(map(str, new.get("enum", [])))
    if not old_enum or not new_enum:
        return
    if request and old_enum - new_enum:
        yield f"{where}: no longer accepts {', '.join(sorted(old_enum - new_enum))}"
    if not request and new_enum - old_enum:
        yield f"{where}: may now answer {', '.join(sorted(new_enum - old_enum))}"


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


class _Diff:
    """The two documents side by side, walked from paths down to fields, so that each step
    compares one kind of thing and says what broke in the order a reader meets it."""

    def __init__(self, old_document: dict[str, Any], new_document: dict[str, Any]) -> None:
        self.old, self.new = _Spec(old_document), _Spec(new_document)

    def paths(self) -> Iterator[str]:
        new_paths = self.new.document.get("paths", {})
        for path, old_item in self.old.document.get("paths", {}).items():
            new_item = new_paths.get(path)
            if new_item is None:
                yield f"{path}: path removed"
                continue
            for method in METHODS:
                if method not in old_item:
                    continue
                where = f"{method.upper()} {path}"
                if method not in new_item:
                    yield f"{where}: operation removed"
                    continue
                yield from self.operation(where, old_item, new_item, method)

    def operation(
        self, where: str, old_item: dict[str, Any], new_item: dict[str, Any], method: str
    ) -> Iterator[str]:
        old_op, new_op = old_item[method], new_item[method]
        yield from self.parameters(
            where, _parameters(self.old, old_item, old_op), _parameters(self.new, new_item, new_op)
        )
        yield from self.body(where, old_op.get("requestBody"), new_op.get("requestBody"))
        yield from self.responses(where, old_op.get("responses", {}), new_op.get("responses", {}))

    def parameters(
        self, where: str, old: dict[tuple[str, str], Any], new: dict[tuple[str, str], Any]
    ) -> Iterator[str]:
        for key, old_parameter in old.items():
            new_parameter = new.get(key)
            if new_parameter is None:
                yield f"{where}: parameter {key[1]} removed"
                continue
            if new_parameter.get("required") and not old_parameter.get("required"):
                yield f"{where}: parameter {key[1]} now required"
            yield from self.schema(
                old_parameter.get("schema"),
                new_parameter.get("schema"),
                f"{where} parameter {key[1]}",
                request=True,
            )
        for key, new_parameter in new.items():
            if key not in old and new_parameter.get("required"):
                yield f"{where}: new required parameter {key[1]}"

    def body(self, where: str, old_body: Any, new_body: Any) -> Iterator[str]:
        if old_body and new_body:
            old_schema, new_schema = _json_schema(self.old, old_body), _json_schema(self.new, new_body)
            yield from self.schema(old_schema, new_schema, f"{where} body", request=True)
        elif new_body and self.new.resolve(new_body).get("required") and not old_body:
            yield f"{where}: now needs a body"

    def responses(self, where: str, old: dict[str, Any], new: dict[str, Any]) -> Iterator[str]:
        for status, old_response in old.items():
            if not str(status).startswith("2"):
                continue
            new_response = new.get(status)
            if new_response is None:
                yield f"{where}: response {status} removed"
                continue
            old_schema, new_schema = (
                _json_schema(self.old, old_response),
                _json_schema(self.new, new_response),
            )
            yield from self.schema(old_schema, new_schema, f"{where} {status}", request=False)

    def schema(self, old: Any, new: Any, where: str, *, request: bool, depth: int = 0) -> Iterator[str]:
        old, new = self.old.resolve(old), self.new.resolve(new)
        if depth > 12 or not old or not new:
            return
        yield from _type_changes(old, new, where, request=request)
        yield from _enum_changes(old, new, where, request=request)
        yield from self.properties(old, new, where, request=request, depth=depth)
        if "items" in old and "items" in new:
            yield from self.schema(old["items"], new["items"], f"{where}[]", request=request, depth=depth + 1)

    def properties(
        self, old: dict[str, Any], new: dict[str, Any], where: str, *, request: bool, depth: int
    ) -> Iterator[str]:
        new_properties = new.get("properties", {})
        old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
        for name, old_property in old.get("properties", {}).items():
            field = f"{where}.{name}"
            if name not in new_properties:
                yield f"{field}: removed"
                continue
            if not request and name in old_required and name not in new_required:
                yield f"{field}: no longer always present"
            yield from self.schema(
                old_property, new_properties[name], field, request=request, depth=depth + 1
            )
        if request:
            for name in sorted(new_required - old_required):
                yield f"{where}.{name}: newly required"


def breaking_changes(old_document: dict[str, Any], new_document: dict[str, Any]) -> list[str]:
    return list(_Diff(old_document, new_document).paths())
