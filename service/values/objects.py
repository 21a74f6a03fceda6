"""Nested objects made of a record's flat columns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def optional_object(values: Mapping[str, Any]) -> dict[str, Any] | None:
    """A nested object that is null when none of its fields is set (as the models' properties)."""
    return dict(values) if any(value is not None for value in values.values()) else None
