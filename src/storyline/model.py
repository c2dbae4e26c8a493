"""The core data model: small, typed, immutable records.

Every extracted item points back into its article through a :class:`Span`
(provenance everywhere): into ``Article.text`` by default, or into the title or the
header lines the clean-up set aside (a headline is evidence too). Records are frozen,
slotted dataclasses: stdlib only, picklable for Dask workers, hashable, and checked by
``mypy --strict``. Collections are tuples so records stay immutable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

BlockKind = Literal["paragraph", "heading", "caption"]
Precision = Literal["day", "month", "year"]
QuoteKind = Literal["direct", "indirect", "fragment"]
ClaimStatusName = Literal["corroborated", "single-source", "contested", "denied"]
TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
# Which text of an article a span indexes: the body (``Article.text``), the title, or the
# header lines the clean-up set aside (standfirst, a second headline: ``header_text``).
SpanPart = Literal["text", "title", "header"]
# deny: says it is false; dispute: contests it; dismiss: waves it off (or ends a case: "the
# judge dismissed the lawsuit", no denial); correct: amends an earlier statement.
CueClass = Literal[
    "assert", "accuse", "deny", "dispute", "dismiss", "correct", "urge", "promise", "assess"
]


@dataclass(frozen=True, slots=True)
class Span:
    """A character range ``[start, end)`` in one article's cleaned text (``part`` "text"),
    its title or its header lines (see :func:`part_text`)."""

    article_id: str
    start: int
    end: int
    # stored only when not "text" (io.codec): the store holds spans by the million
    part: SpanPart = field(default="text", metadata={"codec_omit_default": True})


@dataclass(frozen=True, slots=True, kw_only=True)
class DateValue:
    """A calendar date or range with its precision; never derived from the wall clock."""

    start: date
    end: date
    precision: Precision
    estimate: bool = False
    basis: str | None = None  # where it came from: "header", "meta", "caption", "story" ...


# ``DateValue.basis`` of a date that could not be resolved and is only shown at an estimate
# (a weekday of an undated article): readers are told it is unresolved, not given the estimate.
UNRESOLVED_BASIS = "unresolved"


def date_label(
    start: str, end: str, precision: str, *, estimate: bool = False, basis: str | None = None
) -> str:
    """A date for people: "2023-08-03", "2023-08-03 to 2023-08-05", "2023-07 (estimate)",
    "unresolved (shown at 2023-08, estimate)". ``start``/``end`` are ISO dates; the writers
    and the web (which reads stored JSON) share this one wording."""
    size = {"day": 10, "month": 7, "year": 4}.get(precision, 10)
    first, last = start[:size], end[:size]
    text = first if first == last else f"{first} to {last}"
    if basis is not None and basis.startswith(UNRESOLVED_BASIS):
        return f"unresolved (shown at {text}, estimate)"
    return f"{text} (estimate)" if estimate else text


@dataclass(frozen=True, slots=True, kw_only=True)
class Block:
    """A paragraph, heading or caption of an article's cleaned text."""

    kind: BlockKind
    start: int
    end: int
    language: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RawDocument:
    """One input document as a reader found it, before cleaning.

    ``content`` is decoded text (plain text or HTML, as ``fmt`` says). Readers of
    containers (JSONL, WARC, RSS) may already know metadata; it rides along here.
    """

    input: str  # path, path#line or URL: where the bytes came from
    content: str
    fmt: Literal["text", "html"]
    url: str | None = None
    published: str | None = None  # as given by the container, e.g. "2023-08-06"
    outlet: str | None = None
    title: str | None = None


# Input problems after which the document is still stored: warnings, not skipped inputs.
KEPT_REASONS = frozenset({"decode-fallback"})


@dataclass(frozen=True, slots=True, kw_only=True)
class InputProblem:
    """A document that could not be read or cleaned, and why (never silently dropped)."""

    input: str
    reason: str  # short machine-readable code, e.g. "binary", "empty", "decode"
    detail: str = ""

    @property
    def kept(self) -> bool:
        """True for a warning: the document was read anyway (e.g. decoded with a fallback)."""
        return self.reason in KEPT_REASONS


REMOVED_LINES = 200
REMOVED_CHARS = 300


@dataclass(frozen=True, slots=True, kw_only=True)
class Article:
    """A cleaned news article: body text, blocks and metadata."""

    id: str  # content hash (ids.article_id)
    input: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    byline: str | None = None
    wire: str | None = None  # "Reuters" for wire copy: it counts as its origin
    published: DateValue | None = None  # None = unknown; never the day of the run
    published_time: str | None = None  # "09:28" when the source states it
    updated: DateValue | None = None  # last modification, when the page states one
    canonical_url: str | None = None  # <link rel=canonical> / og:url, when the page gives one
    language: str | None = None
    text: str = ""
    blocks: tuple[Block, ...] = ()
    credits: tuple[str, ...] = ()  # photo credits such as "Korean Central News Agency via AP"
    # what the clean-up set aside, as (why, line): menus, share buttons, a donation footer ...
    # kept so the clean-up can be audited (bounded: REMOVED_LINES lines of REMOVED_CHARS)
    removed: tuple[tuple[str, str], ...] = ()
    meta_sources: tuple[tuple[str, str], ...] = ()  # (field, source) e.g. ("published", "header")


def header_text(article: Article) -> str:
    """The header lines the clean-up set aside (standfirst, second headline), one per line.

    A line that repeats the title is left out: the title span addresses it already.
    """
    title = (article.title or "").strip()
    lines = [line for why, line in article.removed if why == "header" and line.strip() != title]
    return "\n".join(dict.fromkeys(lines))


