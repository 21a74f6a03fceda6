from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, Enum, Float, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from service.data.base import Base, RecordMixin
from service.data.types import JSONType, UTCDateTime
from service.values.dates import Precision

if TYPE_CHECKING:
    from service.resources.actors.models import Actor
    from service.resources.topics.models import Topic


class EventKind(enum.StrEnum):
    summit = "summit"
    meeting = "meeting"
    speech = "speech"
    statement_release = "statement_release"
    attack = "attack"
    military_operation = "military_operation"
    annexation = "annexation"
    agreement = "agreement"
    sanction = "sanction"
    election = "election"
    vote = "vote"
    protest = "protest"
    other = "other"


class ParticipantRole(enum.StrEnum):
    host = "host"
    participant = "participant"
    initiator = "initiator"
    target = "target"
    mediator = "mediator"


def enum_column(enum_class: type[enum.StrEnum]) -> Enum:
    return Enum(enum_class, native_enum=False, length=30)


event_topics = Table(
    "event_topics",
    Base.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topics.id"), primary_key=True),
    Index("ix_event_topics_topic_id", "topic_id", "event_id"),
)


class EventParticipant(Base):
    __tablename__ = "event_participants"

    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    actor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("actors.id"), primary_key=True)
    role: Mapped[ParticipantRole] = mapped_column(enum_column(ParticipantRole))

    actor: Mapped[Actor] = relationship(lazy="raise")

    __table_args__ = (Index("ix_event_participants_actor_id", "actor_id", "event_id"),)


class Event(RecordMixin, Base):
    __tablename__ = "events"

    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind))
    description: Mapped[str | None] = mapped_column(Text)
    start_at: Mapped[datetime] = mapped_column(UTCDateTime())
    start_precision: Mapped[Precision] = mapped_column(enum_column(Precision))
    end_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    end_precision: Mapped[Precision | None] = mapped_column(enum_column(Precision))
    # The instant after the event's last period: start's period when it has no end.
    # Kept by the service, so "events overlapping [since, until)" is two indexed comparisons.
    ends_before: Mapped[datetime] = mapped_column(UTCDateTime())
    location_name: Mapped[str | None] = mapped_column(String(300))
    location_country_code: Mapped[str | None] = mapped_column(String(2))
    location_lat: Mapped[float | None] = mapped_column(Float)
    location_lon: Mapped[float | None] = mapped_column(Float)
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("events.id"))

    participants: Mapped[list[EventParticipant]] = relationship(
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="raise",
        order_by=(EventParticipant.role, EventParticipant.actor_id),
    )
    topics: Mapped[list[Topic]] = relationship(secondary=event_topics, passive_deletes=True, lazy="raise")
    # Set by a full-text search (service/data/search.py); None otherwise.
    relevance: Mapped[float | None] = query_expression()
    parent: Mapped[Event | None] = relationship(remote_side="Event.id", lazy="raise")

    __table_args__ = (
        Index("ix_events_start_at_id", "start_at", "id"),
        Index("ix_events_kind_start_at_id", "kind", "start_at", "id"),
        Index("ix_events_location_country_code_start_at_id", "location_country_code", "start_at", "id"),
        Index("ix_events_parent_id", "parent_id"),
    )

    @property
    def location(self) -> dict[str, object] | None:
        location: dict[str, object] = {
            "name": self.location_name,
            "country_code": self.location_country_code,
            "lat": self.location_lat,
            "lon": self.location_lon,
        }
        return location if any(value is not None for value in location.values()) else None
