"""flask-smorest extended once, so every route shares the same contract conventions.

- errors are documented and answered as application/problem+json;
- `Blueprint.paginated` documents and serves the keyset page envelope and Link header;
- `Blueprint.problems` documents the error answers an operation can give;
- schemas may carry a whole-object example in `Meta.example`;
- every operation documents the role it needs (`Blueprint.requires`, or the default by method);
- ETags follow flask-smorest's, but If-Match is optional: without it a write is unconditional.
"""

from __future__ import annotations

import hashlib
import http
import json
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from functools import wraps
from typing import Any

import flask_smorest
import orjson
from apispec import BasePlugin
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Response, abort, after_this_request, request
from flask_smorest.utils import prepare_response
from marshmallow import RAISE, Schema, fields, missing, validate
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.exceptions import HTTPException
from werkzeug.http import http_date

from service.data.pagination import Page, PageRequest
from service.problems import (
    PROBLEM_CONTENT_TYPE,
    MissingBody,
    PreconditionFailed,
    UnsupportedMediaType,
    ValidationFailed,
    from_http_exception,
)
from service.values.dates import world_date_properties
from service.values.fields import NUL_MESSAGE
from service.web.enums import enum_properties
from service.web.inputs import nul_paths
from service.web.json import OrjsonProvider
from service.web.pages import page_links, page_schema_for
from service.web.roles import Role, default_role


class ProblemSchema(Schema):
    class Meta:
        title = "Problem"
        description = (
            "An RFC 9457 problem detail. `type` is `about:blank` when the HTTP status "
            "says everything, or one of `urn:stanceline:problem:validation-error`, "
            "`malformed-json`, `missing-body`, `invalid-text`, `invalid-cursor`, `not-acceptable`, "
            "`uri-too-long`, `conflict`, `still-referenced`, "
            "`service-unavailable`."
        )
        example = {
            "type": "urn:stanceline:problem:validation-error",
            "title": "Validation failed",
            "status": 422,
            "detail": "Invalid input in: country_code",
            "instance": "/api/v1/actors",
            "request_id": "4f1c2b8e9a0d4e7f",
            "errors": {"country_code": ["Not an ISO 3166-1 alpha-2 country code."]},
        }

    type = fields.String(
        required=True,
        metadata={"description": "A URI naming the kind of problem.", "example": "about:blank"},
    )
    title = fields.String(
        required=True,
        metadata={"description": "Short summary of the kind of problem.", "example": "Not Found"},
    )
    status = fields.Integer(required=True, metadata={"description": "The HTTP status code.", "example": 404})
    detail = fields.String(
        metadata={
            "description": "What went wrong with this request.",
            "example": "No actor with id or slug 'donald-trumpp'.",
        }
    )
    instance = fields.String(
        metadata={"description": "The path of the request.", "example": "/api/v1/actors/x"}
    )
    request_id = fields.String(
        metadata={
            "description": "The request's id (X-Request-ID), also in the server's logs.",
            "example": "4f1c2b8e9a0d4e7f",
        }
    )
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={
            "description": "For validation errors: field path to messages.",
            "example": {"positions.0.value": ["Must be between -1 and 1."]},
        },
    )
    references = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={
            "description": "For `still-referenced`: how many records of each kind refer to it.",
            "example": {"statements": 4},
        },
    )
    statement_id = fields.UUID(
        allow_none=True,
        metadata={
            "description": (
                "For a `conflict` on a draft already decided: the statement it was accepted into "
                "(null when it was rejected)."
            ),
            "example": "0b8f5c1e-2d3a-4c5b-9e6f-7a8b9c0d1e2f",
        },
    )


class SchemaMetaPlugin(BasePlugin):
    """Complete each component schema from its marshmallow class.

    - `Meta.example` becomes the schema's example;
    - unknown fields are refused (marshmallow's RAISE), so say `additionalProperties: false`
      (apispec leaves it out whenever a schema has a description).
    """

    def schema_helper(self, name: str, definition: Any, **kwargs: Any) -> dict[str, Any] | None:
        schema = kwargs.get("schema")
        schema_instance = schema() if isinstance(schema, type) else schema
        extra: dict[str, Any] = {}
        if isinstance(schema_instance, Schema) and schema_instance.unknown == RAISE:
            extra["additionalProperties"] = False
        example = getattr(getattr(schema, "Meta", None), "example", None)
        if example is not None:
            extra["examples"] = [example]
        if isinstance(schema_instance, Schema) and schema_instance.partial:
            # The PATCH form is its own model for client generators, which name models by title.
            extra["title"] = name
        return extra or None


