"""Who said what: direct quotations, reported speech and quoted fragments, with speakers.

The cascade, in order:

1. quote marks are paired over the raw text (curly, straight, guillemets; a paragraph
   that opens a quotation without closing it continues into the next paragraph when
   that one opens with a quote mark again, the newspaper convention);
2. each quotation is attached to a cue through the dependency tree (the nearest cue
   verb above it), else through the words right after or before the marks
   (``”, he said`` / ``she said: “``), else to the previous speaker when it continues
   a quotation of the paragraph before (it shares the cue: one statement in pieces);
   a dash after the closing mark credits the quotation (``“...” ― Name``);
3. reported speech: cue verbs with a clausal complement (``said that ...``), with an
   object or infinitive (``urged ... to``, ``wants to``, ``opposed the plan``), a clause
   the cue interrupts (``Y, X said, Z``), ``according to X``, noun cues with an owner
   (``his claim that ...``, ``a report by X that ...``) and ``NAME: words`` paragraphs;
   a cue inside someone's direct quotation (``“I think ...,” she said``) is no report of
   its own, and a clause that embeds a quotation (``said the court “will ...”``) is kept
   beside it because it says more; ``X is worried that ...`` (attitude adjectives) too;
   the content runs on through what the parser hangs on the cue after it (``promised X
   if Y``, ``said X, and Y``), up to a time phrase or another cue;
   a bare reference to words said elsewhere (``echoed the message``) is no report, except
   as what a denial contests (``denied those claims``);
4. a report inside another quotation's content (``X said Y believes Z``) is that quotation's
   speaker's statement, not Y's, and is dropped, unless a news agency relays it (below);
5. speakers are resolved (``quotes_speakers``) from pronouns and role nouns ("the agency")
   to the nearest compatible named mention, names to their fullest form in the article,
   and a quote whose cue sits inside the reported content of a news agency becomes a
   relay (``via``).

The parser sometimes glues a caption or heading to the next paragraph; every walk over
the parse therefore stays inside one paragraph (``_Blocks``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import chain
from typing import TYPE_CHECKING

from storyline.ids import item_id
from storyline.model import Article, Mention, Quote, QuoteKind, Span
from storyline.stages.attribution.lexicon import (
    ATTITUDE_ADJECTIVES,
    BARE_REFERENCES,
    CONTESTING_CUES,
    EVIDENCE_NOUNS,
    EVIDENCE_VERBS,
    OBJECT_PREPS,
    OBJECT_REPORTS,
    SPEAKER_LABELS,
    TAIL_DEPS,
    Resolver,
)
from storyline.text.ranges import Ranges

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan


def _split(words: str) -> list[str]:
    """The words of a lexicon written as one string (easier to read and diff than a list)."""
    return words.split()


# Verbs that report speech, a stated position or a finding and take a clause ("said that").
SPEECH_VERBS = frozenset(
    _split(
        """say tell add note claim argue insist state announce report write explain warn
    suggest believe think acknowledge admit deny confirm assert maintain contend allege
    reveal recall emphasize emphasise stress declare testify tweet post agree complain
    conclude estimate find show indicate ask answer reply respond promise pledge vow
    predict hope fear worry charge accuse concede point observe remark mention
    question caution signal disclose assure reiterate repeat tout boast brag
    speculate expect know feel counter retort lament quip joke
    demand urge order instruct recommend propose threaten suspect learn realize realise
    recognize recognise doubt understand determine assume guess"""
    )
)
# Cues whose content may be an object or an infinitive rather than a clause.
OBJECT_CUES = frozenset(
    _split(
        """accuse deny urge promise pledge vow demand instruct order reject dispute
    refute dismiss blame criticize criticise condemn cite call warn ask
    threaten propose recommend want plan intend seek refuse decline agree decide support
    oppose endorse back attack praise question mention discuss defend express consider
    favor favour welcome applaud reference echo slam blast decry denounce mock hail
    describe offer promote encourage compare liken view admire invoke protest highlight"""
    )
)
# Actions of a source on an object that PolNeAR-style attribution counts as the source's
# position (VerbNet-like classes: manner of speaking, judgement, attitude, permission and
# rule-making, publication). Common verbs, so they count only with an agent subject (a
# name, a personal pronoun or a role noun) and an object, clause or infinitive.
ACTION_CUES = frozenset(
    _split(
        """speak talk comment chant sing shout yell cry exhort implore plead proclaim
    retweet lambaste laud compliment thank bemoan grill rail chastise deride downplay
    herald portray paint pound champion advocate extol
    judge rate label dub
    love like despise prefer resent respect dislike hate
    aim wish eye
    approve grant block veto repeal overturn impose authorize authorise rule enact
    publish unveil outline detail document examine explore chronicle profile present
    congratulate insult scold chide assail ridicule lash rebuff rebut
    refer remind imply hint utter recount articulate voice clarify underscore reaffirm
    trumpet vouch interpret persuade
    anticipate envision forecast project
    challenge ignore deem remember share name brand list"""
    )
)
CUE_VERBS = SPEECH_VERBS | OBJECT_CUES | ACTION_CUES
# (The last four rows were added from PolNeAR train misses, each kept where at least half
# of what it found on the first 300 train articles was gold; "see", "vote", "address",
# "release", "embrace" and "nominate" found mostly non-attributions there and stay out.)
# Verbs of talking whose content is only their topic ("spoke of ...", not "spoke to X").
TOPIC_ONLY = frozenset({"speak", "talk"})
TOPIC_PREPS = frozenset({"of", "about", "on"})
# Cues of a view held by no named source: raising verbs ("X seems to be Y"), evidential
# adverbs ("allegedly") and "it is clear that ...". The content is the whole proposition,
# the cue left in. (Passive reporting verbs, "X is expected to Y", were measured on
# PolNeAR dev: half of them are no attribution there, so they are left out.)
RAISING_CUES = frozenset({"seem", "appear"})
EVIDENTIAL_ADVERBS = frozenset(_split("reportedly allegedly purportedly supposedly"))
CLEAR_ADJECTIVES = frozenset(_split("clear unclear obvious evident"))
# Passives of cue verbs that name or find rather than report ("a man called John", "was
# found dead"): on PolNeAR train (first 300) none of their agentless passives was gold.
PASSIVE_NOT_REPORTS = frozenset({"call", "find"})
# Verbs whose content may be an indirect question the parser hangs as an adverbial
# ("asked the students if they were serious").
QUESTION_VERBS = frozenset({"ask", "question", "wonder"})
# Subjects that can hold a position: people and organisations, not things or events.
AGENT_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "who"})
AGENT_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
# Speech verbs whose object is no content ("told reporters"); only a clause or "to" counts.
CLAUSE_ONLY = frozenset({"say", "tell", "add", "write", "announce", "report", "ask", "warn"})
# Verbs under which quoted words are the subject's words even without a speech sense.
FRAGMENT_CUES = frozenset(
    _split(
        """call describe term dub label brand praise hail cite echo condemn denounce
    blast slam criticize criticise characterize characterise refer decry mock
    welcome vow pledge promise urge demand"""
    )
)
# Prepositions that carry what was said ("accused X of ...", "called for ...").
CONTENT_PREPS = frozenset({"of", "for", "on", "to", "about", "including", "over", "that"})
# Nouns that carry a stance or statement of their owner ("his claim that ...", "a report by X").
NOUN_CUES = frozenset(
    _split(
        """claim statement report plan proposal promise pledge call demand warning accusation
    allegation assertion argument belief view suggestion comment remark admission denial
    announcement assessment estimate forecast finding conclusion decision threat vow
    insistence contention criticism message testimony analysis poll survey study
    prediction hope fear concern insistence position"""
    )
)
# Prepositions that introduce the owner of a noun cue ("a report by X", "a statement from X").
OWNER_PREPS = frozenset({"by", "from"})
# Particles that belong to "call" ("called for", "called on").
CALL_PARTICLES = frozenset({"for", "on"})
# Prepositions that belong to a cue (PolNeAR marks "referring to" as the cue, the
# preposition's object as the content).
CUE_PREPOSITIONS = {"call": CALL_PARTICLES, "refer": frozenset({"to"})}

# Subordinators of a clause of time ("as the crowd cheered", "while X"): when, not what.
TIME_MARKERS = frozenset(_split("when while after before as since until once"))
# Prepositions of an object that say where or when something was said, not what.
OCCASION_PREPS = frozenset({"in"})
# Two apostrophes stand for a double quote mark in some newspaper archives (the New York
# Times' ``''We are ready,'' he said.``): one mark of two characters, opening and closing.
TWO_APOSTROPHES = "''"
OPENERS = {"“": "”", "«": "»", "„": "“", '"': '"', TWO_APOSTROPHES: TWO_APOSTROPHES}
# Closers by opener, with "”" closing itself when a typo made it the opener.
PAIRS = {**OPENERS, "”": "”"}
CLOSERS = frozenset({"”", "»", '"', TWO_APOSTROPHES})
DASHES = frozenset({"―", "—", "–"})
# A paragraph that opens with a short capitalised name and a colon ("PENCE: Well, ...").
# A wire dateline the parser glues to the first subject ("ORLANDO, Fla. (Reuters) - President
# Barack Obama said"): no part of the speaker's phrase.
DATELINE = re.compile(
    r"[^\n()]{0,60}\((?:Reuters|AP|AFP|Bloomberg|[A-Z][A-Za-z ]{1,30})\)\s*[-–—]\s*"
)
# A party and state tag after a politician's name ("Governor Mary Fallin (R-OK)"): part of it.
PARTY_TAG = re.compile(r"\s?\([RDI]-[A-Z][\w.]*\.?\)")
LABEL = re.compile(r"[\"“]?([A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*){0,3}):[ \t]+(?=\S)")


@dataclass(frozen=True, slots=True)
class _Cue:
    """A cue found in the parse: the verb token, its text span and the speaker head."""

    token: Token
    start: int
    end: int
    text: str
    speaker: Token | None


def find_quotes(article: Article, doc: Doc, mentions: Sequence[Mention]) -> tuple[Quote, ...]:
    """Direct, indirect and fragment quotations of ``article`` with speakers and cues."""
    return _Finder(article, doc, mentions).run()


class _Blocks:
    """Paragraph ranges, to keep every walk over the parse inside one paragraph."""

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        """Index sorted paragraph ranges."""
        self.ranges = ranges
        self.starts = [start for start, _ in ranges]

    def index(self, offset: int) -> int:
        """The paragraph holding ``offset`` (the one before it for offsets between paragraphs)."""
        return max(0, bisect_right(self.starts, offset) - 1)

    def clip(self, start: int, end: int, anchor: int) -> tuple[int, int]:
        """``[start, end)`` cut to the paragraph of ``anchor``."""
        if not self.ranges:
            return start, end
        b_start, b_end = self.ranges[self.index(anchor)]
        return max(start, b_start), min(end, b_end)


def _paragraphs(article: Article) -> list[tuple[int, int]]:
    """Paragraph ranges: the article's blocks, or its non-empty lines when it has none."""
    if article.blocks:
        return sorted((b.start, b.end) for b in article.blocks)
    out: list[tuple[int, int]] = []
    pos = 0
    for line in article.text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _quote_marks(text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Content ranges between paired quote marks (marks excluded), across paragraphs."""
    spans: list[tuple[int, int]] = []
    opener: str | None = None
    start = 0
    for index, (p_start, p_end) in enumerate(paragraphs):
        pos = p_start
        if opener is not None:
            # A quotation left open goes on only where this paragraph reopens it.
            pos = p_start + len(_mark_at(text, p_start))
        while pos < p_end:
            # only quote marks act: jump to the next one (a scan character by character
            # did the same work per character); a mark at p_end - 1 may read on past it
            found = _MARK.search(text, pos)
            if found is None or found.start() >= p_end:
                break
            pos = found.start()
            ch = found.group()
            if opener is None:
                if ch in OPENERS and _opens(text, pos, p_start):
                    opener, start = ch, pos + len(ch)
                elif ch == "”" and _misused_opener(text, pos, p_start, p_end):
                    opener, start = "”", pos + 1
            elif ch == PAIRS[opener] or (opener == "“" and ch == '"'):
                spans.append((start, pos))
                opener = None
            pos += len(ch)
        if opener is not None:
            nxt = paragraphs[index + 1][0] if index + 1 < len(paragraphs) else None
            if nxt is None or _mark_at(text, nxt) not in OPENERS:
                opener = None  # unbalanced: never guess where it ends
    return [(s, e) for s, e in spans if e > s]


# Every character _quote_marks acts on: openers, closers, "”" and two apostrophes (the
# alternation tries "''" first, as _mark_at does).
_MARK = re.compile(
    "''|[" + re.escape("".join(sorted({*OPENERS, *PAIRS.values(), "”"} - {TWO_APOSTROPHES}))) + "]"
)


def _mark_at(text: str, pos: int) -> str:
    """The character at ``pos``, or two apostrophes read as one quote mark."""
    if text.startswith(TWO_APOSTROPHES, pos):
        return TWO_APOSTROPHES
    return text[pos : pos + 1]


def _misused_opener(text: str, pos: int, p_start: int, p_end: int) -> bool:
    """A closing mark typed where a quotation opens (``”Text ...”``), a common typo."""
    before_ok = pos == p_start or text[pos - 1].isspace()
    after_ok = pos + 1 < p_end and text[pos + 1].isalnum()
    return before_ok and after_ok and "”" in text[pos + 1 : p_end]


def _opens(text: str, pos: int, p_start: int) -> bool:
    """A straight quote opens only after a space or bracket (not right after a word)."""
    if _mark_at(text, pos) not in ('"', TWO_APOSTROPHES):
        return True
    return pos == p_start or not text[pos - 1].isalnum()


def _offsets(doc: Doc) -> tuple[list[int], list[int]]:
    """Start and end character offsets of every token, read from the doc's arrays."""
    from spacy.attrs import IDX, LENGTH

    # one attribute per to_array call: a list of a two-dimensional array is ten times slower
    starts: list[int] = doc.to_array(IDX).tolist()
    lengths: list[int] = doc.to_array(LENGTH).tolist()
    return starts, [start + length for start, length in zip(starts, lengths, strict=True)]


def _end(token: Token) -> int:
    """End offset of a token."""
    return token.idx + len(token.text)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip spaces, quote marks and trailing commas or colons from a content range."""
    strip = ' \t\n\r"“”«»„'
    while start < end and (text[start] in strip or text.startswith(TWO_APOSTROPHES, start, end)):
        start += 2 if text.startswith(TWO_APOSTROPHES, start, end) else 1
    while end > start and (
        text[end - 1] in strip
        or text[end - 1] in ",;:—–"
        or text.startswith(TWO_APOSTROPHES, end - 2, end)
    ):
        end -= 2 if text.startswith(TWO_APOSTROPHES, end - 2, end) else 1
    return start, end


def _outside_words(text: str, start: int, end: int, marked: list[tuple[int, int]]) -> int:
    """Words of ``[start, end)`` outside the quoted ranges, complementisers not counted."""
    chars = list(text[start:end])
    for m_start, m_end in marked:
        for pos in range(max(start, m_start), min(end, m_end)):
            chars[pos - start] = " "
    words = [w for w in "".join(chars).split() if any(ch.isalnum() for ch in w)]
    return len([w for w in words if w.lower() not in ("that", "whether", "if")])


def _roots(span: SpacySpan) -> list[Token]:
    """Tokens of ``span`` whose head lies outside it (or that head their sentence)."""
    return [t for t in span if t.head.i < span.start or t.head.i >= span.end or t.head == t]


def _is_clause(span: SpacySpan) -> bool:
    """A quotation that says something (a verb and a few words), not a name or a term."""
    words = [t for t in span if not t.is_punct]
    return len(words) >= 5 and any(t.pos_ in ("VERB", "AUX") for t in words)


def _is_complement(span: SpacySpan, cue: Token) -> bool:
    """The quotation is the cue's whole complement (``said “Yes.”``), not a phrase inside it."""
    if cue.lemma_ not in CLAUSE_ONLY:
        return False  # "urging the “rapid expansion”": a phrase, not the whole statement
    return any(
        t.head == cue and t.dep_ in ("ccomp", "dobj", "xcomp", "parataxis") for t in _roots(span)
    )


def _is_trailing_cue(token: Token) -> bool:
    """A participle cue after a comma ("..., citing the report"), a cue of its own."""
    return (
        token.tag_ == "VBG"
        and token.dep_ == "advcl"
        and token.i > 0
        and token.doc[token.i - 1].text == ","
        and token.lemma_ in SPEECH_VERBS | OBJECT_CUES | ACTION_CUES
    )


def _is_when(prep: Token) -> bool:
    """A phrase of time ("on Monday", "for two years", "as the crowd cheered"): when, not what."""
    if prep.dep_ == "advcl":
        return any(c.dep_ == "mark" and c.lower_ in TIME_MARKERS for c in prep.children)
    return any(c.dep_ == "pobj" and c.ent_type_ in ("DATE", "TIME") for c in prep.children)


def _speaks_in_person(cue: _Cue) -> bool:
    """The cue's speaker is "I", "we" or "you": a speaker's own words, not a report."""
    return cue.speaker is not None and cue.speaker.lower_ in ("i", "we", "you")


def _bare_clause(child: Token, verb: Token) -> bool:
    """A clause the parser hung as an adverbial under a speech verb (``said after X he ...``).

    A real adverbial clause has a marker ("if", "because") or no subject of its own.
    """
    return (
        child.dep_ == "advcl"
        and verb.lemma_ in SPEECH_VERBS
        and child.i > verb.i
        and any(c.dep_ in ("nsubj", "nsubjpass") for c in child.children)
        and not any(c.dep_ == "mark" or c.tag_ == "WRB" for c in child.children)
    )


def _is_agentless_passive(verb: Token) -> bool:
    """A passive cue verb with no agent ("is expected to", "was asked if"), not a naming one."""
    return (
        verb.lemma_ not in PASSIVE_NOT_REPORTS
        and any(c.dep_ == "auxpass" for c in verb.children)
        and not any(c.dep_ == "agent" for c in verb.children)
    )


def _question_clause(child: Token, verb: Token) -> bool:
    """``asked X if Y``: the parser hangs the indirect question as an adverbial clause."""
    return (
        child.dep_ == "advcl"
        and verb.lemma_ in QUESTION_VERBS
        and child.i > verb.i
        and any(c.dep_ == "mark" and c.lower_ in ("if", "whether") for c in child.children)
    )


def _inserted_cue(child: Token) -> bool:
    """``At one point, she said, she was considering X``: the inserted "she said" is the cue.

    The parser hangs the inserted report on the clause's verb as a ``parataxis``; read as
    that verb's content it made each quotation's cue lie inside the other's content, so
    the embedded-report rule dropped both.
    """
    return (
        child.dep_ == "parataxis"
        and _is_cue_verb(child, SPEECH_VERBS)
        and any(c.dep_ in ("nsubj", "nsubjpass") for c in child.children)
    )


def _is_agent(token: Token) -> bool:
    """A subject that can hold a position: a name, a personal pronoun or a role noun."""
    from storyline.stages.attribution.lexicon import ORG_ROLES, PERSON_ROLES

    if token.ent_type_ in AGENT_ENTS or token.lower_ in AGENT_PRONOUNS:
        return True
    return token.lemma_.lower() in PERSON_ROLES | ORG_ROLES


def _is_evidence(cue: _Cue) -> bool:
    """``Photos showed X``: media that display something, not a speaker (no quotation)."""
    subject = cue.speaker
    return (
        subject is not None
        and cue.token.lemma_ in EVIDENCE_VERBS
        and (subject.lemma_.lower() in EVIDENCE_NOUNS or subject.lower_ in EVIDENCE_NOUNS)
    )


def _is_cue_verb(token: Token, lexicon: frozenset[str]) -> bool:
    """A verb of the lexicon (``call`` only with "for"/"on" or an object complement)."""
    if token.pos_ not in ("VERB", "AUX") or token.lemma_ not in lexicon:
        return False
    if token.lemma_ == "call":
        return any(
            c.lower_ in CALL_PARTICLES or c.dep_ in ("oprd", "ccomp") or _for_clause(c)
            for c in token.children
        )
    return True


def _for_clause(child: Token) -> bool:
    """A clause ``for X to Y`` the parser hung as an adverbial ("calling for the U.S. to act")."""
    return (
        child.dep_ == "advcl"
        and any(c.dep_ == "mark" and c.lower_ == "for" for c in child.children)
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children)
    )


