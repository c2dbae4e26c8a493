"""Corroboration: the same claim across the articles of a story, and how well it is sourced.

Claims are grouped when the words of their sentences overlap enough (IDF-weighted over the
story's claims, spelling variants folded: "modernisation" = "modernization", "defence" =
"defense"), by complete link: every two claims of a group are alike, so one loose pair
cannot chain two events into one claim. A report alike to every claim of a second group
(one sentence telling two events another outlet tells apart) is that group's evidence too,
without moving it; so is a report that shares several of the claim's rare words while the
rest of its long sentence keeps it under the bar, or that names the same kind of event
(``event_lexicon``: "quake" / "tremor") and shares a rarer word or two. Claims that state different figures (numbers,
years) are never merged: their groups name each other as conflicts. Directives asking
for different things stay apart. Independent sources are counted after
collapsing syndicated copies (``Story.syndication_groups``) and wire copy (a Reuters story
printed by two papers is Reuters once). A denial by another party makes a group
"contested"; a group made only of denials is "denied".
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from storyline.ids import group_id
from storyline.model import (
    AnnotatedArticle,
    Article,
    Claim,
    ClaimGroup,
    ClaimStatusName,
    Entity,
    Story,
)
from storyline.stages.corpus.event_lexicon import EVENT_CLASS, FOLDED, event_classes
from storyline.stages.time.lexicon import WEEKDAYS_EN


def _split(words: str) -> list[str]:
    """The words of a lexicon written as one string (easier to read and diff than a list)."""
    return words.split()


@dataclass(frozen=True, slots=True)
class CorroborateConfig:
    """Thresholds of claim grouping, measured on ECB+ train topics (``storyline eval claims``).

    Complete link at 0.25 over sentence words: train chain recall 0.69, strict claim
    precision 0.95 (body view, headline claims included); 0.72 at 0.95 with a report
    backing every group it matches (``also_evidence``); 0.75 at 0.95 with pairs that share
    rare words backing each other (``also_shared_core``, ``also_anchor_core``); 0.79 at
    0.96 with pairs that name one kind of event backing each other (``also_event_core``).
    The speaker and entity bonuses are kept as knobs but measured harmful there (0.03 more
    chain recall for 0.10 less precision: every claim of a story shares its entities), so
    they are off.
    """

    # IDF-weighted similarity every two claims of one group reach (complete link: one
    # loose pair would put two events in one claim).
    same_claim: float = 0.25
    # Every cross pair of a merge reaches ``same_claim * link_floor`` and their average
    # reaches ``same_claim`` (1.0: plain complete link).
    link_floor: float = 1.0
    # A short report whose words a longer one holds ("The shootings happened after 8:30
    # p.m. Thursday" in a long sentence on the shooting) is alike by containment, weighed by
    # this factor against the Dice overlap that length differences pull down (train topics:
    # chain recall 0.668 -> 0.684, strict precision 0.947 -> 0.949; 0.5 to 0.65 all help).
    containment: float = 0.55
    same_speaker_bonus: float = 0.0
    # Two sources' assessments of one subject (analysts reading the same event) count like
    # one speaker repeating: given only when they share an entity and a key word, a stem
    # found in at most ``key_share`` of the story's claims (background words are in more).
    # ECB+ train topics hold almost no attributed views: 0.0, 0.1 and 0.15 give the same
    # figures there, 0.2 loses one chain; 0.15 lets two analysts' reading of one subject
    # in the seed case ("an intent to export") stand as one hedged view.
    same_view_bonus: float = 0.15
    shared_entity_bonus: float = 0.0
    key_share: float = 0.25
    # Two claims group only when their own wordings share a word naming no entity of the
    # story and held by at most ``core_share`` of its claims (1.0: any such word).
    shared_core: bool = True
    core_share: float = 1.0
    # Claims of the body group first, headline claims (title, header lines) join after.
    headlines_last: bool = True
    # ``link_floor`` for pairs with a headline: a headline states the story's main event in
    # few words, so it is held to the group's average rather than to each member.
    headline_floor: float = 1.0
    # A claim linked (>= ``same_claim``, no veto) to every member of another group, none of
    # them of its own article, is evidence of that group too: complete link puts each claim
    # in one group, so the one report that two groups both match could back only one of them.
    # (ECB+ train topics, body view: chain recall 0.691 -> 0.717 at equal strict precision
    # 0.952, with the three guards below; without them 0.766 / 0.918.)
    also_evidence: bool = True
    # The two claims' own wordings (words naming no entity) overlap by at least this
    # IDF-weighted Jaccard: a report linked to a group only through its long sentence's
    # context is not evidence of it (train: 0.1 / 0.15 / 0.2 / 0.25 -> 0.734 / 0.939,
    # 0.717 / 0.952, 0.707 / 0.951, 0.697 / 0.956).
    also_core: float = 0.15
    # Headline claims back only the group they joined: a headline names the story's main
    # event in few words and fits many groups (train: with them 0.717 / 0.946).
    also_headlines: bool = False
    # The extra claims of one group must be alike to each other too, so the group with its
    # extra evidence still holds by complete link (train: without 0.730 / 0.941).
    also_clique: bool = True
    # A pair below ``same_claim`` whose own wordings share rare words (IDF weights of the
    # shared words naming no entity summing to at least ``also_shared_core``; a word held by
    # two claims of a 100-claim story weighs about 4.0, so 10 is three rare words:
    # "boss ... feigned ... died", "jewelry ... watches ... store") links the two claims for
    # extra evidence only: either may back the other's group (the same all-members test as
    # above), but the pair never merges groups, so the groups stay as complete link made
    # them, except that two claims each left alone become one group of two. Long sentences
    # telling one event share its rare words while their context pulls the overall score
    # under the bar. (ECB+ train topics, body view: chain recall 0.717 -> 0.737 at equal
    # strict precision 0.952; all view 0.732 -> 0.748, 0.931 -> 0.932; two claims whose
    # figures conflict are not linked. Sums of 9 / 11: 0.727 / 0.954, 0.720 / 0.952; 12 and
    # up: no change. Floors on the pair's own score 0.0 to 0.15: the same. The same links
    # allowed to merge any groups: 0.730 / 0.938. Requiring a shared linked entity too:
    # 0.720 / 0.952. A story's size sets the weights: in a story of 20 claims a word held
    # by two weighs 2.4, so it takes five shared words there. 0.0 turns it off.)
    also_shared_core: float = 10.0
    # The same with fewer shared rare words (a sum of at least this) when the two claims are
    # also anchored to one occasion: they share a linked entity, a day word ("Tuesday",
    # "yesterday", ``DAY_WORDS``) or a figure (train, body view: 0.737 / 0.952 -> 0.747 /
    # 0.955; all view 0.748 / 0.932 -> 0.756 / 0.932. At 6 / 7.5 / 8: 0.753 / 0.942,
    # 0.747 / 0.954, 0.747 / 0.954; the entity alone at 7 / 8: 0.743 / 0.954; the day
    # word or figure alone at 8: 0.740 / 0.953). ``also_shared_core`` or more: no anchor
    # needed.
    also_anchor_core: float = 7.0
    # ... and whose overall score reaches this (0.0 / 0.1 / 0.15 measure the same on train:
    # a floor so two sentences alike in nothing else are never linked).
    also_shared_floor: float = 0.1
    # A pair below the bar whose own wordings name the same kind of event (a row of
    # ``event_lexicon``: "fire" / "blaze", "earthquake" / "tremor", "died" / "death") and
    # share other words naming no entity that weigh at least this (a word held by about 5
    # of 100 claims weighs 3), or ``also_event_anchor_core`` when they also share a linked
    # entity, a day word or a figure, is linked for extra evidence only, like
    # ``also_shared_core`` (ECB+ train topics, body view: chain recall 0.747 -> 0.783,
    # strict precision 0.955 -> 0.959; all view 0.756 -> 0.779, 0.932 -> 0.938. A first,
    # 25-row lexicon at 4 with no event word required: 0.799 / 0.893, so the event word is
    # what keeps it precise; with the same event word only (no synonym rows): 0.753 /
    # 0.957. At 2.5 / 3.5 / 4 with the anchored tier 2: 0.783 / 0.960, 0.770 / 0.962, 0.773 / 0.961; the anchored tier
    # at 1 / 2.5 / off: 0.783 / 0.961, 0.770 / 0.961 (at 4), 0.773 / 0.958. Rows merged into
    # coarser classes (die = kill = shoot = stab, arrest = charge, convict = sentence): no
    # gain. The event links allowed to merge groups: not tried, every merging loosening of
    # stops 19-22 lost precision. 0.0 turns it off.)
    # Stop 24: lowered from 3.0 / 2.0 to 2.0 / 1.5 (a word held by about 15 of 100 claims
    # weighs 2.0, by about 25 weighs 1.5): the shared kind of event is what keeps these
    # links precise, the other shared word only has to be no background word (train, body
    # view: 0.783 / 0.959 -> 0.789 / 0.962; all view 0.779 / 0.935 -> 0.785 / 0.937; the
    # plain bar at 1.0 / 1.5 / 2.0 all 0.789 at 0.956-0.962, 1.75 0.793 / 0.962, 2.25 /
    # 2.5 0.783 / 0.960).
    also_event_core: float = 2.0
    also_event_anchor_core: float = 1.5
    # ... and whose overall score reaches this (train: 0.0 and 0.05 the same, 0.1 loses
    # 0.007 recall).
    also_event_floor: float = 0.05
    # Claims of one article taken into the alignment, in reading order: grouping compares
    # every pair, so a transcript or a dump with thousands of sentences would take hours;
    # a news report's claims are in its first few hundred sentences.
    max_claims_per_article: int = 400
    # Copies of one claim (reprints, syndicated copies) grouped as one unit (``_copies``):
    # the grouping's cost follows a story's distinct claims, not its articles squared.
    group_copies: bool = True


CONFIG = CorroborateConfig()
KEY_STEM = (
    " key"  # the weight of the key-word bar, kept with the stem weights (no stem has a space)
)
CORE_STEM = " core"  # the weight of the core-word bar (see ``CorroborateConfig.core_share``)
STOPWORDS = frozenset(
    _split(
        """a an the and or but of to in on at for with by from as is are was were be been being
    has have had do does did it its this that these those there their they them he she his
    her him we our you your i me my who whom which what when where while than then so such
    not no also into over after before about up down out more most other some any each
    will would can could may might should must said says say told according just very"""
    )
)
SPELLING = (
    (re.compile(r"isation"), "ization"),
    (re.compile(r"ence$"), "ense"),
    (re.compile(r"our$"), "or"),
)


@dataclass(frozen=True, slots=True)
class _Member:
    """A claim with what grouping needs: its article, source key and word stems."""

    claim: Claim
    article: str
    order: int
    source: str
    stems: frozenset[str]
    entities: frozenset[str]
    speakers: frozenset[str]
    objects: frozenset[str] = frozenset()
    numbers: frozenset[tuple[str, str]] = frozenset()
    deictic: bool = False
    headline: bool = False  # from the title or a header line, not the body
    # stems of the claim's own wording that name no entity of the story: what it says
    # happened, beyond who it is about
    core: frozenset[str] = frozenset()
    # the kinds of event its own wording names (``event_lexicon``)
    events: frozenset[str] = frozenset()


def corroborate(
    story: Story,
    docs: Sequence[AnnotatedArticle],
    entities: Sequence[Entity],
    config: CorroborateConfig = CONFIG,
) -> tuple[ClaimGroup, ...]:
    """Group the claims of ``story`` across its articles and give each group its status.

    Claims group when they tell the same thing in compatible terms; two accounts of one
    event that give different figures (numbers, years) stay apart, each naming the
    other as a conflict.
    """
    sources = _source_keys(story, [d.article for d in docs])
    mentions_of = _entity_index(entities)
    names = {w for e in entities for n in (e.name, *e.aliases) for w in _stems(n)}
    members: list[_Member] = []
    order = {aid: i for i, aid in enumerate(story.article_ids)}
    for doc in sorted(docs, key=lambda d: (order.get(d.article.id, len(order)), d.article.id)):
        article = doc.article
        linked = mentions_of.get(article.id, [])
        starts = [start for start, _, _ in linked]
        sentences = _SentenceIndex(doc)
        claims = sorted(doc.claims, key=_reading_order)
        for claim in claims[: config.max_claims_per_article]:
            ents: frozenset[str] = frozenset()
            if claim.span.part == "text":  # mentions index the body only
                first = bisect.bisect_left(starts, claim.span.start)
                last = bisect.bisect_right(starts, claim.span.end)
                ents = frozenset(eid for _, end, eid in linked[first:last] if end <= claim.span.end)
            members.append(
                _Member(
                    claim=claim,
                    article=article.id,
                    order=order.get(article.id, len(order)),
                    source=sources.get(article.id, article.id),
                    stems=_stems(sentences.text_around(claim)),
                    entities=ents,
                    speakers=frozenset(_norm_name(n) for n in claim.attributed_to),
                    objects=frozenset(_stem(w) for w in claim.objects),
                    numbers=_numbers(claim.text),
                    deictic=bool(_words(claim.text) & PERSON_WORDS),
                    headline=claim.span.part != "text",
                    core=_stems(claim.text) - names,
                    events=event_classes(claim.text),
                )
            )
    weights = _idf(members, config)
    asserted = [m for m in members if m.claim.polarity == "asserted"]
    denials = [m for m in members if m.claim.polarity == "denied"]
    groups, conflicting, also = _cluster(asserted, weights, config)
    by_claim = {m.claim.id: gi for gi, group in enumerate(groups) for m in group}
    denied_by: dict[int, list[str]] = {}
    free_denials: list[_Member] = []
    similar = _SimilarityMemo(weights, config)
    alike_groups: dict[int, set[int]] = {}  # a denial's content -> the groups it is alike to
    for denial in denials:
        targets = {by_claim[denial.claim.denies]} if denial.claim.denies in by_claim else set()
        if not targets:
            if similar.kind(denial) not in alike_groups:  # once for all copies of a denial
                alike_groups[similar.kind(denial)] = {
                    gi
                    for gi, group in enumerate(groups)
                    if any(similar(denial, m) >= config.same_claim for m in group)
                }
            targets = set(alike_groups[similar.kind(denial)])
        for gi in targets:
            attributed = {n for m in groups[gi] for n in m.speakers}
            if not set(denial.speakers) <= attributed:
                denied_by.setdefault(gi, []).extend(denial.claim.attributed_to)
        if not targets:
            free_denials.append(denial)
    out = [
        _group(group, tuple(dict.fromkeys(denied_by.get(gi, []))), also=also.get(gi, ()))
        for gi, group in enumerate(groups)
    ]
    ids = [g.id for g in out]
    out = [
        # most groups conflict with none: they keep the default ``conflicts=()``, uncopied
        replace(g, conflicts=tuple(sorted(ids[o] for o in conflicting[gi])))
        if conflicting.get(gi)
        else g
        for gi, g in enumerate(out)
    ]
    denied_groups, _, _ = _cluster(free_denials, weights, config)
    out += [_group(group, (), denied=True) for group in denied_groups]
    return tuple(sorted(out, key=lambda g: g.id))


# Where each part of an article is read: the title, the header lines, then the body.
_PART_ORDER = {"title": 0, "header": 1, "text": 2}


def _reading_order(claim: Claim) -> tuple[int, int, int, str]:
    return (_PART_ORDER[claim.span.part], claim.span.start, claim.span.end, claim.id)


class _SentenceIndex:
    """An article's sentences by position, for the sentence(s) around a claim."""

    def __init__(self, doc: AnnotatedArticle) -> None:
        self.doc = doc
        self.spans = sorted((s.span.start, s.span.end) for s in doc.sentences)
        self.ends = [end for _, end in self.spans]

    def text_around(self, claim: Claim) -> str:
        """The claim's wording with the rest of its sentence(s): who said it and how is
        evidence too."""
        start, end = claim.span.start, claim.span.end
        if claim.span.part != "text":
            return claim.text  # a headline line is its own sentence
        # sentences overlapping the claim: they end after its start and begin before its end
        for s_start, s_end in self.spans[bisect.bisect_right(self.ends, start) :]:
            if s_start >= claim.span.end:
                break
            start, end = min(start, s_start), max(end, s_end)
        if (start, end) == (claim.span.start, claim.span.end):
            return claim.text
        return claim.text + " " + self.doc.article.text[start:end]


