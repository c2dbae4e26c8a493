"""Lexical story similarity: weighted term profiles and their cosine.

Same-story detection in news rests mostly on who and where (names) and on the
distinctive content words; function words and boilerplate carry nothing. Names
(capitalised tokens inside a sentence) are weighted up. A term's weight is its
rarity in general English (wordfreq's Zipf scale, shipped in the package) times its
inverse document frequency in the corpus being compared: the first keeps scores
comparable between a batch of two articles and one of thousands (where corpus idf
alone is noise), the second adapts to a topic-heavy collection (where "Trump" is in
every article).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS
from wordfreq import zipf_frequency

_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]", re.UNICODE)
# Reporting verbs and newsroom words appear in every story: they say nothing about which one.
_NEWS_STOP = frozenset(
    [
        "said",
        "says",
        "say",
        "told",
        "according",
        "reported",
        "report",
        "reports",
        "reporting",
        "news",
        "year",
        "years",
        "week",
        "month",
        "months",
        "day",
        "days",
        "time",
        "times",
        "people",
        "new",
        "also",
        "would",
        "could",
        "one",
        "two",
        "three",
        "first",
        "last",
        "percent",
        "mr",
        "ms",
        "mrs",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
)
_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied", "ed", "es", "s", "ly")
NAME_WEIGHT = 2.0
MIN_CORPUS = 10  # below this many documents, corpus idf says nothing: rarity alone weighs
MAX_ZIPF = 7.0  # "the" is 7.7 on the Zipf scale; a word unknown to wordfreq is 0
UNKNOWN_RARITY = 4.0  # unknown words are mostly names and stems: rare, but capped

Profile = dict[str, float]


def stem(word: str) -> str:
    """A light suffix-stripping stem: enough to meet "factories"/"factory", cheap to compute."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            base = word[: -len(suffix)]
            return base + "y" if suffix in ("ies", "ied") else base
    return word


def terms(text: str) -> dict[str, float]:
    """Weighted term counts of a text: content-word stems, with names counted double.

    A capitalised word counts as a name unless it opens the text or follows a sentence
    break (".", "!", "?" or a newline in the two characters before it)."""
    counts: dict[str, float] = {}
    first = True  # the text's first word opens a sentence
    known = _TERM_KEYS
    for match in _WORD.finditer(text):
        raw = match.group()
        key = known.get(raw, "")  # "": not seen yet (no word's term is empty)
        if key == "":
            key = _term_key(raw)
        if key is None:  # a stop word: no term, but it still ends a sentence's opening
            first = False
            continue
        # the sentence-break test only matters for a capitalised word (a name candidate)
        is_name = False
        if raw[0].isupper() and not first:
            start = match.start()
            preceding = text[max(0, start - 2) : start]
            is_name = not (
                "." in preceding or "!" in preceding or "?" in preceding or "\n" in preceding
            )
        counts[key] = counts.get(key, 0.0) + (NAME_WEIGHT if is_name else 1.0)
        first = False
    return counts


# Word -> its term (None: no term), for :func:`terms`: a corpus repeats its words, so each
# is folded and stemmed once. A plain dict of strings, not an ``lru_cache``: the collector
# never traverses it (it holds no container), where a cache's entries it walks at every
# full collection. Emptied when full, so a long-running process holds a bounded number.
_TERM_KEYS: dict[str, str | None] = {}
_TERM_KEYS_MAX = 1 << 18


def _term_key(raw: str) -> str | None:
    """The term a word counts under (its stem, possessive and case folded), or None for a
    stop word, a newsroom word or a single letter; remembered in ``_TERM_KEYS``."""
    lower = raw.lower().replace("’", "'")
    if lower.endswith("'s"):
        lower = lower[:-2]
    key = None
    if not (lower in STOP_WORDS or lower in _NEWS_STOP or len(lower) < 2):
        key = stem(lower)
    if len(_TERM_KEYS) >= _TERM_KEYS_MAX:
        _TERM_KEYS.clear()
    _TERM_KEYS[raw] = key
    return key


def document_frequencies(profiles: Iterable[Mapping[str, float]]) -> tuple[Counter[str], int]:
    """How many profiles contain each term, and how many profiles there are."""
    df: Counter[str] = Counter()
    n = 0
    for profile in profiles:
        n += 1
        df.update(profile.keys())
    return df, n


@lru_cache(maxsize=1 << 18)
def rarity(term: str) -> float:
    """How rare a term is in general English: 7 minus its Zipf frequency (at least 0.5)."""
    zipf = zipf_frequency(term, "en")
    return UNKNOWN_RARITY if zipf <= 0 else max(0.5, MAX_ZIPF - zipf)


def weigh(counts: Mapping[str, float], df: Mapping[str, int], n_docs: int) -> Profile:
    """Sublinear tf x rarity x smoothed corpus idf (for a large enough corpus), L2-normalised."""
    return TermWeights(df, n_docs).profile(counts)


class TermWeights:
    """:func:`weigh` for one corpus (its document frequencies and size), many profiles.

    A term's rarity and idf are worked out once and kept: clustering weighs a story's
    profile each time the story changes, over the same few thousand terms. The product
    is taken in :func:`weigh`'s order, so a profile is the same to the last bit.
    """

    def __init__(self, df: Mapping[str, int], n_docs: int) -> None:
        self._factors = _Factors(df, n_docs)

    def profile(self, counts: Mapping[str, float]) -> Profile:
        """The weighted, L2-normalised profile of term counts."""
        log, factors = math.log, self._factors
        vector = {
            term: (1.0 + log(tf)) * f[0] * f[1]
            for term, tf in counts.items()
            if tf > 0
            for f in (factors[term],)
        }
        norm = math.sqrt(sum([v * v for v in vector.values()])) or 1.0
        return {term: v / norm for term, v in vector.items()}


class _Factors(dict[str, tuple[float, float]]):
    """Term -> (rarity, idf) in one corpus, each worked out on its first look-up."""

    def __init__(self, df: Mapping[str, int], n_docs: int) -> None:
        super().__init__()
        self.df, self.n_docs = df, n_docs

    def __missing__(self, term: str) -> tuple[float, float]:
        idf = 1.0  # below MIN_CORPUS documents corpus idf says nothing
        if self.n_docs >= MIN_CORPUS:
            idf = math.log((1 + self.n_docs) / (1 + self.df.get(term, 0))) + 1.0
        factor = self[term] = (rarity(term), idf)
        return factor


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine of two (already normalised) profiles."""
    # the shared terms found by a set intersection (in C), summed in sorted order so the
    # float sum is the same in every process (set order follows the string hash seed)
    return sum([a[t] * b[t] for t in sorted(a.keys() & b.keys())])


def text_similarity(text1: str, text2: str, corpus: Iterable[str] = ()) -> float:
    """Similarity of two texts in 0..1, with idf from ``corpus`` (plus the two texts)."""
    c1, c2 = terms(text1), terms(text2)
    background = [terms(t) for t in corpus]
    df, n = document_frequencies([c1, c2, *background])
    return cosine(weigh(c1, df, n), weigh(c2, df, n))