# What a token's lower-cased form or lemma must be for ``_Finder.indirect`` to act on it
# (each branch there also checks the part of speech and dependency).
_CUE_LOWERS = frozenset({"according"}) | EVIDENTIAL_ADVERBS
_CUE_LEMMAS = NOUN_CUES | CUE_VERBS
_CUE_LOWER_LEMMAS = ATTITUDE_ADJECTIVES | RAISING_CUES | CLEAR_ADJECTIVES


def _cue_candidates(doc: Doc) -> list[int]:
    """The tokens ``_Finder.indirect`` may act on, by their word and lemma only: read from
    the doc's arrays, one string look-up per distinct word, so the other tokens of a long
    article make no Token object (the loop over every token was the finder's largest cost)."""
    from spacy.attrs import LEMMA, LOWER

    # one attribute per to_array call: a list of a two-dimensional array is ten times slower
    lower_ids: list[int] = doc.to_array(LOWER).tolist()
    lemma_ids: list[int] = doc.to_array(LEMMA).tolist()
    strings = doc.vocab.strings
    lowers = {h: strings[h] in _CUE_LOWERS for h in set(lower_ids)}
    lemmas: dict[int, bool] = {}
    for h in set(lemma_ids):
        lemma = strings[h]
        lemmas[h] = lemma in _CUE_LEMMAS or lemma.lower() in _CUE_LOWER_LEMMAS
    return [
        i
        for i, (lower, lemma) in enumerate(zip(lower_ids, lemma_ids, strict=True))
        if lowers[lower] or lemmas[lemma]
    ]


