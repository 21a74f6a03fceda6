"""Draft statements found in an article's text by plain, explainable rules.

Each rule has a name, a confidence and says exactly where the words are (character offsets
into the text as sent). Nothing here guesses from a model: an editor reviews every draft.

Rules, most specific first (words claimed by one rule are not claimed again):

- `embedded-post`: a social post embedded as "text [pic.twitter.com/x] — Name (@handle) Month D,
  YYYY"; the post is the paragraph before the signature, with the list items above it.
- `relayed-colon`: "Name: words" opening a post: Name's words, relayed by the post's author.
- `quote-then-speaker`: “words,” Name said / said Name / the minister added / he told reporters /
  Name was quoted as saying.
- `speaker-then-quote`: Name said: “words”; In a statement, the ministry said, “words”; Name
  dismissed the criticism, saying “Words”.
- `quote-continued`: a quote that is a sentence or a paragraph of its own, by whoever spoke last.
- `speaker-colon`: "Name: words" opening a paragraph of running text.
- `quoted-phrase-near-speaker`: quoted words inside a sentence that reports what someone said (she warned
  of the “consequences”; he said there had been “no progress so far”). Quoted words in a
  sentence that reports no speech are the writer's (scare quotes, names, titles): no draft.
- `reported-speech`: indirect speech, a paraphrase: Name said (that) ...; ..., the ministry said;
  Name denied / insisted / warned that ...; ..., adding that ...; ..., according to Name.

A quote runs over several paragraphs when a paragraph ends inside it and the next one opens
with a quote mark; one opened and never closed ends with its paragraph. Straight and curly
marks may be mixed. Speakers are found as the text names them: by name (titles stripped: the
actor for "Canadian Foreign Minister Melanie Joly" is "Melanie Joly"), by surname, first name
or title ("Joly", "the minister": whom the article introduced so; "the prime minister": whom
the recorded relations say led the state named last), by pronoun (the speaker or subject last
named before), as an organisation ("the Foreign Ministry", "Netanyahu's office", "AP") or as an
unnamed source ("a senior official", "a statement"; or the person given that title soon after).
"""

from __future__ import annotations

import re
from bisect import bisect_right, insort
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from service.values.folding import fold


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


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
COLON = re.compile(rf"(?P<speaker>{NAME}):[ \t]+(?P<words>\S[^\n]*)")
LIST_ITEM = re.compile(r"[ \t]*[–•\-]")
# Punctuation that closes the surrounding sentence, written inside the quote marks.
TRAILING = ",.;:"

# Reporting verbs: what they make of the words (a quote, a post...), and which may introduce
# indirect speech. "told" takes an audience before its clause ("told reporters that ...").
POST_VERBS = {"posted": "post", "tweeted": "post", "wrote": "post", "writes": "post", "reposted": "repost"}
POST_VERBS["retweeted"] = "repost"
SPEECH_VERBS = sorted(
    _words(
        "said says say told tells added adds declared declares insisted insists warned warns denied "
        "denies claimed claims argued argues maintained maintains confirmed confirms reiterated "
        "reiterates stressed stresses admitted admits alleged alleges reported reports acknowledged "
        "acknowledges announced announces noted notes explained explains stated states replied replies "
        "responded continued concluded recalled emphasised emphasized asserted predicted cautioned "
        "countered remarked observed suggested revealed disclosed raged shouted exclaimed quipped joked "
        "wrote writes tweeted posted reposted retweeted believes contended conceded highlighted "
        "underlined underscored"
    )
)
VERBS = "|".join(sorted(set(SPEECH_VERBS), key=len, reverse=True))
VERB = re.compile(rf"\b(?:{VERBS})\b")
# Verbs that report a proposition, as the clause after them; the rest only attribute a quote.
REPORTING = _words(
    "said says say told tells added adds insisted insists warned warns denied denies claimed claims "
    "argued argues maintained maintains confirmed confirms reiterated reiterates stressed stresses "
    "admitted admits alleged alleges reported reports acknowledged acknowledges announced announces "
    "noted notes explained explains stated states recalled emphasised emphasized asserted predicted "
    "cautioned suggested revealed disclosed believes contended conceded wrote writes tweeted"
)
PARTICIPLES = re.compile(
    r",?\s+(?:while\s+)?(?P<verb>adding|saying|insisting|stressing|noting|claiming|arguing|alleging|"
    r"warning|explaining|maintaining|declaring|asserting)\b(?:\s+that\b)?"
)
# Verbs of speech acts whose quoted words are still the speaker's (accused X of "...").
SPEECH_ACTS = re.compile(
    r"\b(?:accus\w*|urg\w*|call\w*|describ\w*|warn\w*|shout\w*|apologi[sz]\w*|critici[sz]\w*|"
    r"condemn\w*|confess\w*|express\w*|dismiss\w*|vow\w*|pledg\w*|promis\w*|advocat\w*|demand\w*|"
    r"rais\w*|brand\w*|labell?\w*|refer\w*|insist\w*|deni\w*|den(?:y|ies)|threat\w*|hail\w*|"
    r"prais\w*|blam\w*|reject\w*|defend\w*|ask\w*|tell\w*|told|sa(?:id|ys?)|add\w*)\b"
)
PRONOUNS = {"he": "he", "she": "she", "they": "they", "it": "it", "i": "i", "we": "we"}
TITLE_WORDS = _words(
    "prime minister ministers foreign deputy secretary president vice chancellor spokesman "
    "spokeswoman spokesperson press sir dame lord lady mr mrs ms miss dr professor prof general "
    "attorney leader chief head envoy ambassador senator congressman congresswoman representative "
    "governor mayor commissioner director chairman chair chairwoman king queen prince princess sheikh "
    "he his excellency mp mep lawmaker lt col gen colonel captain admiral commander justice judge "
    "speaker shadow home interior defence defense finance health education justice labour trade state "
    "junior former outgoing incoming acting interim veteran fellow conservative tory labour democrat "
    "republican liberal opposition party official officials minister's special u.s. us uk eu un white "
    "house policy affairs relations media communications national security adviser advisor counsel "
    "staff"
)
ORG_WORDS = _words(
    "ministry office government agency union party council committee commission department street "
    "kremlin pentagon army police bank court parliament assembly bloc organisation organization "
    "administration cabinet coalition alliance nato un eu federation embassy house authority "
    "authorities secretariat service services forces movement front group taliban hamas hezbollah "
    "press news times post meeting questions summit conference forum session talks"
)
UNNAMED_HEADS = _words(
    "source sources official officials commander negotiator negotiators spokeswoman spokesman "
    "spokesperson diplomat diplomats aide aides insider insiders insurgents militants observers "
    "analysts statement residents witnesses people person member members lawmakers mps critics "
    "protesters activists experts investigators mediators"
)
DEMONYMS = _words(
    "american british french german russian chinese israeli pakistani afghan japanese canadian dutch "
    "danish swedish polish greek turkish iraqi qatari saudi kuwaiti emirati thai vietnamese"
)
HONORIFICS = _words("sir dame lord lady mr mrs ms miss dr professor prof sheikh")
DETERMINERS = _words("the a an one some several two three many most his her their its this that")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTH_NUMBERS = {month.lower(): number for number, month in enumerate(MONTHS.split("|"), start=1)}
DATE_IN_TEXT = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{MONTHS}),?\s+(?P<y1>\d{{4}})"
    rf"|(?P<m2>{MONTHS})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}}))\b"
    r"|\b(?:on\s+)?(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"|\b(?P<relative>yesterday|today)\b"
)
ABBREVIATIONS = _words("mr mrs ms dr prof st gen col lt sen rep gov jr sr no vs u.s u.k e.g i.e")
CLAUSE_AUXILIARY = re.compile(
    r"\b(?:is|are|was|were|will|would|could|should|has|had|have|can|may|might|must|did|does|do|"
    r"remains|needs|wants)\b|\b\w{3,}ed\b"
)
CLAUSE_CUTS = re.compile(
    r",\s+(?:adding|saying|insisting|stressing|referring|according to|reported|reports|pledging|"
    r"promising|vowing|describing|noting|claiming|arguing|while)\b|\s+while\s+stressing\b"
    r"|,\s+(?:[A-Z]\w+\s+){0,3}(?:news\s+)?(?:news|agency|channel)\s+reported\b"
    r"|;\s"  # a semicolon joins the writer's next clause
    r"|,?\s+(?:but|and)\s+(?:also\s+)?(?:denied|insisted|warned|added|stressed|said|admitted|"
    r"acknowledged|maintained|argued|claimed|noted|confirmed|reiterated)\s+that\b"
)
# "... confirmed that A, but denied that B": the same speaker's second reported clause.
CONJOINED = re.compile(rf"[,.]?\s*(?:but|and)\s+(?:also\s+)?(?P<verb>{VERBS})\b")
INDEFINITE = _words("a an one some several two three many most another both all each")
PLURAL = _words("some several two three many most both all")
QUESTION_STARTS = _words("if whether why how what when who")


