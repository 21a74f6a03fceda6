from __future__ import annotations

from marshmallow import Schema, fields

from service.values.fields import Text
from service.web.pages import PageQuerySchema
from service.web.roles import Role

API_KEY_EXAMPLE = {
    "id": "3f1d2c4b-5a69-4e8f-9b7a-6c5d4e3f2a1b",
    "name": "newsroom importer",
    "role": "editor",
    "prefix": "stl_Xq3vT9bL",
    "created_at": "2025-09-24T08:00:00+00:00",
    "last_used_at": "2025-09-24T09:12:00+00:00",
    "revoked_at": None,
}


class ApiKeyCreateSchema(Schema):
    class Meta:
        title = "ApiKeyCreate"
        description = "A new API key: who it is for and what it may do."
        example = {"name": "newsroom importer", "role": "editor"}

    name = Text(
        max_length=200,
        required=True,
        metadata={"description": "Who or what uses the key.", "example": "newsroom importer"},
    )
    role = fields.Enum(
        Role,
        by_value=True,
        required=True,
        metadata={"description": "`reader` reads, `editor` also writes, `admin` also manages keys."},
    )


class ApiKeySchema(Schema):
    class Meta:
        title = "ApiKey"
        description = "An API key as stored: its secret is never shown again after creation."
        example = API_KEY_EXAMPLE

    id = fields.UUID(dump_only=True, required=True, metadata={"description": "The key's id."})
    name = fields.String(required=True, metadata={"description": "Who or what uses the key."})
    role = fields.Enum(Role, by_value=True, required=True, metadata={"description": "What the key may do."})
    prefix = fields.String(
        required=True,
        metadata={"description": "The first characters of the secret, to tell keys apart."},
    )
    created_at = fields.DateTime(required=True, metadata={"description": "When it was made."})
    last_used_at = fields.DateTime(
        required=True,
        allow_none=True,
        metadata={"description": "When it was last used, to the minute; null if never."},
    )
    revoked_at = fields.DateTime(
        required=True,
        allow_none=True,
        metadata={"description": "When it was revoked; null while it works."},
    )


class CreatedApiKeySchema(ApiKeySchema):
    class Meta:
        title = "CreatedApiKey"
        description = "A new key with its secret, shown this once: store it now."
        example = {**API_KEY_EXAMPLE, "last_used_at": None, "key": "stl_Xq3vT9bL..."}

    key = fields.String(
        required=True,
        metadata={"description": "The secret to send as `Authorization: Bearer <key>`; shown only here."},
    )


class ApiKeyQuerySchema(PageQuerySchema):
    role = fields.Enum(Role, by_value=True, metadata={"description": "Only keys with this role."})
    include_revoked = fields.Boolean(
        load_default=False, metadata={"description": "Also list revoked keys.", "example": False}
    )
