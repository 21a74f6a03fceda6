"""Answers written straight to JSON-ready dicts on the read paths that serialise many rows.

marshmallow's dump stays the one source of truth for an answer's shape. Every fast writer is
registered in `WRITERS` against the schema whose plain dump it stands for: an embedded
reference's writer is derived from its schema's fields, the others are written by hand, and
tests/test_representation.py holds every registered writer equal to marshmallow's own dump,
field by field, in both ways of writing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any, Protocol, TypeVar

from marshmallow import Schema, fields

from service.references.embedded import ACTOR_REFERENCE, EVENT_REFERENCE, TOPIC_REFERENCE, EmbeddedReference
from service.values.dates import WorldDate


class Represented(dict[str, Any]):
    """An answer already written as its schema's plain dump would write it (by a read path that
    builds answers from rows), its ids and instants perhaps `AS_VALUES`: the dump passes it on
    as it is, to go out as JSON."""


def instant(value: datetime) -> str:
    """A UTC instant as WorldDate and DateTime fields write it."""
    return value.astimezone(UTC).isoformat()


def as_it_is(value: Any) -> Any:
    """A value orjson writes as the dump's text by itself."""
    return value


@dataclass(frozen=True, eq=False)
class Writing:
    """How a fast writer holds ids, instants, texts and enums.

    As text (`AS_TEXT`), it is exactly what the schema's dump gives, to store, compare and hash.
    As the values they are (`AS_VALUES`, instants in UTC), for an answer that only goes out as
    JSON: orjson writes them as the same text, in C, where `str` of a UUID and `isoformat` are
    Python calls. Compared by identity: a writer asks `is` which it was given."""

    uuid: Callable[[Any], Any]
    instant: Callable[[datetime], Any]
    text: Callable[[Any], Any]
    enum: Callable[[Any], Any]


AS_TEXT = Writing(str, instant, str, attrgetter("value"))
AS_VALUES = Writing(as_it_is, lambda value: value.astimezone(UTC), as_it_is, as_it_is)
WRITINGS = (AS_TEXT, AS_VALUES)


class Writer(Protocol):
    """Writes `record` as its schema's plain dump would (`AS_TEXT`), or as values (`AS_VALUES`)."""

    def __call__(self, record: Any, writing: Writing = ..., /) -> dict[str, Any]: ...


WRITERS: dict[type[Schema], Writer] = {}
"""Every fast writer, by the schema whose plain dump it stands for."""

W = TypeVar("W", bound=Writer)


def writes(schema: type[Schema]) -> Callable[[W], W]:
    """Registers the decorated writer as `schema`'s, so the generic test holds it to the schema."""

    def register(writer: W) -> W:
        if schema in WRITERS:
            raise ValueError(f"{schema.__name__} has a writer already: {WRITERS[schema]!r}")
        WRITERS[schema] = writer
        return writer

    return register


class HandWrittenDump(Schema):
    """A schema whose plain dump (no only/exclude) is its registered writer's, as text."""

    def dump(self, obj: Any, *, many: bool | None = None) -> Any:
        if self.only is not None or self.exclude:
            return super().dump(obj, many=many)
        write = WRITERS[type(self)]
        many = self.many if many is None else many
        if many:
            return [record if isinstance(record, Represented) else write(record, AS_TEXT) for record in obj]
        return obj if isinstance(obj, Represented) else write(obj, AS_TEXT)

    def generic_dump(self, obj: Any, *, many: bool | None = None) -> Any:
        """marshmallow's own dump of the same schema: what the registered writer must equal."""
        return super().dump(obj, many=many)


def _conversion(name: str, field: fields.Field[Any]) -> Callable[[Writing], Callable[[Any], Any]]:
    """How a reference's field is written in each way of writing, as its dump writes it."""
    if isinstance(field, fields.UUID):
        return lambda writing: writing.uuid
    if isinstance(field, WorldDate | fields.DateTime):
        return lambda writing: writing.instant
    if isinstance(field, fields.Enum) and field.by_value is True:
        return lambda writing: writing.enum
    if isinstance(field, fields.String):
        return lambda writing: writing.text
    raise TypeError(
        f"{name}: a {type(field).__name__} field cannot be derived; "
        "write the reference by hand and register it"
    )


def _item(key: str, attribute: str, convert: str | None, allow_none: bool) -> str:
    """One `key: value` of a reference's dict literal, its value read and converted by `convert`."""
    read = f"record.{attribute}"
    if convert is None:
        return f"{key}: {read}"
    if allow_none:  # null stays null, as the dump writes it
        return f"{key}: None if (value := {read}) is None else {convert}(value)"
    return f"{key}: {convert}({read})"


def reference_writer(reference: EmbeddedReference, prefix: str = "") -> Writer:
    """The writer of an embedded reference, made from its schema's fields (keys, attributes and
    types), so a field added to the schema is written without touching the fast path.

    It is compiled to a dict literal for each way of writing, as dataclasses compile `__init__`:
    a literal is what keeps it as fast as a writer written by hand. `prefix` reads the columns
    from a row that names them as `service.references.embedded.labelled(prefix, ...)` does."""
    schema, name = reference.schema, f"write_{reference.schema.__name__}"
    namespace: dict[str, Any] = {"AS_TEXT": AS_TEXT}
    lines = [f"def {name}(record, writing=AS_TEXT, /):"]
    for number, writing in enumerate(WRITINGS):
        namespace[f"writing_{number}"] = writing
        items = []
        for index, (field_name, field) in enumerate(schema._declared_fields.items()):
            attribute = field.attribute or field_name
            attribute = f"{prefix}_{attribute}" if prefix else attribute
            if not attribute.isidentifier():
                raise TypeError(f"{schema.__name__}.{field_name}: {attribute!r} is not an attribute's name")
            convert = _conversion(f"{schema.__name__}.{field_name}", field)(writing)
            convert_name = None if convert is as_it_is else f"convert_{number}_{index}"
            if convert_name is not None:
                namespace[convert_name] = convert
            items.append(_item(repr(field.data_key or field_name), attribute, convert_name, field.allow_none))
        lines += [f"    if writing is writing_{number}:", f"        return {{{', '.join(items)}}}"]
    source = "\n".join([*lines, "    raise ValueError(f'not a way of writing: {writing!r}')", ""])
    exec(compile(source, f"<{name}>", "exec"), namespace)  # noqa: S102 (names of the schema's own)
    write: Writer = namespace[name]
    write.__module__ = __name__
    write.__doc__ = f"What {schema.__name__} dumps, made from its fields:\n\n{source}"
    return write


ACTOR_REF = writes(ACTOR_REFERENCE.schema)(reference_writer(ACTOR_REFERENCE))
TOPIC_REF = writes(TOPIC_REFERENCE.schema)(reference_writer(TOPIC_REFERENCE))
EVENT_REF = writes(EVENT_REFERENCE.schema)(reference_writer(EVENT_REFERENCE))