@dataclass(frozen=True)
class Who:
    """Someone as the text names them; `key` is the actor it matched, if any. `name` is None for
    an unnamed source, which `description` then gives ("a senior official")."""

    name: str | None
    handle: str | None = None
    key: str | None = None
    kind: str | None = None  # person or organization, when the text says so
    description: str | None = None


UNNAMED = Who(None, description="unnamed")


def _term_who(term: Term) -> Who:
    return Who(term.text, None, term.key, "person" if term.is_person else "organization")


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
    event_key: str | None = None


@dataclass(frozen=True)
class Term:
    text: str
    key: str
    is_person: bool


@dataclass(frozen=True)
class Leadership:
    """A recorded relation: `leader` (a person) leads the actor `led` from `since` to `until`."""

    leader: Term
    led: str  # the led actor's key
    since: date | None = None
    until: date | None = None

    def holds_on(self, day: date | None) -> bool:
        if day is None:
            return self.until is None
        return (self.since is None or self.since <= day) and (self.until is None or day <= self.until)


@dataclass
class Lexicon:
    """Known actors' names, aliases and handles, to tell who a name or a pronoun means; known
    events' titles, to tell which one a sentence names; and who leads whom, to tell whom "the
    prime minister" means."""

    terms: Sequence[Term]
    events: Sequence[tuple[str, str]] = ()  # (title, key)
    leaderships: Sequence[Leadership] = ()
    _pattern: re.Pattern[str] | None = field(default=None, init=False, repr=False)
    _by_folded: dict[str, Term] = field(default_factory=dict, init=False, repr=False)
    _by_surname: dict[str, list[Term]] = field(default_factory=dict, init=False, repr=False)
    _event_words: list[tuple[frozenset[str], str, str]] = field(default_factory=list, init=False, repr=False)

    def __post_init__(self) -> None:
        for term in self.terms:
            self._by_folded.setdefault(fold(term.text), term)
            words = term.text.split()
            if term.is_person and len(words) > 1:
                for surname in {fold(words[-1]), _without_particle(fold(words[-1]))}:
                    surnames = self._by_surname.setdefault(surname, [])
                    if all(other.key != term.key for other in surnames):
                        surnames.append(term)
        words = sorted(
            {re.escape(term.text) for term in self.terms if term.text.strip()}, key=len, reverse=True
        )
        if words:
            self._pattern = re.compile(rf"(?<![\w@])(?:{'|'.join(words)})(?!\w)", re.IGNORECASE)
        for title, key in self.events:
            capitalised = frozenset(fold(word) for word in re.findall(r"\b[A-Z][\w\-]*", title))
            if len(capitalised) >= 2:
                self._event_words.append((capitalised, key, fold(title)))

    def match(self, name: str | None, handle: str | None = None) -> Term | None:
        """The actor with this handle, or this exact name or alias (case and accents aside)."""
        for candidate in (handle, name):
            if candidate and (term := self._by_folded.get(fold(candidate))) is not None:
                return term
        return None

    def match_end(self, words: Sequence[str]) -> Term | None:
        """The actor named by the most of the last words, two at least ("... Financial
        Intelligence David Cohen" is David Cohen)."""
        for start in range(len(words) - 1):
            term = self.match(" ".join(words[start:]))
            if term is not None:
                return term
        return None

    def by_surname(self, surname: str) -> Term | None:
        """The one person actor with this surname, if only one has it."""
        found = self._by_surname.get(fold(surname), [])
        return found[0] if len(found) == 1 else None

    def mentions(self, text: str, start: int, end: int) -> Iterator[tuple[int, Term]]:
        """Each known name in text[start:end], with its offset."""
        if self._pattern is None:
            return
        for found in self._pattern.finditer(text, start, end):
            term = self._by_folded.get(fold(found.group()))
            if term is not None:
                yield found.start(), term

    def leader_of(self, led: Sequence[str], day: date | None) -> Term | None:
        """The one person who leads one of the actors `led` (keys, the likeliest first) on `day`."""
        for key in led:
            leaders = {
                leadership.leader.key: leadership.leader
                for leadership in self.leaderships
                if leadership.led == key and leadership.holds_on(day)
            }
            if leaders:
                return next(iter(leaders.values())) if len(leaders) == 1 else None
        return None

    def event_in(self, sentence: str) -> str | None:
        """The known event whose title the sentence gives, or whose title's every capitalised
        word it has (the one with most such words, if only one has them all)."""
        folded = fold(sentence)
        words = set(re.findall(r"[\w\-]+", folded))
        best: list[tuple[int, str]] = []
        for capitalised, key, title in self._event_words:
            if title in folded:
                return key
            if capitalised <= words:
                best.append((len(capitalised), key))
        best.sort(reverse=True)
        if best and (len(best) == 1 or best[0][0] > best[1][0]):
            return best[0][1]
        return None


def _without_particle(surname: str) -> str:
    """A surname without the article joined to it: "al-assad" is also "assad"."""
    return re.sub(r"^(?:al|el|ul|ad|ar|as|at|az|an|ash)-", "", surname)


def _trimmed(text: str, start: int, end: int, *, quoted: bool = True) -> tuple[int, int]:
    """The span without surrounding spaces and, for a quote, the closing punctuation of the
    sentence around it that English puts inside the quote marks."""
    trailing = TRAILING if quoted else ""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in trailing):
        end -= 1
    return start, end


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
            author=Who(
                name, handle, term.key if term else None, "person" if term and term.is_person else None
            ),
            said_on=_parse_date(signature.group("date")),
            link=f"https://{link}" if link else None,
        )


