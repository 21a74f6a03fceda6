"""The application factory: configuration, extensions, routes and error handling."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path
from typing import Any

import flask_swagger_ui
from flask import Blueprint, Flask, Request, Response, g, request
from flask.sessions import SessionInterface, SessionMixin

from service import cli, metrics
from service.config import Settings
from service.data import sessions
from service.health import blp as health_blueprint
from service.logs import configure_logging
from service.problems import register_error_handlers
from service.resources.actors.routes import blp as actors_blueprint
from service.resources.analysis.routes import blp as analysis_blueprint
from service.resources.articles.routes import blp as articles_blueprint
from service.resources.auth import access
from service.resources.auth.routes import blp as keys_blueprint
from service.resources.bulk.routes import blp as bulk_blueprint
from service.resources.events.routes import blp as events_blueprint
from service.resources.relations.routes import blp as relations_blueprint
from service.resources.revisions.routes import blp as changes_blueprint
from service.resources.statements.routes import blp as statements_blueprint
from service.resources.topics.routes import blp as topics_blueprint
from service.web import compression, idempotency, inputs, limits
from service.web.blueprint import BEARER_SCHEME, SECURITY_SCHEMES, Api
from service.web.json import OrjsonProvider

_STATIC = Path(__file__).parent / "static"
_SWAGGER_UI_DIST = Path(flask_swagger_ui.__file__).parent / "dist"

API_DESCRIPTION = """\
Stanceline records what political actors say and do, and how their positions shift.

Conventions: JSON in and out; references are ids or slugs; lists are keyset-paginated
(`limit`, `cursor`, `next_cursor`, `Link: rel="next"`); every error is
`application/problem+json` (RFC 9457); unknown body fields and query parameters are refused (422).

Access: send an API key as `Authorization: Bearer <key>`. Reads are open unless the operator
closes them; writes need an `editor` key, key management an `admin` key (401 without a valid
key, 403 with too low a role). Requests are rate limited per address and per key (429 with
`Retry-After`; `X-RateLimit-*` headers on every answer).

Safe writes: every record answers with an `ETag`; send it back in `If-Match` on PATCH or
DELETE to get 412 instead of overwriting a change you have not seen (without `If-Match` the
write is unconditional). `If-None-Match` on GET answers 304 when nothing changed. A POST with
an `Idempotency-Key` may be retried safely: the first answer is replayed, nothing is written twice.

History: every change is kept. `GET .../{id}/revisions` lists a record's revisions, `?as_of=`
reads it as it was, and `GET /api/v1/changes` is the feed to keep a copy in sync.
"""


def _static_blueprint() -> Blueprint:
    """Swagger UI and ReDoc assets served by the service itself: no CDN, works offline."""
    static = Blueprint("assets", __name__)
    static.add_url_rule(
        "/static/swagger-ui/<path:filename>",
        endpoint="swagger_ui",
        view_func=lambda filename: _send(_SWAGGER_UI_DIST, filename),
    )
    static.add_url_rule(
        "/static/redoc/<path:filename>",
        endpoint="redoc",
        view_func=lambda filename: _send(_STATIC / "redoc", filename),
    )
    static.add_url_rule(
        "/favicon.ico",
        endpoint="favicon",
        view_func=lambda: _send(_SWAGGER_UI_DIST, "favicon-32x32.png"),
    )
    return static


def _send(directory: Path, filename: str) -> Response:
    from flask import send_from_directory

    return send_from_directory(directory, filename, max_age=86400)


def _install_request_hooks(app: Flask) -> None:
    @app.before_request
    def _assign_request_id() -> None:
        incoming = request.headers.get("X-Request-ID", "")
        valid = 0 < len(incoming) <= 128 and incoming.isprintable()
        g.request_id = incoming if valid else uuid.uuid4().hex

    @app.after_request
    def _echo_request_id(response: Response) -> Response:
        response.headers["X-Request-ID"] = g.get("request_id", "")
        # Answers are data, never pages to sniff, frame or leak a referrer from.
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response


class _NoCookieSessions(SessionInterface):
    """The API is stateless: no cookie session is read or signed on any request (Flask's
    default opens one on each, which cost a signing serializer a request)."""

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        return self.make_null_session(app)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        return None


def _database(settings: Settings) -> sessions.Database:
    return sessions.Database(
        settings.database_url,
        statement_timeout_ms=settings.statement_timeout_ms,
        pooler=settings.database_pooler,
    )


def _register_routes(app: Flask) -> None:
    """The API's blueprints, documented by one Api."""
    api = Api(app, spec_kwargs={"info": {"description": API_DESCRIPTION}})
    api.spec.components.security_scheme(BEARER_SCHEME, SECURITY_SCHEMES[BEARER_SCHEME])
    api.register_blueprint(actors_blueprint)
    api.register_blueprint(topics_blueprint)
    api.register_blueprint(statements_blueprint)
    api.register_blueprint(events_blueprint)
    api.register_blueprint(relations_blueprint)
    api.register_blueprint(analysis_blueprint)
    api.register_blueprint(articles_blueprint)
    api.register_blueprint(bulk_blueprint)
    api.register_blueprint(changes_blueprint)
    api.register_blueprint(keys_blueprint)
    api.register_blueprint(health_blueprint)


def create_app(settings: Settings | None = None, **overrides: Any) -> Flask:
    settings = settings or Settings.from_environment()
    settings.refuse_to_start_unsafely()
    app = Flask(__name__)
    app.json = OrjsonProvider(app)
    app.session_interface = _NoCookieSessions()
    app.config.update(settings.flask_config())
    app.config.update(overrides)
    app.json.sort_keys = False
    configure_logging(logging.INFO)

    sessions.init_app(app, _database(settings))
    register_error_handlers(app)
    compression.init_app(app)
    _install_request_hooks(app)
    metrics.init_app(app)
    # Order matters: limits count every attempt, then the key is checked, then idempotency
    # (which needs to know the key) may answer from a stored response.
    limits.init_app(app, settings)
    inputs.init_app(app)
    access.init_app(app, settings)
    idempotency.init_app(app, settings)

    _register_routes(app)
    app.register_blueprint(_static_blueprint())
    cli.init_app(app)
    return app