def _source_keys(story: Story, articles: Sequence[Article]) -> dict[str, str]:
    """Article id -> the independent source it counts as (wire, outlet, or syndication group)."""
    label = {a.id: (a.wire or a.outlet or a.id) for a in articles}
    # Copies in one syndication group count once, under the first copy's origin.
    for group in story.syndication_groups:
        present = [aid for aid in group if aid in label]
        if present:
            origin = label[present[0]]
            for aid in present:
                label[aid] = origin
    return label


def _entity_index(entities: Sequence[Entity]) -> dict[str, list[tuple[int, int, str]]]:
    """Article id -> its linked mentions as (start, end, entity id), sorted by start."""
    index: dict[str, list[tuple[int, int, str]]] = {}
    for e in entities:
        for s in e.mentions:
            index.setdefault(s.article_id, []).append((s.start, s.end, e.id))
    for spans in index.values():
        spans.sort()
    return index


def _norm_name(name: str) -> str:
    """A name folded for comparison (case, hyphens, spaces)."""
    return " ".join(name.lower().replace("-", " ").split())


@functools.lru_cache(maxsize=1 << 16)  # a story's claims repeat their words: stem each once
def _stem(word: str) -> str:
    """A crude stem: British spellings folded, plural and verb endings cut, then a prefix."""
    for pattern, repl in SPELLING:
        word = pattern.sub(repl, word)
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    return word[:6]


