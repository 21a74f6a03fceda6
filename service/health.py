"""Liveness and readiness for load balancers and orchestrators."""

from __future__ import annotations

from typing import Any

import redis
from flask import current_app
from flask.views import MethodView
from marshmallow import Schema, fields
from sqlalchemy import text

from service.data.sessions import get_session
from service.problems import ServiceUnavailable
from service.web.blueprint import Blueprint

RETRY_SOON = {"Retry-After": "5"}

blp = Blueprint("health", __name__, description="Whether the service is up and can serve.", public=True)


class HealthSchema(Schema):
    class Meta:
        title = "Health"
        description = "The service's state."
        example = {"status": "ok", "checks": {"database": "ok"}}

    status = fields.String(required=True, metadata={"description": "Always `ok` in a 200.", "example": "ok"})
    checks = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={
            "description": "Each dependency checked and its state.",
            "example": {"database": "ok"},
        },
    )


@blp.route("/healthz")
class Liveness(MethodView):
    @blp.doc(operationId="get_liveness", summary="Is the process up", description="Checks nothing else.")
    @blp.response(200, HealthSchema)
    def get(self) -> dict[str, Any]:
        return {"status": "ok", "checks": {}}


@blp.route("/readyz")
class Readiness(MethodView):
    @blp.doc(
        operationId="get_readiness",
        summary="Can the service serve",
        description="503 when the database, or Redis when REDIS_URL is set, cannot be reached.",
    )
    @blp.response(200, HealthSchema)
    @blp.problems(503)
    def get(self) -> dict[str, Any]:
        try:
            get_session().execute(text("SELECT 1"))
        except Exception as exc:
            raise ServiceUnavailable("The database cannot be reached.", headers=RETRY_SOON) from exc
        checks = {"database": "ok"}
        redis_url = current_app.config.get("STANCELINE_REDIS_URL")
        if redis_url:
            try:
                redis.Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2).ping()
            except redis.RedisError as exc:
                raise ServiceUnavailable("Redis cannot be reached.", headers=RETRY_SOON) from exc
            checks["redis"] = "ok"
        return {"status": "ok", "checks": checks}
