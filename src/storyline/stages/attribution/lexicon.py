"""Speakers of quotations: a speaker phrase resolved to a display name with the article's mentions.

Pronouns and role nouns ("the agency") go to the nearest compatible named mention, names
to their fullest form in the article; relay nouns ("state news agency X") mark news relays.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from storyline.model import Article, Mention, Quote

if TYPE_CHECKING:
    from spacy.tokens import Token


def _split(words: str) -> list[str]:
    """The words of a lexicon written as one string (easier to read and diff than a list)."""
    return words.split()


# Nouns that stand for a news relay: their subject's quotes are someone else's words.
RELAY_NOUNS = frozenset(
    _split("""agency media news newspaper broadcaster television tv radio outlet wire""")
)
# Role nouns standing for a person or an organisation named elsewhere in the text.
PERSON_ROLES = frozenset(
    _split(
        """leader president minister spokesperson spokesman spokeswoman official analyst
    expert chairman chairwoman chair director secretary governor senator
    representative ambassador commander general chief premier king queen
    candidate nominee mayor lawmaker diplomat envoy professor researcher"""
    )
)
ORG_ROLES = frozenset(
    _split(
        """agency media ministry government office department committee company firm
    group party institute administration council bureau military army regime
    newspaper broadcaster organisation organization campaign medium"""
    )
)
# Inanimate media and records: as the subject of an evidence verb ("photos showed X",
# "the footage depicts Y") they are what the outlet saw, not a source that spoke.
EVIDENCE_NOUNS = frozenset(
    _split(
        """photo photos photograph photographs image images picture pictures video videos
    footage data figures record records document documents imagery map maps snapshot
    snapshots recording recordings clip clips"""
    )
)
# Verbs that, with such a subject, display rather than state.
EVIDENCE_VERBS = frozenset(_split("show depict capture feature"))
# Cues that contest what they point at: their object may be a bare reference to words said
# before ("denied those claims"), which the claims stage links to the claim denied.
DENY_CUES = frozenset(_split("deny refute"))
DISPUTE_CUES = frozenset(_split("dispute reject rebuff contest challenge"))
CONTESTING_CUES = DENY_CUES | DISPUTE_CUES
# Nouns (and pronouns) that only point at words said elsewhere: as the bare object of any
# other cue ("Kim echoed the message") they carry no proposition, so make no quotation.
BARE_REFERENCES = frozenset(
    _split(
        """message claim remark comment statement sentiment point word view idea theme call
    charge allegation accusation criticism argument warning suggestion assertion line
    question report concern thing it this that these those them"""
    )
)


@dataclass(frozen=True, slots=True)
class Row:
    """One row of a rule table, with the examples a test runs (``tests/test_lexicon_rows.py``).

    ``key`` is the word the rule keys on; in ``positive`` the quotation finder must give
    ``found`` as a content, in the near miss ``negative`` it must not give ``not_found``.
    """

    key: str
    positive: str
    found: str
    negative: str
    not_found: str


# Prepositions that continue a cue's object ("described the plan as a disaster", "charged
# the mayor with fraud"): PolNeAR's content runs through them. Kept only after an object,
# never a time phrase. Measured on polnear-train (first 300): as, in, with together
# content F1 0.6554 -> 0.6611; "against", "at", "from"/"by" added under 0.001 each.
OBJECT_PREP_ROWS = (
    Row(
        "as",
        "Senator Mary Jones described the plan as a disaster for farmers.",
        "the plan as a disaster for farmers",
        "Senator Mary Jones described the plan as the crowd cheered.",
        "the plan as the crowd cheered",
    ),
    Row(
        "in",
        "Senator Mary Jones cited his voting record in the House.",
        "his voting record in the House",
        "Senator Mary Jones praised the plan in March.",
        "the plan in March",
    ),
    Row(
        "with",
        "Prosecutor Mary Jones charged the mayor with fraud.",
        "the mayor with fraud",
        "Prosecutor Mary Jones praised the mayor with two days left.",
        "the mayor with two days left",
    ),
)
OBJECT_PREPS = frozenset(row.key for row in OBJECT_PREP_ROWS)
# What the parser hangs on a cue verb after its content, in the same sentence, that
# PolNeAR's content runs through (``_Finder.tail``): a condition or reason ("promised X
# if Y"), a conjoined clause, a phrase ("opposed the bill because of its cost"). The walk
# stops at a phrase or clause of time and at a verb that is a cue of its own. Measured on
# polnear-train (first 300): content F1 0.6957 -> 0.7060, speaker exact 0.8404 -> 0.8373
# (advcl alone 0.7001, conj alone 0.6972, prep alone 0.6980, then a second clause "ccomp"
# +0.0012; "npadvmod" +0.0008 and "dep" +0.0004 left out); on train articles 301-840,
# not looked at while choosing, 0.6992 -> 0.7113.
TAIL_ROWS = (
    Row(
        "advcl",
        "Senator Mary Jones promised lower taxes if she wins the election.",
        "lower taxes if she wins the election",
        "Senator Mary Jones criticized the tariff, citing a report by the bank.",
        "the tariff, citing a report by the bank",
    ),
    Row(
        "conj",
        "Senator Mary Jones said the plan would fail, and the state would lose money.",
        "the plan would fail, and the state would lose money",
        "Senator Mary Jones criticized the plan and praised the governor.",
        "the plan and praised the governor",
    ),
    Row(
        "ccomp",
        "Senator Mary Jones warned that taxes would rise, that schools would close.",
        "that taxes would rise, that schools would close",
        "Senator Mary Jones warned that taxes would rise, adding that schools would close.",
        "that taxes would rise, adding that schools would close",
    ),
    Row(
        "prep",
        "Senator Mary Jones opposed the bill because of its cost.",
        "the bill because of its cost",
        "Senator Mary Jones opposed the bill on Monday.",
        "the bill on Monday",
    ),
)
TAIL_DEPS = frozenset(row.key for row in TAIL_ROWS)
# Infinitives and "for X to Y" clauses that belong to a cue's content although the parser
# hangs them on the verb as adverbials.
CLAUSE_ROWS = (
    Row(
        "to",  # an infinitive right after the object is the object's complement
        "Senator Bernie Sanders defended his call to raise the minimum wage.",
        "his call to raise the minimum wage",
        "Senator Bernie Sanders praised the workers on Monday to win their votes.",
        "the workers on Monday to win their votes",
    ),
    Row(
        "for",  # "calling for X to Y": the whole clause is what is called for
        "Hillary Clinton is calling for the United States to step up military efforts.",
        "the United States to step up military efforts",
        "Hillary Clinton is waiting for the United States to step up military efforts.",
        "the United States to step up military efforts",
    ),
)
# Speech verbs otherwise read with a clause only ("told reporters" is no content) whose
# object is what was said: "announced his resignation", "said the same of X". Measured on
# polnear-train (first 300): content F1 0.6922 -> 0.6942 (announce) -> 0.6957 (say);
# "ask", "report", "write", "warn", "tell", "add" gained under 0.001 or lost.
OBJECT_REPORT_ROWS = (
    Row(
        "announce",
        "Governor Mary Jones announced her resignation on Friday.",
        "her resignation",
        "Governor Mary Jones told reporters on Friday.",
        "reporters",
    ),
    Row(
        "say",
        "Senator Mary Jones said the same of the governor.",
        "the same of the governor",
        "Senator Mary Jones told the governor.",
        "the governor",
    ),
)
OBJECT_REPORTS = frozenset(row.key for row in OBJECT_REPORT_ROWS)
# Adjectives of attitude whose clause is their subject's position ("is worried that ...",
# "is eager to ..."): a cue only with an agent subject. Each kept where at least half of
# what it found on polnear-train (840 articles) was gold; "sure", "ready", "willing",
# "determined", "confident", "certain", "quick", "happy" found mostly non-attributions.
ATTITUDE_ROWS = (
    Row(
        "aware",
        "Governor Mary Jones is aware that the budget is short.",
        "that the budget is short",
        "The system is aware that the budget is short.",
        "that the budget is short",
    ),
    Row(
        "careful",
        "Governor Mary Jones was careful to avoid any names.",
        "to avoid any names",
        "The report was careful to avoid any names.",
        "to avoid any names",
    ),
    Row(
        "concerned",
        "Governor Mary Jones is concerned that the plant will close.",
        "that the plant will close",
        "The report is concerned that the plant will close.",
        "that the plant will close",
    ),
    Row(
        "eager",
        "Governor Mary Jones was eager to make her mark.",
        "to make her mark",
        "The bill was eager to make its mark.",
        "to make its mark",
    ),
    Row(
        "glad",
        "Governor Mary Jones is glad that the strike ended.",
        "that the strike ended",
        "The town is glad that the strike ended.",
        "that the strike ended",
    ),
    Row(
        "hopeful",
        "Governor Mary Jones is hopeful that the talks will resume.",
        "that the talks will resume",
        "The market is hopeful that the talks will resume.",
        "that the talks will resume",
    ),
    Row(
        "keen",
        "Governor Mary Jones is keen to expand the program.",
        "to expand the program",
        "The plan is keen to expand the program.",
        "to expand the program",
    ),
    Row(
        "reluctant",
        "Governor Mary Jones was reluctant to sign the bill.",
        "to sign the bill",
        "The bill was reluctant to pass the senate.",
        "to pass the senate",
    ),
    Row(
        "worried",
        "Governor Mary Jones is worried that the plant will close.",
        "that the plant will close",
        "The market is worried that the plant will close.",
        "that the plant will close",
    ),
)
ATTITUDE_ADJECTIVES = frozenset(row.key for row in ATTITUDE_ROWS)
# Role nouns that stay singular in meaning when plural in form.
MASS_ROLES = frozenset({"media", "medium"})
# Possessives included: they own noun cues ("his claim that ...").
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers"})
GROUP_PRONOUNS = frozenset({"they", "it", "its", "their"})
FIRST_PERSON = frozenset({"i", "we", "you"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
# Dependency labels of a clause's subject, and those that pass a name up to its phrase head
# ("Governor John Baird" -> Baird -> its role in the clause).
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
PHRASE_DEPS = frozenset({"compound", "flat", "appos", "conj"})
# How far back (characters) a subject is preferred to a nearer object as an antecedent: about
# three sentences; beyond it the nearest mention wins.
SUBJECT_WINDOW = 400
# How far around a name a title is looked for ("Governor John Baird", "Baird, the governor,").
TITLE_WINDOW = 40
QUOTE_OPEN = "“«"
QUOTE_CLOSE = "”»"


class PhraseFinder(Protocol):
    """What the resolver needs from the finder: a speaker's noun phrase in the text."""

    def noun_phrase(self, head: Token) -> tuple[int, int]:
        """The ``[start, end)`` of the noun phrase headed by ``head``."""
        ...