def part_text(article: Article, part: SpanPart) -> str:
    """The text a span of ``part`` indexes in ``article``."""
    if part == "title":
        return article.title or ""
    if part == "header":
        return header_text(article)
    return article.text


def span_text(article: Article, span: Span) -> str:
    """The characters ``span`` addresses in ``article``."""
    return part_text(article, span.part)[span.start : span.end]


@dataclass(frozen=True, slots=True, kw_only=True)
class Sentence:
    """A sentence of an article, inside one block."""

    span: Span
    block: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Mention:
    """A mention of an entity (named or a role noun such as "the agency")."""

    span: Span
    text: str
    label: str  # PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, ...
    entity_id: str | None = None
    role: bool = False  # True for a nominal ("North Korean leader") rather than a name


@dataclass(frozen=True, slots=True, kw_only=True)
class Entity:
    """A canonical entity with its variants and every mention."""

    id: str
    name: str
    label: str
    aliases: tuple[str, ...] = ()
    mentions: tuple[Span, ...] = ()
    description: str | None = None  # "analyst, Sejong Institute" when the text says so


@dataclass(frozen=True, slots=True, kw_only=True)
class Quote:
    """A direct, indirect or fragment quotation and who said it."""

    id: str
    span: Span  # the quoted or reported content
    text: str
    kind: QuoteKind
    speaker: str | None = None  # entity id
    speaker_name: str | None = None
    speaker_span: Span | None = None
    cue: str | None = None  # "said", "according to"
    cue_span: Span | None = None
    via: str | None = None  # entity id of a relay (a news agency)
    via_name: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Claim:
    """An attributed proposition found in one article."""

    id: str
    span: Span
    text: str
    attributed_to: tuple[str, ...] = ()  # display names (speaker, relay or the outlet)
    attributed_ids: tuple[str, ...] = ()  # entity ids where known
    cue: str | None = None
    cue_class: CueClass = "assert"
    hedges: tuple[str, ...] = ()
    stance: Literal["fact", "view"] = "fact"
    polarity: Literal["asserted", "denied"] = "asserted"
    denies: str | None = None  # id of the claim this one denies
    # content words of what a directive claim asks for ("called for X", "urged Y to do X"):
    # two demands of different things are two claims however alike their wording
    objects: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeExpression:
    """A temporal expression with its TIMEX3 value, resolved against an anchor."""

    span: Span
    text: str
    type: TimexType
    value: str | None  # TIMEX3 value ("2023-08-03", "2023-07", "P3D"); None = unresolved
    when: DateValue | None = None  # calendar range for DATE values that have one
    reason: str | None = None  # why it is unresolved, or how it was resolved


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """Something that happened at a date, with the clause it was read from."""

    id: str
    when: DateValue
    expression: str
    text: str
    span: Span  # the clause or sentence
    time_span: Span  # the temporal expression itself


@dataclass(frozen=True, slots=True, kw_only=True)
class StageProblem:
    """A stage that raised on one article (or one story): recorded so the rest can go on."""

    article_id: str  # "" for a story-level stage
    stage: str  # "parse", "sentences", "mentions", "quotes", "claims", "times", "events", "dossier"
    error: str  # the exception's type name, e.g. "KeyError"
    message: str
    sentence: str | None = None  # the sentence being processed, when the stage knows it
    story_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AnnotatedArticle:
    """An article with everything the article stages found in it."""

    article: Article
    sentences: tuple[Sentence, ...] = ()
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    claims: tuple[Claim, ...] = ()
    times: tuple[TimeExpression, ...] = ()
    events: tuple[Event, ...] = ()
    problems: tuple[StageProblem, ...] = ()  # stages that failed; their results are empty


@dataclass(frozen=True, slots=True, kw_only=True)
class Story:
    """A group of articles telling the same story."""

    id: str
    article_ids: tuple[str, ...]
    # near-duplicate / syndicated copies: each group counts as one source
    syndication_groups: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimGroup:
    """The same claim as reported by one or more articles, with its status."""

    id: str
    text: str
    claims: tuple[Claim, ...]
    attributed_to: tuple[str, ...]
    hedges: tuple[str, ...]
    stance: Literal["fact", "view"]
    status: ClaimStatusName
    independent_sources: int
    sources: tuple[str, ...]  # outlets / origins counted as independent
    denied_by: tuple[str, ...] = ()
    evidence: tuple[Span, ...] = ()
    # ids of groups telling the same thing with other figures (numbers, years): a conflict
    # between accounts, shown apart rather than merged
    conflicts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineItem:
    """A dated event of a story, merged across its articles."""

    id: str
    when: DateValue
    expression: str
    text: str
    evidence: tuple[Span, ...]
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Dossier:
    """Everything storyline knows about one story."""

    id: str
    title: str
    summary: str
    articles: tuple[Article, ...]
    entities: tuple[Entity, ...]
    quotes: tuple[Quote, ...]
    claims: tuple[ClaimGroup, ...]
    timeline: tuple[TimelineItem, ...]
    syndication_groups: tuple[tuple[str, ...], ...] = ()
    published_estimates: tuple[tuple[str, DateValue], ...] = field(default=())
    # corpus stages that failed on this story: the dossier holds what the others found
    problems: tuple[StageProblem, ...] = ()

    @property
    def incomplete(self) -> tuple[str, ...]:
        """The stages whose results are missing from this dossier (empty when complete)."""
        return tuple(dict.fromkeys(p.stage for p in self.problems))
