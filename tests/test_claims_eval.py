"""The claim-alignment metrics of ``storyline eval claims`` on a hand-built gold (no model)."""

from __future__ import annotations

from storyline.evaluation.claims import Gold, GoldSentence, covered_sentences, score, word_map


def sentence(sid: str, article: str, chains: set[str], *, title: bool = False) -> GoldSentence:
    """A gold sentence of story "s" (train); offsets are unused by ``score``."""
    return GoldSentence(
        sid=sid,
        article=article,
        story="s",
        split="train",
        start=0 if title else 10,
        end=9 if title else 40,
        title=title,
        chains=frozenset(chains),
    )


GOLD = Gold(
    texts={},
    inputs={},
    story={"a": "s", "b": "s", "c": "s"},
    split={"s": "train"},
    sentences=[
        sentence("a/0", "a", {"fire"}, title=True),
        sentence("a/1", "a", {"fire"}),
        sentence("b/1", "b", {"fire"}),
        sentence("c/1", "c", {"arrest"}),
        sentence("c/2", "c", {"fire"}),
    ],
)


def test_one_pure_claim_per_chain() -> None:
    """A claim covering the fire in two articles recalls that chain and is pure."""
    covers = {"s": [{"a": frozenset({"a/1"}), "b": frozenset({"b/1"})}]}
    figures = score(GOLD, covers, "train", "body")
    assert figures["sentences"] == 4  # the title line is out of the body view
    assert figures["chains"] == 1  # "arrest" lies in one article only
    assert figures["chain_recall"] == 1.0
    assert figures["strict_precision"] == 1.0
    assert figures["coverage"] == 0.5
    # gold positive pairs: a/1-b/1, a/1-c/2, b/1-c/2; one predicted
    assert figures["pair_precision"] == 1.0
    assert round(figures["pair_recall"], 3) == 0.333


def test_everything_in_one_claim_is_not_pure() -> None:
    """One claim over the whole story recalls every chain but is not strictly precise."""
    covers = {
        "s": [
            {
                "a": frozenset({"a/1"}),
                "b": frozenset({"b/1"}),
                "c": frozenset({"c/1", "c/2"}),
            }
        ]
    }
    figures = score(GOLD, covers, "train", "body")
    assert figures["chain_recall"] == 1.0
    assert figures["strict_precision"] == 0.0
    assert figures["coverage"] == 1.0
    assert figures["pair_recall"] == 1.0
    assert figures["pair_precision"] == 0.6  # a/1-c/1 and b/1-c/1 share no chain


def test_single_article_claims_score_nothing() -> None:
    """Claims of one article each cover sentences but recall no chain."""
    covers = {"s": [{"a": frozenset({"a/1"})}, {"b": frozenset({"b/1"})}]}
    figures = score(GOLD, covers, "train", "body")
    assert figures["chain_recall"] == 0.0
    assert figures["claims_multi_article"] == 0
    assert figures["coverage"] == 0.5


def test_word_alignment_maps_clean_offsets_to_gold_sentences() -> None:
    """The cleaner drops the title line and splits paragraphs; words still align."""
    gold_text = "Fire in town\nA fire broke out at noon.\nPolice arrested a man."
    clean_text = "A fire broke out at noon.\n\nPolice arrested a man."
    words = word_map(clean_text, gold_text)
    second = GoldSentence(
        sid="x/2",
        article="x",
        story="s",
        split="train",
        start=gold_text.index("Police"),
        end=len(gold_text),
        title=False,
        chains=frozenset(),
    )
    first = GoldSentence(
        sid="x/1",
        article="x",
        story="s",
        split="train",
        start=gold_text.index("A fire"),
        end=gold_text.index("Police") - 1,
        title=False,
        chains=frozenset(),
    )
    start = clean_text.index("Police")
    assert covered_sentences(start, start + 6, words, [first, second]) == {"x/2"}
    assert covered_sentences(0, len(clean_text), words, [first, second]) == {"x/1", "x/2"}


def test_a_sentence_backing_two_claims_counts_in_both() -> None:
    """One report of two events (a claim's evidence in two groups) recalls both chains."""
    gold = Gold(
        texts={},
        inputs={},
        story={"a": "s", "b": "s", "c": "s"},
        split={"s": "train"},
        sentences=[
            sentence("a/1", "a", {"fire", "roof"}),
            sentence("b/1", "b", {"fire"}),
            sentence("c/1", "c", {"roof"}),
        ],
    )
    shared = {
        "s": [
            {"a": frozenset({"a/1"}), "b": frozenset({"b/1"})},
            {"a": frozenset({"a/1"}), "c": frozenset({"c/1"})},
        ]
    }
    figures = score(gold, shared, "train", "body")
    assert figures["chain_recall"] == 1.0
    assert figures["strict_precision"] == 1.0
    assert figures["claims_multi_article"] == 2
    # the same sentence in one group only: the roof chain is not recalled
    once = {"s": [{"a": frozenset({"a/1"}), "b": frozenset({"b/1"})}, {"c": frozenset({"c/1"})}]}
    assert score(gold, once, "train", "body")["chain_recall"] == 0.5
