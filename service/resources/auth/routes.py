"""HTTP routes for API keys (admins only)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask.views import MethodView

from service.data.pagination import Page, PageRequest
from service.data.sessions import get_session
from service.resources.auth import service
from service.resources.auth.models import ApiKey
from service.resources.auth.schemas import (
    ApiKeyCreateSchema,
    ApiKeyQuerySchema,
    ApiKeySchema,
    CreatedApiKeySchema,
)
from service.web.blueprint import LOCATION_HEADER, Blueprint, id_parameter
from service.web.roles import Role

blp = Blueprint(
    "keys",
    __name__,
    url_prefix="/api/v1/keys",
    description="API keys and their roles. Every operation here needs an admin key.",
)

KEY_ID_EXAMPLE = "3f1d2c4b-5a69-4e8f-9b7a-6c5d4e3f2a1b"


@blp.route("")
class KeyCollection(MethodView):
    @blp.doc(
        operationId="list_keys", summary="List API keys", description="Oldest first; revoked ones hidden."
    )
    @blp.requires(Role.admin)
    @blp.arguments(ApiKeyQuerySchema, location="query")
    @blp.paginated(ApiKeySchema)
    def get(self, args: dict[str, Any], page: PageRequest) -> Page[ApiKey]:
        return service.list_keys(get_session(), args, page)

    @blp.doc(
        operationId="create_key",
        summary="Make an API key",
        description="The answer holds the secret (`key`) this once; only its digest is stored.",
    )
    @blp.requires(Role.admin)
    @blp.arguments(ApiKeyCreateSchema)
    @blp.response(201, CreatedApiKeySchema, headers={"Location": LOCATION_HEADER})
    def post(self, data: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
        key, secret = service.create_key(get_session(), data["name"], data["role"])
        created = {name: getattr(key, name) for name in ApiKeySchema().fields} | {"key": secret}
        return created, 201, {"Location": url_for("keys.KeyItem", key_id=str(key.id))}


@blp.route("/<key_id>", parameters=[id_parameter("key_id", KEY_ID_EXAMPLE)])
class KeyItem(MethodView):
    @blp.doc(
        operationId="get_key",
        summary="Get an API key",
        description="Its name, role, prefix and when it was last used; never its secret.",
    )
    @blp.requires(Role.admin)
    @blp.response(200, ApiKeySchema)
    @blp.problems(404)
    def get(self, key_id: str) -> ApiKey:
        return service.get_key(get_session(), key_id)

    @blp.doc(
        operationId="revoke_key",
        summary="Revoke an API key",
        description="The key stops working at once; it stays listed with `include_revoked`. "
        "Revoking it again answers 409.",
    )
    @blp.requires(Role.admin)
    @blp.response(200, ApiKeySchema)
    @blp.problems(404, 409)
    def delete(self, key_id: str) -> ApiKey:
        session = get_session()
        return service.revoke_key(session, service.get_key(session, key_id))