class _Taken:
    """Spans already claimed by a rule, kept sorted: an overlap check is a bisection."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect_right(self.spans, (start, end))
        neighbours = self.spans[max(index - 2, 0) : index + 1]
        return any(start < other_end and other_start < end for other_start, other_end in neighbours)

    def add(self, start: int, end: int) -> None:
        insort(self.spans, (start, end))


# Quotes --------------------------------------------------------------------------------------


@dataclass
class _Quote:
    opening: int  # the opening mark
    closing: int  # the closing mark, or the paragraph's end when none closes it
    closed: bool

    @property
    def after(self) -> int:
        return self.closing + 1 if self.closed else self.closing


def _role(text: str, position: int) -> str:
    mark = text[position]
    if mark in "“‘":
        return "open"
    if mark in "”’":
        return "close"
    before = text[position - 1] if position > 0 else " "
    after = text[position + 1] if position + 1 < len(text) else " "
    if before.isspace() or before in "([{—–-/[":
        return "open" if not after.isspace() else "close"
    return "close"


def _quotes(text: str) -> list[_Quote]:
    """Double-quoted stretches, curly or straight, paired by where each mark stands."""
    found: list[_Quote] = []
    opening: int | None = None
    paragraph = 0  # where the quote's current paragraph starts
    for mark in re.finditer(r"[“”\"]", text):
        position = mark.start()
        role = _role(text, position)
        if opening is not None:
            paragraph_end = text.find("\n", paragraph, position)
            if paragraph_end >= 0:
                # The paragraph ended inside the quote: it goes on if the next paragraph opens
                # with this mark, and otherwise ended with its paragraph.
                following = text[paragraph_end:position]
                if role == "open" and not following.strip():
                    paragraph = position
                    continue
                found.append(_Quote(opening, paragraph_end, closed=False))
                opening = None
        if opening is None:
            if role == "open":
                opening = paragraph = position
        elif role == "close":
            found.append(_Quote(opening, position, closed=True))
            opening = None
        else:
            opening = paragraph = position  # two openings in a row: the first was stray
    if opening is not None:
        end = text.find("\n", opening)
        found.append(_Quote(opening, end if end >= 0 else len(text), closed=False))
    return [quote for quote in found if re.search(r"\w", text[quote.opening : quote.closing])]


def _single_quotes(text: str, doubles: list[_Quote]) -> list[_Quote]:
    """Single-quoted stretches outside double quotes; a closing mark is followed by no letter,
    so the apostrophes inside are kept."""
    found = []
    for opening in re.finditer(r"(?:(?<=[\s(\[])|^)‘(?=\w)", text, re.MULTILINE):
        closing = re.compile(r"’(?!\w)").search(text, opening.end(), min(len(text), opening.end() + 300))
        if closing is None or "\n" in text[opening.end() : closing.start()]:
            continue
        if any(q.opening <= opening.start() < q.after for q in doubles):
            continue
        found.append(_Quote(opening.start(), closing.start(), closed=True))
    return found


def _after_abbreviation(text: str, end: re.Match[str]) -> bool:
    """A full stop after an abbreviation or an initial ("Mr.", "U.S.", "J.") ends no sentence."""
    if end.group() != ".":
        return False
    word = re.search(r"([\w.]+)$", text[max(0, end.start() - 12) : end.start()])
    if word is None:
        return False
    return fold(word.group(1)) in ABBREVIATIONS or bool(re.fullmatch(r"[A-Z]", word.group(1)))


NAMED_ATTRIBUTION = re.compile(rf"\s+(?:[A-Z][\w’'\-.]*\s+){{1,4}}(?:{VERBS})\b")


def _goes_on(text: str, mark: int, after: int) -> bool:
    """No sentence opens with a small letter: “… stoop?” she raged; a paragraph broken in the
    middle of a sentence ("for a\nbetter life") goes on, unless the line ended as a sentence ends.
    A question or an exclamation closing a quote goes on into its attribution: “… occurs?” Mr
    Pyne said."""
    if text[mark] in "?!" and text[after - 1] in '”"' and NAMED_ATTRIBUTION.match(text, after):
        return True
    following = re.match(r"\s*([a-z])", text[after : after + 40])
    if following is None:
        return False
    return text[mark] != "\n" or not re.search(r"[.!?…:”\"’)]\s*$", text[max(0, mark - 3) : mark])


class _Sentences:
    """Where each sentence starts, outside quotes, so that looking one up is a bisection."""

    def __init__(self, text: str, quotes: Sequence[_Quote]) -> None:
        inside = [(quote.opening, quote.after) for quote in quotes]
        starts = [0]
        for end in re.finditer(r"[.!?…]+[”\"’)]?(?=\s)|\n", text):
            position = end.start()
            # A full stop just inside a closing mark ends the sentence around the quote too.
            if any(start < end.end() < stop for start, stop in inside) or (
                end.group() == "\n" and any(start < position < stop for start, stop in inside)
            ):
                continue
            if not _after_abbreviation(text, end) and not _goes_on(text, position, end.end()):
                starts.append(end.end())
        # A sentence starts at its first character, so blank lines make no empty sentences.
        kept = set()
        for start in starts:
            while start < len(text) and text[start].isspace():
                start += 1
            kept.add(start)
        self.starts = sorted(kept)
        self.length = len(text)

    def start_of(self, position: int) -> int:
        return self.starts[bisect_right(self.starts, position) - 1]

    def end_of(self, position: int) -> int:
        index = bisect_right(self.starts, position)
        return self.starts[index] if index < len(self.starts) else self.length

    def previous(self, position: int) -> int:
        """The start of the sentence before the one at `position`."""
        index = bisect_right(self.starts, position) - 1
        return self.starts[max(index - 1, 0)]


# Who is meant -----------------------------------------------------------------------------------

# A capitalised word, or an Arabic article or kinship word joined to one ("al-Attiyah",
# "bin-Laden"): these end a name as well as begin it. Particles standing alone ("bin", "de",
# "van") only join the capitalised words around them.
JOINED_PARTICLE = r"(?:al|el|ul|ud|ad|ar|as|at|az|an|ash|bin|ibn|bint|abu)-[A-Z][\w’'\-.]*"
# An HTML entity left in a name ("O&rsquo;Neill", even mangled) is part of it.
ENTITY = r"&(?:#\d{1,5}|[A-Za-z]{2,8});?"
CAPITALISED = rf"(?:[A-Z](?:[\w’'\-.]|{ENTITY})*|{JOINED_PARTICLE})"
PARTICLE = r"(?:bin|ibn|bint|al|de|del|della|di|du|da|dos|la|le|van|von|der|den|ter|ul|el)"
NAME_RUN = re.compile(
    rf"(?:(?<=[\s(“\"‘])|^){CAPITALISED}(?:[ \t]+(?:{CAPITALISED}|{PARTICLE}(?=[ \t]+[A-Z]))){{0,6}}",
    re.MULTILINE,
)


def _strip_title(words: list[str]) -> list[str]:
    """The name without the titles and demonyms before it, or the initials after it."""
    while len(words) > 1 and (
        fold(words[0].strip(",")) in TITLE_WORDS
        or re.fullmatch(r"[A-Z]{2,5}", words[0])
        or ((fold(words[0]) in DEMONYMS or re.search(r"(?:ian|ese|ish|ean)$", words[0])) and len(words) > 2)
        or words[0].endswith(("’s", "'s"))
    ):
        words = words[1:]
    while len(words) > 1 and fold(words[-1]) in {"mp", "mep", "jr", "sr"}:
        words = words[:-1]
    return words


def _name_runs(text: str) -> Iterator[tuple[int, int, str]]:
    """Each run of capitalised words (start, end, words), cut after a word that ends a sentence:
    "in Geneva. Lee tweeted" is Geneva, then Lee; "J. D. Vance" and "Mr. Lee" stay whole."""
    for run in NAME_RUN.finditer(text):
        start = run.start()
        for word in re.finditer(r"\S+", run.group()):
            stem = word.group()[:-1]
            if word.group().endswith(".") and len(stem) > 1 and fold(stem) not in ABBREVIATIONS:
                end = run.start() + word.end()
                yield start, end, text[start:end]
                start = end + len(run.group()[word.end() :]) - len(run.group()[word.end() :].lstrip())
        if start < run.end():
            yield start, run.end(), text[start : run.end()]


def _bare(word: str) -> str:
    """A word of a name without the punctuation after it; an initial keeps its full stop."""
    word = word.strip(",")
    return word if re.fullmatch(r"[A-Z]\.", word) else word.strip(".")


def _is_demonym(word: str) -> bool:
    """British, Canadian-Israeli: a people's adjective, alone or joined by hyphens."""
    return all(
        fold(part) in DEMONYMS or re.search(r"(?:ian|ese|ish|ean)$", part) for part in word.split("-") if part
    )


def _modifies_a_noun(run: str, rest: str) -> bool:
    """A demonym or a possessive before a common noun ("the Canadian-Israeli journalist",
    "AP's bureau chief"): it says what the speaker is, not who."""
    words = [word for word in run.split() if fold(word) not in DETERMINERS]
    if len(words) != 1 or not re.match(r"\s+[a-z]", rest):
        return False
    word = words[0].strip(",.")
    return _is_demonym(word) or bool(re.search(r"[’']s$", word))


def _without_possessive(words: list[str]) -> bool | None:
    """Takes the possessive off a name's last word ("Friedman's" to "Friedman") and says
    whether there was one; None for a thing named after a title ("Prime Minister's Questions")."""
    if not words or not re.search(r"[’']s$", words[-1]) or len(words[-1]) <= 3:
        return False
    if _person_name(words) is None:
        return None
    words[-1] = words[-1][:-2]
    return True


def _person_name(words: list[str]) -> list[str] | None:
    """The words of a run that may name a person, without their titles; None for a run of
    titles only, or a thing named after a title ("Prime Minister's Questions")."""
    if not words or any(re.search(r"[’']s$", word) and fold(word[:-2]) in TITLE_WORDS for word in words):
        return None
    name_words = _strip_title(words)
    if (
        not name_words
        or fold(name_words[0]) in TITLE_WORDS | DETERMINERS
        or fold(name_words[-1]) in TITLE_WORDS
    ):
        return None
    return name_words


@dataclass
class _Entity:
    position: int
    who: Who
    title: frozenset[str] = frozenset()
    surname: str | None = None
    possessive: bool = False  # "Mr Friedman's articles": named, but not the sentence's subject


