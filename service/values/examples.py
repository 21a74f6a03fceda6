"""Fixed ids of the demo records, made from their keys, so documentation examples name real
demo records: an example id tried in Swagger UI against the demo data finds its record."""

from __future__ import annotations

import uuid

_NAMESPACE = uuid.UUID("7d5a3c9e-1f2b-4e6d-9a8c-5b4f3e2d1c0a")


def seed_id(resource: str, key: str) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, f"{resource}/{key}")


def seed_id_text(resource: str, key: str) -> str:
    return str(seed_id(resource, key))