_LETTERS = re.compile(r"[^\W\d_]+")


def _stems(text: str) -> frozenset[str]:
    """Content-word stems of a claim (the words of a folded event row as one first:
    "died" = "death" = "dead", ``event_lexicon.FOLDED``)."""
    known = _WORD_STEMS
    stems: set[str] = set()
    for word in set(_LETTERS.findall(text.lower())):
        stem = known.get(word, "")  # "": not seen yet (no stem is empty)
        if stem == "":
            stem = _word_stem(word)
        if stem is not None:
            stems.add(stem)
    return frozenset(stems)


# Lower-cased word -> its stem in :func:`_stems` (None: none): each word folded and
# stemmed once. A plain dict of strings, which the collector never traverses (an
# ``lru_cache``'s entries it walks at every full collection); emptied when full.
_WORD_STEMS: dict[str, str | None] = {}
_WORD_STEMS_MAX = 1 << 16


def _word_stem(word: str) -> str | None:
    """The stem a lower-cased word counts under in :func:`_stems` (None: a stop word or a
    word of two letters or fewer, after folding); remembered in ``_WORD_STEMS``."""
    folded = FOLDED.get(word, word)
    stem = None if folded in STOPWORDS or len(folded) <= 2 else _stem(folded)
    if len(_WORD_STEMS) >= _WORD_STEMS_MAX:
        _WORD_STEMS.clear()
    _WORD_STEMS[word] = stem
    return stem


