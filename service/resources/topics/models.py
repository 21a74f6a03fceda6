from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.data.base import Base, RecordMixin
from service.data.search import keep_search_text


class Topic(RecordMixin, Base):
    """A position on a topic is a value from -1 (negative pole) to +1 (positive pole)."""

    __tablename__ = "topics"

    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    negative_pole: Mapped[str] = mapped_column(String(300))
    positive_pole: Mapped[str] = mapped_column(String(300))
    # Name folded to lower case without accents, for the `q` filter.
    search_text: Mapped[str] = mapped_column(Text, default="")


keep_search_text(Topic, lambda topic: [topic.name])
