from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from service.data.base import Base, RecordMixin
from service.data.types import UTCDateTime, enum_column
from service.web.roles import Role


class ApiKey(RecordMixin, Base):
    """A client's key. Only a SHA-256 digest of the secret is kept: keys are long random
    tokens, so a slow password hash would add cost without adding safety."""

    __tablename__ = "api_keys"

    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    prefix: Mapped[str] = mapped_column(String(20))
    secret_digest: Mapped[str] = mapped_column(String(64), unique=True)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