def exclusive_range_properties(
    self: Any,
    field: fields.Field,  # type: ignore[type-arg]
    ret: dict[str, Any],
    **kwargs: Any,
) -> dict[str, Any]:
    """apispec: a Range that excludes its bound says `exclusiveMinimum`/`exclusiveMaximum`
    (apispec writes every bound as inclusive, so generated requests would hit it)."""
    for validator in field.validators:
        if not isinstance(validator, validate.Range):
            continue
        if validator.min is not None and not validator.min_inclusive and "minimum" in ret:
            ret["exclusiveMinimum"] = ret.pop("minimum")
        if validator.max is not None and not validator.max_inclusive and "maximum" in ret:
            ret["exclusiveMaximum"] = ret.pop("maximum")
    return {}


LINK_HEADER = {
    "description": 'RFC 8288 links with absolute URLs: to the first page, `<...>; rel="first"`, to the next '
    'page, `<...>; rel="next"` (absent on the last page), '
    'and, on lists that have one, to another view of the same data (`rel="alternate"`, e.g. a chart).',
    "schema": {"type": "string"},
}

LOCATION_HEADER = {
    "description": "The path of the created resource.",
    "schema": {"type": "string"},
}

_BODY_PROBLEMS = (400, 413, 415)


def id_parameter(name: str, example: str) -> dict[str, Any]:
    """The path parameter of a resource addressed by its id."""
    return {
        "in": "path",
        "name": name,
        "required": True,
        "description": f"The {name}'s id.",
        "schema": {"type": "string", "format": "uuid", "examples": [example]},
    }


def reference_parameter(name: str, example: str) -> dict[str, Any]:
    """The path parameter of a resource addressed by its id or its slug."""
    return {
        "in": "path",
        "name": name,
        "required": True,
        "description": f"The {name}'s id or slug.",
        "schema": {"type": "string", "examples": [example]},
    }


def schema_name(schema: type[Schema] | Schema) -> str:
    """Component names: `ActorSchema` is `Actor`; its partial (PATCH) form `ActorPatch`
    (and `StatementCreateSchema`'s partial form `StatementPatch`)."""
    schema_class = schema if isinstance(schema, type) else type(schema)
    name = schema_class.__name__.removesuffix("Schema")
    if not isinstance(schema, type) and schema.partial:
        name = name.removesuffix("Create") + "Patch"
    return name


def patch_schema(schema_class: type[Schema]) -> Schema:
    """The PATCH form of a create schema: its top-level fields become optional, while the
    items of a list sent whole (positions, participants) still need all their fields."""
    required = tuple(name for name, field in schema_class._declared_fields.items() if field.required)
    return schema_class(partial=required)


class Api(flask_smorest.Api):
    ERROR_SCHEMA = ProblemSchema

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        spec_kwargs = kwargs.setdefault("spec_kwargs", {})
        spec_kwargs.setdefault("extra_plugins", [SchemaMetaPlugin()])
        spec_kwargs.setdefault("marshmallow_plugin", MarshmallowPlugin(schema_name_resolver=schema_name))
        super().__init__(*args, **kwargs)

    def _init_spec(self, *args: Any, **kwargs: Any) -> None:
        super()._init_spec(*args, **kwargs)
        self.ma_plugin.converter.add_attribute_function(world_date_properties)
        self.ma_plugin.converter.add_attribute_function(exclusive_range_properties)
        self.ma_plugin.converter.add_attribute_function(enum_properties)

    def _register_pagination_header(self) -> None:
        """Keyset pages document their own Link header; flask-smorest's offset header is unused."""

    def handle_http_exception(self, error: HTTPException) -> Response:
        return from_http_exception(error)

    def _register_responses(self) -> None:
        # Same as flask-smorest's, but errors are application/problem+json.
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_CONTENT_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Any other error, as problem+json.", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_CONTENT_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