@dataclass
class _People:
    """Everyone the article has named so far, in text order, with the titles it gave them."""

    lexicon: Lexicon
    text: str
    entities: list[_Entity] = field(default_factory=list)
    speakers: list[tuple[int, Who]] = field(default_factory=list)

    def __post_init__(self) -> None:
        for start, _, run in _name_runs(self.text):
            self._consider(start, run)

    def _consider(self, position: int, raw: str) -> None:
        words = [word for word in (_bare(word) for word in raw.split()) if word]
        possessive = _without_possessive(words)
        name_words = _person_name(words) if possessive is not None else None
        if name_words is None or possessive is None:
            return
        name = " ".join(name_words)
        term = self._term(name_words)
        earlier = self._known_surname(name_words)
        if earlier is not None and (term is None or term.key == earlier.who.key):
            self.entities.append(_Entity(position, earlier.who, earlier.title, earlier.surname, possessive))
        elif term is not None:
            if term.is_person:
                full = term.text if len(term.text.split()) >= len(name_words) else name
                self._add_person(position, words, full, term, possessive)
        elif self._unknown_is_person(words, name_words, position, position + len(raw)):
            self._add_person(position, words, name, None, possessive)

    def _term(self, name_words: list[str]) -> Term | None:
        """The actor with this name or alias, or the one person with this surname alone."""
        name = " ".join(name_words)
        if len(name_words) == 1:
            return self.lexicon.match(name) or self.lexicon.by_surname(name)
        return self.lexicon.match_end(name_words)

    def _add_person(
        self, position: int, words: list[str], full: str, term: Term | None, possessive: bool
    ) -> None:
        titled = {fold(word) for word in words if fold(word) in TITLE_WORDS} | self._title_before(position)
        who = Who(full, None, term.key if term else None, "person")
        self.entities.append(_Entity(position, who, frozenset(titled), fold(full), possessive))

    def _title_before(self, position: int) -> set[str]:
        """The titles right before a name ("spokesman Sediq Sediqqi"), not a verb away."""
        title_context: set[str] = set()
        for word in reversed(re.findall(r"[\w’'.]+|[^\w\s]", self.text[max(0, position - 60) : position])):
            if fold(word) not in TITLE_WORDS | UNNAMED_HEADS:
                break
            title_context.add(fold(word))
        return title_context

    def _unknown_is_person(self, words: list[str], name_words: list[str], start: int, end: int) -> bool:
        """A name no actor has is a person's when it has two words or an honorific, no word of
        an organisation's, and a title before it or a verb after it."""
        honorific = bool({fold(word) for word in words[: len(words) - len(name_words)]} & HONORIFICS)
        return (
            (len(name_words) >= 2 or honorific)
            and not ({fold(word) for word in name_words} & ORG_WORDS)
            and (
                len(name_words) < len(words)
                or bool(self._title_before(start))
                or self._followed_by_verb(start, end)
            )
        )

    def _followed_by_verb(self, start: int, position: int) -> bool:
        """A name that does something ("Sajid Javid called on ...") is someone's."""
        after = self.text[position : position + 40]
        if re.match(rf",?\s+(?:\w+ly\s+)?(?:{VERBS})\b", after):
            return True
        return bool(re.match(r"\s+(?:also\s+)?[a-z]\w+ed\b", after)) and not re.search(
            r"\b(?:the|in|at|from|to|of)\s*$", self.text[max(0, start - 60) : start].split(",")[-1]
        )

    def _known_surname(self, words: Sequence[str]) -> _Entity | None:
        """The person last named whose full name ends with these words ("Le Drian"); for one
        word, else the one person named whose full name begins with it ("Bilawal")."""
        folded = fold(" ".join(words))
        for entity in reversed(self.entities):
            if entity.surname and (
                entity.surname == folded
                or entity.surname.endswith(" " + folded)
                or _without_particle(entity.surname.split()[-1]) == folded
            ):
                return entity
        if len(words) != 1:
            return None
        first_named = {
            entity.who: entity
            for entity in self.entities
            if entity.surname and entity.surname.startswith(folded + " ")
        }
        return next(iter(first_named.values())) if len(first_named) == 1 else None

    def persons_before(self, position: int) -> list[_Entity]:
        return [entity for entity in self.entities if entity.position < position]

    def spoke(self, position: int, who: Who) -> None:
        if who.name is not None or who.description:
            insort(self.speakers, (position, who), key=lambda item: item[0])

    def last_speaker(self, position: int, *, persons: bool = False) -> tuple[int, Who] | None:
        """Who spoke last before `position` (only people and unnamed sources, with `persons`)."""
        index = bisect_right([at for at, _ in self.speakers], position) - 1
        while index >= 0:
            at, who = self.speakers[index]
            if not persons or who.kind not in {"organization", "group"}:
                return at, who
            index -= 1
        return None


