"""Stages that read the doc's arrays instead of a Token per token find what the Token
loops found (issue 9: the same output for less CPU)."""

from __future__ import annotations

import random
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.stages.entities import _dedupe, _overlaps
from storyline.text.gazetteer import fold, is_latin

TEXTS = [
    "WASHINGTON (Reuters) - The agency said on Monday that talks had stalled.\n\n"
    "According to state news agency KCNA, North Korean leader Kim Jong Un seems to want "
    "a deal. “We are ready,” he said.  The ministry reportedly denied it.\n",
    "It is clear that the plan, which the Defense Ministry announced, will fail.\n \n"
    "Officials are worried that ''the talks'' will go on. Photos showed the damage.",
    "",
    "\n",
    "One line\nanother line\n\n\nthird",
]


def _old_paragraph_starts(doc: object) -> list[bool]:
    """The Token loop the array version replaced."""
    for token in doc[:-1]:  # type: ignore[index]
        if "\n" in token.whitespace_ or (token.is_space and "\n" in token.text):
            doc[token.i + 1].is_sent_start = True  # type: ignore[index]
    return [bool(t.is_sent_start) for t in doc]  # type: ignore[attr-defined]


@pytest.mark.slow
def test_paragraph_boundaries_as_the_token_loop() -> None:
    """Sentence starts after line breaks are those the Token loop set."""
    from storyline.nlp import english, paragraph_boundaries

    nlp = english()
    for text in TEXTS:
        new = paragraph_boundaries(nlp.make_doc(text))
        assert [bool(t.is_sent_start) for t in new] == _old_paragraph_starts(nlp.make_doc(text))
    assert sum(bool(t.is_sent_start) for t in paragraph_boundaries(nlp.make_doc(TEXTS[4]))) >= 2


@pytest.mark.slow
def test_cue_candidates_cover_every_token_the_finder_acts_on() -> None:
    """Every token the reported-speech loop could act on is a candidate, and no other."""
    from storyline.nlp import english
    from storyline.stages.attribution import quotes as q

    nlp = english()
    for text in TEXTS:
        doc = nlp(text)
        expected = [
            t.i
            for t in doc
            if t.lower_ in q._CUE_LOWERS
            or t.lemma_ in q._CUE_LEMMAS
            or t.lemma_.lower() in q._CUE_LOWER_LEMMAS
        ]
        assert q._cue_candidates(doc) == expected
        starts, ends = q._offsets(doc)
        assert starts == [t.idx for t in doc]
        assert ends == [t.idx + len(t.text) for t in doc]
    doc = nlp(TEXTS[0])
    assert {doc[i].lower_ for i in q._cue_candidates(doc)} >= {"according", "said", "reportedly"}


@pytest.mark.slow
def test_with_lower_finds_the_words() -> None:
    """Tokens by lower-cased form, as a Token loop finds them."""
    from storyline.nlp import english
    from storyline.stages.entities import _with_lower

    doc = english()(TEXTS[0])
    words = frozenset({"agency", "leader", "the"})
    assert _with_lower(doc, words) == [t.i for t in doc if t.lower_ in words]
    assert len(_with_lower(doc, words)) >= 4


def _old_dedupe(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for span in sorted(set(spans), key=lambda m: (-(m[1] - m[0]), m[0], m[2])):
        if not _overlaps(span, out):
            out.append(span)
    return sorted(out)


@given(
    st.lists(
        st.tuples(st.integers(0, 60), st.integers(0, 12), st.sampled_from(["PERSON", "ORG"])),
        max_size=40,
    )
)
def test_dedupe_by_bisection_as_the_scan(raw: list[tuple[int, int, str]]) -> None:
    """Non-overlapping spans, longest first: the same as testing every kept span."""
    spans = [(s, s + n, label) for s, n, label in raw]
    assert _dedupe(spans) == _old_dedupe(spans)


def _old_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


@given(st.text(max_size=30))
def test_fold_and_is_latin_as_before(text: str) -> None:
    """The ASCII fast paths give what the Unicode paths give."""
    assert fold(text) == _old_fold(text)
    assert is_latin(text) == all(
        not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in text
    )


def test_fold_ascii_examples() -> None:
    """ASCII and accented forms fold alike."""
    rng = random.Random(0)
    mixed = "".join(rng.choice("aB c\t") for _ in range(40))
    assert fold("  North   KOREA ") == "north korea"
    assert fold("Côte d’Ivoire") == "cote d'ivoire"
    assert is_latin("Kim Jong Un") and not is_latin("Кім")
    assert fold(mixed) == _old_fold(mixed) != mixed