def _require_json_body(view: Callable[..., Any]) -> Callable[..., Any]:
    """Refuse a request whose body is absent or not JSON before it is parsed."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not request.content_length and not request.headers.get("Transfer-Encoding"):
            raise MissingBody("The request needs a JSON body.")
        if not request.is_json:
            raise UnsupportedMediaType(
                f"Send the body as application/json, not '{request.mimetype or 'none'}'."
            )
        return view(*args, **kwargs)

    return wrapper


BEARER_SCHEME = "bearerAuth"
SECURITY_SCHEMES = {
    BEARER_SCHEME: {
        "type": "http",
        "scheme": "bearer",
        "description": "An API key, sent as `Authorization: Bearer <key>`. Admins make keys with "
        "`POST /api/v1/keys` (the first one with `flask --app service.app keys create`).",
    }
}

IF_MATCH_PARAMETER = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": "The ETag of the version you read. When it no longer matches, the answer is 412 "
    "and nothing changes. Without it the write applies to whatever is current.",
    "schema": {"type": "string", "examples": ['"9f3c51b0a8e74a8d6c1f2e3d4b5a69788f7e6d5c"']},
}

IDEMPOTENCY_KEY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "A key of your choosing (1 to 255 visible ASCII characters). Retrying with the same "
    "key and body replays the first 2xx answer without writing again (`Idempotent-Replayed: true`); "
    "the same key with another body gets 422. Keys are kept for 24 hours, per API key.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7e]+$"},
}


def required_role(view_function: Callable[..., Any], method: str) -> Role:
    """The role an operation needs: as declared with `Blueprint.requires`, else by method."""
    view_class = getattr(view_function, "view_class", None)
    handler: Any = view_function
    if view_class is not None:
        handler = getattr(view_class, method.lower(), None) or getattr(view_class, "get", view_function)
    declared = getattr(handler, "_apidoc", {}).get("role")
    return Role(declared) if declared else default_role(method)


class StrictQueryParser(FlaskParser):
    """Unknown query parameters are refused like unknown body fields: a misspelt filter
    (`?actr=`) must not silently answer an unfiltered list."""

    DEFAULT_UNKNOWN_BY_LOCATION = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": RAISE,
        "querystring": RAISE,
    }

    def _raw_load_json(self, req: Any) -> Any:
        """Every JSON body is read by orjson, as the import reads its lines: a document nested
        deeper than 1,024 or holding a lone surrogate is malformed JSON (400), not a
        RecursionError or UnicodeEncodeError later; a string holding NUL is a 422 naming it."""
        if not is_json_request(req):
            return missing
        text = req.get_data(cache=True).decode("utf-8")  # UnicodeDecodeError: malformed, 400
        try:
            body = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            raise json.JSONDecodeError(exc.msg, exc.doc or text, exc.pos) from None
        refused = sorted(set(nul_paths(body)))
        if refused:
            raise ValidationFailed(
                {path: [NUL_MESSAGE] for path in refused},
                detail=f"Invalid input in: {', '.join(refused)}",
            )
        return body


def _page_request(view_args: tuple[Any, ...]) -> PageRequest:
    """The page a list's query asks for: its limit and cursor, taken out of the parsed query
    arguments (every list's query schema extends PageQuerySchema), which leaves the filters."""
    for value in view_args:
        if isinstance(value, dict) and "limit" in value:
            return PageRequest.from_args(value)
    return PageRequest()


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = StrictQueryParser()
    #: Public blueprints (health) need no key at all, whatever the settings.
    public = False

    def __init__(self, *args: Any, public: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.public = public
        self._prepare_doc_cbks.append(self._prepare_access_doc)

    @staticmethod
    def requires(role: Role) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Declare the role an operation needs, when it is not the default for its method."""

        def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
            func._apidoc = {**getattr(func, "_apidoc", {}), "role": role.value}  # type: ignore[attr-defined]
            return func

        return decorator

    def _prepare_access_doc(
        self, doc: dict[str, Any], doc_info: dict[str, Any], *, method: str, **kwargs: Any
    ) -> dict[str, Any]:
        if self.public:
            doc["security"] = []
            return doc
        responses = doc.setdefault("responses", {})
        # Any API request: NUL bytes or a query string not UTF-8 (400 invalid-text), an Accept
        # naming no type the route answers with (406), a URL too long (414).
        responses.setdefault("400", http.HTTPStatus(400).name)
        responses["406"] = http.HTTPStatus(406).name
        responses["414"] = http.HTTPStatus(414).name
        role = Role(doc_info["role"]) if "role" in doc_info else default_role(method.upper())
        responses["401"] = http.HTTPStatus(401).name
        if role is Role.reader:
            # Open unless the operator closes reads (READS_OPEN=false); a key sent is still checked.
            doc["security"] = [{BEARER_SCHEME: []}, {}]
        else:
            doc["security"] = [{BEARER_SCHEME: []}]
            responses["403"] = http.HTTPStatus(403).name
        doc["x-required-role"] = role.value
        if method.upper() == "POST":
            doc.setdefault("parameters", []).append(IDEMPOTENCY_KEY_PARAMETER)
            responses["422"] = http.HTTPStatus(422).name
        return doc

    # --- ETags: flask-smorest's, with If-Match optional ---

    @staticmethod
    def _generate_etag(etag_data: Any, extra_data: Any = None) -> str:
        """flask-smorest's ETag, a SHA-1 of the answer's JSON with its keys sorted, the JSON
        written by orjson, which does it in C."""
        if extra_data:
            etag_data = (etag_data, extra_data)
        return hashlib.sha1(OrjsonProvider.sorted_keys(etag_data), usedforsecurity=False).hexdigest()

    def _check_precondition(self) -> None:
        """A write without If-Match is unconditional (documented), so no 428."""

    def check_etag(self, etag_data: Any, etag_schema: Any = None) -> None:
        if not request.if_match:
            flask_smorest.etag._get_etag_ctx()["etag_checked"] = True
            return
        try:
            super().check_etag(etag_data, etag_schema)
        except HTTPException as exc:
            if exc.code == 412:
                raise PreconditionFailed(
                    "The record changed since you read it: If-Match does not match its ETag. "
                    "Read it again and reapply your change."
                ) from exc
            raise

    def _check_not_modified(self, etag: str) -> None:
        if request.method in self.METHODS_CHECKING_NOT_MODIFIED and etag in request.if_none_match:
            # 304 has no body; it repeats the ETag so caches can match it.
            abort(Response(status=304, headers={"ETag": f'"{etag}"'}))

    def _prepare_etag_doc(self, doc: dict[str, Any], doc_info: dict[str, Any], **kwargs: Any) -> Any:
        doc = super()._prepare_etag_doc(doc, doc_info, **kwargs)
        doc.get("responses", {}).pop(428, None)
        doc["parameters"] = [
            IF_MATCH_PARAMETER if parameter == "IF_MATCH" else parameter
            for parameter in doc.get("parameters", [])
        ]
        return doc

    def deprecated(
        self, since: date, sunset: date, successor: str | None = None
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Mark an operation deprecated: `deprecated: true` in the contract, and on every answer
        `Deprecation` (RFC 9745), `Sunset` (RFC 8594) and a link to what replaces it."""

        def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
            @wraps(func)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                @after_this_request
                def announce(response: Response) -> Response:
                    deprecated_at = datetime.combine(since, time(), tzinfo=UTC)
                    response.headers["Deprecation"] = f"@{int(deprecated_at.timestamp())}"
                    response.headers["Sunset"] = http_date(datetime.combine(sunset, time(), tzinfo=UTC))
                    if successor:
                        response.headers.add("Link", f'<{successor}>; rel="successor-version"')
                    return response

                return func(*args, **kwargs)

            return self.doc(deprecated=True)(wrapper)  # type: ignore[no-any-return]

        return decorator

    def problems(self, *statuses: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Document the problem+json answers an operation gives besides its success."""

        def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
            for status in statuses:
                func = self.alt_response(status, response=http.HTTPStatus(status).name)(func)
            return func

        return decorator

    def arguments(self, schema: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Any]:
        location = kwargs.get("location", "json")
        # One instance for every request: given a class, webargs makes a schema a request,
        # deep-copying each of its fields. Loading keeps no state.
        decorate = super().arguments(schema() if isinstance(schema, type) else schema, **kwargs)
        if location != "json":
            return decorate  # type: ignore[no-any-return]
        # A JSON body can also be missing, malformed, too large, or of the wrong content type.
        document_body_problems = self.problems(*_BODY_PROBLEMS)
        return lambda func: document_body_problems(_require_json_body(decorate(func)))

    def paginated(
        self, item_schema: type[Schema], alternate: Callable[[], str] | None = None
    ) -> Callable[[Callable[..., Page[Any]]], Any]:
        """Give the view the `page` its query asks for (a `PageRequest`, taken out of the parsed
        query arguments), and serve the `Page` it returns as {"items", "next_cursor"} with a Link
        header (rel="next", and the link `alternate` makes, such as a chart of the same data)."""
        envelope = page_schema_for(item_schema)

        def decorator(func: Callable[..., Page[Any]]) -> Any:
            @wraps(func)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                page = func(*args, page=_page_request(args), **kwargs)
                links = page_links(page.next_cursor)
                if alternate is not None:
                    links.append(alternate())
                return page, 200, {"Link": ", ".join(links)}

            documented = self.response(200, envelope, headers={"Link": LINK_HEADER})(wrapper)
            return self.problems(400)(documented)

        return decorator