@dataclass
class _Reader:
    """What the rules share: the text, its quotes and sentences, the people in it, and the
    known actors it names."""

    text: str
    lexicon: Lexicon
    published_on: date | None
    quotes: list[_Quote]
    sentences: _Sentences
    people: _People
    mentions: list[tuple[int, Term]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.lexicon.leaderships:
            self.mentions = list(self.lexicon.mentions(self.text, 0, len(self.text)))

    def resolve(self, phrase: str, position: int) -> Who | None:
        """Whom a subject phrase ("the minister", "he", "Joly", "a senior official") means."""
        words = re.findall(r"[\w’'\-.]+", phrase.replace("(", " ").replace(")", " "))
        words = [word.strip(".") for word in words if word.strip(".")]
        while words and fold(words[0]) in {"and", "but", "also", "further", "later", "earlier", "then"}:
            words = words[1:]
        if not words:
            return None
        folded = [fold(word) for word in words]
        first, head = folded[0], folded[-1]
        if len(words) == 1 and first in PRONOUNS:
            return self._pronoun(position, first)
        described = " ".join(words)
        who = self._nobody_named(words, position) or self._name_in(phrase, position)
        if who is not None:
            return who
        term = self.lexicon.match(" ".join(words[1:]) if first in DETERMINERS else described)
        if term is not None:
            return _term_who(term)
        if first in {"the", "this", "that", "his", "her", "its"} or head in UNNAMED_HEADS | TITLE_WORDS:
            return self._titled(set(folded) - DETERMINERS, head, position, described)
        return None

    @staticmethod
    def _org_descriptor(words: list[str]) -> bool:
        """ "Iranian Foreign Ministry spokesman", "the Kremlin spokeswoman": someone of an
        organisation, described by their post, not the organisation itself."""
        head = fold(words[-1])
        return (
            len(words) >= 2
            and words[-1].islower()
            and head in UNNAMED_HEADS
            and not head.endswith("s")
            and words[-2][:1].isupper()
            and fold(words[0]) not in INDEFINITE
        )

    def _org_person(self, words: set[str], head: str, position: int, described: str) -> Who:
        """Whom the article gave that post before, else the person it names as a speaker in
        the sentences that follow (with the post or without it), else an unnamed source."""
        for entity in reversed(self.people.persons_before(position)):
            if head in entity.title and not (words - {head} - TITLE_WORDS - ORG_WORDS) - entity.title:
                return entity.who
        return self._named_after(head, position, untitled=True) or Who(None, description=described)

    def _nobody_named(self, words: list[str], position: int) -> Who | None:
        """A source the phrase describes without naming: a senior official, some MPs, a
        statement (the statement: the last speaker's), Netanyahu's office."""
        first, head = fold(words[0]), fold(words[-1])
        described = " ".join(words)
        if self._org_descriptor(words):
            return self._org_person({fold(word) for word in words} - DETERMINERS, head, position, described)
        unnamed = first in INDEFINITE or (head in UNNAMED_HEADS and head.endswith("s") and first != "the")
        if unnamed and (not words[-1][:1].isupper() or head in UNNAMED_HEADS):
            plural = (head.endswith("s") and head not in {"spokesperson"}) or first in PLURAL
            if plural:
                return Who(None, kind="group", description=described)
            return self._named_after(head, position) or Who(None, description=described)
        return self._statement_or_office(words, position)

    def _statement_or_office(self, words: list[str], position: int) -> Who | None:
        first, head = fold(words[0]), fold(words[-1])
        if head == "statement":
            if first == "the":
                last = self.people.last_speaker(position)
                return last[1] if last else UNNAMED
            return Who(None, description=" ".join(words))
        if head == "office" and len(words) >= 2 and re.search(r"[’']s$", words[-2]):
            return Who(" ".join(words[1:] if first == "the" else words), kind="organization")
        return None

    def _name_in(self, phrase: str, position: int) -> Who | None:
        """The speaker a name in the phrase gives: its last capitalised run that is not only
        titles (an organisation's name, "the Foreign Ministry", among them)."""
        for _, end, run in reversed(list(_name_runs(phrase))):
            if _modifies_a_noun(run, phrase[end:]):
                continue
            who = self._run_speaker(
                [word for word in (_bare(word) for word in run.split()) if word], position
            )
            if who is not None:
                return who
        return None

    def _run_speaker(self, run_words: list[str], position: int) -> Who | None:
        """The organisation or person a run of capitalised words names; None for titles only."""
        while run_words and fold(run_words[0]) in DETERMINERS:
            run_words = run_words[1:]
        if run_words and fold(run_words[-1]) in ORG_WORDS:
            term = self.lexicon.match(" ".join(run_words))
            return _term_who(term) if term is not None else Who(" ".join(run_words), kind="organization")
        name_words = _strip_title(run_words)
        if not name_words or all(fold(word) in TITLE_WORDS | DETERMINERS for word in name_words):
            return None
        last_word = fold(name_words[-1])
        if last_word in TITLE_WORDS - ORG_WORDS and not re.fullmatch(r"[A-Z]{2,6}", name_words[-1]):
            return None  # "the Japanese Minister": a title
        return self._named(name_words, position, run_words)

    def _named(self, name_words: list[str], position: int, run_words: list[str]) -> Who:
        name = " ".join(name_words)
        term = (
            self.lexicon.match(name)
            or self.lexicon.match(" ".join(run_words))
            or self.lexicon.match_end(name_words)
        )
        if term is not None:
            return _term_who(term)
        folded = {fold(word) for word in run_words}
        if folded & ORG_WORDS or re.fullmatch(r"[A-Z]{2,6}", name):
            return Who(" ".join(run_words), kind="organization")
        earlier = self.people._known_surname(name_words)
        if earlier is not None:
            return earlier.who
        if len(name_words) == 1:
            known = self.lexicon.by_surname(name)
            if known is not None:
                return Who(known.text, None, known.key, "person")
            return Who(name)
        return Who(name, kind="person")

    def _pronoun(self, position: int, pronoun: str) -> Who:
        """He or she: whoever spoke last, unless a person named as a sentence's subject since
        then is nearer; it and they: the organisation or the people who spoke last."""
        personal = pronoun in {"he", "she", "i"}
        last = self.people.last_speaker(position, persons=personal)
        sentence = self.sentences.start_of(position)
        subject, recent = self._persons_near(position, sentence) if personal else (None, None)
        if subject is not None and (last is None or subject.position > last[0]):
            return subject.who
        if recent is not None and self._introduced_since(recent, last, sentence):
            return recent.who
        if last is not None and position - last[0] < 1500:
            return last[1]
        if subject is not None or recent is not None:
            return (subject or recent).who  # type: ignore[union-attr]
        return last[1] if last is not None else UNNAMED

    def _persons_near(self, position: int, sentence: int) -> tuple[_Entity | None, _Entity | None]:
        """In the sentence and the two before it: the person last named as a sentence's subject
        (among its first twelve words, not in a possessive), and the person last named at all."""
        window = self.sentences.previous(self.sentences.previous(sentence))
        recent = None
        for entity in reversed(self.people.persons_before(position)):
            if entity.position < window:
                break
            recent = recent or entity
            start = self.sentences.start_of(entity.position)
            if not entity.possessive and len(self.text[start : entity.position].split()) <= 12:
                return entity, recent
        return None, recent

    def _introduced_since(self, person: _Entity, last: tuple[int, Who] | None, sentence: int) -> bool:
        """A person the sentence before names, after the last speaker spoke, and the only one
        it names so ("... by its media relations director, Paul Colford. He claimed ...")."""
        before = self.sentences.previous(sentence)
        if person.possessive or person.position < before or (last is not None and last[0] > person.position):
            return False
        named = {
            entity.who
            for entity in self.people.persons_before(sentence)
            if entity.position >= before and not entity.possessive
        }
        return named == {person.who}

    def _titled(self, words: set[str], head: str, position: int, phrase: str) -> Who:
        """The minister, the spokesperson: whom the article introduced with that title, or the
        last speaker when the article named nobody so."""
        qualifiers = words - {head} - TITLE_WORDS
        for entity in reversed(self.people.persons_before(position)):
            if head in entity.title and not (
                qualifiers and qualifiers - entity.title - {"german", "japanese"}
            ):
                return entity.who
        if _leads(words, head) and (leader := self._leader(position, len(phrase))) is not None:
            return leader
        last = self.people.last_speaker(position)
        if last is not None and position - last[0] < 2500:
            if head in POSTS and self._other_post(last[1], head, position):
                return self._untitled_before(head, position, last[0]) or last[1]
            return last[1]
        return (
            self._named_after(head, position)
            or self._only_one_titled(head, position)
            or Who(None, description=phrase)
        )

    def _only_one_titled(self, head: str, position: int) -> Who | None:
        """ "Australia's opposition leader has accused ..." and, paragraphs later, "ALP leader
        Bill Shorten said": the one person the article gives that post after the description."""
        titled = {entity.who for entity in self.people.entities if head in entity.title}
        later = [
            entity.who
            for entity in self.people.entities
            if entity.position > position and head in entity.title
        ]
        return later[0] if later and len(titled) == 1 else None

    def _other_post(self, who: Who, head: str, position: int) -> bool:
        """Whether the article gave this speaker a post other than `head` (the spokesman is not
        "the foreign minister")."""
        for entity in reversed(self.people.persons_before(position)):
            if entity.who == who:
                posts = entity.title & POSTS
                return bool(posts) and head not in posts
        return False

    def _untitled_before(self, head: str, position: int, since: int) -> Who | None:
        """The person named last as a sentence's subject before `position`, after `since`, whom
        the article gave no other post: whom "the foreign minister" means when the last
        speaker holds another."""
        for entity in reversed(self.people.persons_before(position)):
            if entity.position <= since:
                break
            posts = entity.title & POSTS
            opening = self.text[self.sentences.start_of(entity.position) : entity.position]
            if not entity.possessive and (not posts or head in posts) and len(opening.split()) <= 12:
                return entity.who
        return None

    def _leader(self, position: int, length: int) -> Who | None:
        """Who leads, by the relations recorded, the actor named last before (or in) the phrase
        that has a recorded leader, as of the publication date: "Canada ... the prime minister"."""
        named = [term.key for at, term in self.mentions if at < position + length and not term.is_person]
        seen = list(dict.fromkeys(reversed(named)))
        term = self.lexicon.leader_of(seen, self.published_on)
        return _term_who(term) if term is not None else None

    def _named_after(self, head: str, position: int, *, untitled: bool = False) -> Who | None:
        """A source the text describes first and names soon after ("a government spokesman
        said ... spokesman Sediq Sediqqi said"): the first person given that title in the three
        sentences that follow; with `untitled`, else the first one named there with no post,
        as the subject of a reporting verb ("... Saeed Khatibzadeh highlighted")."""
        limit = self.sentences.start_of(position)
        for _ in range(4):
            limit = self.sentences.end_of(limit)
        following = [entity for entity in self.people.entities if position < entity.position < limit]
        for entity in following:
            if head in entity.title:
                return entity.who
        for entity in following if untitled else []:
            if not entity.title & POSTS and not entity.possessive and self._speaks(entity.position):
                return entity.who
        return None

    def _speaks(self, position: int) -> bool:
        """A name at `position` that is the subject of a reporting verb right after it."""
        run = NAME_RUN.match(self.text, position)
        after = self.text[run.end() if run else position :]
        return bool(re.match(rf",?\s+(?:\w+ly\s+|also\s+|further\s+)?(?:{VERBS})\b", after))


# The rules --------------------------------------------------------------------------------------

SPEAKER_AFTER = re.compile(
    r"\s*[,—–]?\s*(?P<speaker>[^.!?\n“”\"]{1,120}?)\s+(?:\w+ly\s+)?(?:had\s+|has\s+)?"
    rf"(?P<verb>{VERBS}|(?:was|were|is)\s+quoted\s+as\s+saying)\b"
)
VERB_AFTER = re.compile(
    rf"\s*[,—–]?\s*(?P<verb>{VERBS})\s+(?P<speaker>(?:the\s+|a\s+|an\s+)?[^,.;!?\n“”\"]{{1,80}}?)"
    r"(?=\s*(?:[,.;!?\n]|$|\s(?:on|in|at|during|when|as|to|after|before|who|while)\b))"
)


# A phrase between commas before the verb that says where or how, not who: "X, in a tweet, said".
ADVERBIAL = re.compile(
    r"(?:in|on|at|during|via|through|after|before|while|from)\s+(?:a|an|the|his|her|their|its)\b"
)
SPEAKER_BEFORE = re.compile(
    rf"(?P<speaker>[^,;:()“”\"]{{0,120}}?)\s+(?:\w+ly\s+|further\s+|also\s+)?(?P<verb>{VERBS})\b"
    r"(?P<rest>[^“”\"]{0,60}?)\s*[:,]?$"
)


TAIL_ATTRIBUTION = re.compile(
    rf"(?:,[”\"]?|\s[–—])\s+(?P<speaker>[^,;“”\"]{{1,120}}?)\s+(?:had\s+|has\s+)?(?P<verb>{VERBS})\b"
    r"(?P<rest>[^“”\"]*)$"
)
TAIL_INVERTED = re.compile(
    rf"(?:,[”\"]?|\s[–—])\s+(?P<verb>{VERBS})\s+(?P<speaker>[A-Z][^,;.“”\"]{{1,80}}?)"
    r"(?=[,.]|\s+(?:on|in|at|who|quoted)\b)"
)


AUDIENCE = re.compile(
    r"\s+(?:(?:the|a|an|his|her|their)\s+)?(?:[\w’'\-]+\s+){0,3}?"
    r"(?:reporters|journalists|conference|committee|parliament|lawmakers|MPs|newspaper|channel|"
    r"news|radio|television|agency|interview|briefing|audience|crowd|supporters|"
    r"[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*){0,2})\b"
)
ADJUNCTS = re.compile(
    r"(?:\s+(?:on|in|at|to|during|after|before|last|this|late|earlier)\s+(?:a\s+|an\s+|the\s+)?"
    r"[\w’'\-]+(?:\s+(?:interview|call|conversation|message|briefing|meeting|speech|address))?"
    r"(?:\s+[A-Z][\w’'\-]+)*|\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"Sunday|yesterday|today)|,)*"
)


def _opens_clause(body: str, verb: str, *, that: bool) -> bool:
    """Whether the words after a reporting verb are a clause: not an infinitive, a question or
    a colon; with a verb among its first words; and after a verb other than say or tell, not
    a bare object ("warned the government", "denied the reports") unless a verb follows it."""
    first = fold(body.split()[0]) if body.split() else ""
    if not body or first in {"to", "of", "for", "with", "about", "on"} | QUESTION_STARTS or body[0] in ":(":
        return False
    if not that and not CLAUSE_AUXILIARY.search(" ".join(body.split()[:10])):
        return False
    if first.endswith("ing") and verb not in {"said", "says", "told", "tells"}:
        return False  # "denied making progress": a gerund, the object of the verb
    return bool(
        that
        or first not in {"the", "a", "an"}
        or verb in {"said", "says", "told", "tells"}
        or re.match(r"(?:\S+\s+){1,4}(?:is|are|was|were|will|would|could|had|has|have)\b", body)
    )