class Resolver:
    """Turns a speaker phrase into a display name using the article's mentions."""

    def __init__(self, article: Article, mentions: Sequence[Mention]) -> None:
        """Index the mentions of one article."""
        self.text = article.text
        self.mentions = sorted(mentions, key=lambda m: (m.span.start, m.span.end))
        self._starts = [m.span.start for m in self.mentions]
        # a pronoun in the body never points back into a photo caption (a caption in another
        # language, parsed as English, even yields false subjects)
        self._captions = [(b.start, b.end) for b in article.blocks if b.kind == "caption"]
        self.named = [m for m in self.mentions if not m.role]
        self._named_starts = [m.span.start for m in self.named]
        # (offset, name, label) of the speakers resolved so far, in text order.
        self.speakers: list[tuple[int, str, str]] = []
        # every name (mentions, then resolved speakers) by its words, for full_name: a long
        # article has thousands of quotes, and scanning every name for each was quadratic
        self._names: list[tuple[str, str, list[str]]] = []  # (label, name, words) in order
        self._by_word: dict[str, list[int]] = {}
        for m in self.named:
            self._index_name(m.label, m.text)

    def covering(self, start: int, end: int) -> list[Mention]:
        """Mentions inside ``[start, end)`` (found by bisection: long articles have many)."""
        lo, hi = bisect.bisect_left(self._starts, start), bisect.bisect_left(self._starts, end)
        return [m for m in self.mentions[lo:hi] if m.span.end <= end]

    def name(self, head: Token, start: int, end: int, finder: PhraseFinder) -> str:
        """Display name of the speaker whose phrase is ``[start, end)`` with head ``head``."""
        low = head.lower_
        if low in RELATIVE_PRONOUNS and head.head.head.pos_ in ("NOUN", "PROPN"):
            antecedent = head.head.head
            a_start, a_end = finder.noun_phrase(antecedent)
            return self.name(antecedent, a_start, a_end, finder)
        if low in FIRST_PERSON:
            return head.text
        if head.pos_ == "PRON" or low in PERSON_PRONOUNS | GROUP_PRONOUNS:
            labels = {"PERSON"} if low in PERSON_PRONOUNS else {"ORG", "GPE", "NORP"}
            return self.antecedent(head, start, labels) or head.text
        inside = [m for m in self.covering(start, end) if not m.role and m.label in SPEAKER_LABELS]
        heads = [m for m in inside if m.span.start <= head.idx < m.span.end]
        if heads:
            chosen = heads + [m for m in inside if m not in heads and self.conjunct(m, head)]
            names = [self.full_name(m, head if m is heads[0] else None) for m in chosen]
            name = " and ".join(dict.fromkeys(names))
            self._add_speaker(start, name, chosen[0].label)
            return name
        # "The Post columnist Ruth Marcus": the phrase holds its noun's name (a close
        # apposition, the only appositive a speaker phrase keeps): she is the speaker
        named = [m for m in inside if any(m.span.start <= c.idx < m.span.end for c in head.rights)]
        if named:
            name = self.full_name(named[0], None)
            self._add_speaker(start, name, named[0].label)
            return name
        role = self.role_label(head, start, end)
        if role is not None:
            found = self.titled(head, start) if role == "PERSON" else None
            found = found or self.previous_speaker(start, role)
            found = found or self.antecedent(head, start, {role})
            found = found or self.nearest(end, {role}, before=False)
            if found:
                return found
        if head.pos_ == "PROPN":
            # A name the entity tagger missed: the proper-noun run around the head.
            name = _clean_name(_propn_run(head))
            self._add_speaker(start, name, "PERSON")
            return name
        return self.text[start:end]

    def conjunct(self, mention: Mention, head: Token) -> bool:
        """The mention names a conjunct of the head (``X and Y said``)."""
        return any(mention.span.start <= c.idx < mention.span.end for c in head.conjuncts)

    def role_label(self, head: Token, start: int, end: int) -> str | None:
        """PERSON or ORG when the phrase is a role noun standing for a named entity."""
        for m in self.covering(start, end):
            if m.role:
                return "PERSON" if m.label == "PERSON" else "ORG"
        lemma = head.lemma_.lower()
        singular = head.tag_ != "NNS" or lemma in MASS_ROLES
        if lemma in PERSON_ROLES and singular:
            return "PERSON"
        if lemma in ORG_ROLES and singular:
            return "ORG"
        return None

    def antecedent(self, head: Token, offset: int, labels: set[str]) -> str | None:
        """The named mention a pronoun or role noun at ``offset`` stands for, or None.

        Mentions inside a quotation are someone's words, not antecedents. The nearest
        subject of a clause within ``SUBJECT_WINDOW`` wins over a nearer object ("Clinton
        spoke at the memorial for Stevens ... she said": she is Clinton).
        """
        # walk back from the pronoun (bisection, not a scan of every name): the first
        # eligible mention is the nearest; a subject is looked for within the window only
        last: Mention | None = None
        for j in range(bisect.bisect_left(self._named_starts, offset) - 1, -1, -1):
            m = self.named[j]
            if last is not None and offset - m.span.start > SUBJECT_WINDOW:
                break  # the nearest is found and no subject lies further back in the window
            if (
                m.label not in labels
                or m.span.end > offset
                or self.quoted(m.span.start)
                or self.in_caption(m.span.start)
            ):
                continue
            if offset - m.span.start > SUBJECT_WINDOW:
                last = last or m
                break
            last = last or m
            if _is_subject(head, m.span.start):
                return self.full_name(m)
        return self.full_name(last) if last is not None else None

    def titled(self, head: Token, offset: int) -> str | None:
        """The nearest person before ``offset`` given this role as a title or apposition.

        "Governor John Baird announced ... the governor said": the governor is Baird, not
        the premier named in between.
        """
        lemma = head.lemma_.lower()
        for m in reversed(self.named):
            if m.label != "PERSON" or m.span.end > offset or self.quoted(m.span.start):
                continue
            line_start = self.text.rfind("\n", 0, m.span.start) + 1
            before = self.text[max(line_start, m.span.start - TITLE_WINDOW) : m.span.start]
            after = self.text[m.span.end : m.span.end + TITLE_WINDOW].split("\n")[0]
            window = " ".join(_words(before)[-2:] + _words(m.text))
            if after.startswith(","):
                window += " " + " ".join(_words(after.split(",")[1])[:4])
            if lemma in window.split():
                return self.full_name(m)
        return None

    def in_caption(self, pos: int) -> bool:
        """``pos`` lies in a photo caption."""
        return any(start <= pos < end for start, end in self._captions)

    def quoted(self, pos: int) -> bool:
        """``pos`` lies inside a quotation of its paragraph."""
        start = self.text.rfind("\n", 0, pos) + 1
        before = self.text[start:pos]
        curly = max(before.rfind(c) for c in QUOTE_OPEN) > max(before.rfind(c) for c in QUOTE_CLOSE)
        return curly or before.count('"') % 2 == 1

    def previous_speaker(self, offset: int, label: str) -> str | None:
        """The nearest speaker already resolved before ``offset`` with this label."""
        for pos, name, lab in reversed(self.speakers):
            if pos < offset and lab == label:
                return name
        return None

    def nearest(self, offset: int, labels: set[str], *, before: bool) -> str | None:
        """Full name of the nearest named mention with one of ``labels`` before/after ``offset``."""
        chosen: Mention | None = None
        if before:
            for j in range(bisect.bisect_left(self._named_starts, offset) - 1, -1, -1):
                m = self.named[j]
                if m.label in labels and m.span.end <= offset:
                    chosen = m
                    break
        else:
            for m in self.named[bisect.bisect_left(self._named_starts, offset) :]:
                if m.label in labels:
                    chosen = m
                    break
        return self.full_name(chosen) if chosen is not None else None

    def full_name(self, mention: Mention, head: Token | None = None) -> str:
        """The fullest name in the article holding this mention's words ("Chang" -> "Cheong Seong Chang")."""
        best = _clean_name(mention.text)
        if head is not None and head.pos_ == "PROPN":
            run = _clean_name(_propn_run(head))
            if len(run) > len(best) and best in run:
                best = run  # the tagger cut the name short ("Seong Chang" of "Cheong Seong Chang")
        words = _words(best)
        if not words:
            return best
        best_len = len(words)
        # Names resolved for earlier speakers count too: they may be fuller than the tagger's.
        # Only names holding the first word can hold them all; taken in the order they came.
        for index in self._by_word.get(words[0], ()):
            label, other, other_words = self._names[index]
            if label != mention.label:
                continue
            if len(other_words) > best_len and all(w in other_words for w in words):
                best, best_len = _clean_name(other), len(other_words)
        return best

    def _index_name(self, label: str, name: str) -> None:
        words = _words(name)
        self._names.append((label, name, words))
        for word in dict.fromkeys(words):
            self._by_word.setdefault(word, []).append(len(self._names) - 1)

    def _add_speaker(self, offset: int, name: str, label: str) -> None:
        """Record a resolved speaker (its name then counts for full_name too)."""
        self.speakers.append((offset, name, label))
        self._index_name(label, name)

    def relay_names(self, quotes: Sequence[Quote]) -> set[str]:
        """Speaker names introduced anywhere in the article by a relay noun ("state news agency X")."""
        names: set[str] = set()
        for quote in quotes:
            if quote.speaker_span is None or not quote.speaker_name:
                continue
            phrase = self.text[quote.speaker_span.start : quote.speaker_span.end]
            if set(_words(phrase)) & RELAY_NOUNS:
                names.add(quote.speaker_name)
        return names


def _is_subject(head: Token, start: int) -> bool:
    """The mention starting at ``start`` (in ``head``'s parse) is the subject of a clause."""
    span = head.doc.char_span(start, start + 1, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    token = span[0]
    for _ in range(6):
        if token.dep_ in SUBJECT_DEPS:
            return True
        if token.dep_ not in PHRASE_DEPS or token.head is token:
            return False
        token = token.head
    return False


def _propn_run(head: Token) -> str:
    """The run of proper nouns (compounds and flat names) around ``head``."""
    tokens = [head] + [
        c for c in head.lefts if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i >= head.i - 4
    ]
    first = min(t.i for t in tokens)
    # Only a contiguous run counts ("Cheong Seong Chang", not "Sejong ... Chang").
    run = head.doc[first : head.i + 1]
    if any(t.pos_ != "PROPN" for t in run):
        return head.text
    return run.text


def _words(name: str) -> list[str]:
    """Lower-cased name words, hyphens split ("Seong-chang" -> seong, chang), possessive dropped."""
    return _clean_name(name).lower().replace("-", " ").split()


def _clean_name(name: str) -> str:
    """A display name: no leading article, no trailing possessive."""
    for prefix in ("The ", "the "):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    for suffix in ("’s", "'s", "’", "'"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name
