"""Score the article ingest against the hand-labelled corpus in bench/ingest_corpus/.

    .venv/bin/python bench/ingest_eval.py [--split dev|holdout|holdout-2|holdout-3|holdout-4|all]
        [--actors speakers|none] [-v]

Each article goes through the service's own `ingest_article` (in-process, on a SQLite database
made by the migrations in a temporary folder), inside a transaction rolled back afterwards.
With `--actors speakers` (the default) the article's named speakers are actors first, as the
corpus lists them (name, kind, and the acronyms among their aliases), as an editor who follows
these people would have them; `--actors none` ingests with no actors at all.

A draft is read as an indirect statement when its kind is `paraphrase`, as a mixed quote or
quoted phrase when its rule is a `quoted-phrase` one, and as a direct quote otherwise. Drafts
and labels of a kind are paired one to one, best overlap first; a pair counts when the
overlap covers at least half of the longer of the two. Drafts overlapping an `ignore` range
(headlines, captions, site furniture) count neither way. A paired draft's speaker is right
when its actor is the labelled speaker's actor (or, with `--actors none`, the proposed name
is the labelled name), and for an `unnamed` label when the draft proposes an unnamed source.

Prints, per article and overall, precision, recall and F1 of spans and speaker accuracy for
each kind, and the extraction's time per 1,000 words (the median of repeated runs of
`extract`, the part that grows with the text; the whole ingest with its writes is printed too).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from service.app import create_app
from service.config import Settings
from service.data import migrate
from service.data.sessions import get_database, get_session
from service.resources.actors.models import ActorKind
from service.resources.actors.service import create_actor
from service.resources.articles import service as articles
from service.resources.articles.extract import extract
from service.values.folding import fold

CORPUS = Path(__file__).resolve().parent / "ingest_corpus"
KINDS = ("direct", "mixed", "indirect")
TIMING_RUNS = 7


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    speaker: str  # a labelled name or "unnamed"; for a draft, its actor's name, proposed name or "unnamed"
    rule: str = ""
    speaker_is_actor: bool = False


@dataclass
class Score:
    found: int = 0  # drafts of the kind
    labelled: int = 0
    paired: int = 0
    speaker_right: int = 0

    def add(self, other: Score) -> None:
        self.found += other.found
        self.labelled += other.labelled
        self.paired += other.paired
        self.speaker_right += other.speaker_right

    def cells(self) -> str:
        precision = self.paired / self.found if self.found else None
        recall = self.paired / self.labelled if self.labelled else None
        f1 = (
            2 * precision * recall / (precision + recall)
            if precision is not None and recall is not None and precision + recall
            else None
        )
        speaker = self.speaker_right / self.paired if self.paired else None
        shown = (_fmt(precision), _fmt(recall), _fmt(f1), _fmt(speaker))
        return f"{self.paired:>3}/{self.found:<3}/{self.labelled:<3} " + " ".join(f"{c:>5}" for c in shown)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


@dataclass
class Result:
    name: str
    words: int
    scores: dict[str, Score] = field(default_factory=lambda: {kind: Score() for kind in KINDS})
    notes: list[str] = field(default_factory=list)


def form_of(draft: Any) -> str:
    if draft.kind == "paraphrase":
        return "indirect"
    if "quoted-phrase" in draft.rule:
        return "mixed"
    return "direct"


def _overlap(a: Span, b: Span) -> float:
    shared = min(a.end, b.end) - max(a.start, b.start)
    return max(shared, 0) / max(a.end - a.start, b.end - b.start, 1)


def _speaker_right(draft: Span, label: Span, with_actors: bool) -> bool:
    if label.speaker == "unnamed":
        return draft.speaker == "unnamed"
    if with_actors:
        return draft.speaker_is_actor and draft.speaker == label.speaker
    return fold(draft.speaker) == fold(label.speaker)


def score(
    text: str, drafts: list[Span], labels: list[Span], with_actors: bool, notes: list[str], kind: str
) -> Score:
    result = Score(found=len(drafts), labelled=len(labels))
    pairs = sorted(
        ((_overlap(d, la), i, j) for i, d in enumerate(drafts) for j, la in enumerate(labels)),
        reverse=True,
    )
    used_drafts: set[int] = set()
    used_labels: set[int] = set()
    for overlap, i, j in pairs:
        if overlap < 0.5 or i in used_drafts or j in used_labels:
            continue
        used_drafts.add(i)
        used_labels.add(j)
        result.paired += 1
        if _speaker_right(drafts[i], labels[j], with_actors):
            result.speaker_right += 1
        else:
            notes.append(
                f"  {kind} speaker {drafts[i].speaker!r} for {labels[j].speaker!r}: "
                f"{_excerpt(text, labels[j])} [{drafts[i].rule}]"
            )
    for i, draft in enumerate(drafts):
        if i not in used_drafts:
            notes.append(f"  {kind} extra ({draft.speaker}, {draft.rule}): {_excerpt(text, draft)}")
    for j, label in enumerate(labels):
        if j not in used_labels:
            notes.append(f"  {kind} missed ({label.speaker}): {_excerpt(text, label)}")
    return result


def _excerpt(text: str, span: Span, width: int = 90) -> str:
    words = " ".join(text[span.start : span.end].split())
    return words if len(words) <= width else words[: width - 1] + "…"


def load_corpus(split: str) -> list[dict[str, Any]]:
    found = []
    for path in sorted(CORPUS.glob("*.json")):
        article = json.loads(path.read_text(encoding="utf-8"))
        for label in article["labels"]:
            if article["text"][label["start"] : label["end"]] != label["words"]:
                raise SystemExit(f"{path.name}: a label's span is not its words: {label['words']!r}")
        if split in ("all", article["split"]):
            article["name"] = path.stem
            found.append(article)
    return found


@contextmanager
def rolled_back(app: Any) -> Iterator[Session]:
    database = get_database(app)
    connection = database.engine.connect()
    outer = connection.begin()
    database.bind_to_connection(connection)
    try:
        with app.app_context():
            yield get_session()
    finally:
        outer.rollback()
        connection.close()


def evaluate(app: Any, article: dict[str, Any], with_actors: bool) -> tuple[Result, float, float]:
    text = article["text"]
    result = Result(article["name"], len(text.split()))
    with rolled_back(app) as session:
        if with_actors:
            for speaker in article["speakers"]:
                create_actor(
                    session,
                    {
                        "name": speaker["name"],
                        "kind": ActorKind(speaker["kind"]),
                        "aliases": list(speaker["aliases"]),
                    },
                )
        published = date.fromisoformat(article["published"]) if article["published"] else None
        data = {
            "title": article["title"],
            "url": article["url"],
            "publisher": article["publisher"],
            "published_at": published,
            "language": "en",
            "text": text,
        }
        started = time.perf_counter()
        stored = articles.ingest_article(session, data)
        ingest_ms = (time.perf_counter() - started) * 1000
        known = articles.lexicon(session)
        runs = []
        for _ in range(TIMING_RUNS):
            started = time.perf_counter()
            extract(text, known, published)
            runs.append((time.perf_counter() - started) * 1000)
        drafts_by_kind: dict[str, list[Span]] = {kind: [] for kind in KINDS}
        for draft in stored.drafts:
            assert draft.text == text[draft.span_start : draft.span_end]
            if any(draft.span_start < end and start < draft.span_end for start, end in article["ignore"]):
                continue
            proposed = draft.proposed_speaker or {}
            if draft.speaker is not None:
                speaker, is_actor = draft.speaker.name, True
            else:
                speaker, is_actor = proposed.get("name") or "unnamed", False
            drafts_by_kind[form_of(draft)].append(
                Span(draft.span_start, draft.span_end, speaker, draft.rule, is_actor)
            )
    for kind in KINDS:
        labels = [
            Span(label["start"], label["end"], label["speaker"])
            for label in article["labels"]
            if label["kind"] == kind
        ]
        result.scores[kind] = score(text, drafts_by_kind[kind], labels, with_actors, result.notes, kind)
    return result, statistics.median(runs), ingest_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    splits = ["dev", "holdout", "holdout-2", "holdout-3", "holdout-4", "all"]
    parser.add_argument("--split", choices=splits, default="dev")
    parser.add_argument("--actors", choices=["speakers", "none"], default="speakers")
    parser.add_argument("-v", "--verbose", action="store_true", help="list each miss, extra, wrong speaker")
    args = parser.parse_args()
    corpus = load_corpus(args.split)
    with_actors = args.actors == "speakers"

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/ingest_eval.db"
        migrate.upgrade(url)
        app = create_app(Settings(database_url=url))
        totals = {kind: Score() for kind in KINDS}
        words = 0
        extract_ms = ingest_ms = 0.0
        header = f"{'article':<40} {'words':>5}  " + "  ".join(
            f"{kind + ' paired/found/labelled P R F1 speaker':<43}" for kind in KINDS
        )
        print(header)
        for article in corpus:
            result, extract_median, ingest_once = evaluate(app, article, with_actors)
            words += result.words
            extract_ms += extract_median
            ingest_ms += ingest_once
            for kind in KINDS:
                totals[kind].add(result.scores[kind])
            cells = "  ".join(f"{result.scores[kind].cells():<43}" for kind in KINDS)
            print(f"{result.name[:40]:<40} {result.words:>5}  {cells}")
            if args.verbose:
                print("\n".join(result.notes))
        get_database(app).engine.dispose()

    print()
    print(f"overall ({args.split}, {len(corpus)} articles, {words} words, actors: {args.actors})")
    for kind in KINDS:
        print(f"  {kind:<9} paired/found/labelled P R F1 speaker: {totals[kind].cells()}")
    print(
        f"  extract: {extract_ms / words * 1000:.1f} ms per 1,000 words (median of {TIMING_RUNS} runs each); "
        f"whole ingest with its writes: {ingest_ms / words * 1000:.1f} ms per 1,000 words"
    )


if __name__ == "__main__":
    main()