# "CANBERRA, April 7 (Xinhua) --", "LONDON:": where and when, and the agency; nobody's words.
DATELINE = re.compile(r"^[A-Z][A-Z .'\-]{2,}(?:,[^()\n]{0,30}?)?\s*(?:\([^()\n]{1,40}\))?\s*(?:--|—|–|:)\s+")


def _without_adverbs(subject_text: str) -> str:
    """The words before a reporting verb without the adverbs, auxiliaries and days next to it."""
    subject = re.sub(
        r"\s+(?:\w+ly|also|further|had|has|have|would|will|then|later|initially|again|on\s+\w+|"
        r"yesterday|today|in\s+a\s+statement|in\s+an\s+interview)\s*$",
        "",
        subject_text.rstrip(),
    )
    subject = re.sub(r"\s+(?:on|in)\s+\w+day$", "", subject)
    return re.sub(r"\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)$", "", subject)


PARTICIPLE_LEAD = re.compile(
    r",\s+(?:saying|adding|insisting|declaring|stressing|warning|noting|explaining|arguing|claiming|"
    r"asserting|emphasi[sz]ing|highlighting|telling\s+\w+)\s*[:,]?\s*$"
)


def _lead_subject(before: str, lead: re.Match[str]) -> tuple[str, int]:
    """The subject of the reporting verb before a quote, and where it starts; past an
    adverbial between commas ("Bilawal Bhutto Zardari, in a tweet, said:")."""
    subject, at = lead.group("speaker").strip(), lead.start("speaker")
    subject = re.split(r",\s+", subject)[-1] if "," in subject and not subject.endswith(",") else subject
    earlier = re.search(r"([^,;:()“”\"]{1,120}),\s*$", before[:at]) if ADVERBIAL.match(subject) else None
    if earlier is not None:
        return earlier.group(1).strip(), earlier.start(1)
    return subject, at


@dataclass(frozen=True)
class _Around:
    """A quote's words and what stands around them in their sentence."""

    quote: _Quote
    start: int  # the words inside the marks
    end: int
    sentence: int  # where the sentence that holds the opening mark starts
    before: str  # the sentence before the opening mark
    after: str  # the sentence after the closing mark
    words: int
    punctuated: bool  # a comma, full stop, question or exclamation mark just inside the close
    opens_upper: bool


def _verb_kind(verb: str) -> str:
    return POST_VERBS.get(verb, "quote")


SUBORDINATOR = re.compile(
    r"\s(?:when|while|after|before|because|since|although|though|if|until|once|whereas|as)\s+"
)
# The words of a title that name a post (not "former", "deputy", "foreign"...).
POSTS = _words(
    "minister president chancellor premier spokesman spokeswoman spokesperson secretary ambassador "
    "envoy senator governor mayor leader chairman chairwoman chair director commissioner general king "
    "queen prince emir judge speaker official adviser advisor chief head"
)
LEADER_HEADS = _words("president chancellor premier leader king queen emir chairman chairwoman chair")


def _leads(words: set[str], head: str) -> bool:
    """A title that says its holder leads a state, a party or an organisation."""
    return head in LEADER_HEADS or (head == "minister" and "prime" in words)


def _is_subject(phrase: str) -> bool:
    words = phrase.split()
    return 0 < len(words) <= 12 and not re.search(r"\b(?:that|which|because)\b", phrase)


def extract(text: str, lexicon: Lexicon, published_on: date | None = None) -> list[Candidate]:
    """Every draft the rules find, in the order of the text."""
    found: list[Candidate] = []
    quotes_taken = _Taken()
    quotes = _quotes(text)
    quotes += _single_quotes(text, quotes)
    quotes.sort(key=lambda quote: quote.opening)
    sentences = _Sentences(text, quotes)
    reader = _Reader(text, lexicon, published_on, quotes, sentences, _People(lexicon, text))
    posts = list(_posts(text, lexicon))
    for post in posts:
        found.extend(_post_drafts(text, post, lexicon, quotes_taken))

    def post_at(position: int) -> _Post | None:
        return next((post for post in posts if post.start <= position < post.end), None)

    _Statements(reader, found, quotes_taken, post_at).run()
    if len(found) > MAX_DRAFTS:
        raise TooManyDrafts(
            f"The text yields {len(found)} drafts; at most {MAX_DRAFTS} can be reviewed at once."
        )
    return sorted(found, key=lambda candidate: (candidate.start, candidate.end, candidate.rule))


def _post_drafts(text: str, post: _Post, lexicon: Lexicon, taken: _Taken) -> Iterator[Candidate]:
    """The post itself, and the words it relays when it opens with "Name: words"."""
    start, end = _trimmed(text, post.start, post.end, quoted=False)
    yield Candidate("embedded-post", 0.9, start, end, "post", post.author, None, post.said_on, post.link)
    opening = COLON.match(text, start, end)
    if opening:
        words_start, words_end = _trimmed(text, opening.start("words"), end, quoted=False)
        speaker = _who(opening.group("speaker"), lexicon)
        yield Candidate(
            "relayed-colon",
            0.8,
            words_start,
            words_end,
            "post",
            speaker,
            post.author,
            post.said_on,
            post.link,
        )
        taken.add(words_start, words_end)


def _who(name: str, lexicon: Lexicon) -> Who:
    term = lexicon.match(name)
    return Who(name, None, term.key if term else None)


class TooManyDrafts(ValueError):
    """More drafts than an editor can review in one article."""


MAX_DRAFTS = 1000