def _idf(members: list[_Member], config: CorroborateConfig) -> dict[str, float]:
    """Inverse document frequency of each stem over the story's claims.

    Words every claim of a story shares ("Kim", "North Korea") say nothing about which
    claim is which; rare words do.
    """
    counts: dict[str, int] = {}
    for member in members:
        for stem in member.stems:
            counts[stem] = counts.get(stem, 0) + 1
    total = len(members) + 1
    weights = {stem: math.log(total / n) + 0.1 for stem, n in counts.items()}
    # The weight a stem has when a quarter of the claims hold it: key words weigh more.
    weights[KEY_STEM] = math.log(total / max(1.0, config.key_share * len(members))) + 0.1
    weights[CORE_STEM] = math.log(total / max(1.0, config.core_share * len(members))) + 0.1
    return weights


def _similarity(
    a: _Member,
    b: _Member,
    weights: dict[str, float],
    config: CorroborateConfig,
    sizes: tuple[float, float] | None = None,
) -> float:
    """IDF-weighted overlap of content stems (Dice, or the shorter one's share held by the
    other, weighed by ``config.containment``), plus bonuses for entities and speaker.

    ``sizes`` are ``_weight`` of the two claims' stems where the caller keeps them."""
    if not a.stems or not b.stems:
        return 0.0
    # fsum: exact, so the sum does not depend on the set order (hash seed) and neither do groups
    # (of a list: cheaper than of a generator, the same sum)
    shared = math.fsum([weights.get(w, 1.0) for w in a.stems & b.stems])
    size_a, size_b = sizes or (_weight(a.stems, weights), _weight(b.stems, weights))
    total = size_a + size_b
    score = 2 * shared / total if total else 0.0
    # min and max written out: this runs for every scored pair of a story's claims
    smaller = size_a if size_a <= size_b else size_b
    if smaller > 0:
        contained = config.containment * shared / smaller
        if contained > score:
            score = contained
    if a.speakers & b.speakers and not (_outlet_voice(a) or _outlet_voice(b)):
        score += config.same_speaker_bonus
    elif a.claim.stance == "view" and b.claim.stance == "view" and _same_view(a, b, weights):
        score += config.same_view_bonus
    if a.entities & b.entities:
        score += config.shared_entity_bonus * min(3, len(a.entities & b.entities))
    return score


def _weight(stems: frozenset[str], weights: dict[str, float]) -> float:
    """The IDF weight of a set of stems (exact: the same for any order of the set)."""
    return math.fsum([weights.get(w, 1.0) for w in stems])


def _same_view(a: _Member, b: _Member, weights: dict[str, float]) -> bool:
    """Two attributed views that assess the same subject with the same key word ("export")."""
    if a.claim.stance != "view" or b.claim.stance != "view":
        return False
    if _outlet_voice(a) or _outlet_voice(b) or not a.entities & b.entities:
        return False
    key = weights.get(KEY_STEM, 0.0)
    return any(weights.get(w, 0.0) >= key for w in a.stems & b.stems)


