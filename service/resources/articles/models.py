from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.data.base import Base, RecordMixin
from service.data.types import JSONType, UTCDateTime, enum_column
from service.resources.statements.models import StatementKind
from service.values.dates import Precision

if TYPE_CHECKING:
    from service.resources.actors.models import Actor
    from service.resources.statements.models import Statement


class DraftStatus(enum.StrEnum):
    pending = "pending"
    accepted = "accepted"
    rejected = "rejected"


class Article(RecordMixin, Base):
    """A news article as sent: its text is never altered, so offsets into it stay true."""

    __tablename__ = "articles"

    url: Mapped[str | None] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(String(500))
    publisher: Mapped[str | None] = mapped_column(String(200))
    author: Mapped[str | None] = mapped_column(String(200))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    language: Mapped[str | None] = mapped_column(String(35))
    text: Mapped[str] = mapped_column(Text)

    drafts: Mapped[list[ArticleDraft]] = relationship(
        back_populates="article",
        cascade="all, delete-orphan",
        lazy="raise",
        order_by="ArticleDraft.span_start, ArticleDraft.span_end, ArticleDraft.id",
    )


class ArticleDraft(RecordMixin, Base):
    """A statement proposed from a span of an article, to be corrected, accepted or rejected."""

    __tablename__ = "article_drafts"

    article_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    status: Mapped[DraftStatus] = mapped_column(enum_column(DraftStatus), default=DraftStatus.pending)
    rule: Mapped[str] = mapped_column(String(50))
    confidence: Mapped[float] = mapped_column()
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    kind: Mapped[StatementKind] = mapped_column(enum_column(StatementKind))
    speaker_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("actors.id"))
    # Who the text names as speaker when no actor matches yet: {"name", "handle"}.
    proposed_speaker: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    relayed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("actors.id"))
    proposed_relayed_by: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    said_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    said_at_precision: Mapped[Precision | None] = mapped_column(enum_column(Precision))
    source_url: Mapped[str | None] = mapped_column(String(2000))
    event_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("events.id"))
    # [{"topic": id, "value", "confidence"}] and [actor id]: what the statement will carry.
    positions: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    mentions: Mapped[list[str]] = mapped_column(JSONType, default=list)
    statement_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("statements.id", ondelete="SET NULL"))
    rejection_reason: Mapped[str | None] = mapped_column(String(1000))

    article: Mapped[Article] = relationship(back_populates="drafts", lazy="raise_on_sql")
    speaker: Mapped[Actor | None] = relationship(foreign_keys=[speaker_id], lazy="raise")
    relayed_by: Mapped[Actor | None] = relationship(foreign_keys=[relayed_by_id], lazy="raise")
    # Declared so that a flush inserts the accepted statement before the draft that points to it.
    statement: Mapped[Statement | None] = relationship(lazy="raise")

    __table_args__ = (Index("ix_article_drafts_article_id_span_start", "article_id", "span_start"),)

    @property
    def text(self) -> str:
        """Always the article's own words at the span."""
        return self.article.text[self.span_start : self.span_end]
