"""Answers written straight to JSON-ready dicts on the read paths that serialise many rows.

marshmallow's dump stays the reference for every answer: a schema that inherits
`HandWrittenDump` answers with its `represent`, and tests/test_representation.py holds each
writer equal to the schema's own dump, field by field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from marshmallow import Schema


class Represented(dict[str, Any]):
    """An answer already written as its schema's plain dump would write it (by a read path that
    builds answers from rows), its ids and instants perhaps `AS_VALUES`: the dump passes it on
    as it is, to go out as JSON."""


class HandWrittenDump(Schema):
    """A schema whose plain dump (no only/exclude) is the subclass's `represent`."""

    def represent(self, record: Any) -> dict[str, Any]:
        raise NotImplementedError

    def dump(self, obj: Any, *, many: bool | None = None) -> Any:
        if self.only is not None or self.exclude:
            return super().dump(obj, many=many)
        many = self.many if many is None else many
        if many:
            return [self._represent(record) for record in obj]
        return self._represent(obj)

    def _represent(self, record: Any) -> dict[str, Any]:
        return record if isinstance(record, Represented) else self.represent(record)

    def generic_dump(self, obj: Any, *, many: bool | None = None) -> Any:
        """marshmallow's own dump of the same schema: what `represent` must equal."""
        return super().dump(obj, many=many)


def instant(value: datetime) -> str:
    """A UTC instant as WorldDate and DateTime fields write it."""
    return value.astimezone(UTC).isoformat()


@dataclass(frozen=True)
class Writing:
    """How an answer written by hand holds its ids and instants.

    As text (`AS_TEXT`), it is what the schema's dump gives, to store, compare and hash. As the
    values they are (`AS_VALUES`, instants in UTC), for an answer that only goes out as JSON:
    orjson writes them as the same text, in C, where `str` of a UUID and `isoformat` cost a few
    microseconds each in Python, some ten of each in a statement (bench/README.md)."""

    uuid: Callable[[Any], Any]
    instant: Callable[[datetime], Any]


AS_TEXT = Writing(str, instant)
AS_VALUES = Writing(lambda value: value, lambda value: value.astimezone(UTC))


def write_reference(record_id: Any, slug: str, name: str, writing: Writing = AS_TEXT) -> dict[str, Any]:
    """What ActorRefSchema and TopicRefSchema dump, written directly."""
    return {"id": writing.uuid(record_id), "slug": slug, "name": name}


def write_actor_ref(actor: Any) -> dict[str, Any]:
    return write_reference(actor.id, actor.slug, actor.name)


def write_topic_ref(topic: Any) -> dict[str, Any]:
    return write_reference(topic.id, topic.slug, topic.name)


def write_event_reference(
    event_id: Any, title: str, kind: Any, start_at: Any, start_precision: Any, writing: Writing = AS_TEXT
) -> dict[str, Any]:
    """What EventRefSchema dumps, written directly."""
    return {
        "id": writing.uuid(event_id),
        "title": title,
        "kind": kind.value,
        "start": writing.instant(start_at),
        "start_precision": start_precision.value,
    }


def write_event_ref(event: Any) -> dict[str, Any]:
    return write_event_reference(event.id, event.title, event.kind, event.start_at, event.start_precision)