# Number words read as values, so "two million" and "2 million" are the same figure.
NUMBER_WORDS = {
    w: str(i)
    for i, w in enumerate(
        _split("""zero one two three four five six seven eight nine ten eleven twelve thirteen
        fourteen fifteen sixteen seventeen eighteen nineteen twenty""")
    )
}
# A figure with what it counts: an optional currency sign, the number (digits or a number
# word), an optional scale, then the next word ("12 people", "$160 million", "June 24").
_FIGURE = re.compile(
    r"(?P<sign>[$€£¥])?\s?(?<![\w.])(?P<num>\d+(?:[.,]\d+)*|[A-Za-z]+)(?![\w])"
    r"(?:\s(?P<scale>million|billion|trillion|thousand|hundred))?"
    r"(?=\s(?P<unit>[A-Za-z]+))?"
)
# Where ``_FIGURE`` can find a figure at all: a digit, or a number word standing alone (a
# looser test than ``_FIGURE``'s: any text it passes over has no figure, and most claims
# have none, while ``_FIGURE`` matches every word as a candidate number word).
_MAY_COUNT = re.compile(
    r"\d|(?<![A-Za-z])(?:" + "|".join(NUMBER_WORDS) + r")(?![A-Za-z])", re.IGNORECASE
)
MONTHS = frozenset(
    _split("""january february march april may june july august september october
    november december jan feb mar apr jun jul aug sep sept oct nov dec""")
)
CURRENCY_WORDS = frozenset(_split("dollar dollars euro euros pound pounds yen"))


# First- and second-person words: they point at the speaker and the addressee, so two
# speakers' "I" or "you" are different people and their claims different claims.
PERSON_WORDS = frozenset(_split("i me my mine we us our ours you your yours"))


def _words(text: str) -> set[str]:
    """Lower-cased words of a text."""
    return set(re.findall(r"[^\W\d_]+", text.lower()))


def _numbers(text: str) -> frozenset[tuple[str, str]]:
    """The figures a claim states, each with its kind: ("year", "2005"), ("day", "june 24"),
    ("money $", "160 million"), ("people", "12").

    A bare number with no counted word ("at 9", "Room 2") has no kind and is never
    compared: only figures that count the same thing can conflict.
    """
    if not _MAY_COUNT.search(text):
        return frozenset()  # no digit and no number word: no match below could count
    out: set[tuple[str, str]] = set()
    for match in _FIGURE.finditer(text):
        token = match.group("num")
        value = NUMBER_WORDS.get(token.lower()) if token.isalpha() else token.replace(",", "")
        if value is None:
            continue
        before = text[max(0, match.start("num") - 12) : match.start("num")].lower().split()
        unit = (match.group("unit") or "").lower()
        scale = match.group("scale")
        if scale:
            value = f"{value} {scale}"
        if before and before[-1].strip(".,") in MONTHS:
            out.add(("day", f"{before[-1].strip('.,')} {value}"))
        elif len(value) == 4 and value.isdigit() and 1800 <= int(value) <= 2100 and not scale:
            out.add(("year", value))
        elif match.group("sign") or unit in CURRENCY_WORDS:
            out.add((f"money {match.group('sign') or unit}", value))
        elif unit and unit not in STOPWORDS and len(unit) > 2:
            out.add((f"count {_stem(unit)}", value))
    return frozenset(out)


def _number_conflict(a: _Member, b: _Member) -> bool:
    """Both claims count the same thing (people, dollars, a day of one month, a year) with
    no figure in common."""
    kinds = {k for k, _ in a.numbers} & {k for k, _ in b.numbers}
    for kind in kinds:
        x = {v for k, v in a.numbers if k == kind}
        y = {v for k, v in b.numbers if k == kind}
        if not x & y:
            return True
    return False


def _shared_core(
    a: _Member, b: _Member, weights: dict[str, float], config: CorroborateConfig
) -> bool:
    """The two claims' own wordings share a word that names no entity of the story (and
    is no background word, held by more than ``core_share`` of the story's claims)."""
    common = a.core & b.core
    if config.core_share >= 1.0:
        return bool(common)
    bar = weights.get(CORE_STEM, 0.0)
    return any(weights.get(w, 0.0) >= bar for w in common)


def _core_overlap(a: _Member, b: _Member, weights: dict[str, float]) -> float:
    """IDF-weighted Jaccard of the two claims' own wordings (words naming no entity)."""
    union = math.fsum([weights.get(w, 1.0) for w in a.core | b.core])
    common = math.fsum([weights.get(w, 1.0) for w in a.core & b.core])
    return common / union if union else 0.0


def _compatible_objects(a: _Member, b: _Member) -> bool:
    """Directives that ask for different things (no shared object word) are different claims."""
    return not (a.objects and b.objects) or bool(a.objects & b.objects)


def _outlet_voice(member: _Member) -> bool:
    """The claim is the outlet's own statement (no speaker but the outlet)."""
    return member.claim.cue is None


