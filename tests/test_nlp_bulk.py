"""The bulk forms of the model's attribute ruler and lemmatizer annotate every token as the
shipped components do (issue 9: the same parse for less CPU)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, ORTH, POS, SENT_START, TAG

from storyline.nlp import ModelLoader
from storyline.nlp.bulk import BulkAttributeRules

ATTRS = [ORTH, TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE, SENT_START]

# Words the ruler's word rules and the lemmatizer's exceptions act on: contractions,
# pronouns, "'s", auxiliaries, comparatives, irregular plurals, spaces of several kinds,
# quotation marks, numbers, a non-English line.
TEXTS = [
    "I don't think she's gonna say it, y'all. We can't, won't and shouldn't.\n\n"
    "The children's mice were better than the geese; the best oxen ran faster.",
    "“We are ready,” he said.  The ministry reportedly denied it.\n \n\tIt's 5 p.m. "
    "Mr. O'Neil's firm, which was founded in 1999, has grown 12.5% to $3 bn.",
    "Ким Чен Ын посетил заводы. 2023年8月 Kim Jong Un inspected the factories.",
    "",
    "   ",
    "Hello",
]


@pytest.fixture(scope="module")
def pipelines() -> tuple[object, object]:
    return ModelLoader(bulk=False).get(), ModelLoader().get()


def _seed_texts(seeds_dir: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.iterdir()) if p.is_file()]


@pytest.mark.slow
def test_bulk_components_annotate_as_the_shipped_ones(
    pipelines: tuple[object, object], seeds_dir: Path
) -> None:
    shipped, bulk = pipelines
    assert "attribute_ruler" in shipped.pipe_names  # type: ignore[attr-defined]
    assert "attribute_ruler" not in bulk.pipe_names  # type: ignore[attr-defined]
    texts = TEXTS + _seed_texts(seeds_dir)
    for a, b in zip(shipped.pipe(texts), bulk.pipe(texts), strict=True):  # type: ignore[attr-defined]
        assert np.array_equal(a.to_array(ATTRS), b.to_array(ATTRS)), a.text[:60]
        assert [(str(t.morph), t.lemma_, t.pos_) for t in a] == [
            (str(t.morph), t.lemma_, t.pos_) for t in b
        ]


@pytest.mark.slow
def test_bulk_rules_place_every_rule(pipelines: tuple[object, object]) -> None:
    """Each of the ruler's rules is a tag rule, a word rule, a one-token rule or in the
    Matcher; each way is used by the model's rules."""
    shipped, _ = pipelines
    ruler = shipped.get_pipe("attribute_ruler")  # type: ignore[attr-defined]
    rules = BulkAttributeRules(ruler)
    by_tag = {i for ids in rules.by_tag.values() for i in ids}
    by_word = {i for pairs in rules.by_word.values() for i, _ in pairs}
    unkeyed = {i for i, _ in rules.unkeyed}
    in_matcher = {i for i in range(len(ruler.attrs)) if str(i) in rules.matcher}
    assert by_tag and by_word and unkeyed and in_matcher
    assert by_tag | by_word | unkeyed | in_matcher == set(range(len(ruler.attrs)))


@pytest.mark.slow
def test_a_later_word_rule_wins_over_the_tag_rule_as_in_the_ruler(
    pipelines: tuple[object, object],
) -> None:
    """Order matters: a word rule (later than the tag map) overrides the tag rule's
    morphology for "I" (PRP): the bulk form must not leave the tag rule's value."""
    shipped, bulk = pipelines
    a, b = shipped("I said it."), bulk("I said it.")  # type: ignore[operator]
    assert str(a[0].morph) == str(b[0].morph)
    assert "Person=1" in str(b[0].morph)  # set by the word rule, not the PRP tag rule
