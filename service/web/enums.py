"""Enums in the OpenAPI document: each typed, and each named once as a component schema that
its uses reference, so that viewers show its type and generators make one class for it."""

from __future__ import annotations

from typing import Any

from marshmallow import fields

from service.values.fields import NamedOneOf

_JSON_TYPES = ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string"))


def _json_type(values: list[Any]) -> str:
    for python_type, json_type in _JSON_TYPES:
        if all(isinstance(value, python_type) for value in values):
            return json_type
    raise TypeError(f"An enum mixes types: {values!r}")


def _enum_name(field: fields.Field) -> str | None:  # type: ignore[type-arg]
    if isinstance(field, fields.Enum):
        return field.enum.__name__
    for validator in field.validators:
        if isinstance(validator, NamedOneOf):
            return validator.name
    return None


def enum_properties(
    self: Any,
    field: fields.Field,  # type: ignore[type-arg]
    ret: dict[str, Any],
    **kwargs: Any,
) -> dict[str, Any]:
    """apispec: an enum gets its `type`; a named one (an Enum class, a NamedOneOf) becomes a
    component schema, and the field a `$ref` to it (with `null` beside it when nullable)."""
    if "enum" not in ret:
        return {}
    values = [value for value in ret["enum"] if value is not None]
    nullable = len(values) < len(ret["enum"])
    json_type = _json_type(values)
    name = _enum_name(field)
    if name is None:
        ret.setdefault("type", [json_type, "null"] if nullable else json_type)
        return {}
    component = {"type": json_type, "enum": values, "examples": values[:1]}
    known = self.spec.components.schemas.get(name)
    if known is None:
        self.spec.components.schema(name, component)
    elif known != component:
        raise ValueError(f"Two enums are named {name}: {known['enum']!r} and {values!r}")
    for key in ("enum", "type", "format"):
        ret.pop(key, None)
    ref = self.spec.components.get_ref("schema", name)
    if nullable:
        ret["anyOf"] = [ref, {"type": "null"}]
    else:
        ret.update(ref)
    return {}
