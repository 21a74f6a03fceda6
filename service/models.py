"""Imports every model module, so that metadata (and Alembic) knows every table."""

from __future__ import annotations


def load_all_models() -> None:
    import service.actors.models
    import service.articles.models
    import service.auth.models
    import service.events.models
    import service.idempotency
    import service.relations.models
    import service.revisions.models
    import service.statements.models
    import service.topics.models  # noqa: F401
