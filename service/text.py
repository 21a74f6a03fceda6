"""Slugs and accent-folded text, so 'Jürgen' is found by 'jurgen'."""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from slugify import slugify
from sqlalchemy import event

SLUG_MAX_LENGTH = 100
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_SLUG_RE = re.compile(SLUG_PATTERN)


def make_slug(name: str) -> str:
    """A URL-safe slug from a name, accents folded ('Jürgen Nauditt' -> 'jurgen-nauditt')."""
    return slugify(name, max_length=SLUG_MAX_LENGTH, word_boundary=True) or "item"


def is_valid_slug(value: str) -> bool:
    return bool(_SLUG_RE.match(value)) and not looks_like_uuid(value)


def looks_like_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def fold(text: str) -> str:
    """Lower-case, accent-free form of `text` for case- and accent-insensitive matching."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def keep_search_text(model: type[Any], texts_of: Callable[[Any], Iterable[str | None]]) -> None:
    """Keep `model.search_text` equal to the folded texts of each row, on every write."""

    def refresh(_mapper: Any, _connection: Any, record: Any) -> None:
        record.search_text = "\n".join(fold(text) for text in texts_of(record) if text)

    event.listen(model, "before_insert", refresh)
    event.listen(model, "before_update", refresh)
