"""Draft statements found in an article's text by plain, explainable rules.

Each rule has a name, a confidence and says exactly where the words are (character offsets
into the text as sent). Nothing here guesses from a model: an editor reviews every draft.

Rules, most specific first (a quote claimed by one rule is not claimed again):

- `embedded-post`: a social post embedded as "text [pic.twitter.com/x] — Name (@handle) Month D,
  YYYY"; the post is the paragraph before the signature, with the list items above it.
- `relayed-colon`: "Name: words" opening a post: Name's words, relayed by the post's author.
- `quote-then-speaker`: “words,” Name reposted / posted / wrote / said / told ...
- `speaker-then-quote`: Name said / wrote / told ... (that) “words”
- `speaker-colon`: "Name: words" opening a paragraph of running text.
- `quoted-phrase-near-speaker`: any other quoted words, by the person named last before them
  in the sentence, or, when the sentence says "he" or "she", in the sentences before it.
"""

from __future__ import annotations

import re
from bisect import bisect_right, insort
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from service.values.folding import fold

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
SIGNATURE = re.compile(
    r"(?:[ \t]*(?P<link>pic\.twitter\.com/\w+))?[ \t]*[—–][ \t]*"
    r"(?P<author>[^\n()—–]{1,80}?)[ \t]*\((?P<handle>@\w{1,30})\)[ \t]*"
    rf"(?P<date>(?:{MONTHS})[ \t]+\d{{1,2}},[ \t]*\d{{4}})"
)
# Up to four capitalised words or initials ("J. D. Vance"); a full stop ends a name otherwise,
# so "Kyiv. He said" is not a speaker called "Kyiv. He".
NAME_WORD = r"(?:[A-Z]\.|[A-Z][\w’'\-]*)"
NAME = rf"{NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,3}}"
QUOTE = r"“(?P<quote>[^“”]{2,5000})”|\"(?P<plain>[^\"\n]{2,5000})\"|‘(?P<single>[^‘’\n]{2,300})’"
VERB_KINDS = {
    "reposted": "repost",
    "retweeted": "repost",
    "posted": "post",
    "tweeted": "post",
    "wrote": "post",
    "said": "quote",
    "says": "quote",
    "told": "quote",
    "added": "quote",
    "declared": "quote",
}
VERBS = "|".join(VERB_KINDS)
QUOTE_THEN_SPEAKER = re.compile(rf"(?:{QUOTE})[ \t]*,?[ \t]*(?P<speaker>{NAME})[ \t]+(?P<verb>{VERBS})\b")
SPEAKER_THEN_QUOTE = re.compile(
    rf"(?P<speaker>{NAME})[ \t]+(?P<verb>{VERBS})\b[^“”\"\n.]{{0,80}}?(?:{QUOTE})"
)
COLON = re.compile(rf"(?P<speaker>{NAME}):[ \t]+(?P<words>\S[^\n]*)")
ANY_QUOTE = re.compile(QUOTE)
PRONOUN = re.compile(r"\b(?:he|she|He|She)\b")
PRONOUNS = frozenset({"He", "She", "They", "It", "We", "I", "You"})
LIST_ITEM = re.compile(r"[ \t]*[–•\-]")
SENTENCE_END = re.compile(r"[.!?…][”\"’)]?\s+|\n")
# Punctuation that closes the surrounding sentence, written inside the quote marks.
TRAILING = ",.;:"


@dataclass(frozen=True)
class Who:
    """Someone as the text names them; `key` is the actor it matched, if any."""

    name: str | None
    handle: str | None = None
    key: str | None = None


@dataclass(frozen=True)
class Candidate:
    rule: str
    confidence: float
    start: int
    end: int
    kind: str
    speaker: Who
    relayed_by: Who | None = None
    said_on: date | None = None
    source_url: str | None = None


@dataclass(frozen=True)
class Term:
    text: str
    key: str
    is_person: bool


