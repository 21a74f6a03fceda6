"""Ingesting articles, and reviewing the drafts found in them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from service.data.base import new_id
from service.data.pagination import Page, PageRequest, SortOrder, fetch_page
from service.problems import Conflict, NotFound, ValidationFailed
from service.references.embedded import ACTOR_REFERENCE
from service.references.lookup import FieldReferences, parse_uuid
from service.references.referrers import count_where, register_referrer
from service.resources.actors.models import Actor, ActorKind
from service.resources.articles.extract import (
    Candidate,
    Leadership,
    Lexicon,
    Term,
    TooManyDrafts,
    Who,
    extract,
)
from service.resources.articles.models import Article, ArticleDraft, DraftStatus
from service.resources.events.models import Event
from service.resources.relations.models import ActorRelation, RelationKind
from service.resources.statements import service as statements
from service.resources.statements.models import Statement
from service.resources.topics.models import Topic
from service.values.dates import Precision, to_instant

ORDER = SortOrder("articles", "created_at", (Article.created_at, Article.id))
DRAFT_ORDER = SortOrder("drafts", "span_start", (ArticleDraft.span_start, ArticleDraft.id))

register_referrer("actors", "article_drafts", count_where(ArticleDraft.speaker_id))
register_referrer("actors", "article_drafts_relayed", count_where(ArticleDraft.relayed_by_id))
register_referrer("events", "article_drafts", count_where(ArticleDraft.event_id))
register_referrer("statements", "article_drafts", count_where(ArticleDraft.statement_id))

_DRAFT_LOAD = (
    ACTOR_REFERENCE.load(joinedload(ArticleDraft.speaker), Actor),
    ACTOR_REFERENCE.load(joinedload(ArticleDraft.relayed_by), Actor),
    joinedload(ArticleDraft.article),
)


def lexicon(session: Session) -> Lexicon:
    """Every actor's name and aliases (handles among them), keyed by the actor's id; every
    event's title, keyed by the event's id; and every person recorded as leader of an actor."""
    terms = []
    names: dict[uuid.UUID, Term] = {}
    for actor_id, name, aliases, kind in session.execute(
        select(Actor.id, Actor.name, Actor.aliases, Actor.kind)
    ):
        names[actor_id] = Term(name, str(actor_id), kind == ActorKind.person)
        for text in (name, *(aliases or [])):
            terms.append(Term(text, str(actor_id), kind == ActorKind.person))
    events = [(title, str(event_id)) for event_id, title in session.execute(select(Event.id, Event.title))]
    leaderships = [
        Leadership(names[subject_id], str(object_id), since, until)
        for subject_id, object_id, since, until in session.execute(
            select(
                ActorRelation.subject_id,
                ActorRelation.object_id,
                ActorRelation.valid_from,
                ActorRelation.valid_until,
            ).where(ActorRelation.kind == RelationKind.leader_of)
        )
        if names[subject_id].is_person
    ]
    return Lexicon(terms, events, leaderships)


def _proposed(who: Who) -> dict[str, Any]:
    proposed: dict[str, Any] = {"name": who.name, "handle": who.handle}
    if who.kind is not None:
        proposed["kind"] = who.kind
    if who.name is None:
        proposed["description"] = who.description
    return proposed


def _draft_from(candidate: Candidate, article: Article, known: Lexicon) -> ArticleDraft:
    speaker_id = parse_uuid(candidate.speaker.key) if candidate.speaker.key else None
    relayed = candidate.relayed_by
    mentions = []
    for _, term in known.mentions(article.text, candidate.start, candidate.end):
        if term.key not in mentions and term.key != candidate.speaker.key:
            mentions.append(term.key)
    return ArticleDraft(
        id=new_id(),
        rule=candidate.rule,
        confidence=candidate.confidence,
        span_start=candidate.start,
        span_end=candidate.end,
        kind=candidate.kind,
        speaker_id=speaker_id,
        proposed_speaker=None if speaker_id else _proposed(candidate.speaker),
        relayed_by_id=parse_uuid(relayed.key) if relayed and relayed.key else None,
        proposed_relayed_by=(
            {"name": relayed.name, "handle": relayed.handle} if relayed and not relayed.key else None
        ),
        said_at=to_instant(candidate.said_on) if candidate.said_on else None,
        said_at_precision=Precision.day if candidate.said_on else None,
        source_url=candidate.source_url,
        event_id=parse_uuid(candidate.event_key) if candidate.event_key else None,
        positions=[],
        mentions=mentions,
    )


def ingest_article(session: Session, data: dict[str, Any]) -> Article:
    """Store the article as sent and the drafts its text yields."""
    article = Article(id=new_id(), **data)
    if article.published_at is not None:
        article.published_at = to_instant(article.published_at)
    published_on = article.published_at.date() if article.published_at else None
    known = lexicon(session)
    try:
        candidates = extract(article.text, known, published_on)
    except TooManyDrafts as exc:
        raise ValidationFailed({"text": [str(exc)]}) from None
    article.drafts = [_draft_from(candidate, article, known) for candidate in candidates]
    session.add(article)
    session.commit()
    return get_article(session, str(article.id))


def list_articles(session: Session, filters: dict[str, Any], page: PageRequest) -> Page[Article]:
    statement = select(Article).options(selectinload(Article.drafts))
    if publisher := filters.get("publisher"):
        statement = statement.where(Article.publisher == publisher)
    return fetch_page(session, statement, ORDER, page)


def get_article(session: Session, article_id: str) -> Article:
    parsed = parse_uuid(article_id)
    drafts = selectinload(Article.drafts)
    query = (
        select(Article)
        .where(Article.id == parsed)
        .options(
            ACTOR_REFERENCE.load(drafts.joinedload(ArticleDraft.speaker), Actor),
            ACTOR_REFERENCE.load(drafts.joinedload(ArticleDraft.relayed_by), Actor),
        )
        .execution_options(populate_existing=True)
    )
    article = session.scalars(query).one_or_none() if parsed else None
    if article is None:
        raise NotFound(f"No article with id '{article_id}'.")
    return article


def list_drafts(
    session: Session, article: Article, filters: dict[str, Any], page: PageRequest
) -> Page[ArticleDraft]:
    statement = select(ArticleDraft).where(ArticleDraft.article_id == article.id).options(*_DRAFT_LOAD)
    if status := filters.get("status"):
        statement = statement.where(ArticleDraft.status == status)
    return fetch_page(session, statement, DRAFT_ORDER, page)


def get_draft(session: Session, article_id: str, draft_id: str, *, for_update: bool = False) -> ArticleDraft:
    parsed_article, parsed_draft = parse_uuid(article_id), parse_uuid(draft_id)
    query = (
        select(ArticleDraft)
        .where(ArticleDraft.id == parsed_draft, ArticleDraft.article_id == parsed_article)
        .options(*_DRAFT_LOAD)
    )
    if for_update:
        query = query.with_for_update(of=ArticleDraft).execution_options(populate_existing=True)
    draft = session.scalars(query).unique().one_or_none() if parsed_article and parsed_draft else None
    if draft is None:
        raise NotFound(f"No draft '{draft_id}' in article '{article_id}'.")
    return draft


def _ensure_pending(draft: ArticleDraft) -> None:
    if draft.status is not DraftStatus.pending:
        raise Conflict(
            f"The draft is already {draft.status}.",
            statement_id=str(draft.statement_id) if draft.statement_id else None,
        )


@dataclass(frozen=True)
class _Corrections:
    """What a correction's references name, each checked."""

    speaker: Actor | None
    relayed_by: Actor | None
    event: Event | None
    positions: list[dict[str, Any]]
    mentions: list[str]
    span: tuple[int, int]


