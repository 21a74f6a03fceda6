"""Making, finding and revoking API keys."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from service.data.base import utcnow
from service.data.pagination import Page, PageRequest, SortOrder, fetch_page
from service.problems import Conflict
from service.references.lookup import get_by_reference
from service.resources.auth.models import ApiKey
from service.web.roles import Role

KEY_PREFIX = "stl_"
# Writing last_used_at on every request would turn each read into a write; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)
BY_CREATION = SortOrder("api_keys", "created_at", (ApiKey.created_at, ApiKey.id))


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_key(session: Session, name: str, role: Role) -> tuple[ApiKey, str]:
    """A new key and its secret; the secret is not kept and cannot be shown again."""
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(name=name, role=role, prefix=secret[:12], secret_digest=digest(secret))
    session.add(key)
    session.commit()
    return key, secret


def list_keys(session: Session, filters: dict[str, Any], page: PageRequest) -> Page[ApiKey]:
    statement = select(ApiKey)
    if role := filters.get("role"):
        statement = statement.where(ApiKey.role == role)
    if not filters.get("include_revoked"):
        statement = statement.where(ApiKey.revoked_at.is_(None))
    return fetch_page(session, statement, BY_CREATION, page)


def get_key(session: Session, key_id: str) -> ApiKey:
    return get_by_reference(session, ApiKey, key_id, "API key")


def revoke_key(session: Session, key: ApiKey) -> ApiKey:
    if key.revoked_at is not None:
        raise Conflict(f"The API key '{key.id}' is already revoked.")
    key.revoked_at = utcnow()
    session.commit()
    return key


def find_active_key(session: Session, secret: str) -> ApiKey | None:
    """The unrevoked key with this secret, noting that it was used."""
    key = session.scalars(select(ApiKey).where(ApiKey.secret_digest == digest(secret))).one_or_none()
    if key is None or key.revoked_at is not None:
        return None
    now = utcnow()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
        # End the read first: the update then waits for SQLite's write lock instead of failing.
        session.commit()
        session.execute(update(ApiKey).where(ApiKey.id == key.id).values(last_used_at=now))
        session.commit()
        key.last_used_at = now
    return key
