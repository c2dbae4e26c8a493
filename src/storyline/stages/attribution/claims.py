"""Attributed claims: what each source asserts, with hedges, stance and polarity.

Two kinds of claim come out of one article:

* every direct or indirect quotation is a claim of its speaker (and of its relay, a news
  agency that reported it), classed by its cue (assert, accuse, deny, urge, promise,
  assess);
* every other sentence of the body that states something is a claim in the outlet's own
  voice (the wire agency for wire copy), stance "fact"; captions are facts too;
* so is a title or a header line the clean-up set aside (standfirst, second headline) that
  states something: a headline is evidence too. Its span addresses that part
  (``Span.part``), not the body text.

Hedges ("likely", "could", "reportedly") stay on the claim: a hedged statement or an
analyst's assessment is a "view", never a fact. A denial that points back ("denied those
claims") is linked to the claim it denies.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from storyline.ids import item_id
from storyline.model import Article, Claim, CueClass, Mention, Quote, Span, SpanPart, part_text
from storyline.stages.attribution.lexicon import (
    DENY_CUES,
    DISPUTE_CUES,
    EVIDENCE_NOUNS,
    Resolver,
)
from storyline.stages.clean.rules import dateline
from storyline.text.ranges import Ranges

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token


def _split(words: str) -> list[str]:
    """The words of a lexicon written as one string (easier to read and diff than a list)."""
    return words.split()


CUE_CLASSES: dict[str, CueClass] = {
    **dict.fromkeys(
        _split("accuse allege blame charge criticize criticise condemn denounce slam blast"),
        "accuse",
    ),
    # Kept apart: only a denial or a dispute contests a claim ("dismissed" is not "denied").
    **dict.fromkeys(DENY_CUES, "deny"),
    **dict.fromkeys(DISPUTE_CUES, "dispute"),
    **dict.fromkeys(_split("dismiss"), "dismiss"),
    **dict.fromkeys(_split("correct clarify retract"), "correct"),
    **dict.fromkeys(
        _split("urge call demand instruct order ask appeal press recommend propose"), "urge"
    ),
    **dict.fromkeys(_split("promise pledge vow vowed guarantee commit"), "promise"),
    **dict.fromkeys(
        _split("""believe think assess estimate expect predict suggest describe consider see
        speculate suspect fear worry hope analyse analyze judge warn"""),
        "assess",
    ),
}
# Cue classes that contest what they refer to: their claims are denials (polarity "denied").
CONTESTING: frozenset[CueClass] = frozenset({"deny", "dispute"})
# Words that weaken a statement; kept on the claim as found.
HEDGE_WORDS = frozenset(
    _split(
        """likely unlikely possibly possible probably perhaps maybe could may might appear
    appears appeared appearing seem seems seemed seemingly suspected reportedly allegedly
    apparently presumably purportedly potentially supposedly believed"""
    )
)
# Sources whose role makes their statement an assessment rather than a report of fact.
ANALYST_ROLES = frozenset(
    _split(
        """analyst analysts expert experts professor researcher scholar fellow economist
    strategist commentator observer observers pundit"""
    )
)
# Words for an earlier statement that a denial points back to.
FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})
# A headline states its event with a participle as often as with a finite verb ("Five
# wounded by quake", "Fiber cable cut in Egypt").
HEADLINE_VERBS = FINITE | {"VBN", "VBG"}
ANAPHORIC_NOUNS = frozenset(
    _split(
        """claim claims allegation allegations accusation accusations report reports charge
    charges suggestion suggestions assertion assertions it them this that"""
    )
)
# Longest speaker-and-cue lead (characters) that a claim reads from ("Kim, at a factory
# in the north, urged ..."); a longer one is an aside, and the claim is rebuilt instead.
MAX_LEAD = 120
# Prepositions that carry what a directive asks for ("called for", "move ahead with").
DIRECTIVE_PREPS = frozenset({"for", "with", "on"})
MODALS = frozenset({"could", "may", "might"})
AS_REPORTED = re.compile(r"^As (?:\w+ )?(?:reported|noted|announced|mentioned)\b,?", re.IGNORECASE)
# Third-person pronouns that open a claim ("He also urged ...", "His tour ..."): resolved to
# the entity they stand for, so the claim reads alone. Each: (labels of the antecedent,
# possessive). "It" is left alone: it is mostly an expletive ("It is unclear whether").
OPENING_PRONOUNS: dict[str, tuple[frozenset[str], bool]] = {
    "he": (frozenset({"PERSON"}), False),
    "she": (frozenset({"PERSON"}), False),
    "his": (frozenset({"PERSON"}), True),
    "her": (frozenset({"PERSON"}), True),
    "they": (frozenset({"ORG", "GPE", "NORP"}), False),
    "their": (frozenset({"ORG", "GPE", "NORP"}), True),
}
# First-person openings of a quotation ("We express deep regret ..."): the speaker's own
# words, so the claim names the speaker before them.
FIRST_PERSON_OPENINGS = frozenset(_split("i we my our me us"))
# Past forms of irregular cue verbs, for a claim read as "X urged ..." from "urging ...".
IRREGULAR_PAST = {
    "say": "said",
    "tell": "told",
    "write": "wrote",
    "speak": "spoke",
    "think": "thought",
    "find": "found",
    "see": "saw",
    "know": "knew",
    "seek": "sought",
    "hold": "held",
    "give": "gave",
    "make": "made",
    "take": "took",
    "mean": "meant",
    "feel": "felt",
    "lead": "led",
    "bring": "brought",
    "show": "showed",
    "begin": "began",
    "forecast": "forecast",
}


def find_claims(
    article: Article,
    doc: Doc,
    mentions: Sequence[Mention],
    quotes: Sequence[Quote],
    nlp: Language | None = None,
    parsed_lines: Mapping[str, Doc] | None = None,
) -> tuple[Claim, ...]:
    """Attributed claims of ``article``: its quotations and the outlet's own statements
    (with ``nlp``, also those of its title and header lines: :func:`headline_claims`;
    ``parsed_lines`` holds those lines already parsed, in a batch with other articles')."""
    outlet = article.wire or article.outlet
    analysts = _analysts(article, quotes)
    resolver = Resolver(article, mentions)
    claims: list[Claim] = []
    # A quotation with no source ("X seems to Y", "allegedly") is the outlet's own hedged
    # statement: its sentence stays the outlet's claim, with the hedge on it.
    quotes = [q for q in quotes if q.kind != "indirect" or q.speaker_span or q.via_name]
    cues: list[int] = []
    for quote in quotes:
        if quote.kind == "fragment":
            continue  # the sentence around a fragment is a claim of its own
        claim = _quote_claim(article, doc, mentions, quote, outlet, analysts, resolver)
        if claim is not None:
            claims.append(claim)
            if quote.cue_span is not None:
                cues.append(quote.cue_span.start)
    # A report that made no claim ("echoed the message") leaves its sentence to the outlet:
    # what the sentence states is still evidence.
    covered = Ranges((c.span.start, c.span.end) for c in claims)
    cues.sort()
    for start, end in _sentences(article, doc):
        # A sentence that reports speech is its speaker's claim, not the outlet's.
        if covered.share(start, end) >= 0.5 or _any_within(cues, start, end):
            continue
        claim = _outlet_claim(article, doc, start, end, outlet)
        if claim is not None:
            claim = replace(claim, text=_resolve_opening(doc, resolver, claim.text, start))
            claims.append(claim)
    claims.sort(key=lambda c: (c.span.start, c.span.end, c.id))
    found = _link_denials(_dedupe(claims), article.text)
    heads = list(headline_claims(article, nlp, outlet, parsed_lines)) if nlp is not None else []
    return tuple(heads + found)


# Parts of an article read as headlines, in reading order (the body is read by find_claims).
HEADLINE_PARTS: tuple[SpanPart, ...] = ("title", "header")


def headline_lines(article: Article) -> Iterator[tuple[SpanPart, int, str]]:
    """The title and header lines read as headlines: (part, offset in the part's text,
    the line as it is parsed). Datelines and empty lines are left out."""
    for part in HEADLINE_PARTS:
        offset = 0
        for line in part_text(article, part).split("\n"):
            if line.strip() and not dateline(line):
                yield part, offset, _sentence_case(line)
            offset += len(line) + 1


def headline_claims(
    article: Article,
    nlp: Language,
    outlet: str | None,
    parsed_lines: Mapping[str, Doc] | None = None,
) -> tuple[Claim, ...]:
    """The outlet's claims in its title and set-aside header lines (standfirst, a second
    headline): a headline states the story's main event in the outlet's voice.

    Each line is parsed alone (a headline has no sentence end): taken from ``parsed_lines``
    when a batch parsed it already (one ``nlp.pipe`` over many articles' lines costs a
    third of a call per line), else parsed here. A line gives a claim per sentence that
    states something by the outlet's rule (four words, a finite verb, no question). A
    header line that repeats the title is the title's (``header_text``).
    """
    from storyline.nlp import parse  # the cached paragraph parse (spaCy loads lazily)

    out: list[Claim] = []
    texts = {part: part_text(article, part) for part in HEADLINE_PARTS}
    for part, offset, line in headline_lines(article):
        doc = parsed_lines.get(line) if parsed_lines is not None else None
        if doc is None:
            doc = parse(nlp, line)
        text = texts[part]
        for sent in doc.sents:
            start, end = offset + sent.start_char, offset + sent.end_char
            claim = _outlet_claim(
                article, doc, start, end, outlet, part, text, offset, HEADLINE_VERBS
            )
            if claim is not None:
                out.append(claim)
    return tuple(out)


def _sentence_case(line: str) -> str:
    """A Title Case or upper-case headline with its words after the first lower-cased, for
    the tagger ("Lohan Checks Into Rehab": "Checks" reads as a plural noun). Lines in
    sentence case, and lines whose length lower-casing would change, stay as they are."""
    words = line.split()
    capitalised = sum(1 for w in words if w[:1].isupper())
    if len(words) < 3 or capitalised < len(words) * 0.6:
        return line
    lowered = line[:1] + line[1:].lower()
    return lowered if len(lowered) == len(line) else line


def _quote_claim(
    article: Article,
    doc: Doc,
    mentions: Sequence[Mention],
    quote: Quote,
    outlet: str | None,
    analysts: set[str],
    resolver: Resolver,
) -> Claim | None:
    """The claim a quotation makes, attributed to its speaker (and relay)."""
    start, end = quote.span.start, quote.span.end
    text = article.text
    match = re.match(r"(?:that|whether)\s+", text[start:end])
    if match and end - start > match.end():
        start += match.end()  # the complementiser is no part of the proposition
    lemma = _cue_lemma(doc, quote)
    cue_class = CUE_CLASSES.get(lemma, "assert")
    if cue_class not in CONTESTING and not _states(doc, start, end):
        return None  # "echoed the message": an object, not a proposition (a denial may point back)
    attributed = _speakers(quote)
    if _is_evidence(article, mentions, quote):
        attributed = (outlet,) if outlet else ()
        cue_class = "assert"
    if cue_class == "accuse" and quote.cue_span is not None and quote.cue_span.start < start:
        # "X accused Y of Z": the content "Y of Z" is no proposition on its own; the claim
        # reads from the accuser on, so the dossier says who accuses whom of what.
        first = quote.cue_span.start
        if quote.speaker_span is not None and quote.speaker_span.start < first:
            first = quote.speaker_span.start
        start = first
    hedges = _hedges(doc, start, end)
    view = bool(hedges) or cue_class == "assess" or bool(set(attributed) & analysts)
    if attributed == ((outlet,) if outlet else ()):
        view = False
    objects = _directive_objects(doc, quote, start, end, cue_class)
    return Claim(
        id=item_id("c", article.id, start, end, quote.id),
        span=Span(article.id, start, end),
        text=_proposition(text, doc, resolver, quote, start, end),
        attributed_to=attributed,
        cue=quote.cue,
        cue_class=cue_class,
        hedges=hedges,
        stance="view" if view else "fact",
        polarity="denied" if cue_class in CONTESTING else "asserted",
        objects=objects,
    )


def _outlet_claim(
    article: Article,
    doc: Doc,
    start: int,
    end: int,
    outlet: str | None,
    part: SpanPart = "text",
    text: str | None = None,
    offset: int = 0,
    verbs: frozenset[str] = FINITE,
) -> Claim | None:
    """A sentence in the outlet's own voice that states something, or None.

    ``start``/``end`` index ``text`` (default: the body); ``doc`` is the parse of the
    part of ``text`` from ``offset`` on (a headline line is parsed alone).
    """
    text = article.text if text is None else text
    span = doc.char_span(start - offset, end - offset, alignment_mode="expand")
    if span is None:
        return None
    words = [t for t in span if not (t.is_punct or t.is_space)]
    if len(words) < 4 or not any(t.tag_ in verbs or _finite_participle(t) for t in words):
        return None  # headings, datelines, credits: no finite verb
    letters = [ch for ch in span.text if ch.isalpha()]
    if sum(ch.isascii() for ch in letters) < len(letters) / 2:
        return None  # a caption in another script that the cleaner did not tag
    sentence = text[start:end]
    if sentence.rstrip().endswith("?"):
        return None
    cue = None
    reported = AS_REPORTED.match(sentence)
    if reported:
        cue = reported.group(0).rstrip(", ")
    return Claim(
        id=item_id("c", article.id, start, end, "outlet" if part == "text" else part),
        span=Span(article.id, start, end, part),
        text=sentence,
        attributed_to=(outlet,) if outlet else (),
        cue=cue,
        cue_class="assert",
        hedges=_hedges(doc, start - offset, end - offset),
        stance="fact",
    )


def _finite_participle(token: Token) -> bool:
    """A past form the small tagger read as a participle where it is the finite verb.

    "An undersea cable cut on Tuesday partially blocked internet access": ``blocked`` is
    tagged VBN, yet it heads the sentence and has a subject and no auxiliary, which a
    participle cannot ("cables were cut" has its auxiliary; "Five wounded" has no subject).
    """
    return (
        token.tag_ == "VBN"
        and token.dep_ == "ROOT"
        and any(c.dep_ == "nsubj" for c in token.children)
        and not any(c.dep_ in ("aux", "auxpass") for c in token.children)
    )


def _sentences(article: Article, doc: Doc) -> list[tuple[int, int]]:
    """Sentence ranges of the body and English captions (headings and other languages skipped)."""
    from storyline.stages.segment import sentences

    blocks = article.blocks
    out: list[tuple[int, int]] = []
    for sentence in sentences(article, doc):
        if blocks and 0 <= sentence.block < len(blocks):
            block = blocks[sentence.block]
            if block.kind == "heading":
                continue
            if block.language and not block.language.startswith("en"):
                continue
        out.append((sentence.span.start, sentence.span.end))
    return out


def _any_within(points: list[int], start: int, end: int) -> bool:
    """Whether a point of the sorted ``points`` lies in ``[start, end)``."""
    i = bisect.bisect_left(points, start)
    return i < len(points) and points[i] < end


def _cue_lemma(doc: Doc, quote: Quote) -> str:
    """Lemma of the cue's main word ("have denied" -> deny, "called for" -> call)."""
    if quote.cue_span is None:
        return ""
    span = doc.char_span(quote.cue_span.start, quote.cue_span.end, alignment_mode="expand")
    if span is None:
        return ""
    verbs = [t for t in span if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("aux", "auxpass")]
    token: Token = verbs[0] if verbs else span[0]
    return str(token.lemma_).lower()


def _speakers(quote: Quote) -> tuple[str, ...]:
    """Display names a quotation is attributed to: its speakers, then its relay."""
    names: list[str] = []
    if quote.speaker_name:
        names.extend(part.strip() for part in quote.speaker_name.split(" and ") if part.strip())
    if quote.via_name:
        names.append(quote.via_name)
    return tuple(dict.fromkeys(names))


def _is_evidence(article: Article, mentions: Sequence[Mention], quote: Quote) -> bool:
    """The "speaker" is evidence the outlet saw (photos, data), not a source that spoke."""
    span = quote.speaker_span
    if span is None:
        return False
    words = article.text[span.start : span.end].lower().split()
    if not words or words[-1] not in EVIDENCE_NOUNS:
        return False  # checked first: the scan of the mentions below is the costly part
    return not any(span.start <= m.span.start and m.span.end <= span.end for m in mentions)


def _proposition(
    text: str, doc: Doc, resolver: Resolver, quote: Quote, start: int, end: int
) -> str:
    """The claim's wording: the content when it reads as a sentence, else who said it and how.

    A content that starts lowercase ("the factory to move ahead with ...", "to accelerate
    ...", "they had warned ...") is a complement, not a statement: the claim reads from the
    speaker through the cue when they come right before it in the sentence, else as the
    speaker's name, the cue and the content. A content that opens with a third-person
    pronoun ("He called for ...") gets the pronoun's antecedent; one in the first person
    ("We express ...") is the speaker's own words and gets the speaker's name before it.
    The span stays the content (the evidence). ``text`` is the article's text, which
    ``doc`` parses (``doc.text`` would join every token's text again at each call).
    """
    content = text[start:end]
    first = content.split(maxsplit=1)[0].lower() if content.strip() else ""
    if content and content[0].isupper() and first not in FIRST_PERSON_OPENINGS:
        resolved = _resolve_opening(doc, resolver, content, start)
        if resolved is not content or first not in OPENING_PRONOUNS:
            return resolved
    if not content:
        return content
    speaker, cue = quote.speaker_span, quote.cue_span
    if speaker is not None and cue is not None and speaker.start <= cue.start < start:
        lead = text[speaker.start : start]
        if "\n" not in lead and not re.search(r"[.!?]\s", lead) and len(lead) <= MAX_LEAD:
            wording = text[speaker.start : end]
            said = text[speaker.start : speaker.end]
            if said.lower() in OPENING_PRONOUNS and quote.speaker_name:
                # "He also urged ...": the speaker resolved already names him
                possessive = OPENING_PRONOUNS[said.lower()][1]
                who = f"{quote.speaker_name}’s" if possessive else quote.speaker_name
                return who + wording[len(said) :]
            return _capitalised(wording)
    name = quote.speaker_name or quote.via_name
    if name is None or quote.cue is None:
        return content
    if quote.kind == "direct":
        content = f"“{content}”"
    elif first in OPENING_PRONOUNS:
        content = content[:1].lower() + content[1:]  # "X said he ...": no name found for "He"
    if quote.cue.lower() == "according to":
        return f"According to {name}, {content}"
    return _capitalised(f"{name} {_finite(doc, quote)} {content}")


def _finite(doc: Doc, quote: Quote) -> str:
    """The cue as a finite verb: "urging" -> "urged" (a claim reads as a sentence)."""
    cue = quote.cue or ""
    if not cue.endswith("ing") or " " in cue:
        return cue
    lemma = _cue_lemma(doc, quote)
    if not lemma or not cue.lower().startswith(lemma[:3]):
        return cue
    if lemma in IRREGULAR_PAST:
        return IRREGULAR_PAST[lemma]
    if lemma.endswith("e"):
        return lemma + "d"
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        return lemma[:-1] + "ied"
    return lemma + "ed"


def _resolve_opening(doc: Doc, resolver: Resolver, wording: str, start: int) -> str:
    """``wording`` (read from ``start``) with an opening "He"/"His"/"They" replaced by
    the name it stands for, or unchanged (the same object) when there is none to resolve."""
    first = wording.split(maxsplit=1)[0] if wording.strip() else ""
    entry = OPENING_PRONOUNS.get(first.lower())
    if entry is None or not first[0].isupper():
        return wording
    span = doc.char_span(start, start + len(first))
    if span is None or len(span) != 1:
        return wording
    labels, possessive = entry
    name = resolver.antecedent(span[0], start, set(labels))
    if name is None:
        return wording
    return (f"{name}’s" if possessive else name) + wording[len(first) :]


def _capitalised(words: str) -> str:
    """``words`` with its first letter upper case (a claim reads as a sentence)."""
    return words[:1].upper() + words[1:]


def _directive_objects(
    doc: Doc, quote: Quote, start: int, end: int, cue_class: CueClass
) -> tuple[str, ...]:
    """Content words of what a directive asks for, or () for claims that are no directive.

    The directive verb is the quotation's cue ("urged the factory to ...") or the claim's
    own root verb ("he called for ..."); its object is reached through its infinitive,
    its content preposition or its direct object, then down the "of" chain to the last
    noun ("the production of new kinds of ammunition" asks for ammunition).
    """
    verb: Token | None = None
    if cue_class == "urge" and quote.cue_span is not None:
        cue = doc.char_span(quote.cue_span.start, quote.cue_span.end, alignment_mode="expand")
        if cue is not None:
            verb = next((t for t in cue if t.pos_ in ("VERB", "AUX")), None)
    if verb is None:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return ()
        root = span.root
        if root.pos_ == "VERB" and CUE_CLASSES.get(root.lemma_.lower()) == "urge":
            verb = root
    if verb is None:
        return ()
    node = verb
    for _ in range(8):
        if node.pos_ in ("VERB", "AUX"):
            children = list(node.children)
            nxt = next((c for c in children if c.dep_ == "xcomp"), None)
            if nxt is None:
                prep = next(
                    (c for c in children if c.dep_ == "prep" and c.lower_ in DIRECTIVE_PREPS),
                    None,
                )
                pobj = (
                    None
                    if prep is None
                    else next((c for c in prep.children if c.dep_ == "pobj"), None)
                )
                nxt = pobj or next((c for c in children if c.dep_ == "dobj"), None)
            if nxt is None:
                return ()
            node = nxt
            continue
        nxt = _of_object(node)
        if nxt is None:
            break
        node = nxt
    if node.pos_ not in ("NOUN", "PROPN"):
        return ()
    words = [c for c in node.children if c.dep_ == "compound" and c.pos_ in ("NOUN", "PROPN")]
    return tuple(str(t.lemma_).lower() for t in [*words, node])


def _of_object(noun: Token) -> Token | None:
    """The noun after "of" under ``noun`` or one of its conjuncts, or None."""
    for head in [noun, *noun.conjuncts]:
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj
    return None


def _states(doc: Doc, start: int, end: int) -> bool:
    """The range says something: a verb, or a noun phrase of four words or more."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    words = [t for t in span if not (t.is_punct or t.is_space)]
    return len(words) >= 4 or any(t.pos_ in ("VERB", "AUX") for t in words)


def _hedges(doc: Doc, start: int, end: int) -> tuple[str, ...]:
    """Hedging words inside ``[start, end)``, lower-cased, in order of appearance."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return ()
    # "could"/"may"/"might" hedge only as modals ("military might" is no hedge).
    found = [
        t.lower_
        for t in span
        if t.lower_ in HEDGE_WORDS and (t.lower_ not in MODALS or _is_modal(t))
    ]
    return tuple(dict.fromkeys(found))


def _is_modal(token: Token) -> bool:
    """A modal verb: tagged MD and followed by a verb ("might in the face of" is a noun).

    The small tagger reads "might" as MD even in "military might"; a real modal governs
    a verb, possibly after an adverb or "not" ("could also include", "may not be").
    """
    if token.tag_ != "MD":
        return False
    for nxt in token.doc[token.i + 1 : token.i + 4]:
        if nxt.pos_ in ("VERB", "AUX"):
            return True
        if nxt.pos_ not in ("ADV", "PART"):
            return False
    return False


def _analysts(article: Article, quotes: Sequence[Quote]) -> set[str]:
    """Speakers introduced as analysts or experts anywhere in the article."""
    names: set[str] = set()
    for quote in quotes:
        if quote.speaker_span is None or not quote.speaker_name:
            continue
        following = article.text[quote.speaker_span.end : quote.speaker_span.end + 80]
        if following.lstrip().startswith(","):
            # The apposition up to its end: ", an analyst at South Korea's Sejong Institute,".
            apposition = following.lstrip()[1:].split(",")[0].lower().split()
            if set(apposition[:5]) & ANALYST_ROLES:
                names.add(quote.speaker_name)
        phrase = article.text[quote.speaker_span.start : quote.speaker_span.end].lower().split()
        if phrase and phrase[0] in ANALYST_ROLES | {"an", "a"} and set(phrase) & ANALYST_ROLES:
            names.add(quote.speaker_name)
    return names


def _dedupe(claims: list[Claim]) -> list[Claim]:
    """One claim per span and attribution (a quote found twice is one claim)."""
    seen: set[tuple[int, int, tuple[str, ...]]] = set()
    out: list[Claim] = []
    for claim in claims:
        key = (claim.span.start, claim.span.end, claim.attributed_to)
        if key not in seen:
            seen.add(key)
            out.append(claim)
    return out


def _link_denials(claims: list[Claim], text: str) -> list[Claim]:
    """Point each denial that refers back ("denied those claims") to the claim it denies.

    The words looked at are the denial's content (its span), not its rebuilt wording.
    """
    from dataclasses import replace

    out: list[Claim] = []
    for index, claim in enumerate(claims):
        if claim.polarity == "denied" and claim.denies is None:
            content = text[claim.span.start : claim.span.end]
            words = set(re.findall(r"[\w']+", content.lower()))
            if words & ANAPHORIC_NOUNS and len(words) <= 6:
                target = _denied_target(claims[:index], claim)
                if target is not None:
                    claim = replace(claim, denies=target.id)
        out.append(claim)
    return out


def _denied_target(earlier: list[Claim], denial: Claim) -> Claim | None:
    """The nearest earlier claim by another party, accusations first."""
    others = [
        c
        for c in earlier
        if c.polarity == "asserted" and not set(c.attributed_to) & set(denial.attributed_to)
    ]
    accusations = [c for c in others if c.cue_class == "accuse"]
    pool = accusations or [c for c in others if c.cue is not None]
    return pool[-1] if pool else None