def update_draft(session: Session, draft: ArticleDraft, changes: dict[str, Any]) -> ArticleDraft:
    """Correct a pending draft; references are checked now, so acceptance finds them valid."""
    _ensure_pending(draft)
    corrections = _checked(FieldReferences(session), draft, changes)
    _correct(draft, changes, corrections)
    session.commit()
    return draft


def _checked(references: FieldReferences, draft: ArticleDraft, changes: dict[str, Any]) -> _Corrections:
    """The records the changes name; every reference that names none is reported at once."""

    def actor(name: str) -> Actor | None:
        value = changes.get(name)
        return references.resolve(Actor, value, name, "actor") if value is not None else None

    event = changes.get("event")
    corrections = _Corrections(
        speaker=actor("speaker"),
        relayed_by=actor("relayed_by"),
        event=references.resolve(Event, event, "event", "event") if event is not None else None,
        positions=_positions(references, changes.get("positions") or []),
        mentions=_mentions(references, changes.get("mentions") or []),
        span=(changes.get("span_start", draft.span_start), changes.get("span_end", draft.span_end)),
    )
    start, end = corrections.span
    if not 0 <= start < end <= len(draft.article.text):
        references.reject(
            "span_end" if "span_end" in changes else "span_start",
            f"The span must lie within the article's {len(draft.article.text)} characters, start before end.",
        )
    references.raise_if_any()
    return corrections


