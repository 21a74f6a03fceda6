"""Who is calling (their API key) and whether their role allows the operation, for every request."""

from __future__ import annotations

from flask import Flask, current_app, g, request

from service.config import Settings
from service.data.sessions import get_database
from service.problems import Forbidden, Unauthorized
from service.resources.auth.service import find_active_key
from service.resources.revisions.service import API_KEY_INFO
from service.web.blueprint import Blueprint, required_role
from service.web.roles import Role


def bearer_secret() -> str | None:
    """The key sent in `Authorization: Bearer <key>`; 401 when the header is there but malformed."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Unauthorized("Send the API key as 'Authorization: Bearer <key>'.")
    return secret.strip()


def _authorize(settings: Settings) -> None:
    if request.method == "OPTIONS" or request.endpoint is None:
        return  # CORS preflight, unknown routes and 405s carry no data
    blueprint = current_app.blueprints.get(request.blueprint or "")
    if not isinstance(blueprint, Blueprint) or blueprint.public:
        return
    needed = required_role(current_app.view_functions[request.endpoint], request.method)
    secret = bearer_secret()
    if secret is None:
        if needed is Role.reader and settings.reads_open:
            return
        raise Unauthorized(f"This operation needs an API key with the {needed} role.")
    with get_database().new_session() as session:
        key = find_active_key(session, secret)
    if key is None:
        raise Unauthorized("The API key is unknown or has been revoked.")
    g.api_key_id = key.id
    g.session_info = {API_KEY_INFO: key.id}  # revisions record who wrote
    if not key.role.allows(needed):
        raise Forbidden(f"This operation needs the {needed} role; the key has the {key.role} role.")


def init_app(app: Flask, settings: Settings) -> None:
    app.before_request(lambda: _authorize(settings))
