"""The corpus stages' faster forms give what the plain forms gave (issue 9, stop 26).

Each rewrite of a hot loop is checked against the plain form it replaced, kept here
verbatim, on crafted and generated input: the build's outputs must not move.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.stages.corpus import similarity
from storyline.stages.corpus.similarity import _NEWS_STOP, _WORD, NAME_WEIGHT, STOP_WORDS, stem


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