@dataclass
class _Statements:
    reader: _Reader
    found: list[Candidate]
    taken: _Taken
    post_at: Callable[[int], _Post | None]

    def run(self) -> None:
        """Sentence by sentence, in text order, so that "the last speaker" is known when a
        pronoun, a title or a quote of its own needs it: the direct quotes that open in the
        sentence, then its reported speech, then the quoted phrases inside it."""
        text, sentences = self.reader.text, self.reader.sentences
        quotes = iter(self.reader.quotes)
        quote = next(quotes, None)
        for index, start in enumerate(sentences.starts):
            end = sentences.starts[index + 1] if index + 1 < len(sentences.starts) else len(text)
            phrases: list[_Quote] = []
            while quote is not None and quote.opening < end:
                words_start, words_end = _trimmed(text, quote.opening + 1, quote.closing)
                taken = self.taken.overlaps(words_start, words_end)
                if words_start < words_end and not taken and not self._direct(quote, words_start, words_end):
                    phrases.append(quote)
                quote = next(quotes, None)
            if re.search(r"\w", text[start:end]) and not self._in_post(start):
                self._sentence(start, end)
            for phrase in phrases:
                self._phrase(phrase)
        colon_paragraphs(self)

    def _in_post(self, position: int) -> bool:
        return self.post_at(position) is not None

    def _add(self, rule: str, confidence: float, start: int, end: int, kind: str, who: Who, at: int) -> None:
        text = self.reader.text
        sentence_start = self.reader.sentences.start_of(start)
        sentence_end = self.reader.sentences.end_of(max(end - 1, start))
        said_on = _said_on(text, sentence_start, sentence_end, start, end, self.reader.published_on)
        event = self.reader.lexicon.event_in(text[sentence_start:sentence_end])
        carrier = self.post_at(start)  # words quoted in someone's post: relayed by its author
        if carrier is not None:
            self.found.append(
                Candidate(
                    rule, confidence, start, end, kind, who, carrier.author, carrier.said_on, carrier.link
                )
            )
        else:
            self.found.append(Candidate(rule, confidence, start, end, kind, who, None, said_on, None, event))
        self.taken.add(start, end)
        self.reader.people.spoke(at, who)

    def _direct(self, quote: _Quote, start: int, end: int) -> bool:
        """A quote that stands as speech of its own, with its attribution after, before, or in
        the sentences before it. False for a quote inside the writer's sentence."""
        text, sentences = self.reader.text, self.reader.sentences
        sentence = sentences.start_of(quote.opening)
        around = _Around(
            quote,
            start,
            end,
            sentence,
            before=text[sentence : quote.opening],
            after=text[quote.after : sentences.end_of(quote.after)],
            words=len(text[start:end].split()),
            punctuated=quote.closed and text[max(start, quote.closing - 1)] in ",?!.",
            opens_upper=text[start : start + 1].isupper() or text[start : start + 1] == "I",
        )
        return (
            self._quote_then_speaker(around)
            or self._speaker_then_quote(around)
            or self._participle_then_quote(around)
            or self._quote_of_its_own(around)
        )

    def _quote_then_speaker(self, around: _Around) -> bool:
        """“…,” he said / said Trump / the minister added."""
        quote, reader = around.quote, self.reader
        long_enough = around.punctuated or around.words > 3
        attribution = SPEAKER_AFTER.match(around.after)
        if attribution and _is_subject(attribution.group("speaker")) and long_enough:
            prefix = around.before.strip()
            if not prefix or prefix.endswith((":", ",")) or not re.search(r"\w", prefix):
                who = reader.resolve(attribution.group("speaker"), quote.after + attribution.start("speaker"))
                if who is not None:
                    kind = _verb_kind(attribution.group("verb"))
                    self._add("quote-then-speaker", 0.85, around.start, around.end, kind, who, quote.opening)
                    return True
        inverted = VERB_AFTER.match(around.after)
        if inverted and not around.before.strip() and long_enough:
            who = reader.resolve(inverted.group("speaker"), quote.after + inverted.start("speaker"))
            if who is not None:
                kind = _verb_kind(inverted.group("verb"))
                self._add("quote-then-speaker", 0.8, around.start, around.end, kind, who, quote.opening)
                return True
        return False

    def _speaker_then_quote(self, around: _Around) -> bool:
        """Name said: “…” / In a statement, the ministry said, “…”."""
        stripped = around.before.rstrip()
        lead = SPEAKER_BEFORE.search(stripped)
        if lead is None:
            return False
        bare = not lead.group("rest") and around.words >= 4 and around.opens_upper
        if not ((stripped.endswith(":") and around.opens_upper) or stripped.endswith(",") or bare):
            return False
        subject, at = _lead_subject(stripped, lead)
        if not _is_subject(subject) or re.search(r"\bthat$", lead.group("rest") or ""):
            return False
        who = self.reader.resolve(subject, around.sentence + at)
        if who is None:
            return False
        kind = _verb_kind(lead.group("verb"))
        self._add("speaker-then-quote", 0.8, around.start, around.end, kind, who, around.quote.opening)
        return True

    def _participle_then_quote(self, around: _Around) -> bool:
        """Morrison dismissed the criticism, saying “We do this after every budget”: the
        sentence's subject said it."""
        participle = PARTICIPLE_LEAD.search(around.before)
        if participle is None or not around.opens_upper:
            return False
        at = around.sentence + participle.start()
        subject = self._main_subject(around.sentence, at)
        who = self.reader.resolve(subject, around.sentence) if subject else None
        if who is None:
            return False
        self._add("speaker-then-quote", 0.7, around.start, around.end, "quote", who, around.quote.opening)
        return True

    def _quote_of_its_own(self, around: _Around) -> bool:
        """A sentence or paragraph of its own: the last speaker's, or "Name: “…”" before."""
        quote, reader, text = around.quote, self.reader, self.reader.text
        if re.search(r"\w", around.before) or (
            re.search(r"\w", around.after) and not (around.words > 3 and around.opens_upper)
        ):
            return False
        if around.words < 3 and not around.punctuated:
            return False
        last = reader.people.last_speaker(quote.opening)
        sentence = around.sentence
        colon = re.search(rf"(?P<speaker>{NAME})[^\n]*:\s*$", text[max(0, sentence - 200) : sentence])
        who, confidence = UNNAMED, 0.4
        if last is not None and quote.opening - last[0] < 1200:
            who, confidence = last[1], 0.6
        elif colon is not None and (named := reader.resolve(colon.group("speaker"), sentence)) is not None:
            who, confidence = named, 0.6
        self._add("quote-continued", confidence, around.start, around.end, "quote", who, quote.opening)
        return True

    def _clause_end(self, start: int, end: int) -> int:
        text = self.reader.text
        cut = CLAUSE_CUTS.search(text, start, end)
        stop = cut.start() if cut else end
        while stop > start and (text[stop - 1].isspace() or text[stop - 1] in ".,;:!?"):
            stop -= 1
        return stop

    def _claim(self, start: int, stop: int, who: Who, at: int) -> None:
        text = self.reader.text
        start, stop = _trimmed(text, start, stop, quoted=False)
        while stop > start and text[stop - 1] in ".;:":
            stop -= 1
        if stop - start < 12 or len(text[start:stop].split()) < 3:
            return
        if self._wholly_quoted(start, stop) or self.taken.overlaps(start, stop):
            return
        self._add("reported-speech", 0.6, start, stop, "paraphrase", who, at)

    def _wholly_quoted(self, start: int, stop: int) -> bool:
        """A clause that is only quoted words (and a time or place after them): a quoted
        phrase, not a paraphrase."""
        text = self.reader.text
        for quote in self.reader.quotes:
            if quote.opening <= start + 1 and quote.after >= stop - 1:
                return True
            if abs(quote.opening - start) <= 1 and quote.after < stop:
                rest = text[quote.after : stop]
                if len(rest.split()) <= 4 and not CLAUSE_AUXILIARY.search(rest):
                    return True
        return False

    def _in_quote(self, position: int) -> bool:
        return any(quote.opening < position < quote.closing for quote in self.reader.quotes)

    def _sentence(self, start: int, end: int) -> None:
        """The sentence's indirect speech: after its reporting verb, or before its attribution."""
        if not self._reported_after_verb(start, end) and not self._reported_before_speaker(start, end):
            self._reported_by_source(start, end)

    def _reported_after_verb(self, start: int, end: int) -> bool:
        """Name said (that) ...: the clause after the verb, and the participles after it."""
        text, reader = self.reader.text, self.reader
        for verb in VERB.finditer(text, start, end):
            if self._in_quote(verb.start()) or verb.group() not in REPORTING:
                continue
            subject_text = text[start : verb.start()]
            clause = self._clause_after(verb.end(), end, verb.group())
            subject = self._subject(subject_text) if clause is not None else None
            if clause is None or subject is None:
                continue
            who = reader.resolve(subject, start + subject_text.rfind(subject))
            if who is None:
                continue
            stop = self._clause_end(clause, end)
            self._claim(clause, stop, who, verb.start())
            stop = self._conjoined(stop, end, who)
            self._participles(stop, end, who, verb.start())
            return True
        return False

    def _conjoined(self, stop: int, end: int, who: Who) -> int:
        """The clause of a second reporting verb joined to the first ("…, but denied that …"),
        claimed for the same speaker; where the reported words end."""
        again = CONJOINED.match(self.reader.text, stop, end)
        if again is None or again.group("verb") not in REPORTING:
            return stop
        clause = self._clause_after(again.end(), end, again.group("verb"))
        if clause is None:
            return stop
        second = self._clause_end(clause, end)
        self._claim(clause, second, who, again.start("verb"))
        return second

    def _reported_before_speaker(self, start: int, end: int) -> bool:
        """..., Name said on Monday. / ... - said Name."""
        text, reader = self.reader.text, self.reader
        sentence = text[start:end]
        tail = TAIL_ATTRIBUTION.search(sentence)
        if (
            tail
            and not self._in_quote(start + tail.start("verb"))
            and _is_subject(tail.group("speaker"))
            and not re.search(r"\bthat\b", tail.group("rest"))
        ):
            who = reader.resolve(tail.group("speaker"), start + tail.start("speaker"))
            if who is not None:
                self._claim(start, start + tail.start(), who, start + tail.start("verb"))
                return True
        inverted = TAIL_INVERTED.search(sentence)
        if inverted and not self._in_quote(start + inverted.start("verb")):
            who = reader.resolve(inverted.group("speaker"), start + inverted.start("speaker"))
            if who is not None:
                self._claim(start, start + inverted.start(), who, start + inverted.start("verb"))
                return True
        return False

    def _reported_by_source(self, start: int, end: int) -> bool:
        """..., according to Name. / ..., Name was quoted as saying."""
        text, reader = self.reader.text, self.reader
        sentence = text[start:end]
        according = re.search(r",\s+according to\s+(?P<speaker>[^,.;]{1,80})[.,]?\s*$", sentence)
        if according:
            who = reader.resolve(according.group("speaker"), start + according.start("speaker"))
            if who is not None and "news" not in fold(according.group("speaker")):
                self._claim(start, start + according.start(), who, start + according.start("speaker"))
                return True
        quoted_as = re.search(r",[”\"]?\s+(?P<speaker>[^,;“”\"]{1,80}?)\s+was\s+quoted\b[^“”\"]*$", sentence)
        if quoted_as:
            who = reader.resolve(quoted_as.group("speaker"), start + quoted_as.start("speaker"))
            if who is not None:
                self._claim(start, start + quoted_as.start(), who, start + quoted_as.start("speaker"))
                return True
        return False

    def _subject(self, subject_text: str) -> str | None:
        """The subject before a reporting verb: the words after the last comma that does not
        close an apposition, without the adverbs and auxiliaries next to the verb."""
        subject_text = DATELINE.sub("", subject_text)
        parts = [part for part in re.split(r",\s*", _without_adverbs(subject_text)) if part.strip()]
        if not parts:
            return None
        candidate = parts[-1].strip()
        # "X, the minister of Y, said", "X, AP's bureau chief, said": the apposition's name is
        # before it.
        if (
            len(parts) >= 2
            and subject_text.rstrip().endswith(",")
            and (
                re.match(r"(?:the|a|an|head|who)\b|[\w\-]+[’']s\s+[a-z]", candidate)
                or ADVERBIAL.match(candidate)
            )
        ):
            candidate = parts[-2].strip()
        candidate = re.sub(r"^(?:and|but|so|yet)\s+", "", candidate)
        # "sparred with Lee when she tweeted": the verb's subject is the subordinate clause's.
        candidate = SUBORDINATOR.split(candidate)[-1]
        if re.search(r"\s(?:and|but)$", candidate):
            # "the negotiators briefed the prime minister and said": the subject of both verbs
            predicate = re.search(r"\s[a-z]\w+ed\b", candidate)
            candidate = candidate[: predicate.start()] if predicate else candidate
        if self._in_quote_text(candidate) or not _is_subject(candidate):
            return None
        if re.search(r"\b(?:to|of|for|with|by|from)$|\bto\s+[a-z]\w*$", candidate):
            return None  # "Iran appeared to acknowledge reports that": "reports" is a noun
        return candidate

    @staticmethod
    def _in_quote_text(candidate: str) -> bool:
        return any(mark in candidate for mark in '“”"')

    def _clause_after(self, position: int, end: int, verb: str) -> int | None:
        """Where the reported clause starts after a reporting verb (and its audience), or None
        when what follows is no clause (an infinitive, a question, a bare object)."""
        rest = self.reader.text[position:end]
        offset = 0
        if verb in {"told", "tells"}:
            audience = AUDIENCE.match(rest)
            if audience is None:
                return None
            offset = audience.end()
        adjunct = ADJUNCTS.match(rest[offset:])
        if adjunct:
            offset += adjunct.end()
        that = re.match(r"\s+that\b", rest[offset:])
        if that:
            offset += that.end()
        body = rest[offset:].lstrip()
        if not _opens_clause(body, verb, that=bool(that)):
            return None
        if re.match(r",\s*\w+ing\b", rest[offset - 1 if rest[:offset].endswith(",") else offset :].lstrip()):
            return None  # "told the Washington Examiner, referring to ...": a participle, no clause
        return position + offset + (len(rest[offset:]) - len(body))

    def _participles(self, position: int, end: int, who: Who, at: int) -> None:
        text = self.reader.text
        for participle in PARTICIPLES.finditer(text, position, end):
            clause = participle.end()
            body = text[clause:end].lstrip()
            first = fold(body.split()[0]) if body.split() else ""
            if first in {"to", "of", "him", "her", "them"} | QUESTION_STARTS:
                continue
            if not CLAUSE_AUXILIARY.search(" ".join(body.split()[:12])):
                continue
            stop = self._clause_end(clause + 1, end)
            self._claim(clause, stop, who, at)

    def _phrase(self, quote: _Quote) -> None:
        """Quoted words inside a sentence that reports speech: the sentence's speaker's."""
        text, reader = self.reader.text, self.reader
        start, end = _trimmed(text, quote.opening + 1, quote.closing)
        if start >= end or (self.taken.overlaps(start, end) and not self._inside_paraphrase(start, end)):
            return
        sentence = reader.sentences.start_of(quote.opening)
        sentence_end = reader.sentences.end_of(quote.after)
        before = text[max(sentence, quote.opening - 30) : quote.opening]
        if re.search(r"(?:so-called|dubbed|titled|entitled|named|proposed|term|\[)\s*$", before):
            return
        words = text[start:end].split()
        after = text[quote.after : quote.after + 20]
        if len(words) <= 4 and all(word[:1].isupper() for word in words) and re.match(r"\s+[a-z]", after):
            return  # a title or a name: “Media Buzz” host
        speaker = self._paraphrase_speaker(start, end)
        if speaker is None:
            speaker = self._speech_act_speaker(sentence, sentence_end, quote)
        if speaker is None:
            return
        self.found.append(
            Candidate(
                "quoted-phrase-near-speaker",
                0.5,
                start,
                end,
                "quote",
                speaker,
                None,
                _said_on(text, sentence, sentence_end, start, end, reader.published_on),
                None,
                reader.lexicon.event_in(text[sentence:sentence_end]),
            )
        )

    def _inside_paraphrase(self, start: int, end: int) -> bool:
        return any(c.rule == "reported-speech" and c.start <= start and end <= c.end + 2 for c in self.found)

    def _paraphrase_speaker(self, start: int, end: int) -> Who | None:
        for candidate in self.found:
            if candidate.rule == "reported-speech" and candidate.start <= start and end <= candidate.end + 2:
                return candidate.speaker
        return None

    def _speech_act_speaker(self, sentence: int, sentence_end: int, quote: _Quote) -> Who | None:
        """The subject of a speech act in the sentence (accused X of “…”, what she called “…”,
        ..., warning him of the “…”), or of the statement the sentence already made."""
        text, reader = self.reader.text, self.reader
        head = text[sentence : quote.opening]
        called = re.search(r"\bwhat\s+(?P<speaker>he|she|they|it|[A-Z][\w\-]+)\s+(?:has\s+)?called\s*$", head)
        if called:
            return reader.resolve(called.group("speaker"), sentence + called.start("speaker"))
        if re.search(r"\b(?:Shouts|Chants|Cries|Calls)\s+of\s*$", head):
            return UNNAMED
        for candidate in reversed(self.found):
            if sentence <= candidate.start < sentence_end and candidate.rule != "quoted-phrase-near-speaker":
                return candidate.speaker
        acts = list(SPEECH_ACTS.finditer(head))
        act = acts[-1] if acts else None
        if act is None:
            after = SPEECH_ACTS.search(text, quote.after, sentence_end)
            if after is None:
                return None
            subject = self._subject(text[quote.after : after.start()])
            return reader.resolve(subject, after.start() - len(subject)) if subject else None
        act_position = sentence + act.start()
        if re.search(r",\s*$", head[: act.start()]) and act.group().endswith("ing"):
            subject = self._main_subject(sentence, act_position)
        else:
            subject = self._subject(text[sentence:act_position])
        return reader.resolve(subject, act_position - len(subject) - 1) if subject else None

    def _main_subject(self, sentence: int, end: int) -> str | None:
        """The words that open a sentence's main clause, after an opening adverbial."""
        text = self.reader.text[sentence:end]
        opening = re.match(
            r"(?:In|At|On|After|Before|During|Following|Asked|Speaking|Addressing)\b[^,]{0,80},\s*", text
        )
        words = text[opening.end() if opening else 0 :].split()
        subject = []
        for word in words:
            bare = word.strip(",")
            if (
                bare[:1].isupper()
                or fold(bare) in TITLE_WORDS | ORG_WORDS | DETERMINERS | UNNAMED_HEADS | PRONOUNS.keys()
            ):
                subject.append(bare)
                if word.endswith(","):
                    break
                continue
            break
        return " ".join(subject) or None


