from __future__ import annotations

import enum

from sqlalchemy import Enum, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.data.base import Base, RecordMixin
from service.data.search import keep_search_text
from service.data.types import JSONType


class ActorKind(enum.StrEnum):
    person = "person"
    state = "state"
    organization = "organization"
    group = "group"
    media = "media"


class Actor(RecordMixin, Base):
    __tablename__ = "actors"

    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[ActorKind] = mapped_column(Enum(ActorKind, native_enum=False, length=20))
    aliases: Mapped[list[str]] = mapped_column(JSONType, default=list)
    description: Mapped[str | None] = mapped_column(Text)
    country_code: Mapped[str | None] = mapped_column(String(2))
    wikidata_id: Mapped[str | None] = mapped_column(String(20))
    links: Mapped[list[str]] = mapped_column(JSONType, default=list)
    # Name and aliases folded to lower case without accents, for the `q` filter.
    search_text: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        Index("ix_actors_kind_slug", "kind", "slug"),
        Index("ix_actors_country_code_slug", "country_code", "slug"),
    )


keep_search_text(Actor, lambda actor: [actor.name, *(actor.aliases or [])])
