"""What actors' positions were, when they moved, and what happened in between.

Rules, as documented in the OpenAPI descriptions:
- A position is dated at the start of its statement's period: a statement known only to the
  month ("August 2025") sorts at the 1st of that month.
- Shifts compare an actor's positions day by day: positions on the same UTC day (by their
  dates) are one daily position, the confidence-weighted mean of their values (the plain mean
  when every confidence is 0). A shift is a pair of consecutive daily positions on one topic
  whose values differ by at least `min_delta`.
- The events between a shift's two positions are those whose time (start to end, at their
  precision) overlaps the window from `lookback_days` before the earlier position to the end of
  the later position's period: what prompts a position is often just before its first recorded
  statement, and statements are often recorded when reported rather than when said.
- Stances and alignment use the single latest position as of a date (ties: the higher
  confidence, then the later-recorded statement), so each value names the statement behind it.
"""

from __future__ import annotations

import itertools
import uuid
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from typing import Any

from sqlalchemy import (
    Select,
    String,
    Uuid,
    and_,
    func,
    literal,
    null,
    or_,
    select,
    tuple_,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session, load_only, selectinload

from service.data.dialects import in_ids, utc_month_index
from service.data.pagination import Page, PageRequest, SortOrder, fetch_page
from service.data.rows import plain_rows
from service.data.sessions import streaming_session
from service.problems import ValidationFailed
from service.references.embedded import ACTOR_REFERENCE, EVENT_REFERENCE, labelled, referenced
from service.references.lookup import FieldReferences, get_by_reference
from service.resources.actors.models import Actor
from service.resources.analysis.chart import ChartData, Marker, Point
from service.resources.events.models import Event, EventParticipant, event_topics
from service.resources.events.service import EVENT_REFERENCES
from service.resources.statements.models import Statement, StatementPosition, statement_mentions
from service.resources.statements.service import with_references
from service.resources.topics.models import Topic
from service.values.dates import Precision, period_end, range_end, range_start

# What a statement excerpt shows (see StatementExcerptSchema).
EXCERPT_COLUMNS = (
    Statement.id,
    Statement.kind,
    Statement.text,
    Statement.said_at,
    Statement.said_at_precision,
    Statement.source_url,
)
STABLE_TREND = 0.1  # a change in distance smaller than this is "stable"


# The columns each embedded reference shows.
ACTOR_COLUMNS = ACTOR_REFERENCE.columns(Actor)
EVENT_COLUMNS = EVENT_REFERENCE.columns(Event)


def _actor(session: Session, reference: str) -> Actor:
    return get_by_reference(session, Actor, reference, "actor")


def _topic_filter(session: Session, reference: str | None, field_name: str = "topic") -> Topic | None:
    if not reference:
        return None
    references = FieldReferences(session)
    topic = references.resolve(Topic, reference, field_name, "topic")
    references.raise_if_any()
    return topic


# --- timeline -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineItem:
    type: str
    at: datetime
    precision: Precision
    statement: Statement | None = None
    event: Event | None = None


def actor_timeline(
    session: Session, actor_reference: str, filters: dict[str, Any], page: PageRequest
) -> Page[TimelineItem]:
    """The actor's statements and the events it took part in, merged in time order."""
    actor = _actor(session, actor_reference)
    topic = _topic_filter(session, filters.get("topic"))
    said, happened = _said(actor, topic, filters), _happened(actor, topic, filters)
    keys = _merged_page(session, said, happened, page, descending=filters.get("sort") == "-at")
    return Page(items=_timeline_items(session, keys.items), next_cursor=keys.next_cursor)


# A timeline item's key: its type ("statement" or "event"), its id and when it is.
TimelineKeys = Select[str, uuid.UUID, datetime]


def _said(actor: Actor, topic: Topic | None, filters: dict[str, Any]) -> TimelineKeys:
    """The timeline's statements as (type, id, at) keys."""
    said = select(
        literal("statement", String).label("type"), Statement.id.label("id"), Statement.said_at.label("at")
    ).where(Statement.actor_id == actor.id)
    if topic is not None:
        said = said.where(
            Statement.id.in_(
                select(StatementPosition.statement_id).where(StatementPosition.topic_id == topic.id)
            )
        )
    if (since := filters.get("since")) is not None:
        said = said.where(Statement.said_at >= range_start(since))
    if (until := filters.get("until")) is not None:
        said = said.where(Statement.said_at < range_end(until))
    return said


def _happened(actor: Actor, topic: Topic | None, filters: dict[str, Any]) -> TimelineKeys:
    """The timeline's events as (type, id, at) keys: those still going on at `since` count."""
    happened = (
        select(literal("event", String).label("type"), Event.id.label("id"), Event.start_at.label("at"))
        .join(EventParticipant, EventParticipant.event_id == Event.id)
        .where(EventParticipant.actor_id == actor.id)
    )
    if topic is not None:
        happened = happened.where(
            Event.id.in_(select(event_topics.c.event_id).where(event_topics.c.topic_id == topic.id))
        )
    if (since := filters.get("since")) is not None:
        happened = happened.where(Event.ends_before > range_start(since))
    if (until := filters.get("until")) is not None:
        happened = happened.where(Event.start_at < range_end(until))
    return happened


def _merged_page(
    session: Session, said: TimelineKeys, happened: TimelineKeys, page: PageRequest, *, descending: bool
) -> Page[Any]:
    """One page of the two sides' keys merged in time order, in one query."""
    name = "-at" if descending else "at"
    # Each side is cut to the page's size on its own index before the merge: the first items of
    # the merged order are among the first items of each side.
    sides = []
    for side, moment, identity in (
        (said, Statement.said_at, Statement.id),
        (happened, Event.start_at, Event.id),
    ):
        side_order = SortOrder("timeline", name, (moment, identity), descending)
        if page.cursor:  # each side binds the key the merged page is cut after
            side = side.where(side_order.after())
        cut = side.order_by(*side_order.order_by()).limit(page.limit + 1).subquery()
        sides.append(select(cut.c.type, cut.c.id, cut.c.at))  # SQLite: no LIMIT directly in a UNION
    merged = union_all(*sides).subquery("timeline")
    order = SortOrder("timeline", name, (merged.c.at, merged.c.id), descending)
    return fetch_page(session, select(merged.c.type, merged.c.id, merged.c.at), order, page)


def _timeline_items(session: Session, keys: Sequence[Any]) -> list[TimelineItem]:
    """The page's statements and events, each read with its references in one query."""
    statement_ids = [row.id for row in keys if row.type == "statement"]
    event_ids = [row.id for row in keys if row.type == "event"]
    statements = {
        s.id: s
        for s in session.scalars(with_references(select(Statement)).where(Statement.id.in_(statement_ids)))
    }
    events = {e.id: e for e in session.scalars(_events_with_references().where(Event.id.in_(event_ids)))}
    items = []
    for row in keys:
        if row.type == "statement":
            said_item = statements[row.id]
            items.append(
                TimelineItem("statement", said_item.said_at, said_item.said_at_precision, statement=said_item)
            )
        else:
            event = events[row.id]
            items.append(TimelineItem("event", event.start_at, event.start_precision, event=event))
    return items


def _events_with_references() -> Any:
    return select(Event).options(*EVENT_REFERENCES)


# --- positions ------------------------------------------------------------------------------


POSITIONS_ORDER = SortOrder(
    "positions", "said_at", (StatementPosition.said_at, StatementPosition.statement_id)
)


def actor_positions(
    session: Session, actor_reference: str, filters: dict[str, Any], page: PageRequest
) -> Page[StatementPosition]:
    """The actor's positions on a topic in time order, each with its statement."""
    actor = _actor(session, actor_reference)
    topic = _topic_filter(session, filters["topic"])
    assert topic is not None
    statement = (
        select(StatementPosition)
        .options(selectinload(StatementPosition.statement))
        .where(StatementPosition.actor_id == actor.id, StatementPosition.topic_id == topic.id)
    )
    if (since := filters.get("since")) is not None:
        statement = statement.where(StatementPosition.said_at >= range_start(since))
    if (until := filters.get("until")) is not None:
        statement = statement.where(StatementPosition.said_at < range_end(until))
    return fetch_page(session, statement, POSITIONS_ORDER, page)


# --- shifts ---------------------------------------------------------------------------------


@dataclass
class DailyPosition:
    topic_id: uuid.UUID
    day: date
    said_at: datetime
    value: float
    statement_ids: list[uuid.UUID]  # the day's statements, the representative one first
    statement: Statement | None = None  # the representative, once loaded

    @property
    def precision(self) -> Precision:
        assert self.statement is not None, "loaded by _explain"
        return self.statement.said_at_precision

    @property
    def statements_that_day(self) -> int:
        return len(self.statement_ids)


@dataclass
class PickedEvent:
    event: Any  # what an EventRef shows (id, title, kind, start_at, start_precision)
    reasons: list[str]
    mentioned_actors: list[Any] = field(default_factory=list)  # what an ActorRef shows


@dataclass
class Shift:
    topic: Topic
    start: DailyPosition
    end: DailyPosition
    events_between: list[PickedEvent] = field(default_factory=list)

    @property
    def delta(self) -> float:
        return round(self.end.value - self.start.value, 6)

    @property
    def direction(self) -> str:
        return "toward_positive" if self.delta > 0 else "toward_negative"

    @property
    def days(self) -> int:
        return (self.end.day - self.start.day).days

    @property
    def key(self) -> tuple[uuid.UUID, datetime, uuid.UUID]:
        return _shift_key(self.end)


SHIFTS_ORDER = SortOrder(
    "shifts",
    "topic,to",
    (StatementPosition.topic_id, StatementPosition.said_at, StatementPosition.statement_id),
)


def _daily_positions(rows: Iterable[Any]) -> Iterator[DailyPosition]:
    """Positions ordered by topic and date, merged per topic and UTC day, as they stream in."""
    group: list[tuple[Any, ...]] = []
    for row in rows:
        topic_id, value, confidence, said_at, statement_id = row
        if group and (topic_id != group[0][0] or said_at.date() != group[0][3].date()):
            yield _merge_day(group)
            group = []
        group.append((topic_id, value, confidence, said_at, statement_id))
    if group:
        yield _merge_day(group)


def _merge_day(group: list[tuple[Any, ...]]) -> DailyPosition:
    topic_id, value, _, said_at, statement_id = group[0]
    if len(group) == 1:
        return DailyPosition(topic_id, said_at.date(), said_at, value, [statement_id])
    total = sum(row[2] for row in group)
    mean = (
        sum(row[1] * row[2] for row in group) / total
        if total > 0
        else sum(row[1] for row in group) / len(group)
    )
    representative = max(group, key=lambda row: (row[2], row[3], row[4]))
    others = [row[4] for row in group if row is not representative]
    return DailyPosition(topic_id, said_at.date(), said_at, round(mean, 6), [representative[4], *others])


def actor_shifts(
    session: Session, actor_reference: str, filters: dict[str, Any], page: PageRequest
) -> Page[Shift]:
    """One page of the actor's shifts, found by reading its positions from the page's start on.

    The read starts at the day of the previous page's last shift (its `to` is the next shift's
    `from` at the earliest) and stops once the page is full, so a page costs what it shows.
    """
    actor = _actor(session, actor_reference)
    topic = _topic_filter(session, filters.get("topic"))
    min_delta: float = filters["min_delta"]
    after = page.after(SHIFTS_ORDER)
    pivots = _pivots(session, _positions_from(actor, topic, after), min_delta, after, page.limit)
    topic_ids = {earlier.topic_id for earlier, _ in pivots}
    topics = {t.id: t for t in session.scalars(select(Topic).where(Topic.id.in_(topic_ids)))}
    shifts = [Shift(topics[earlier.topic_id], earlier, later) for earlier, later in pivots]
    shown = fetch_page(session, shifts, SHIFTS_ORDER, page, key_of=lambda shift: shift.key)
    _explain(session, actor, shown.items, timedelta(days=filters["lookback_days"]))
    return shown


# A position as shifts read it: topic, value, confidence, said_at, statement.
PositionRows = Select[uuid.UUID, float, float, datetime, uuid.UUID]


def _positions_from(actor: Actor, topic: Topic | None, after: tuple[Any, ...] | None) -> PositionRows:
    """The actor's positions by topic and date, from the day of the shift a page starts after."""
    positions = (
        select(
            StatementPosition.topic_id,
            StatementPosition.value,
            StatementPosition.confidence,
            StatementPosition.said_at,
            StatementPosition.statement_id,
        )
        .where(StatementPosition.actor_id == actor.id)
        .order_by(StatementPosition.topic_id, StatementPosition.said_at, StatementPosition.statement_id)
        .execution_options(yield_per=256)
    )
    if topic is not None:
        positions = positions.where(StatementPosition.topic_id == topic.id)
    if after is not None:
        day_start = after[1].replace(hour=0, minute=0, second=0, microsecond=0)
        positions = positions.where(
            tuple_(StatementPosition.topic_id, StatementPosition.said_at) >= (after[0], day_start)
        )
    return positions


def _pivots(
    session: Session, positions: PositionRows, min_delta: float, after: tuple[Any, ...] | None, limit: int
) -> list[tuple[DailyPosition, DailyPosition]]:
    """The pairs of consecutive daily positions that make shifts, one more than a page holds,
    read as they stream in so that a page stops reading once it is full."""
    pivots: list[tuple[DailyPosition, DailyPosition]] = []
    # Closing the result ends the server-side cursor when the page fills before the rows end.
    with streaming_session(session) as streaming, closing(streaming.execute(positions)) as rows:
        for earlier, later in itertools.pairwise(_daily_positions(rows)):
            if earlier.topic_id != later.topic_id or abs(later.value - earlier.value) < min_delta - 1e-9:
                continue
            if after is not None and _shift_key(later) <= after:
                continue
            pivots.append((earlier, later))
            if len(pivots) > limit:
                break
    return pivots


def _shift_key(later: DailyPosition) -> tuple[uuid.UUID, datetime, uuid.UUID]:
    return (later.topic_id, later.said_at, later.statement_ids[0])


def _window(shift: Shift, lookback: timedelta) -> tuple[datetime, datetime]:
    return shift.start.said_at - lookback, period_end(shift.end.said_at, shift.end.precision)


def _explain(session: Session, actor: Actor, shifts: Sequence[Shift], lookback: timedelta) -> None:
    """Attach each shift's statements and the events between its positions, with reasons."""
    if not shifts:
        return
    mentioned_by = _attach_statements(session, shifts)
    all_mentioned = set().union(*mentioned_by.values())
    windows = [_window(shift, lookback) for shift in shifts]
    topic_ids = {shift.topic.id for shift in shifts}
    candidates = _events_in_windows(session, {actor.id, *all_mentioned}, topic_ids, windows)
    named_in = _pick_events(actor, shifts, windows, candidates, mentioned_by)
    _name_mentioned_actors(session, named_in)


def _attach_statements(session: Session, shifts: Sequence[Shift]) -> dict[uuid.UUID, set[uuid.UUID]]:
    """Give each shift's positions their representative statement, and answer the actors each
    of the shifts' statements mentions: two queries for the whole page."""
    statement_ids = {
        sid for shift in shifts for sid in (*shift.start.statement_ids, *shift.end.statement_ids)
    }
    # Hundreds of ids: one array parameter on PostgreSQL (dialects.in_ids), where an IN
    # list made a new text of several kilobytes for psycopg to parse on every request.
    ids = {"ids": list(statement_ids)}
    statements = {
        s.id: s
        for s in session.scalars(
            select(Statement).options(load_only(*EXCERPT_COLUMNS)).where(in_ids(Statement.id, "ids")), ids
        )
    }
    mentioned_by: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for statement_id, actor_id in session.execute(
        select(statement_mentions.c.statement_id, statement_mentions.c.actor_id).where(
            in_ids(statement_mentions.c.statement_id, "ids")
        ),
        ids,
    ):
        mentioned_by[statement_id].add(actor_id)
    for shift in shifts:
        shift.start.statement = statements[shift.start.statement_ids[0]]
        shift.end.statement = statements[shift.end.statement_ids[0]]
    return mentioned_by


def _pick_events(
    actor: Actor,
    shifts: Sequence[Shift],
    windows: Sequence[tuple[datetime, datetime]],
    candidates: Sequence[_Candidate],
    mentioned_by: dict[uuid.UUID, set[uuid.UUID]],
) -> list[tuple[PickedEvent, set[uuid.UUID]]]:
    """Add to each shift the candidates in its window that have a reason to be there; answer
    those picked because they involve an actor its statements mention, with those actors."""
    starts = [event.start_at for event in candidates]
    named_in: list[tuple[PickedEvent, set[uuid.UUID]]] = []
    longest = max((event.ends_before - event.start_at for event in candidates), default=timedelta(0))
    for shift, (window_start, window_end) in zip(shifts, windows, strict=True):
        mentioned = set().union(
            *(mentioned_by[sid] for sid in (*shift.start.statement_ids, *shift.end.statement_ids))
        )
        # Candidates are in time order: only those starting within `longest` before the window
        # can reach into it.
        first, last = bisect_left(starts, window_start - longest), bisect_left(starts, window_end)
        for event in candidates[first:last]:
            if event.ends_before <= window_start:
                continue
            reasons = []
            if actor.id in event.actor_ids:
                reasons.append("participant")
            if shift.topic.id in event.topic_ids:
                reasons.append("topic")
            via = mentioned & event.actor_ids
            if via:
                reasons.append("mentioned_actor")
            if reasons:
                picked = PickedEvent(event.ref, reasons)
                shift.events_between.append(picked)
                if via:
                    named_in.append((picked, via))
    return named_in


def _name_mentioned_actors(session: Session, named_in: Sequence[tuple[PickedEvent, set[uuid.UUID]]]) -> None:
    """The few actors named as reasons, read once for the page."""
    named = set().union(*(via for _, via in named_in))
    found: Iterable[Any] = session.execute(select(*ACTOR_COLUMNS).where(Actor.id.in_(named))) if named else []
    refs = {row.id: row for row in found}
    for picked, via in named_in:
        picked.mentioned_actors = sorted((refs[actor_id] for actor_id in via), key=lambda a: a.slug)


@dataclass
class _Candidate:
    """An event that may be between a shift's positions, with what may give it reasons."""

    row: Any  # its first row of `_events_in_windows`
    actor_ids: set[uuid.UUID] = field(default_factory=set)  # of the actors asked about
    topic_ids: set[uuid.UUID] = field(default_factory=set)  # of the topics asked about

    @property
    def start_at(self) -> datetime:
        return self.row.event_start_at  # type: ignore[no-any-return]

    @property
    def ends_before(self) -> datetime:
        return self.row.ends_before  # type: ignore[no-any-return]

    @cached_property
    def ref(self) -> Any:
        """What an EventRef shows; made only for events picked (a busy page reads thousands)."""
        ref = referenced(self.row, "event", EVENT_COLUMNS)
        ref.end_at = self.row.end_at  # for charts
        return ref


def _events_in_windows(
    session: Session,
    actor_ids: set[uuid.UUID],
    topic_ids: set[uuid.UUID],
    windows: Sequence[tuple[datetime, datetime]],
) -> list[_Candidate]:
    """Events of these actors or on these topics that overlap one of the windows, in time order.

    Read as rows in one query: each event with the actors (of those asked about) taking part
    and the topics (of those asked about) it is on. A shift's reasons need nothing else, and a
    page of 50 shifts of a busy actor has over a thousand events between its positions.
    """
    links = _event_links(topic_ids)
    in_a_window = or_(
        *(and_(Event.start_at < end, Event.ends_before > start) for start, end in _merged(windows))
    )
    rows = plain_rows(
        session.execute(
            select(*labelled("event", EVENT_COLUMNS), Event.end_at, Event.ends_before)
            .add_columns(links.c.actor_id, links.c.topic_id)
            .join_from(Event, links, links.c.event_id == Event.id)
            .where(in_a_window)
            .order_by(Event.start_at, Event.id),
            {"actor_ids": list(actor_ids)},
        )
    )
    return _candidates(rows)


def _event_links(topic_ids: set[uuid.UUID]) -> Any:
    """An event's participants among the actors asked about (bound as `actor_ids`) and its
    topics among `topic_ids`, one row each, so one join reads both."""
    return union_all(
        select(
            EventParticipant.event_id.label("event_id"),
            EventParticipant.actor_id.label("actor_id"),
            type_coerce(null(), Uuid()).label("topic_id"),  # typed: SQLite answers text otherwise
        ).where(in_ids(EventParticipant.actor_id, "actor_ids")),
        select(event_topics.c.event_id, null(), event_topics.c.topic_id).where(
            event_topics.c.topic_id.in_(topic_ids)
        ),
    ).subquery("links")


def _candidates(rows: Iterable[Any]) -> list[_Candidate]:
    """Rows of an event and one of its links, in the event's order, gathered into one each."""
    candidates: dict[uuid.UUID, _Candidate] = {}
    for row in rows:
        candidate = candidates.get(row.event_id)
        if candidate is None:
            candidate = candidates[row.event_id] = _Candidate(row)
        if row.topic_id is not None:
            candidate.topic_ids.add(row.topic_id)
        else:
            candidate.actor_ids.add(row.actor_id)
    return list(candidates.values())


def _merged(windows: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """The windows as the fewest intervals that cover the same time."""
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


# --- stances --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stance:
    actor: Actor
    value: float
    confidence: float
    said_at: datetime
    statement: Statement


def _latest_positions(topic_id: uuid.UUID, cutoff: datetime) -> Any:
    """Each actor's latest position on the topic before `cutoff`, as a subquery."""
    rank = (
        func.row_number()
        .over(
            partition_by=StatementPosition.actor_id,
            order_by=(
                StatementPosition.said_at.desc(),
                StatementPosition.confidence.desc(),
                StatementPosition.statement_id.desc(),
            ),
        )
        .label("rank")
    )
    ranked = (
        select(
            StatementPosition.actor_id,
            StatementPosition.statement_id,
            StatementPosition.value,
            StatementPosition.confidence,
            StatementPosition.said_at,
            rank,
        )
        .where(StatementPosition.topic_id == topic_id, StatementPosition.said_at < cutoff)
        .subquery("ranked")
    )
    return select(ranked).where(ranked.c.rank == 1).subquery("latest")


def topic_stances(
    session: Session, topic_reference: str, filters: dict[str, Any], page: PageRequest
) -> Page[Stance]:
    topic = get_by_reference(session, Topic, topic_reference, "topic")
    at = filters.get("at") or datetime.now(UTC)
    latest = _latest_positions(topic.id, range_end(at))
    statement = select(latest)
    if kind := filters.get("kind"):
        statement = statement.join(Actor, Actor.id == latest.c.actor_id).where(Actor.kind == kind)
    order = SortOrder("stances", "value", (latest.c.value, latest.c.actor_id))
    rows = fetch_page(session, statement, order, page)
    actors = {
        a.id: a for a in session.scalars(select(Actor).where(Actor.id.in_([r.actor_id for r in rows.items])))
    }
    statements = {
        s.id: s
        for s in session.scalars(
            with_references(select(Statement)).where(Statement.id.in_([r.statement_id for r in rows.items]))
        )
    }
    stances = [
        Stance(actors[r.actor_id], r.value, r.confidence, r.said_at, statements[r.statement_id])
        for r in rows.items
    ]
    return Page(items=stances, next_cursor=rows.next_cursor)


# --- alignment ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthlyValue:
    value: float
    said_at: datetime
    statement_id: uuid.UUID


@dataclass(frozen=True)
class AlignmentMonth:
    month: str
    first: MonthlyValue
    second: MonthlyValue

    @property
    def distance(self) -> float:
        return round(abs(self.first.value - self.second.value), 6)


@dataclass(frozen=True)
class Alignment:
    topic: Topic
    actors: list[Actor]
    months: list[AlignmentMonth]

    @property
    def trend(self) -> dict[str, Any] | None:
        if not self.months:
            return None
        first, last = self.months[0].distance, self.months[-1].distance
        change = round(last - first, 6)
        direction = "stable" if abs(change) < STABLE_TREND else "converging" if change < 0 else "diverging"
        return {"first_distance": first, "last_distance": last, "change": change, "direction": direction}


def _monthly_latest(
    session: Session, actor_id: uuid.UUID, topic_id: uuid.UUID
) -> list[tuple[int, MonthlyValue]]:
    """The actor's last position in each month it has any, oldest month first (one row a month)."""
    month = utc_month_index(StatementPosition.said_at)
    ranked = (
        select(
            month.label("month"),
            StatementPosition.value,
            StatementPosition.said_at,
            StatementPosition.statement_id,
            func.row_number()
            .over(
                partition_by=month,
                order_by=(
                    StatementPosition.said_at.desc(),
                    StatementPosition.confidence.desc(),
                    StatementPosition.statement_id.desc(),
                ),
            )
            .label("rank"),
        )
        .where(StatementPosition.actor_id == actor_id, StatementPosition.topic_id == topic_id)
        .subquery("monthly")
    )
    rows = session.execute(
        select(ranked.c.month, ranked.c.value, ranked.c.said_at, ranked.c.statement_id)
        .where(ranked.c.rank == 1)
        .order_by(ranked.c.month)
    )
    return [(row.month, MonthlyValue(row.value, row.said_at, row.statement_id)) for row in rows]


def topic_alignment(session: Session, topic_reference: str, actor_references: list[str]) -> Alignment:
    topic = get_by_reference(session, Topic, topic_reference, "topic")
    references = FieldReferences(session)
    actors = [
        references.resolve(Actor, ref, f"actors.{i}", "actor") for i, ref in enumerate(actor_references)
    ]
    references.raise_if_any()
    chosen = [actor for actor in actors if actor is not None]
    if chosen[0].id == chosen[1].id:
        raise ValidationFailed({"actors": ["Name two different actors."]})
    histories = [_monthly_latest(session, actor.id, topic.id) for actor in chosen]
    if not all(histories):
        return Alignment(topic, chosen, [])
    first_month = max(history[0][0] for history in histories)
    last_month = max(history[-1][0] for history in histories)
    months = []
    for month in range(first_month, last_month + 1):
        # Each actor's latest value by the end of the month, carried forward.
        first, second = (
            history[bisect_right(history, month, key=lambda entry: entry[0]) - 1][1] for history in histories
        )
        months.append(AlignmentMonth(f"{month // 12:04d}-{month % 12 + 1:02d}", first, second))
    return Alignment(topic, chosen, months)


# --- chart ----------------------------------------------------------------------------------

CHART_MAX_POINTS = 2000


def _excerpt(text: str, width: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def positions_chart(session: Session, actor_reference: str, filters: dict[str, Any]) -> ChartData:
    """What the chart of an actor's positions on a topic shows: the positions (the first
    CHART_MAX_POINTS in the range), the shifts among them, and the events between."""
    actor = _actor(session, actor_reference)
    topic = _topic_filter(session, filters["topic"])
    assert topic is not None
    positions = actor_positions(session, actor_reference, filters, PageRequest(limit=CHART_MAX_POINTS)).items
    points = [
        Point(p.said_at, p.value, f"{p.said_at.date()}: {p.value:+.2f}, “{_excerpt(p.statement.text)}”")
        for p in positions
    ]
    shift_filters = {
        "topic": filters["topic"],
        "min_delta": filters["min_delta"],
        "lookback_days": filters["lookback_days"],
    }
    shifts = actor_shifts(session, actor_reference, shift_filters, PageRequest(limit=200)).items
    if points:
        shifts = [
            s for s in shifts if points[0].said_at <= s.start.said_at and s.end.said_at <= points[-1].said_at
        ]
    return ChartData(
        title=f"{actor.name} on {topic.name}",
        negative_pole=topic.negative_pole,
        positive_pole=topic.positive_pole,
        points=points,
        shifts=[_shift_marker(s) for s in shifts],
        events=_event_markers(shifts),
    )


def _shift_marker(shift: Shift) -> Marker:
    return Marker(
        shift.start.said_at,
        shift.end.said_at,
        f"Shift of {shift.delta:+.2f} in {shift.days} days, {shift.start.day} to {shift.end.day}",
    )


def _event_markers(shifts: Iterable[Shift]) -> list[Marker]:
    """Each event between the shifts once, as the first shift it is between gives its reasons."""
    events: dict[uuid.UUID, Marker] = {}
    for shift in shifts:
        for picked in shift.events_between:
            event = picked.event
            events.setdefault(
                event.id,
                Marker(
                    event.start_at,
                    event.end_at or event.start_at,
                    f"{event.start_at.date()} {event.title} ({', '.join(picked.reasons)})",
                ),
            )
    return sorted(events.values(), key=lambda marker: marker.start)