@dataclass
class Lexicon:
    """Known actors' names, aliases and handles, to tell who a name or a pronoun means."""

    terms: Sequence[Term]
    _pattern: re.Pattern[str] | None = field(default=None, init=False, repr=False)
    _by_folded: dict[str, Term] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for term in self.terms:
            self._by_folded.setdefault(fold(term.text), term)
        words = sorted(
            {re.escape(term.text) for term in self.terms if term.text.strip()}, key=len, reverse=True
        )
        if words:
            self._pattern = re.compile(rf"(?<![\w@])(?:{'|'.join(words)})(?!\w)", re.IGNORECASE)

    def match(self, name: str | None, handle: str | None = None) -> Term | None:
        """The actor with this handle, or this exact name or alias (case and accents aside)."""
        for candidate in (handle, name):
            if candidate and (term := self._by_folded.get(fold(candidate))) is not None:
                return term
        return None

    def mentions(self, text: str, start: int, end: int) -> Iterator[tuple[int, Term]]:
        """Each known name in text[start:end], with its offset."""
        if self._pattern is None:
            return
        for found in self._pattern.finditer(text, start, end):
            term = self._by_folded.get(fold(found.group()))
            if term is not None:
                yield found.start(), term


def _trimmed(text: str, start: int, end: int, *, quoted: bool = True) -> tuple[int, int]:
    """The span without surrounding spaces and, for a quote, the closing punctuation of the
    sentence around it that English puts inside the quote marks."""
    trailing = TRAILING if quoted else ""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in trailing):
        end -= 1
    return start, end


def _quote_span(found: re.Match[str]) -> tuple[int, int]:
    for group in ("quote", "plain", "single"):
        if found.group(group) is not None:
            return found.start(group), found.end(group)
    raise ValueError("not a quote")


def _parse_date(raw: str) -> date:
    return datetime.strptime(" ".join(raw.replace(",", ", ").split()), "%B %d, %Y").date()


def _clean_author(raw: str) -> str:
    # Display names carry flags and emoji ("Jürgen Nauditt 🇩🇪🇺🇦"): keep the name itself.
    named = re.match(r"[\w .’'\-]+", raw.strip())
    return (named.group() if named else raw).strip()


@dataclass(frozen=True)
class _Post:
    start: int
    end: int  # end of the post's words (before its link and signature)
    author: Who
    said_on: date
    link: str | None


def _paragraph_start(text: str, position: int) -> int:
    return text.rfind("\n", 0, position) + 1


def _posts(text: str, lexicon: Lexicon) -> Iterator[_Post]:
    for signature in SIGNATURE.finditer(text):
        start = _paragraph_start(text, signature.start())
        # A post that is a list continues the paragraphs above it (items opening with a dash).
        while LIST_ITEM.match(text, start) and start > 0:
            previous_end = start - 1
            while previous_end > 0 and text[previous_end - 1] == "\n":
                previous_end -= 1
            start = _paragraph_start(text, previous_end)
        name, handle = _clean_author(signature.group("author")), signature.group("handle")
        term = lexicon.match(name, handle)
        link = signature.group("link")
        yield _Post(
            start=start,
            end=signature.start(),
            author=Who(name, handle, term.key if term else None),
            said_on=_parse_date(signature.group("date")),
            link=f"https://{link}" if link else None,
        )


def _who(name: str, lexicon: Lexicon) -> Who:
    term = lexicon.match(name)
    return Who(name, None, term.key if term else None)


class _Sentences:
    """Where each sentence starts, found once, so looking one up costs a bisection."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [end.end() for end in SENTENCE_END.finditer(text)]

    def start_of(self, position: int) -> int:
        return self.starts[bisect_right(self.starts, position) - 1]


def _speaker_near(
    text: str, quote_start: int, lexicon: Lexicon, sentences: _Sentences
) -> tuple[Who, float] | None:
    """The person named last before the quote in its sentence; else, if the sentence refers to
    someone as he or she, the person named last in the three sentences before."""
    sentence = sentences.start_of(quote_start)
    people = [
        (offset, term) for offset, term in lexicon.mentions(text, sentence, quote_start) if term.is_person
    ]
    if people:
        offset, term = people[-1]
        return Who(text[offset : offset + len(term.text)], None, term.key), 0.6
    if not PRONOUN.search(text, sentence, quote_start):
        return None
    window = sentence
    for _ in range(3):
        window = sentences.start_of(max(window - 1, 0))
        people = [
            (offset, term) for offset, term in lexicon.mentions(text, window, sentence) if term.is_person
        ]
        if people:
            offset, term = people[-1]
            return Who(text[offset : offset + len(term.text)], None, term.key), 0.5
        if window == 0:
            break
    return None


class _Taken:
    """Spans already claimed by a rule, kept sorted: an overlap check is a bisection."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect_right(self.spans, (start, end))
        neighbours = self.spans[max(index - 1, 0) : index + 1]
        return any(start < other_end and other_start < end for other_start, other_end in neighbours)

    def add(self, start: int, end: int) -> None:
        insort(self.spans, (start, end))