class _Finder:
    """One article's quotation finder: the parse, its paragraphs and a speaker resolver."""

    def __init__(self, article: Article, doc: Doc, mentions: Sequence[Mention]) -> None:
        """Prepare the paragraph index and the resolver."""
        self.article = article
        self.text = article.text
        self.doc = doc
        self.blocks = _Blocks(_paragraphs(article))
        self.resolver = Resolver(article, mentions)
        # token offsets, read once: a cue is looked up near each of thousands of quotations
        # by bisection (walking the doc per quotation made a long article quadratic)
        # (from the doc's arrays: a Token object per token, twice, cost more than the rest)
        self.starts, self.ends = _offsets(doc)
        self.according_at: list[int] | None = None
        self._cue_candidates: list[int] | None = None

    def run(self) -> tuple[Quote, ...]:
        """All quotations, sorted by position."""
        found: list[Quote] = []
        direct_cues: dict[int, list[tuple[int, int]]] = {}
        previous: Quote | None = None
        marks = _quote_marks(self.text, self.blocks.ranges)
        for start, end in marks:
            quote = self.direct(start, end, previous)
            if quote is None:
                continue
            found.append(quote)
            if quote.cue_span is not None:
                direct_cues.setdefault(quote.cue_span.start, []).append(
                    (quote.span.start, quote.span.end)
                )
            if quote.kind == "direct" or (quote.cue_span is not None and quote.speaker_name):
                # A fragment with its own cue ("“too little,” he added") is what a following
                # full quotation continues, not an older quotation before it.
                previous = quote
        # positions inside a direct quotation, or inside any marks, by bisection: a long
        # article has thousands of cues and quotations
        in_direct = Ranges((q.span.start, q.span.end) for q in found if q.kind == "direct")
        in_marks = Ranges(marks)
        for cue, (start, end) in chain(self.indirect(), self.labelled()):
            c_start, c_end = _trim(self.text, *self.blocks.clip(start, end, cue.start))
            if c_end - c_start < 3:
                continue
            if in_direct.contains(cue.start):
                continue  # "I think ..." inside a quotation: the quotation already says it
            if _speaks_in_person(cue) and in_marks.contains(cue.start):
                continue  # the same inside quotation marks that no cue claimed
            marked = direct_cues.get(cue.start, [])
            # The reported clause is a quotation already found: keep the direct one only,
            # unless the clause says more than the marks ("said the court “will ...”").
            for m_start, m_end in marked:
                if m_start < c_end and c_start < m_end:
                    # The parse may cut the clause inside the quotation: take all of it.
                    c_start, c_end = min(c_start, m_start), max(c_end, m_end)
            if marked and _outside_words(self.text, c_start, c_end, marked) < 2:
                continue
            if self.bare_reference(c_start, c_end, cue):
                continue
            found.append(self.make(c_start, c_end, "indirect", cue))
        quotes = _unembedded(_relays(_dedupe(found), self.resolver))
        return tuple(sorted(quotes, key=lambda q: (q.span.start, q.span.end, q.kind)))

    # --- direct quotations ------------------------------------------------------------------

    def direct(self, start: int, end: int, previous: Quote | None) -> Quote | None:
        """A quotation between marks with its cue and speaker, or None for scare quotes."""
        c_start, c_end = _trim(self.text, start, end)
        if c_end <= c_start:
            return None
        span = self.doc.char_span(c_start, c_end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        clause = _is_clause(span)
        cue = self.cue_above(span) or self.cue_adjacent(start, end)
        if cue is not None:
            kind: QuoteKind = "direct" if clause or _is_complement(span, cue.token) else "fragment"
            return self.make(c_start, c_end, kind, cue)
        if clause and previous is not None and previous.speaker_name:
            gap = self.text[previous.span.end : start]
            if gap.count("\n\n") <= 1 and len(gap) < 400:
                # A further sentence or paragraph of the previous speaker's quotation: the
                # same cue introduces it ("“A,” she said. “B.”" is one statement).
                return replace(
                    previous,
                    id=item_id("q", self.article.id, c_start, c_end, "direct"),
                    span=Span(self.article.id, c_start, c_end),
                    text=self.text[c_start:c_end],
                    kind="direct",
                )
        return None

    def cue_above(self, span: SpacySpan) -> _Cue | None:
        """The nearest cue verb governing the quotation in the dependency tree."""
        home = {self.blocks.index(span.start_char), self.blocks.index(span.end_char - 1)}
        for root in _roots(span):
            node = root
            for _ in range(12):
                if node.head == node:
                    break
                node = node.head
                if span.start <= node.i < span.end:
                    continue
                if self.blocks.index(node.idx) not in home:
                    break  # the parser glued two paragraphs: stop at the boundary
                if _is_cue_verb(node, FRAGMENT_CUES | SPEECH_VERBS) or (
                    node.lemma_ == "call" and any(c.dep_ == "dobj" for c in node.children)
                ):
                    cue = self.cue_of(node)
                    return None if _is_evidence(cue) else cue
                if node.lower_ == "according":
                    return self.according(node)
        return None

    def cue_adjacent(self, start: int, end: int) -> _Cue | None:
        """A cue right after the closing mark (``”, he said``) or before the opening one."""
        text = self.text
        # the six tokens from ``end`` on, and the eight that end by ``start``, within the line
        first = bisect_left(self.starts, end)
        after = [t for t in self.doc[first : first + 6] if "\n" not in text[end : t.idx]]
        dash = self.dash_credit(after)
        if dash is not None:
            return dash
        for token in after:
            if token.text in OPENERS:
                break
            if _is_cue_verb(token, SPEECH_VERBS):
                cue = self.cue_of(token)
                if cue.speaker is not None:
                    return cue
        last = bisect_right(self.ends, start)
        before = [t for t in self.doc[max(0, last - 8) : last] if "\n" not in text[t.idx : start]]
        if before and (before[-1].text in (":", ",") or before[-1].lemma_ in SPEECH_VERBS):
            for token in reversed(before):
                if _is_cue_verb(token, SPEECH_VERBS):
                    cue = self.cue_of(token)
                    if cue.speaker is not None:
                        return cue
        return None

    def dash_credit(self, after: list[Token]) -> _Cue | None:
        """``“...” ― Name``: an epigraph or pull quote credited after a dash."""
        words = [t for t in after if not t.is_space]
        while words and words[0].text in CLOSERS | {"”", ",", "."}:
            words.pop(0)  # the closing mark itself, and the comma or stop before the dash
        if len(words) < 2 or words[0].text not in DASHES:
            return None
        name = next((t for t in words[1:3] if t.pos_ == "PROPN"), None)
        if name is None:
            return None
        head = name
        while head.head != head and head.head.pos_ == "PROPN" and head.head.i > head.i:
            head = head.head  # the last word of the name heads it
        dash = words[0]
        return _Cue(token=dash, start=dash.idx, end=_end(dash), text=dash.text, speaker=head)

    # --- reported speech --------------------------------------------------------------------

    def cue_candidates(self) -> list[int]:
        """:func:`_cue_candidates` of the doc, read once (the reported-speech loop and the
        "according to" cut both ask)."""
        if self._cue_candidates is None:
            self._cue_candidates = _cue_candidates(self.doc)
        return self._cue_candidates

    def indirect(self) -> Iterator[tuple[_Cue, tuple[int, int]]]:
        """Cues of reported speech with the character range of what was reported."""
        doc = self.doc
        for i in self.cue_candidates():
            token = doc[i]
            if token.lower_ == "according" and any(c.lower_ == "to" for c in token.children):
                cue = self.according(token)
                content = self.according_content(token, cue)
                if cue is not None and content is not None:
                    yield cue, content
                continue
            if token.pos_ == "NOUN" and token.lemma_ in NOUN_CUES:
                found = self.noun_cue(token)
                if found is not None:
                    yield found
                continue
            attitude = self.attitude(token)
            if attitude is not None:
                yield attitude
                continue
            unsourced = self.unsourced(token)
            if unsourced is not None:
                yield unsourced
                continue
            lexical = _is_cue_verb(token, SPEECH_VERBS | OBJECT_CUES)
            action = not lexical and _is_cue_verb(token, ACTION_CUES)
            if not (lexical or action):
                continue
            cue = self.cue_of(token)
            if cue.speaker is None and lexical and _is_agentless_passive(token):
                # "X is expected to Y", "she was asked whether Y": a report whose source
                # the sentence does not name (PolNeAR marks it, with no source).
                found = self.passive(token, cue)
                if found is not None:
                    yield found
                continue
            if cue.speaker is None and lexical and token.dep_ == "acl" and token.tag_ == "VBG":
                # "a group backing Mr. Cruz", "a statement saying X": the participle's
                # speaker is the noun's owner, else whoever issued it, else the noun
                cue = replace(cue, speaker=self.participle_owner(token.head))
            if cue.speaker is None or (action and not _is_agent(cue.speaker)) or _is_evidence(cue):
                continue
            content = self.content(token)
            if content is not None:
                yield cue, self.before_according(token, content)

    def passive(self, verb: Token, cue: _Cue) -> tuple[_Cue, tuple[int, int]] | None:
        """An agentless passive cue and its content; with an infinitive, its subject too.

        "Trump is expected to deliver a speech": what is expected is the proposition, its
        subject and the infinitive (PolNeAR's content is both, the cue between them left
        in here, as for "seems"); "was asked whether Y": the clause.
        """
        content = self.content(verb)
        if content is None:
            return None
        start, end = self.before_according(verb, content)
        subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if (
            subject is not None
            and start > verb.idx
            and any(c.dep_ == "xcomp" for c in verb.children)
            and self.blocks.index(subject.left_edge.idx) == self.blocks.index(verb.idx)
        ):
            start = subject.left_edge.idx
        return cue, (start, end)

    def participle_owner(self, noun: Token) -> Token:
        """Who speaks through a noun a speech participle modifies ("a statement saying X").

        The noun's owner ("his statement"), else the subject of the verb it is the object
        of ("X issued a statement saying"), else the noun itself ("a group backing Y",
        "a new poll showing Y"), as PolNeAR marks the source.
        """
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        if owner is None and noun.dep_ == "dobj" and noun.head.pos_ in ("VERB", "AUX"):
            owner = self.subject(noun.head)
        return noun if owner is None else owner

    def attitude(self, adj: Token) -> tuple[_Cue, tuple[int, int]] | None:
        """``X is worried that Y`` / ``X is eager to Y``: an attitude adjective and its clause."""
        if (
            adj.pos_ != "ADJ"
            or adj.dep_ != "acomp"
            or adj.lemma_.lower() not in ATTITUDE_ADJECTIVES
        ):
            return None
        home = self.blocks.index(adj.idx)
        clause = next(
            (
                c
                for c in adj.children
                if c.dep_ in ("ccomp", "xcomp") and c.i > adj.i and self.blocks.index(c.idx) == home
            ),
            None,
        )
        if clause is None:
            return None
        cue = self.cue_of(adj.head)
        if cue.speaker is None or not _is_agent(cue.speaker):
            return None
        start = min(cue.start, adj.idx)  # "is worried": the verb, its auxiliaries, the adjective
        cue = replace(cue, start=start, end=_end(adj), text=self.text[start : _end(adj)])
        return cue, (clause.left_edge.idx, _end(clause.right_edge))

    def unsourced(self, token: Token) -> tuple[_Cue, tuple[int, int]] | None:
        """A view with no source: ``X seems to Y``, ``allegedly``, ``it is clear that``."""
        lemma = token.lemma_.lower()
        head: Token | None = None
        if token.pos_ in ("VERB", "AUX") and lemma in RAISING_CUES:
            if not any(c.dep_ == "xcomp" for c in token.children):
                return None
            subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
            if subject is None or subject.tag_ in ("WDT", "WP"):
                return None  # "what appeared to be a drone": a thing named, no proposition
            head = token
        elif token.pos_ == "ADV" and token.lower_ in EVIDENTIAL_ADVERBS:
            head = token.head if token.head.pos_ in ("VERB", "AUX") else None
        elif token.pos_ == "ADJ" and lemma in CLEAR_ADJECTIVES and token.dep_ == "acomp":
            verb = token.head
            it = next(
                (c for c in verb.children if c.lower_ == "it" and c.dep_ in ("nsubj", "expl")),
                None,
            )
            if it is None or it.i > token.i:
                return None
            clause = next(
                (c for c in chain(token.children, verb.children) if c.dep_ == "ccomp"), None
            )
            if clause is None:
                return None
            cue = _Cue(token=token, start=it.idx, end=_end(token), text="", speaker=None)
            cue = replace(cue, text=self.text[cue.start : cue.end])
            return cue, (clause.left_edge.idx, _end(clause.right_edge))
        if head is None:
            return None
        home = self.blocks.index(token.idx)
        words = [
            t
            for t in head.subtree
            if not t.is_space and not t.is_punct and self.blocks.index(t.idx) == home
        ]
        if len(words) < 4:
            return None
        if token.pos_ == "ADV":
            cue = _Cue(token=token, start=token.idx, end=_end(token), text=token.text, speaker=None)
        else:
            cue = replace(self.cue_of(token), speaker=None)  # "seems": its subject is content
        return cue, (words[0].idx, _end(words[-1]))

    def content(self, verb: Token) -> tuple[int, int] | None:
        """What a cue verb reports: its clause, else (object cues) its object and infinitive."""
        home = self.blocks.index(verb.idx)
        clauses = [
            c
            for c in verb.children
            if (
                c.dep_ in ("ccomp", "parataxis")
                or _bare_clause(c, verb)
                or _question_clause(c, verb)
            )
            and c.pos_ in ("VERB", "AUX")
            and not _inserted_cue(c)
            and self.blocks.index(c.idx) == home
        ]
        if clauses:
            first = clauses[0]
            end = _end(first.right_edge)
            if first.i > verb.i:
                end = max([end, *(_end(c.right_edge) for c in self.tail(verb, first, home))])
            for t in first.subtree:
                if _is_trailing_cue(t) and t.i > first.i:
                    # "said X, citing Y": "citing" is the speaker's second cue, not X.
                    end = min(end, t.doc[t.i - 1].idx)
            return first.left_edge.idx, end
        if verb.dep_ == "parataxis" and verb.head.pos_ in ("VERB", "AUX"):
            return self.interrupted(verb)
        if verb.lemma_ not in OBJECT_CUES | SPEECH_VERBS | ACTION_CUES:
            return None
        allowed: tuple[str, ...] = ("dobj", "xcomp", "prep", "dative", "oprd", "ccomp")
        preps = CONTENT_PREPS
        if verb.lemma_ in CLAUSE_ONLY and verb.lemma_ not in OBJECT_REPORTS:
            allowed = ("xcomp", "ccomp")
        elif verb.lemma_ in TOPIC_ONLY:
            allowed, preps = ("prep",), TOPIC_PREPS
        parts = [
            c
            for c in verb.children
            if c.i > verb.i
            and (c.dep_ in allowed or _for_clause(c))
            and not (c.dep_ == "prep" and (c.lower_ not in preps or _is_when(c)))
            and self.blocks.index(c.idx) == home
        ]
        if not parts:
            return None
        parts += self.object_extensions(verb, parts, home)
        parts += self.tail(verb, max(parts, key=lambda c: c.right_edge.i), home)
        first = min(parts, key=lambda c: c.left_edge.i)
        last = max(parts, key=lambda c: c.right_edge.i)
        start = first.left_edge
        if (start.dep_ == "prep" or _for_clause(start.head)) and start.i + 1 <= last.right_edge.i:
            # "agreed to an interview", "called on X to ...", "calling for X to ...": the
            # preposition only links (PolNeAR counts it in the cue).
            start = start.doc[start.i + 1]
        return start.idx, _end(last.right_edge)

    def tail(self, verb: Token, last: Token, home: int) -> list[Token]:
        """What runs on after a cue's content in its sentence: ``promised X if Y``.

        The parser hangs a condition, a conjoined clause or a phrase after the content on
        the cue verb; PolNeAR's content runs through them (``TAIL_ROWS``). Walked left to
        right from the content's last word: punctuation and conjunctions pass, the walk
        stops at anything else, at a time phrase, and at a verb that is a cue of its own
        ("criticized X and praised Y", "said X, citing Y": a second statement).
        """
        edge = last.right_edge.i
        out: list[Token] = []
        for child in verb.rights:
            if child.i <= edge:
                continue
            if self.blocks.index(child.idx) != home:
                break  # the parser glued two paragraphs (a child is always in its sentence)
            if child.is_punct or child.dep_ == "cc":
                continue
            if (
                child.dep_ not in TAIL_DEPS
                or _is_when(child)
                or _is_trailing_cue(child)
                or child.lemma_ in CUE_VERBS
            ):
                break
            out.append(child)
            edge = child.right_edge.i
        return out

    def object_extensions(self, verb: Token, parts: list[Token], home: int) -> list[Token]:
        """What continues a cue's object: ``X as Y`` / ``X with Y``, an infinitive right after X.

        The parser hangs them on the verb; PolNeAR's content runs through them ("described
        the plan as a disaster", "defended his call to raise the wage").
        """
        objects = [c for c in parts if c.dep_ in ("dobj", "dative")]
        if not objects:
            return []
        edge = max(o.right_edge.i for o in objects)
        out = []
        for child in verb.children:
            if child.i <= edge or child in parts or self.blocks.index(child.idx) != home:
                continue
            prep = child.dep_ == "prep" and child.lower_ in OBJECT_PREPS and not _is_when(child)
            infinitive = (
                child.dep_ == "advcl"
                and child.left_edge.i == edge + 1
                and any(a.lower_ == "to" and a.dep_ == "aux" for a in child.children)
            )
            if prep or infinitive:
                out.append(child)
        return out

    def bare_reference(self, start: int, end: int, cue: _Cue) -> bool:
        """``echoed the message``: a noun phrase pointing at words said elsewhere, no report.

        A denial keeps it (``denied those claims``): the claims stage links it to the claim
        it denies.
        """
        if cue.token.lemma_ in CONTESTING_CUES:
            return False
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return False
        heads = [
            t
            for t in span
            if not (t.is_punct or t.is_space or span.start <= t.head.i < span.end)
            # "echoed the message in visits to ...", "... during a visit": where or how it
            # was said (a phrase on the cue verb that the content's tail takes in, not one
            # that carries what was said) adds no proposition
            and not (t.dep_ == "prep" and t.lower_ in OCCASION_PREPS)
            and not (t.dep_ == "prep" and t.head == cue.token and t.lower_ not in CONTENT_PREPS)
        ]
        if len(heads) != 1 or heads[0].lemma_.lower() not in BARE_REFERENCES:
            return False
        # only determiners and adjectives around it: "the message", "those earlier claims"
        return all(
            t is heads[0] or t.dep_ in ("det", "poss", "amod", "predet") or t.is_punct
            for t in heads[0].subtree
        )

    def noun_cue(self, noun: Token) -> tuple[_Cue, tuple[int, int]] | None:
        """``X's claim that Y`` / ``a report by X that Y`` / ``his plan to Y``: owner and clause."""
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        if owner is None:
            prep = next((c for c in noun.children if c.lower_ in OWNER_PREPS), None)
            owner = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep else None
        if owner is None:
            # "a New York Times report that ...": a named owner as a compound.
            owner = next(
                (c for c in noun.children if c.dep_ == "compound" and c.pos_ == "PROPN"), None
            )
        if owner is None:
            return None
        home = self.blocks.index(noun.idx)
        for child in noun.children:
            if child.dep_ not in ("acl", "ccomp") or child.i < noun.i:
                continue
            if self.blocks.index(child.idx) != home:
                continue
            # Only a complement clause ("that ..." or "to ...") is what the owner holds.
            if not any(
                c.lower_ in ("that", "to") and c.dep_ in ("mark", "aux") for c in child.children
            ):
                continue
            cue = _Cue(token=noun, start=noun.idx, end=_end(noun), text=noun.text, speaker=owner)
            return cue, (child.left_edge.idx, _end(child.right_edge))
        return None

    def labelled(self) -> Iterator[tuple[_Cue, tuple[int, int]]]:
        """``NAME: words`` paragraphs (transcripts, headlines credited to a speaker)."""
        names: set[str] | None = None
        for p_start, p_end in self.blocks.ranges:
            match = LABEL.match(self.text, p_start, p_end)
            if match is None:
                continue
            n_start, n_end = match.span(1)
            label = self.text[n_start:n_end]
            named = any(
                n_start <= m.span.start
                and m.span.end <= n_end
                and not m.role
                and m.label in SPEAKER_LABELS
                for m in self.resolver.mentions
            )
            if not named and not label.isupper():
                # A title-case headline hides names from the tagger ("Sanders: Brexit's
                # message ..."): a label whose words are those of a name found elsewhere
                # in the article is that name.
                if names is None:
                    names = {
                        word
                        for m in self.resolver.mentions
                        if not m.role and m.label in SPEAKER_LABELS
                        for word in m.text.split()
                    }
                named = all(word in names for word in label.split())
            if not (named or (label.isupper() and len(label) > 2)):
                continue
            colon = self.doc.char_span(n_end, n_end + 1)
            name = self.doc.char_span(n_start, n_end, alignment_mode="expand")
            if colon is None or name is None:
                continue
            content = (match.end(), p_end)
            if len(self.text[content[0] : content[1]].split()) < 3:
                continue
            cue = _Cue(token=colon[0], start=n_end, end=n_end + 1, text=":", speaker=name[-1])
            yield cue, content

    def interrupted(self, verb: Token) -> tuple[int, int] | None:
        """``Y, X said, Z``: the clause the cue interrupts or follows, the cue left out."""
        home = self.blocks.index(verb.idx)
        inner = {t.i for t in verb.subtree}
        words = [
            t
            for t in verb.head.subtree
            if t.i not in inner and not t.is_space and self.blocks.index(t.idx) == home
        ]
        while words and (words[0].is_punct or words[0].dep_ == "cc"):
            words.pop(0)  # "But Y, X said": the conjunction links to the text before
        while words and words[-1].is_punct and words[-1].text not in ("?", "!"):
            words.pop()
        if len(words) < 3:
            return None
        return words[0].idx, _end(words[-1])

    def before_according(self, verb: Token, content: tuple[int, int]) -> tuple[int, int]:
        """A verb's content cut before an ``according to X`` that follows it in the content.

        "The White House is considering X, according to officials": "according to" is the
        cue of the whole sentence (PolNeAR), not part of what the verb reports; left in,
        each quotation's cue lay inside the other's content and both were dropped as
        embedded reports.
        """
        start, end = content
        if self.according_at is None:
            # read once per article: most contents hold no "according to"
            self.according_at = [
                i
                for i in self.cue_candidates()  # every "according" is one
                if self.doc[i].lower_ == "according"
                and any(c.lower_ == "to" for c in self.doc[i].children)
            ]
        first = bisect_left(self.starts, max(start, _end(verb)))
        last = bisect_left(self.starts, end)
        k = bisect_left(self.according_at, first)
        if k < len(self.according_at) and self.according_at[k] < last:
            cut = self.according_at[k]
            while cut > 0 and self.doc[cut - 1].is_punct and self.doc[cut - 1].idx > start:
                cut -= 1  # the comma before it; a closing quote mark is trimmed later
            if cut > 0:
                end = min(end, _end(self.doc[cut - 1]))
        return start, end

    def according(self, token: Token) -> _Cue | None:
        """``according to X``: the cue and X."""
        to = next((c for c in token.children if c.lower_ == "to"), None)
        source = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
        if to is None or source is None:
            return None
        text = self.text[token.idx : _end(to)]
        return _Cue(token=token, start=token.idx, end=_end(to), text=text, speaker=source)

    def according_content(self, token: Token, cue: _Cue | None) -> tuple[int, int] | None:
        """The rest of the sentence around ``according to X`` (inside its paragraph)."""
        if cue is None or cue.speaker is None:
            return None
        home = self.blocks.index(token.idx)
        sent = [t for t in token.sent if self.blocks.index(t.idx) == home and not t.is_space]
        words = [t for t in sent if not t.is_punct]
        if words and words[0].i == token.i:
            rest = [t for t in words if t.i > cue.speaker.right_edge.i]
        else:
            rest = [t for t in words if t.i < token.i]
        if not rest:
            return None
        return rest[0].idx, _end(rest[-1])

    # --- cues and speakers ------------------------------------------------------------------

    def cue_of(self, verb: Token) -> _Cue:
        """The cue span of a verb (with auxiliaries and particles) and its subject."""
        tokens = [verb]
        tokens += [
            c
            for c in verb.children
            if c.dep_ in ("aux", "auxpass", "neg") and c.i < verb.i and verb.i - c.i <= 3
        ]
        tokens += [
            c
            for c in verb.children
            if c.i == verb.i + 1
            and (c.dep_ == "prt" or c.lower_ in CUE_PREPOSITIONS.get(verb.lemma_, ()))
        ]
        # "calling for X to Y": the "for" of the clause belongs to the cue too
        tokens += [
            m
            for c in verb.children
            if _for_clause(c)
            for m in c.children
            if m.dep_ == "mark" and m.i == verb.i + 1
        ]
        tokens.sort(key=lambda t: t.i)
        start, end = tokens[0].idx, _end(tokens[-1])
        return _Cue(
            token=verb, start=start, end=end, text=self.text[start:end], speaker=self.subject(verb)
        )

    def subject(self, verb: Token) -> Token | None:
        """The subject of a verb, inherited through participles and conjoined verbs."""
        reporter = verb.head.head
        if (
            _is_trailing_cue(verb)
            and verb.head.dep_ in ("ccomp", "parataxis")
            and _is_cue_verb(reporter, SPEECH_VERBS)
        ):
            # "X said the talks must end, referring to Y": the parser hangs the participle
            # on the reported clause, but it is the reporter's second cue.
            return self.subject(reporter)
        home = self.blocks.index(verb.idx)
        node = verb
        for _ in range(4):
            for child in node.children:
                if self.blocks.index(child.idx) != home:
                    if child.dep_ == "nsubj":
                        return self.glued_subject(verb)
                    continue
                if child.dep_ == "nsubj":
                    return self.past_dateline(child, verb)
                if child.dep_ == "nsubjpass":
                    # "was told by X": the agent speaks; without one there is no speaker.
                    agent = next((c for c in node.children if c.dep_ == "agent"), None)
                    if agent is None:
                        return None
                    return next((c for c in agent.children if c.dep_ == "pobj"), None)
            if node.dep_ in ("advcl", "conj", "xcomp") and node.head != node:
                node = node.head
                continue
            if (
                node.dep_ == "pcomp"
                and node.head.dep_ == "prep"
                and node.head.head.pos_ in ("VERB", "AUX")
            ):
                # "opened by thanking the crowd", "after saying X": the gerund's subject is
                # the subject of the clause the preposition hangs on
                node = node.head.head
                continue
            break
        return self.stray_subject(verb)

    def past_dateline(self, subject: Token, verb: Token) -> Token:
        """The subject, or the phrase after a wire dateline the parser took as it.

        "ORLANDO, Fla. (Reuters) - President Barack Obama said ...": the parser may make
        "ORLANDO" the subject; the speaker is the phrase between the dateline and the verb.
        """
        b_start = self.blocks.ranges[self.blocks.index(verb.idx)][0] if self.blocks.ranges else 0
        dateline = DATELINE.match(self.text, b_start, verb.idx)
        if dateline is None or subject.idx >= dateline.end():
            return subject
        between = [
            t for t in verb.doc[subject.i : verb.i] if t.idx >= dateline.end() and not t.is_punct
        ]
        heads = [t for t in between if not (between[0].i <= t.head.i <= between[-1].i)]
        return heads[-1] if heads and heads[-1].pos_ in ("PROPN", "NOUN", "PRON") else subject

    def stray_subject(self, verb: Token) -> Token | None:
        """A name right before a finite verb that the parser hung elsewhere.

        "In a meeting with the board of the Post Trump said ...": the parser takes
        "Trump" into the phrase before it and leaves "said" without a subject.
        """
        if verb.i == 0 or verb.tag_ not in ("VBD", "VBZ", "VBP"):
            return None
        prev = verb.doc[verb.i - 1]
        if prev.pos_ != "PROPN" or prev.dep_ in ("nsubj", "nsubjpass", "compound"):
            return None
        if self.blocks.index(prev.idx) != self.blocks.index(verb.idx):
            return None
        return prev

    def glued_subject(self, verb: Token) -> Token | None:
        """The subject when the parser took it from a heading glued to the paragraph.

        The paragraph's first phrase, climbed up to where its head leaves the paragraph,
        is the real subject ("Heading\n\nX, an expert, said ...").
        """
        b_start = self.blocks.ranges[self.blocks.index(verb.idx)][0]
        first = next((t for t in verb.sent if t.idx >= b_start and not t.is_space), None)
        if first is None or first.i >= verb.i:
            return None
        node = first
        while node.head != node and node.head.idx >= b_start and node.head.i < verb.i:
            node = node.head
        return node if node.pos_ in ("PROPN", "NOUN", "PRON") else None

    def noun_phrase(self, head: Token, *, clauses: bool = False) -> tuple[int, int]:
        """The speaker's noun phrase: modifiers, but no appositive.

        With ``clauses`` a restrictive relative or participle clause is kept ("a poll
        released Saturday", "people who have battled threats"): the whole mention, as
        PolNeAR marks the source. The name is resolved from the phrase without them.
        """
        home = self.blocks.index(head.idx)
        stops = (
            ("appos", "punct", "advcl") if clauses else ("appos", "relcl", "acl", "punct", "advcl")
        )
        tokens = [head]
        for child in head.lefts:
            tokens.extend(child.subtree)
        for child in head.rights:
            if _close_apposition(child, max(t.i for t in tokens)):
                tokens.extend(child.subtree)  # "columnist Ruth Marcus": one phrase, the name in it
                continue
            if child.dep_ in stops or child.is_punct:
                break
            tokens.extend(child.subtree)
        tokens = [
            t
            for t in tokens
            if self.blocks.index(t.idx) == home
            and not t.is_space
            and not (t.is_punct and t.text not in ("'", "’", "."))
        ] or [head]
        first = min(tokens, key=lambda t: t.i)
        last = max(tokens, key=lambda t: t.i)
        start, end = first.idx, _end(last)
        dateline = DATELINE.match(self.text, start, end)
        if dateline is not None and head.idx >= dateline.end():
            start = dateline.end()
        if clauses:
            tag = PARTY_TAG.match(self.text, end)
            if tag is not None:
                end = tag.end()
        return start, end

    def make(self, start: int, end: int, kind: QuoteKind, cue: _Cue) -> Quote:
        """Build a Quote from a content range and a cue."""
        speaker_span: Span | None = None
        name: str | None = None
        if cue.speaker is not None:
            interrupting = start <= cue.start < end  # "Y, X said, Z": X sits inside by design
            spans = []
            for clauses in (False, True):
                s_start, s_end = self.noun_phrase(cue.speaker, clauses=clauses)
                if s_start < cue.start < s_end and cue.speaker.idx < cue.start and not interrupting:
                    # "a group backing X": the phrase holds the cue's own clause; it ends
                    # before the cue
                    last = bisect_left(self.starts, cue.start) - 1
                    while last > cue.speaker.i and self.doc[last].is_punct:
                        last -= 1
                    s_end = _end(self.doc[last])
                if s_start < end and start < s_end and not interrupting:
                    # The phrase runs into the content (a parse error): keep the head word.
                    s_start, s_end = cue.speaker.idx, _end(cue.speaker)
                spans.append((s_start, s_end))
            speaker_span = Span(self.article.id, *spans[1])
            name = self.resolver.name(cue.speaker, *spans[0], self)
        return Quote(
            id=item_id("q", self.article.id, start, end, kind),
            span=Span(self.article.id, start, end),
            text=self.text[start:end],
            kind=kind,
            speaker_name=name,
            speaker_span=speaker_span,
            cue=cue.text,
            cue_span=Span(self.article.id, cue.start, cue.end),
        )


def _close_apposition(child: Token, last: int) -> bool:
    """A name set right after its noun with no comma ("The Post columnist Ruth Marcus",
    "his nephew Michel"): part of the noun phrase, unlike an appositive set off by commas."""
    return child.dep_ == "appos" and child.pos_ == "PROPN" and child.left_edge.i == last + 1


def _dedupe(quotes: list[Quote]) -> list[Quote]:
    """One quotation per content range (direct beats fragment beats indirect)."""
    rank = {"direct": 0, "fragment": 1, "indirect": 2}
    best: dict[tuple[int, int], Quote] = {}
    for quote in quotes:
        key = (quote.span.start, quote.span.end)
        if key not in best or rank[quote.kind] < rank[best[key].kind]:
            best[key] = quote
    return list(best.values())


def _unembedded(quotes: list[Quote]) -> list[Quote]:
    """The reports that no other quotation reports: ``X said Y believes Z`` is X's statement.

    A report whose cue lies inside another quotation's content is what that quotation's
    speaker said about Y, already in it; read as Y's own it double-counts (PolNeAR marks
    such embedded reports in under one in ten cases on polnear-train). A report relayed by
    a news agency (``via``) stays: it is how the agency's words reach their speaker.
    """
    contents = [(q.span.start, q.span.end, q.cue_span) for q in quotes if q.cue_span is not None]

    def embedded(quote: Quote) -> bool:
        cue = quote.cue_span
        if quote.kind != "indirect" or cue is None or quote.via_name:
            return False
        # the offsets first: comparing two Spans (a dataclass __eq__) for every pair of
        # quotations cost more than the rest of this
        return any(
            start <= cue.start and cue.end <= end and other != cue for start, end, other in contents
        )

    return [quote for quote in quotes if not embedded(quote)]


def _relays(quotes: list[Quote], resolver: Resolver) -> list[Quote]:
    """Mark quotations reported inside a news agency's report as relayed by it."""
    relays = resolver.relay_names(quotes)
    reports = [q for q in quotes if q.kind == "indirect" and q.speaker_name in relays]
    out: list[Quote] = []
    for quote in quotes:
        cue = quote.cue_span
        outer = None
        if cue is not None and not quote.via_name:
            outer = next(
                (
                    r
                    for r in reports
                    if r is not quote and r.span.start <= cue.start and cue.end <= r.span.end
                ),
                None,
            )
        if outer is not None and outer.speaker_name != quote.speaker_name:
            quote = replace(quote, via_name=outer.speaker_name)
        out.append(quote)
    return out