REPORTS_A_QUOTE = re.compile(rf"\b(?:{VERBS})\b[^“”\"\n]{{0,40}}[“\"]")


def colon_paragraphs(statements: _Statements) -> None:
    """ "Name: words" opening a paragraph of running text."""
    reader = statements.reader
    text = reader.text
    for paragraph in re.finditer(r"[^\n]+", text):
        if statements._in_post(paragraph.start()):
            continue
        opening = COLON.match(text, paragraph.start(), paragraph.end())
        if opening is None or REPORTS_A_QUOTE.search(opening.group("words")):
            continue  # "Iran Press: ... Khatibzadeh highlighted: “…”": a label, then the writer's words
        start, end = _trimmed(text, opening.start("words"), paragraph.end(), quoted=False)
        if not statements.taken.overlaps(start, end) and start < end:
            speaker = _who(opening.group("speaker"), reader.lexicon)
            said_on = reader.published_on
            statements.found.append(
                Candidate("speaker-colon", 0.6, start, end, "quote", speaker, None, said_on)
            )
            statements.taken.add(start, end)


def _said_on(
    text: str, sentence: int, sentence_end: int, start: int, end: int, published_on: date | None
) -> date | None:
    """The date the sentence gives outside the words themselves: a date, or a weekday,
    "yesterday" or "today" counted back from the publication date; else the publication date."""
    for found in DATE_IN_TEXT.finditer(text, sentence, sentence_end):
        if start <= found.start() < end:
            continue
        if found.group("y1") or found.group("y2"):
            day = int(found.group("d1") or found.group("d2"))
            month = MONTH_NUMBERS[(found.group("m1") or found.group("m2")).lower()]
            try:
                return date(int(found.group("y1") or found.group("y2")), month, day)
            except ValueError:
                continue
        if published_on is None:
            continue
        if found.group("weekday"):
            target = WEEKDAYS.index(found.group("weekday").lower())
            return published_on - timedelta(days=(published_on.weekday() - target) % 7)
        if found.group("relative") == "yesterday":
            return published_on - timedelta(days=1)
        if found.group("relative") == "today":
            return published_on
    return published_on
