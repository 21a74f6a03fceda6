"""Accent-folded text, so 'Jürgen' is found by 'jurgen'."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case, accent-free form of `text` for case- and accent-insensitive matching."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()
