from __future__ import annotations

import enum


class Role(enum.StrEnum):
    """What a key may do; each role may do all that the roles before it may."""

    reader = "reader"
    editor = "editor"
    admin = "admin"

    def allows(self, needed: Role) -> bool:
        order = list(Role)
        return order.index(self) >= order.index(needed)


def default_role(method: str) -> Role:
    """Reads need a reader (or nothing, when reads are open); every write needs an editor."""
    return Role.reader if method in ("GET", "HEAD") else Role.editor
