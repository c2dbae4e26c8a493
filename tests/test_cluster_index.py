"""Candidate stories from the term index give the assignments of the full scan (issue 9).

The index (``ClusterConfig.full_scan=False``, the default) scores only the stories that
share an indexed term with the article or whose embedding is close enough to count on
its own; these tests check that it never loses the story the full scan would pick, on
hand-made cases that reach each path and, where ../shared/eval is present, on the real
ECB+ articles and the SemEval same-story texts (batch and incremental).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from storyline.model import Article
from storyline.stages.corpus.cluster import ClusterConfig, _TermIndex, assign_stories
from storyline.stages.corpus.embed import DIMENSIONS
from storyline.stages.corpus.similarity import cosine, document_frequencies, weigh
from tests.util import make_article

EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"
FULL = ClusterConfig(full_scan=True)
INDEX = ClusterConfig()

QUAKE = "A magnitude 6.1 earthquake struck western Turkey near Izmir, damaging buildings."
QUAKE2 = "Rescuers searched collapsed buildings in Izmir after the earthquake in western Turkey."
BUDGET = "The Swiss parliament approved the federal budget after a debate about farm subsidies."
GERMAN = "Ein Erdbeben der Stärke 6,1 erschütterte die westtürkische Provinz, Gebäude stürzten ein."


def _vector(seed: int, near: np.ndarray | None = None, cosine: float = 0.0) -> np.ndarray:
    """A unit vector; with ``near``, one at exactly ``cosine`` to it."""
    rng = np.random.default_rng(seed)
    v = rng.standard_normal(DIMENSIONS).astype(np.float64)
    if near is not None:
        v -= (v @ near) * near
        v = cosine * near + np.sqrt(1 - cosine**2) * v / np.linalg.norm(v)
    return (v / np.linalg.norm(v)).astype(np.float32)


def _both(
    articles: Sequence[Article],
    vectors: dict[str, np.ndarray] | None,
    config: ClusterConfig = INDEX,
) -> tuple[dict[str, str], dict[str, str]]:
    full, _ = assign_stories(articles, {}, replace(config, full_scan=True), vectors)
    index, _ = assign_stories(articles, {}, replace(config, full_scan=False), vectors)
    return full, index


def test_cluster_index_joins_like_full_scan_on_shared_words() -> None:
    articles = [
        make_article(t, title=t[:30], input=f"{i}.txt")
        for i, t in enumerate([QUAKE, QUAKE2, BUDGET])
    ]
    full, index = _both(articles, None, replace(INDEX, embeddings=False))
    assert full == index
    assert index[articles[0].id] == index[articles[1].id] != index[articles[2].id]


def test_cluster_index_finds_a_story_through_the_embedding_alone() -> None:
    # a German report shares no indexed word with the English story: only its embedding
    # (at the cross-lingual bar) can bring it in, so the index must offer that story
    english = make_article(QUAKE, title="Earthquake in Turkey", published="2020-10-30")
    german = replace(
        make_article(
            GERMAN, title="Erdbeben in der Türkei", published="2020-10-30", input="de.txt"
        ),
        language="de",
    )
    base = _vector(1)
    vectors = {english.id: base, german.id: _vector(2, base, 0.5)}
    full, index = _both([english, german], vectors)
    assert full == index
    assert index[german.id] == index[english.id], "joined on the embedding alone"
    # and just under the bar it founds its own story either way
    vectors[german.id] = _vector(2, base, 0.3)
    full, index = _both([english, german], vectors)
    assert full == index and index[german.id] != index[english.id]


def test_cluster_index_skips_common_terms_but_not_rare_ones() -> None:
    # many stories share the common word "government"; one shares the rare name
    stories = {f"s{i}": {"government": 1.0, f"topic{i}": 3.0} for i in range(50)}
    stories["s_rare"] = {"zelenskyy": 2.0, "government": 1.0}
    rare = len(stories) - 1  # its row
    article = {"government": 1.0, "zelenskyy": 2.0, "visit": 1.0}
    df, n = document_frequencies([article, *stories.values()])
    index = _TermIndex()
    for row, centroid in enumerate(stories.values()):
        index.put(row, weigh(centroid, df, n))
    vector = weigh(article, df, n)
    dots, met, slack = index.partial(vector, INDEX, len(stories))
    assert met.nonzero()[0].tolist() == [rare], "stories met only through 'government' are skipped"
    assert slack == pytest.approx(vector["government"])
    # the slack bounds what the skipped term adds: partial + slack >= the true cosine
    true = cosine(vector, weigh(stories["s_rare"], df, n))
    assert dots[rare] < true <= dots[rare] + slack
    # with no room to skip, every story holding a term of the article has its exact cosine
    dots, met, slack = index.partial(vector, replace(INDEX, index_skip=0.0), len(stories))
    assert met.all() and slack == 0.0
    assert dots[rare] == pytest.approx(true)
    # a story re-indexed under a new profile leaves its old terms' postings
    index.put(rare, weigh({"budget": 1.0}, df, n))
    dots, met, _ = index.partial(vector, replace(INDEX, index_skip=0.0), len(stories))
    assert not met[rare] and dots[rare] == 0.0 and "zelenskyy" not in index.postings


def test_cluster_index_sums_as_a_loop_over_the_postings_does() -> None:
    """The array form adds each story's products in the article's term order: the same
    float64 bits as a plain loop over the postings (a story's score must not move)."""
    import random

    rng = random.Random(5)
    words = [f"w{i}" for i in range(60)]
    index, profiles = _TermIndex(), {}
    for row in range(40):
        profiles[row] = {w: rng.random() for w in rng.sample(words, 12)}
        index.put(row, profiles[row])
    for row in range(0, 40, 3):  # re-indexed stories: their cached arrays must be remade
        profiles[row] = {w: rng.random() for w in rng.sample(words, 9)}
        index.put(row, profiles[row])
    config = replace(INDEX, index_skip=0.0)
    for _ in range(20):
        vector = {w: rng.random() for w in rng.sample(words, 15)}
        dots, met, _ = index.partial(vector, config, 40)
        order = sorted(vector, key=lambda t: (-len(index.postings.get(t, ())), t))
        for row, profile in profiles.items():
            plain, hit = 0.0, False
            for term in order:
                if term in profile:
                    plain, hit = plain + vector[term] * profile[term], True
            assert dots[row] == plain and met[row] == hit


def test_cluster_index_skip_must_stay_below_the_threshold() -> None:
    with pytest.raises(ValueError):
        ClusterConfig(index_skip=1.0)
    # nothing skipped: only the lone cross-lingual bar joins a story met by no word
    assert ClusterConfig(index_skip=0.0).embedding_floor(0.0) == pytest.approx(0.3875)
    assert ClusterConfig(cross_lingual_alone=0.375).embedding_floor(0.0) == pytest.approx(0.375)
    # a skipped lexical share of 0.3 lets the combined score reach 0.25 from cosine 0.05
    assert ClusterConfig().embedding_floor(0.3) == pytest.approx(0.05)
    # a higher bar (the repair's, to move an article): both paths must reach it
    assert ClusterConfig(index_skip=0.0).embedding_floor(0.0, 0.5) == pytest.approx(0.775)
    assert ClusterConfig().embedding_floor(0.6, 0.5) == pytest.approx(0.1)


# --- the real sets (skipped where ../shared/eval is absent) ---------------------------------


def _ecb_articles() -> list[Article]:
    from storyline.evaluation.stories import _load, _storyline_articles

    data = EVAL / "stories" / "ecbplus-dev"
    meta, _ = _load(data)
    articles, _ = _storyline_articles(data, meta["alias"])
    return [articles[k] for k in sorted(articles)]


def _pair_articles(name: str) -> list[Article]:
    from storyline.evaluation.same_story import pair_articles

    path = EVAL / "same-story" / name
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return pair_articles(rows)


@pytest.mark.skipif(not EVAL.exists(), reason="needs ../shared/eval")
@pytest.mark.parametrize("source", ["ecbplus", "semeval-en-dev.jsonl", "semeval-xling-dev.jsonl"])
def test_cluster_index_equals_full_scan_on_real_sets(source: str) -> None:
    from storyline.stages.corpus.embed import embed_articles

    articles = _ecb_articles() if source == "ecbplus" else _pair_articles(source)
    vectors = embed_articles(articles)
    full, index = _both(articles, vectors)
    assert len(set(full.values())) > 10
    assert index == full
    # incremental: half now, half in a later ingest against the persisted states
    half = len(articles) // 2
    _, states = assign_stories(articles[:half], {}, FULL, vectors)
    later_full, _ = assign_stories(articles[half:], states, FULL, vectors)
    later_index, _ = assign_stories(articles[half:], states, INDEX, vectors)
    assert later_index == later_full
