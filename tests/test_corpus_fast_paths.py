"""The corpus stages' faster forms give what the plain forms gave (issue 9, stop 26).

Each rewrite of a hot loop is checked against the plain form it replaced, kept here
verbatim, on crafted and generated input: the build's outputs must not move.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.model import AnnotatedArticle, Article, Mention, Span
from storyline.stages.corpus import corroborate, dedup, link, similarity
from storyline.stages.corpus.cluster import article_terms
from storyline.stages.corpus.dossier import central_article
from storyline.stages.corpus.event_lexicon import FOLDED
from storyline.stages.corpus.similarity import (
    _NEWS_STOP,
    _WORD,
    NAME_WEIGHT,
    STOP_WORDS,
    document_frequencies,
    stem,
    weigh,
)
from tests.util import make_article


def _plain_terms(text: str) -> dict[str, float]:
    """``similarity.terms`` before stop 26 (every word folded and stemmed, every break tested)."""
    counts: dict[str, float] = {}
    sentence_start = True
    for match in _WORD.finditer(text):
        raw = match.group(0)
        lower = raw.lower().replace("’", "'")
        if lower.endswith("'s"):
            lower = lower[:-2]
        preceding = text[max(0, match.start() - 2) : match.start()]
        if any(ch in preceding for ch in ".!?\n"):
            sentence_start = True
        if lower in STOP_WORDS or lower in _NEWS_STOP or len(lower) < 2:
            sentence_start = False
            continue
        is_name = raw[0].isupper() and not sentence_start
        key = stem(lower)
        counts[key] = counts.get(key, 0.0) + (NAME_WEIGHT if is_name else 1.0)
        sentence_start = False
    return counts


# words that exercise every branch: stop words (capitalised too), newsroom words,
# possessives with both apostrophes, single letters, stems, names, breaks
_WORDS = [
    "The",
    "the",
    "Said",
    "said",
    "Monday",
    "Kim",
    "Kim's",
    "Kim’s",
    "it's",
    "A",
    "a",
    "I",
    "factories",
    "Factories",
    "inspections",
    "Izmir",
    "earthquake",
    "U.S.",
    "co-operation",
    "Trump’s",
    "x",
    "Zürich",
    "ÉCOLE",
    "naïve",
    "42",
    "3rd",
    "Nations",
    "United",
]
_GLUE = [" ", "  ", ". ", "! ", "? ", "\n", ", ", ".\n", "-", "’", "'", "", "(", ") ", ".", "?"]


@given(st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_GLUE)), max_size=40))
@settings(max_examples=400, deadline=None)
def test_terms_equals_plain_form_on_generated_text(parts: list[tuple[str, str]]) -> None:
    text = "".join(word + glue for word, glue in parts)
    assert similarity.terms(text) == _plain_terms(text)


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_terms_equals_plain_form_on_any_text(text: str) -> None:
    assert similarity.terms(text) == _plain_terms(text)


def test_terms_names_and_sentence_openings() -> None:
    text = "Kim met Izmir officials.\nThe Factories in Izmir? Izmir said Kim’s plan. A Kim"
    got = similarity.terms(text)
    assert got == _plain_terms(text)
    # "Kim" opens the text (1), then a name twice ("Kim’s" mid-sentence, "Kim" after "A")
    assert got["kim"] == 1.0 + 2 * NAME_WEIGHT


def _plain_syndication_groups(
    articles: Sequence[Article], threshold: float = dedup.MIN_OVERLAP
) -> tuple[tuple[str, ...], ...]:
    """``dedup.syndication_groups`` before stop 26 (every article shingled up front)."""
    sets = {a.id: dedup.shingles(a.text) for a in articles}
    parent = {a.id: a.id for a in articles}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    ids = sorted(sets)
    for i, first in enumerate(ids):
        for second in ids[i + 1 :]:
            if find(first) == find(second):
                continue
            if dedup.overlap(sets[first], sets[second]) >= threshold:
                parent[find(second)] = find(first)
    groups: dict[str, list[str]] = {}
    for article_id in ids:
        groups.setdefault(find(article_id), []).append(article_id)
    return tuple(sorted(tuple(sorted(g)) for g in groups.values()))


_SENTENCES = [
    "A magnitude 6.1 earthquake struck western Turkey near Izmir on Monday.",
    "Rescuers searched collapsed buildings in Izmir after the quake.",
    "The Swiss parliament approved the federal budget for next year.",
    "Officials said the death toll had risen to twelve people overnight.",
    "Farm subsidies were the subject of a long debate.",
    "Short.",
]


@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(_SENTENCES), min_size=0, max_size=5),
            st.sampled_from([None, "Quake in Izmir", "Budget passed"]),
        ),
        max_size=6,
    )
)
@settings(max_examples=200, deadline=None)
def test_syndication_and_central_article_equal_plain_forms(
    specs: list[tuple[list[str], str | None]],
) -> None:
    # articles with shared, partly shared and no sentences; an id given twice (the same
    # text under two titles) included
    articles = [make_article(" ".join(s) or "Empty.", title=t) for s, t in specs]
    assert dedup.syndication_groups(articles) == _plain_syndication_groups(articles)
    if articles:
        assert central_article(articles) == _plain_central_article(articles)


def _plain_central_article(articles: Sequence[Article]) -> Article:
    """``dossier.central_article`` before stop 26 (profiles made for a story of one too)."""
    counts = {a.id: article_terms(a) for a in articles}
    df, n = document_frequencies(counts.values())
    vectors = {k: weigh(v, df, n) for k, v in counts.items()}

    def centrality(article: Article) -> tuple[float, str]:
        score = sum(
            similarity.cosine(vectors[article.id], vectors[o.id])
            for o in articles
            if o.id != article.id
        )
        return (-score - (0.01 if article.title else 0.0), article.id)

    return min(articles, key=centrality)


def test_central_article_of_one_article_story_is_it() -> None:
    only = make_article("Rescuers searched collapsed buildings in Izmir.", title=None)
    assert central_article([only]) is only


def _plain_stems(text: str) -> frozenset[str]:
    """``corroborate._stems`` before stop 26 (every word folded and stemmed in place)."""
    words = [FOLDED.get(w, w) for w in re.findall(r"[^\W\d_]+", text.lower())]
    return frozenset(
        corroborate._stem(w) for w in words if w not in corroborate.STOPWORDS and len(w) > 2
    )


_CLAIM_WORDS = [
    *_WORDS,
    "died",
    "death",
    "dead",
    "quake",
    "tremor",
    "modernisation",
    "defence",
    "colour",
    "shootings",
    "killed",
    "an",
    "of",
    "$160",
    "million",
    "June",
    "24",
    "Tuesday",
    "fire",
]


@given(st.lists(st.tuples(st.sampled_from(_CLAIM_WORDS), st.sampled_from(_GLUE)), max_size=30))
@settings(max_examples=400, deadline=None)
def test_claim_stems_and_figures_equal_plain_forms(parts: list[tuple[str, str]]) -> None:
    text = "".join(word + glue for word, glue in parts)
    assert corroborate._stems(text) == _plain_stems(text)
    # the words now remembered: a second call gives the same set
    assert corroborate._stems(text) == _plain_stems(text)
    assert corroborate._numbers(text) == _plain_numbers(text)


@given(st.text(max_size=120))
@settings(max_examples=300, deadline=None)
def test_claim_stems_equal_plain_form_on_any_text(text: str) -> None:
    assert corroborate._stems(text) == _plain_stems(text)


def _plain_label(self: link._Group) -> str:
    """``link._Group.label`` before stop 26 (the named mentions counted at each call)."""
    if self.country is not None:
        return "GPE"
    counts = Counter(m.label for _, m in self.mentions if not m.role)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if counts else "ORG"


_NAMES = [
    "Kim",
    "Kim Jong Un",
    "Chang",
    "Cheong Seong Chang",
    "KCNA",
    "Korean Central News Agency",
    "Moscow",
    "Russia",
    "Sejong Institute",
    "the agency",
    "leader",
    "Shoigu",
    "Sergei Shoigu",
]
_LABELS = ["PERSON", "ORG", "GPE", "NORP", "LOC"]


@given(
    st.lists(
        st.lists(
            st.tuples(st.sampled_from(_NAMES), st.sampled_from(_LABELS), st.booleans()),
            max_size=12,
        ),
        min_size=1,
        max_size=4,
    )
)
@settings(max_examples=150, deadline=None)
def test_linking_with_counted_labels_equals_recounting(
    articles: list[list[tuple[str, str, bool]]],
) -> None:
    # each name may carry several labels across the story (spaCy disagrees with itself),
    # so the majority label decides how names are placed: the counted and recounted
    # labels must give the same entities, mentions, quotes and claims
    docs = []
    for n, specs in enumerate(articles):
        text = ", ".join(name for name, _, _ in specs) + f" said on day {n}."
        art = make_article(text)
        mentions, pos = [], 0
        for name, label, role in specs:
            start = text.index(name, pos)
            mentions.append(
                Mention(
                    span=Span(art.id, start, start + len(name)), text=name, label=label, role=role
                )
            )
            pos = start + len(name)
        docs.append(AnnotatedArticle(article=art, mentions=tuple(mentions)))
    fast = link.link_entities(docs)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(link._Group, "label", _plain_label)
        plain = link.link_entities(docs)
    assert fast == plain


_FIGURE_WORDS = [
    "twelve", "Twelve", "TWENTY", "one", "someone", "money", "$", "€", "160", "1,200", "2.5",
    "million", "people", "June", "24", "2005", "dollars", "at", "9", "Room", "٣", "x1", "one-day",
    "K", "Ⅻ", "½", "²",
]  # fmt: skip


@given(st.lists(st.tuples(st.sampled_from(_FIGURE_WORDS), st.sampled_from(_GLUE)), max_size=20))
@settings(max_examples=500, deadline=None)
def test_figures_equal_plain_form(parts: list[tuple[str, str]]) -> None:
    # the pre-test must never skip a text the figure pattern finds a figure in
    text = "".join(word + glue for word, glue in parts)
    assert corroborate._numbers(text) == _plain_numbers(text)


@given(st.text(max_size=80))
@settings(max_examples=300, deadline=None)
def test_figures_equal_plain_form_on_any_text(text: str) -> None:
    assert corroborate._numbers(text) == _plain_numbers(text)


def _plain_numbers(text: str) -> frozenset[tuple[str, str]]:
    """``corroborate._numbers`` before stop 26: every match of the figure pattern read."""
    out: set[tuple[str, str]] = set()
    for match in corroborate._FIGURE.finditer(text):
        token = match.group("num")
        if token.isalpha():
            value = corroborate.NUMBER_WORDS.get(token.lower())
        else:
            value = token.replace(",", "")
        if value is None:
            continue
        before = text[max(0, match.start("num") - 12) : match.start("num")].lower().split()
        unit = (match.group("unit") or "").lower()
        scale = match.group("scale")
        if scale:
            value = f"{value} {scale}"
        if before and before[-1].strip(".,") in corroborate.MONTHS:
            out.add(("day", f"{before[-1].strip('.,')} {value}"))
        elif len(value) == 4 and value.isdigit() and 1800 <= int(value) <= 2100 and not scale:
            out.add(("year", value))
        elif match.group("sign") or unit in corroborate.CURRENCY_WORDS:
            out.add((f"money {match.group('sign') or unit}", value))
        elif unit and unit not in corroborate.STOPWORDS and len(unit) > 2:
            out.add((f"count {corroborate._stem(unit)}", value))
    return frozenset(out)


def _plain_weigh(counts: dict[str, float], df: dict[str, int], n_docs: int) -> dict[str, float]:
    """``similarity.weigh`` before stop 26 (the idf a nested function)."""

    def idf(term: str) -> float:
        if n_docs < similarity.MIN_CORPUS:
            return 1.0
        return math.log((1 + n_docs) / (1 + df.get(term, 0))) + 1.0

    vector = {
        term: (1.0 + math.log(tf)) * similarity.rarity(term) * idf(term)
        for term, tf in counts.items()
        if tf > 0
    }
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {term: v / norm for term, v in vector.items()}


_TERMS = ["izmir", "quake", "budget", "factory", "kim", "zzqx", "the", "vote", "port", "grain"]


@given(
    st.dictionaries(st.sampled_from(_TERMS), st.floats(0.0, 50.0), max_size=10),
    st.dictionaries(st.sampled_from(_TERMS), st.integers(0, 40), max_size=10),
    st.integers(0, 60),
    st.dictionaries(st.sampled_from(_TERMS), st.floats(0.0, 50.0), max_size=10),
)
@settings(max_examples=400, deadline=None)
def test_weigh_and_cosine_equal_plain_forms(
    counts: dict[str, float], df: dict[str, int], n_docs: int, other: dict[str, float]
) -> None:
    # bit for bit: a story's score against a bar must not move by a rounding
    a, b = similarity.weigh(counts, df, n_docs), similarity.weigh(other, df, n_docs)
    assert a == _plain_weigh(counts, df, n_docs)
    plain_cosine = sum(a[t] * b[t] for t in sorted(a.keys() & b.keys()))
    assert similarity.cosine(a, b) == plain_cosine


def test_word_caches_are_bounded_and_give_the_same_terms(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Officials in Izmir said the buildings in Izmir fell. Rescuers searched Izmir."
    # full caches, as earlier tests leave them: a bound must hold from there too
    monkeypatch.setattr(similarity, "_TERM_KEYS", dict.fromkeys(map(str, range(5))))
    monkeypatch.setattr(corroborate, "_WORD_STEMS", dict.fromkeys(map(str, range(5))))
    monkeypatch.setattr(similarity, "_TERM_KEYS_MAX", 3)
    monkeypatch.setattr(corroborate, "_WORD_STEMS_MAX", 3)
    assert similarity.terms(text) == _plain_terms(text)
    assert corroborate._stems(text) == _plain_stems(text)
    assert len(similarity._TERM_KEYS) <= 3
    assert len(corroborate._WORD_STEMS) <= 3
