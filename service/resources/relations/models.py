from __future__ import annotations

import enum
import uuid
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Date, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.data.base import Base, RecordMixin
from service.data.types import JSONType, enum_column

if TYPE_CHECKING:
    from service.resources.actors.models import Actor


class RelationKind(enum.StrEnum):
    ally = "ally"
    adversary = "adversary"
    member_of = "member_of"
    leader_of = "leader_of"
    part_of = "part_of"
    negotiates_with = "negotiates_with"


# Kinds that read the same both ways: "Ukraine adversary Russia" is "Russia adversary Ukraine".
SYMMETRIC_KINDS = frozenset({RelationKind.ally, RelationKind.adversary, RelationKind.negotiates_with})


class ActorRelation(RecordMixin, Base):
    """`subject` is `kind` of `object` (Trump leader_of United States) while it is valid."""

    __tablename__ = "actor_relations"

    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("actors.id"))
    object_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("actors.id"))
    kind: Mapped[RelationKind] = mapped_column(enum_column(RelationKind))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    source: Mapped[dict[str, Any] | None] = mapped_column(JSONType)

    subject: Mapped[Actor] = relationship(foreign_keys=[subject_id], lazy="raise")
    object: Mapped[Actor] = relationship(foreign_keys=[object_id], lazy="raise")

    __table_args__ = (
        Index("ix_actor_relations_subject_id_kind", "subject_id", "kind"),
        Index("ix_actor_relations_object_id_kind", "object_id", "kind"),
    )