def _positions(references: FieldReferences, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    positions = []
    for index, item in enumerate(items):
        topic = references.resolve(Topic, item["topic"], f"positions.{index}.topic", "topic")
        if topic is not None:
            positions.append(
                {"topic": str(topic.id), "value": item["value"], "confidence": item["confidence"]}
            )
    return positions


def _mentions(references: FieldReferences, items: list[str]) -> list[str]:
    mentions: list[str] = []
    for index, reference in enumerate(items):
        mentioned = references.resolve(Actor, reference, f"mentions.{index}", "actor")
        if mentioned is not None and str(mentioned.id) not in mentions:
            mentions.append(str(mentioned.id))
    return mentions


def _correct(draft: ArticleDraft, changes: dict[str, Any], corrections: _Corrections) -> None:
    """Set what the changes name on the draft; fields not sent stay as they are."""
    draft.span_start, draft.span_end = corrections.span
    if "speaker" in changes:
        speaker = corrections.speaker
        draft.speaker, draft.speaker_id = speaker, speaker.id if speaker else None
        draft.proposed_speaker = None if speaker else draft.proposed_speaker
    if "relayed_by" in changes:
        relayed = corrections.relayed_by
        draft.relayed_by, draft.relayed_by_id = relayed, relayed.id if relayed else None
        draft.proposed_relayed_by = None
    if "event" in changes:
        draft.event_id = corrections.event.id if corrections.event else None
    if "positions" in changes:
        draft.positions = corrections.positions
    if "mentions" in changes:
        draft.mentions = corrections.mentions
    for name in ("kind", "source_url"):
        if name in changes:
            setattr(draft, name, changes[name])
    _correct_said_at(draft, changes)


def _correct_said_at(draft: ArticleDraft, changes: dict[str, Any]) -> None:
    """A date alone is a day's precision and a date-time a minute's, unless the precision is sent."""
    if "said_at" in changes:
        said_at = changes["said_at"]
        draft.said_at = to_instant(said_at) if said_at is not None else None
        draft.said_at_precision = changes.get("said_at_precision") or (
            Precision.day
            if isinstance(said_at, date) and not isinstance(said_at, datetime)
            else Precision.minute
        )
    elif "said_at_precision" in changes:
        draft.said_at_precision = changes["said_at_precision"]


def accept_draft(session: Session, draft: ArticleDraft) -> Statement:
    """Record the draft as a statement whose source is the article, in one transaction."""
    _ensure_pending(draft)
    missing = {}
    if draft.speaker_id is None:
        proposed = draft.proposed_speaker or {}
        named = " ".join(filter(None, (proposed.get("name"), proposed.get("handle")))) or "someone"
        missing["speaker"] = [f"Who said it is not known yet (the text names {named}): set `speaker`."]
    if draft.said_at is None:
        missing["said_at"] = ["When it was said is not known: set `said_at`."]
    if missing:
        raise ValidationFailed(missing, "The draft cannot become a statement yet.")
    statement_id = new_id()
    # Marked accepted first: record_statement's commit then carries both, or neither. No
    # autoflush meanwhile, so the draft is written after the statement it points to.
    draft.status, draft.statement_id = DraftStatus.accepted, statement_id
    with session.no_autoflush:
        return _record(session, draft, statement_id)


def _record(session: Session, draft: ArticleDraft, statement_id: uuid.UUID) -> Statement:
    article = draft.article
    return statements.record_statement(
        session,
        {
            "id": statement_id,
            "actor": str(draft.speaker_id),
            "kind": draft.kind,
            "text": draft.text,
            "said_at": draft.said_at,
            "said_at_precision": draft.said_at_precision,
            "language": article.language,
            "source": {
                "url": draft.source_url or article.url,
                "title": article.title,
                "publisher": article.publisher,
                "author": article.author,
                "published_at": article.published_at,
            },
            "event": draft.event_id,
            "positions": draft.positions,
            "mentions": draft.mentions,
            "article_id": article.id,
            "span_start": draft.span_start,
            "span_end": draft.span_end,
        },
    )


def reject_draft(session: Session, draft: ArticleDraft, reason: str) -> ArticleDraft:
    _ensure_pending(draft)
    draft.status, draft.rejection_reason = DraftStatus.rejected, reason
    session.commit()
    return draft


def drafts_table(article: Article, excerpt_width: int = 60) -> str:
    """The drafts as a plain-text table, for editors in a terminal."""
    headers = ("#", "rule", "conf", "kind", "speaker", "relayed by", "said", "span", "excerpt")
    rows = []
    for number, draft in enumerate(article.drafts, start=1):
        speaker = draft.speaker.name if draft.speaker else f"? {(draft.proposed_speaker or {}).get('name')}"
        relayed = (
            draft.relayed_by.name if draft.relayed_by else (draft.proposed_relayed_by or {}).get("name") or ""
        )
        excerpt = " ".join(draft.text.split())
        if len(excerpt) > excerpt_width:
            excerpt = excerpt[: excerpt_width - 1] + "…"
        said = draft.said_at.date().isoformat() if draft.said_at else "?"
        span = f"{draft.span_start}-{draft.span_end}"
        rows.append(
            (
                str(number),
                draft.rule,
                f"{draft.confidence:.2f}",
                draft.kind,
                speaker,
                relayed,
                said,
                span,
                excerpt,
            )
        )
    widths = [max(len(row[column]) for row in [headers, *rows]) for column in range(len(headers))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [headers, *rows]
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)
