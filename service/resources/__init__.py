"""The resources, one folder each: models, schemas, service (the domain logic) and routes;
`records` is the create, update and delete they share."""

from __future__ import annotations


def load_all_models() -> None:
    """Import every model module, so that the metadata (and Alembic) knows every table."""
    import service.resources.actors.models
    import service.resources.articles.models
    import service.resources.auth.models
    import service.resources.events.models
    import service.resources.relations.models
    import service.resources.revisions.models
    import service.resources.statements.models
    import service.resources.topics.models
    import service.web.idempotency  # noqa: F401  # its stored answers are a table too