def _cluster(
    members: list[_Member], weights: dict[str, float], config: CorroborateConfig
) -> tuple[list[list[_Member]], dict[int, set[int]], dict[int, list[_Member]]]:
    """Complete-link groups, which groups tell one event with conflicting figures, and
    which claims of other groups back a group too.

    Two groups merge only when every claim of one is alike to every claim of the other:
    single or average links would chain a story's claims into one blob through shared
    background words (a story's claims all name its people and places). Returns the
    groups, per group index the groups whose claims it matches except for figures, and
    per group index the claims of other groups alike to each of its claims
    (``CorroborateConfig.also_evidence``).

    Copies of one claim (``_copies``) are grouped as one: a wire text reprinted by 1,000
    outlets is 1,000 copies of each of its claims, and pairs of copies would make the
    grouping's cost grow with the square of the story's articles.
    """
    similar = _SimilarityMemo(weights, config)
    units = _copies(members, similar, config)
    reps = [members[u[0]] for u in units]
    counts = [len(u) for u in units]
    articles = [frozenset(members[i].article for i in u) for u in units]
    scores: dict[tuple[int, int], float] = {}
    weak: dict[tuple[int, int], float] = {}  # links for extra evidence only
    # pairs alike only across articles: two claims of one article, unless a speaker
    # repeats, are two statements (no merge); copies in other articles may still back
    apart: set[tuple[int, int]] = set()
    clashes: list[tuple[int, int]] = []
    later = _pair_candidates(reps, config)
    kinds = [similar.kind(m) for m in reps]
    # contents that several units hold (copies that would not group, such as deictic
    # ones): only their pairs can be scored again, the others are scored once here
    repeated = {kind for kind, n in Counter(kinds).items() if n > 1}
    for i, a in enumerate(reps):
        for j in later(i):
            b = reps[j]
            if _vetoed(a, b, weights, config):
                continue
            if not articles[i].isdisjoint(articles[j]) and _one_article_veto(a, b, weights):
                if len(articles[i]) == 1 and articles[i] == articles[j]:
                    continue  # every copy of both is in one article
                apart.add((i, j))
            again = kinds[i] in repeated or kinds[j] in repeated
            score = similar.score(kinds[i], kinds[j], a, b, keep=again)
            floor = config.headline_floor if a.headline or b.headline else config.link_floor
            if score < config.same_claim * floor:
                if _rare_core_link(a, b, score, weights, config) and not _number_conflict(a, b):
                    weak[(i, j)] = config.same_claim
                continue
            if _number_conflict(a, b):
                clashes.append((i, j))  # "$160 million" and "$200 million": a conflict
                continue
            scores[(i, j)] = score
    groups: dict[int, list[int]] = {i: [i] for i in range(len(reps))}
    where = list(range(len(reps)))

    def merge_order(kv: tuple[tuple[int, int], float]) -> tuple[bool, float, tuple[int, int]]:
        (i, j), score = kv
        # body claims group first; a headline then joins the group it fits (a short
        # headline is contained in many sentences and would otherwise split their groups)
        late = config.headlines_last and (reps[i].headline or reps[j].headline)
        return (late, -score, (i, j))

    for (i, j), score in sorted(scores.items(), key=merge_order):
        if score < config.same_claim:
            continue
        gi, gj = where[i], where[j]
        if gi == gj:
            continue
        if not _all_linked(groups[gi], groups[gj], scores, apart):
            continue
        pairs = [(x, y) if x < y else (y, x) for x in groups[gi] for y in groups[gj]]
        # the average over the claims' pairs: a unit of n copies counts n times
        mean = sum(counts[x] * counts[y] * scores[(x, y)] for x, y in pairs) / sum(
            counts[x] * counts[y] for x, y in pairs
        )
        if mean < config.same_claim:
            continue
        for x in groups[gj]:
            where[x] = gi
        groups[gi].extend(groups.pop(gj))
    for i, j in sorted(weak):
        # two claims left alone that back each other are one group of two, not two groups
        # holding the same pair (a weak link never joins a group of two or more)
        gi, gj = where[i], where[j]
        alone = groups[gi] == [i] and groups[gj] == [j] and counts[i] == counts[j] == 1
        if gi != gj and alone and (i, j) not in apart:
            where[j] = gi
            groups[gi].extend(groups.pop(gj))
    keys = list(groups)
    index = {key: n for n, key in enumerate(keys)}
    conflicting: dict[int, set[int]] = {}
    for i, j in clashes:
        gi, gj = index[where[i]], index[where[j]]
        if gi != gj:
            conflicting.setdefault(gi, set()).add(gj)
            conflicting.setdefault(gj, set()).add(gi)
    also = (
        _also_evidence(
            reps, counts, articles, groups, where, (scores, weak, apart), weights, config
        )
        if config.also_evidence
        else {}
    )
    # two groups that back each other until they hold the same claims are one claim told
    # twice: the later one keeps only its own members
    seen: set[frozenset[int]] = set()
    for key in keys:
        full = frozenset(groups[key]) | also.get(key, set())
        if full in seen and key in also:
            del also[key]
        seen.add(full)

    def expand(unit_ids: Iterable[int], besides: frozenset[str] = frozenset()) -> list[_Member]:
        found = sorted(i for x in unit_ids for i in units[x] if members[i].article not in besides)
        return [members[i] for i in found]

    group_articles = {k: frozenset().union(*(articles[x] for x in groups[k])) for k in keys}
    return (
        [expand(groups[k]) for k in keys],
        conflicting,
        # a copy from one of the group's own articles is not evidence of it
        {index[k]: expand(v, group_articles[k]) for k, v in also.items()},
    )


def _all_linked(
    first: list[int],
    second: list[int],
    scores: dict[tuple[int, int], float],
    apart: set[tuple[int, int]],
) -> bool:
    """Every claim of one group is linked to every claim of the other (complete link).

    Stops at the first pair that is not: most merges tried fail, and listing every cross
    pair first made a 306-article story's grouping take minutes (650 million pairs built
    for 115,000 merges tried)."""
    for x in first:
        for y in second:
            pair = (x, y) if x < y else (y, x)
            if pair not in scores or pair in apart:
                return False
    return True


def _vetoed(a: _Member, b: _Member, weights: dict[str, float], config: CorroborateConfig) -> bool:
    """Two claims that never group, wherever they stand."""
    if not _compatible_objects(a, b):
        return True  # a call for ammunition and a call for engines are two claims
    if (a.deictic or b.deictic) and not a.speakers & b.speakers:
        return True  # "I pay taxes" and an ad's "you pay your taxes": other people
    # alike only through names and context: two statements
    return config.shared_core and not _shared_core(a, b, weights, config)


def _one_article_veto(a: _Member, b: _Member, weights: dict[str, float]) -> bool:
    """Two claims that are two statements when one article makes both (unless a speaker
    repeats himself)."""
    return (
        _outlet_voice(a)
        or _outlet_voice(b)
        or not (a.speakers & b.speakers or _same_view(a, b, weights))
    )


