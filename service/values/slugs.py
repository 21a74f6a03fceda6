"""Slugs: the URL-safe names of actors and topics."""

from __future__ import annotations

import re
import uuid

from slugify import slugify

SLUG_MAX_LENGTH = 100
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_SLUG_RE = re.compile(SLUG_PATTERN)


def make_slug(name: str) -> str:
    """A URL-safe slug from a name, accents folded ('Jürgen Nauditt' -> 'jurgen-nauditt'),
    never one that looks like a UUID (it gets a `slug-` prefix)."""
    slug = slugify(name, max_length=SLUG_MAX_LENGTH, word_boundary=True) or "item"
    # A slug that reads as a UUID would be taken for an id in a URL, and be refused when given.
    return f"slug-{slug}" if looks_like_uuid(slug) else slug


def is_valid_slug(value: str) -> bool:
    return bool(_SLUG_RE.match(value)) and not looks_like_uuid(value)


def looks_like_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
