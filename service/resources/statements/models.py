from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Column, Float, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from service.data.base import Base, RecordMixin
from service.data.types import UTCDateTime, enum_column
from service.values.dates import Precision
from service.values.objects import optional_object

if TYPE_CHECKING:
    from service.resources.actors.models import Actor
    from service.resources.events.models import Event
    from service.resources.topics.models import Topic


class StatementKind(enum.StrEnum):
    quote = "quote"
    paraphrase = "paraphrase"
    post = "post"
    repost = "repost"
    speech = "speech"
    interview = "interview"
    document = "document"


statement_mentions = Table(
    "statement_mentions",
    Base.metadata,
    Column("statement_id", ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True),
    Column("actor_id", ForeignKey("actors.id"), primary_key=True),
    Index("ix_statement_mentions_actor_id", "actor_id", "statement_id"),
)


class StatementPosition(Base):
    """A statement's position on one topic.

    The statement's actor and date are copied here (the service keeps them equal), so that
    an actor's positions on a topic in time order are one index range.
    """

    __tablename__ = "statement_positions"

    statement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True
    )
    topic_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("topics.id"), primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    confidence: Mapped[float] = mapped_column(Float)
    actor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("actors.id"))
    said_at: Mapped[datetime] = mapped_column(UTCDateTime())

    topic: Mapped[Topic] = relationship(lazy="raise")
    statement: Mapped[Statement] = relationship(lazy="raise", back_populates="positions")

    __table_args__ = (
        CheckConstraint("value >= -1 AND value <= 1", name="value_range"),
        CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence_range"),
        Index(
            "ix_statement_positions_actor_topic_said_at", "actor_id", "topic_id", "said_at", "statement_id"
        ),
        Index("ix_statement_positions_topic_said_at", "topic_id", "said_at", "statement_id"),
    )


class Statement(RecordMixin, Base):
    __tablename__ = "statements"

    actor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("actors.id"))
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[StatementKind] = mapped_column(enum_column(StatementKind))
    said_at: Mapped[datetime] = mapped_column(UTCDateTime())
    said_at_precision: Mapped[Precision] = mapped_column(enum_column(Precision))
    language: Mapped[str | None] = mapped_column(String(35))
    source_url: Mapped[str | None] = mapped_column(String(2000))
    source_title: Mapped[str | None] = mapped_column(String(500))
    source_publisher: Mapped[str | None] = mapped_column(String(200))
    source_author: Mapped[str | None] = mapped_column(String(200))
    source_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reposted_from_name: Mapped[str | None] = mapped_column(String(200))
    reposted_from_handle: Mapped[str | None] = mapped_column(String(100))
    reposted_from_url: Mapped[str | None] = mapped_column(String(2000))
    event_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("events.id"))
    # Set when the statement was accepted from a draft: the article and where its words are.
    article_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("articles.id"))
    article_span_start: Mapped[int | None] = mapped_column()
    article_span_end: Mapped[int | None] = mapped_column()
    # Set by a full-text search (service/data/search.py); None otherwise.
    relevance: Mapped[float | None] = query_expression()

    actor: Mapped[Actor] = relationship(lazy="raise")
    event: Mapped[Event | None] = relationship(lazy="raise")
    positions: Mapped[list[StatementPosition]] = relationship(
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="raise",
        order_by=StatementPosition.topic_id,
        back_populates="statement",
    )
    mentions: Mapped[list[Actor]] = relationship(
        secondary=statement_mentions, passive_deletes=True, lazy="raise", order_by="Actor.slug"
    )

    __table_args__ = (
        Index("ix_statements_actor_id_said_at_id", "actor_id", "said_at", "id"),
        Index("ix_statements_said_at_id", "said_at", "id"),
        Index("ix_statements_event_id_said_at_id", "event_id", "said_at", "id"),
        Index("ix_statements_kind_said_at_id", "kind", "said_at", "id"),
    )

    @property
    def article(self) -> dict[str, object] | None:
        if self.article_id is None:
            return None
        return {
            "id": self.article_id,
            "span_start": self.article_span_start,
            "span_end": self.article_span_end,
        }

    @property
    def source(self) -> dict[str, object] | None:
        return optional_object(
            {
                "url": self.source_url,
                "title": self.source_title,
                "publisher": self.source_publisher,
                "author": self.source_author,
                "published_at": self.source_published_at,
            }
        )

    @property
    def reposted_from(self) -> dict[str, object] | None:
        return optional_object(
            {
                "name": self.reposted_from_name,
                "handle": self.reposted_from_handle,
                "url": self.reposted_from_url,
            }
        )