def _copies(
    members: list[_Member], similar: _SimilarityMemo, config: CorroborateConfig
) -> list[list[int]]:
    """The members as units of copies: members of one content (``_content``: reprints and
    syndicated copies of a claim) whose copies would group with each other are one unit;
    every other member is a unit of its own. Units in order of their first member.

    Copies of such a content all score the top score with each other, so complete link
    puts them in one group before anything else; grouping them as one unit, with its
    copies counted in every average, gives the groups that grouping each copy would,
    save for ties with other pairs at that score and for copies in one article (a unit
    keeps them together)."""
    if not config.group_copies:
        return [[i] for i in range(len(members))]
    units: list[list[int]] = []
    unit_of: dict[int, int] = {}
    for i, member in enumerate(members):
        kind = similar.kind(member)
        known = unit_of.get(kind)
        if known is not None:
            units[known].append(i)
            continue
        units.append([i])
        if _copies_group(member, similar, kind, config):
            unit_of[kind] = len(units) - 1
    return units


def _copies_group(
    member: _Member, similar: _SimilarityMemo, kind: int, config: CorroborateConfig
) -> bool:
    """Two copies of ``member`` in two articles would group (no veto, over the bar)."""
    if _vetoed(member, member, similar.weights, config):
        return False
    if _number_conflict(member, member):
        return False
    score = similar.score(kind, kind, member, member)
    floor = config.headline_floor if member.headline else config.link_floor
    return score >= config.same_claim * floor and score >= config.same_claim


class _SimilarityMemo:
    """``_similarity`` of two claims, computed once per pair of claim contents.

    A story's reprints and syndicated copies hold the same claims word for word, and so
    the same members but for where they stand (claim id, offsets, article, source), which
    a score does not depend on: scores are kept by the two members' contents
    (:func:`_content`), not computed again for every copy (a story of 100 copies of one
    text would score each pair of its claims 10,000 times).
    """

    def __init__(self, weights: dict[str, float], config: CorroborateConfig) -> None:
        self.weights, self.config = weights, config
        self.kinds: dict[tuple[object, ...], int] = {}
        self.kind_of: dict[int, int] = {}  # id(member) -> the number of its content
        self.held: list[_Member] = []  # keeps each id() above its member's while in use
        self.scores: dict[tuple[int, int], float] = {}
        self.sizes: list[float] = []  # per content: ``_weight`` of its stems

    def kind(self, member: _Member) -> int:
        """The number of the member's content (equal for copies of one claim)."""
        kind = self.kind_of.get(id(member))
        if kind is None:
            kind = self.kinds.setdefault(_content(member), len(self.kinds))
            if kind == len(self.sizes):
                self.sizes.append(_weight(member.stems, self.weights))
            self.kind_of[id(member)] = kind
            self.held.append(member)
        return kind

    def __call__(self, a: _Member, b: _Member) -> float:
        return self.score(self.kind(a), self.kind(b), a, b)

    def score(
        self, kind_a: int, kind_b: int, a: _Member, b: _Member, *, keep: bool = True
    ) -> float:
        """``_similarity(a, b)``, given the numbers of their contents (see :meth:`kind`).

        Without ``keep`` a score not known yet is computed and not kept: the caller knows
        the pair of contents comes once (a pair kept for every pair a story's grouping
        scores took the 1,555-article story of the 100k bench corpus to 4.4 GB)."""
        key = (kind_a, kind_b)
        score = self.scores.get(key)
        if score is None:
            sizes = (self.sizes[kind_a], self.sizes[kind_b])
            score = _similarity(a, b, self.weights, self.config, sizes)
            if keep:
                self.scores[key] = score
        return score


def _content(member: _Member) -> tuple[object, ...]:
    """The member without where it stands (its claim's id, offsets and the claim it denies,
    ids of one article; its article, order and source): wording, stems, speakers, entities,
    cue, stance, figures, so two members with one content score alike against any third.

    A tuple rather than a copy with those fields blanked (a copy costs as much as scoring a
    few pairs); ``tests/test_corroborate_pairs.py`` fails when either record gains a field
    this leaves out.
    """
    c = member.claim
    return (
        *(member.stems, member.entities, member.speakers, member.objects, member.numbers),
        *(member.deictic, member.headline, member.core, member.events),
        *(c.text, c.attributed_to, c.attributed_ids, c.cue, c.cue_class, c.hedges, c.stance),
        *(c.polarity, c.objects, c.span.part),
    )


def _pair_candidates(
    members: list[_Member], config: CorroborateConfig
) -> Callable[[int], Sequence[int]]:
    """For claim i, the claims j > i (ascending) that grouping has to score against it.

    With ``shared_core`` and ``core_share >= 1.0`` a pair is scored only when the two
    claims' own wordings share a stem, so the partners come from an index of those stems:
    exactly the pairs a loop over every pair would score, in its order, without visiting
    the others (a story of 100 reprints with 15 claims each has a million pairs, most of
    them sharing no core word). Any other configuration gets every j > i.
    """
    n = len(members)
    if not (config.shared_core and config.core_share >= 1.0):
        return lambda i: range(i + 1, n)
    holders: dict[str, list[int]] = {}
    for i, member in enumerate(members):
        for stem in member.core:
            holders.setdefault(stem, []).append(i)  # ascending i: each list stays sorted

    def later(i: int) -> Sequence[int]:
        found: set[int] = set()
        for stem in members[i].core:
            postings = holders[stem]
            found.update(postings[bisect.bisect_right(postings, i) :])
        return sorted(found)

    return later