class TooManyDrafts(ValueError):
    """More drafts than an editor can review in one article."""


MAX_DRAFTS = 1000


def extract(text: str, lexicon: Lexicon, published_on: date | None = None) -> list[Candidate]:
    """Every draft the rules find, in the order of the text."""
    found: list[Candidate] = []
    quotes_taken = _Taken()
    sentences = _Sentences(text)
    posts = list(_posts(text, lexicon))

    def post_at(position: int) -> _Post | None:
        return next((post for post in posts if post.start <= position < post.end), None)

    for post in posts:
        start, end = _trimmed(text, post.start, post.end, quoted=False)
        found.append(
            Candidate("embedded-post", 0.9, start, end, "post", post.author, None, post.said_on, post.link)
        )
        opening = COLON.match(text, start, end)
        if opening:
            words_start, words_end = _trimmed(text, opening.start("words"), end, quoted=False)
            found.append(
                Candidate(
                    "relayed-colon",
                    0.8,
                    words_start,
                    words_end,
                    "post",
                    _who(opening.group("speaker"), lexicon),
                    post.author,
                    post.said_on,
                    post.link,
                )
            )
            quotes_taken.add(words_start, words_end)

    for rule, pattern, confidence in (
        ("quote-then-speaker", QUOTE_THEN_SPEAKER, 0.85),
        ("speaker-then-quote", SPEAKER_THEN_QUOTE, 0.8),
    ):
        for match in pattern.finditer(text):
            start, end = _trimmed(text, *_quote_span(match))
            if quotes_taken.overlaps(start, end):
                continue
            carrier = post_at(start)
            speaker, score = _who(match.group("speaker"), lexicon), confidence
            if match.group("speaker") in PRONOUNS:
                # "he said": whom the sentences before name, as for a quoted phrase.
                near = _speaker_near(text, match.end("speaker"), lexicon, sentences)
                if near is None:
                    continue
                speaker, score = near[0], min(confidence, near[1])
            found.append(
                Candidate(
                    rule,
                    score,
                    start,
                    end,
                    VERB_KINDS[match.group("verb")],
                    speaker,
                    carrier.author if carrier else None,
                    carrier.said_on if carrier else published_on,
                    carrier.link if carrier else None,
                )
            )
            quotes_taken.add(start, end)

    for paragraph in re.finditer(r"[^\n]+", text):
        if post_at(paragraph.start()) is not None:
            continue
        opening = COLON.match(text, paragraph.start(), paragraph.end())
        if opening is None:
            continue
        start, end = _trimmed(text, opening.start("words"), paragraph.end(), quoted=False)
        if not quotes_taken.overlaps(start, end):
            speaker = _who(opening.group("speaker"), lexicon)
            found.append(Candidate("speaker-colon", 0.6, start, end, "quote", speaker, None, published_on))
            quotes_taken.add(start, end)

    for match in ANY_QUOTE.finditer(text):
        start, end = _trimmed(text, *_quote_span(match))
        if quotes_taken.overlaps(start, end) or post_at(start) is not None:
            continue
        near = _speaker_near(text, match.start(), lexicon, sentences)
        if near is None:
            continue
        speaker, confidence = near
        found.append(
            Candidate(
                "quoted-phrase-near-speaker", confidence, start, end, "quote", speaker, None, published_on
            )
        )
        quotes_taken.add(start, end)

    if len(found) > MAX_DRAFTS:
        raise TooManyDrafts(
            f"The text yields {len(found)} drafts; at most {MAX_DRAFTS} can be reviewed at once."
        )
    return sorted(found, key=lambda candidate: (candidate.start, candidate.end, candidate.rule))