def _also_evidence(
    members: list[_Member],
    counts: list[int],
    articles: list[frozenset[str]],
    groups: dict[int, list[int]],
    where: list[int],
    links: tuple[dict[tuple[int, int], float], dict[tuple[int, int], float], set[tuple[int, int]]],
    weights: dict[str, float],
    config: CorroborateConfig,
) -> dict[int, set[int]]:
    """Group key -> claims of other groups that are alike to every one of its claims.

    The same test as a merge (complete link, every pair >= ``same_claim`` and none vetoed),
    made after the groups are formed and without moving the claim: the groups stay as they
    are, and a report both match is evidence of both. Claims of the group's own articles
    are left out (one article is one origin). ``weak`` links (``_rare_core_link``) count
    here, never for merges.
    """
    scores, weak, apart = links
    linked: dict[int, dict[int, float]] = {}
    for (i, j), score in scores.items():
        if score >= config.same_claim and _also_fit(members[i], members[j], weights, config):
            linked.setdefault(i, {})[j] = score
            linked.setdefault(j, {})[i] = score
    for (i, j), score in weak.items():
        linked.setdefault(i, {})[j] = score
        linked.setdefault(j, {})[i] = score
    cands: dict[int, list[tuple[float, int]]] = {}
    for i, near in linked.items():
        if members[i].headline and not config.also_headlines:
            continue
        fits = []
        for key in {where[j] for j in near} - {where[i]}:
            group = groups[key]
            if articles[i] <= frozenset().union(*(articles[x] for x in group)):
                continue  # every copy is of one of the group's articles (one origin)
            if all(x in near for x in group):
                weight = sum(counts[x] for x in group)
                fits.append((-sum(counts[x] * near[x] for x in group) / weight, key))
        for score, key in fits:
            cands.setdefault(key, []).append((score, i))
    out: dict[int, set[int]] = {}
    for key, found in cands.items():
        added: list[int] = []
        # best fit first; each one added must be alike to those added before it, so the
        # group with its extra evidence still holds together by complete link
        for _, i in sorted(found):
            if not config.also_clique or all(
                x in linked[i] and (min(i, x), max(i, x)) not in apart for x in added
            ):
                added.append(i)
        out[key] = set(added)
    return out


# Words that place a report on one day: two claims sharing one and several rare words tell
# of one occasion (``CorroborateConfig.also_anchor_core``).
DAY_WORDS = frozenset(WEEKDAYS_EN) | frozenset(_split("yesterday today tonight overnight"))
_DAY_STEMS = frozenset(_stem(w) for w in DAY_WORDS)
# stems of the event words (as ``_stems`` makes them: "death" -> "die"), left out of the
# words two claims of one kind of event must share besides
_EVENT_STEMS = frozenset(_stem(FOLDED.get(w, w)) for w in EVENT_CLASS)


def _rare_core_link(
    a: _Member, b: _Member, score: float, weights: dict[str, float], config: CorroborateConfig
) -> bool:
    """A pair below the bar whose own wordings share enough rare words to back each
    other's group (``CorroborateConfig.also_shared_core``, or ``also_anchor_core`` when
    they also name one occasion), or that name one kind of event and share a rarer word
    or two besides (``also_event_core``); headlines excluded."""
    if a.headline or b.headline:
        return False
    by_words = config.also_shared_core > 0.0 and score >= config.also_shared_floor
    by_event = (
        config.also_event_core > 0.0
        and score >= config.also_event_floor
        and not a.events.isdisjoint(b.events)
    )
    if not (by_words or by_event):
        return False  # most pairs under the bar: no set built for them
    common = a.core & b.core
    if by_words:
        shared = math.fsum([weights.get(w, 1.0) for w in common])
        if shared >= config.also_shared_core:
            return True
        # fewer rare words suffice when the two claims name one occasion
        if shared >= config.also_anchor_core and _one_occasion(a, b, common):
            return True
    if not by_event:
        return False
    # the words besides the event's own (which the shared kind of event already counts)
    rest = math.fsum([weights.get(w, 1.0) for w in common - _EVENT_STEMS])
    if rest >= config.also_event_core:
        return True
    return rest >= config.also_event_anchor_core and _one_occasion(a, b, common)


def _one_occasion(a: _Member, b: _Member, common: frozenset[str]) -> bool:
    """The two claims share a linked entity, a day word or a figure."""
    return bool(a.entities & b.entities or common & _DAY_STEMS or a.numbers & b.numbers)


def _also_fit(a: _Member, b: _Member, weights: dict[str, float], config: CorroborateConfig) -> bool:
    """A link that may back a second group: the claims' own wordings overlap enough."""
    return _core_overlap(a, b, weights) >= config.also_core


def _group(
    members: list[_Member],
    denied_by: tuple[str, ...],
    *,
    denied: bool = False,
    also: Sequence[_Member] = (),
) -> ClaimGroup:
    """A ClaimGroup with status from its members and the denials against it.

    ``also`` are claims of other groups that back this one too: they count as its sources
    and evidence, while its id and wording stay its own members'.
    """
    members = sorted(members, key=lambda m: (m.order, m.claim.span.start))
    own = tuple(m.claim.id for m in members)
    # The most informative wording: the longest member from the first article.
    first = [m for m in members if m.order == members[0].order]
    text = max(first, key=lambda m: len(m.claim.text)).claim.text
    members = sorted([*members, *also], key=lambda m: (m.order, m.claim.span.start))
    claims = tuple(m.claim for m in members)
    sources = tuple(sorted({m.source for m in members}))
    independent = len({_norm_name(s) for s in sources})
    status: ClaimStatusName
    if denied:
        status = "denied"
    elif denied_by:
        status = "contested"
    elif independent >= 2:
        status = "corroborated"
    else:
        status = "single-source"
    return ClaimGroup(
        id=group_id("g", own),
        text=text,
        claims=claims,
        attributed_to=tuple(dict.fromkeys(n for c in claims for n in c.attributed_to)),
        hedges=tuple(dict.fromkeys(h for c in claims for h in c.hedges)),
        stance="view" if any(c.stance == "view" for c in claims) else "fact",
        status=status,
        independent_sources=independent,
        sources=sources,
        denied_by=denied_by,
        evidence=tuple(c.span for c in claims),
    )
