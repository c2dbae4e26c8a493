"""Story similarity, same-story pairs, syndication groups and clustering (no model needed)."""

from __future__ import annotations

import itertools

import pytest

from storyline.stages.corpus.cluster import assign_stories
from storyline.stages.corpus.dedup import syndication_groups
from storyline.stages.corpus.pairs import score_pairs
from storyline.stages.corpus.similarity import stem, terms, text_similarity
from tests.util import make_article

QUAKE = "A magnitude 6.1 earthquake struck western Turkey near Izmir on Monday, damaging buildings, officials said."
QUAKE2 = "Rescuers searched collapsed buildings in Izmir after Monday's earthquake in western Turkey, the governor said."
BUDGET = "The Swiss parliament approved the federal budget for next year after a long debate about farm subsidies."


@pytest.mark.parametrize(
    ("word", "expected"), [("factories", "factory"), ("inspections", "inspection"), ("Kim", "Kim")]
)
def test_similarity_stem(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_similarity_names_weigh_more_than_words() -> None:
    counts = terms("Officials in Izmir said the buildings in Izmir fell.")
    assert counts["izmir"] > counts[stem("buildings")]


def test_similarity_same_story_scores_above_unrelated() -> None:
    assert text_similarity(QUAKE, QUAKE2) > text_similarity(QUAKE, BUDGET)
    assert text_similarity(QUAKE, QUAKE) == pytest.approx(1.0)


def test_pairs_contract() -> None:
    out = score_pairs(
        [
            {"id": "p1", "text1": QUAKE, "text2": QUAKE2},
            {"id": "p2", "text1": QUAKE, "text2": BUDGET},
        ]
    )
    assert [r["id"] for r in out] == ["p1", "p2"]
    assert all(0.0 <= r["score"] <= 1.0 for r in out)
    assert out[0]["same_story"] and not out[1]["same_story"]


def test_dedup_groups_copies_not_different_stories() -> None:
    a = make_article(QUAKE + " " + QUAKE2, outlet="Wire copy A")
    b = make_article(
        "Breaking: " + QUAKE + " " + QUAKE2 + " Subscribe to our newsletter.", outlet="B"
    )
    c = make_article(BUDGET, outlet="C")
    groups = syndication_groups([a, b, c])
    assert tuple(sorted((a.id, b.id))) in groups
    assert (c.id,) in groups


def test_cluster_is_incremental_and_order_independent() -> None:
    arts = [
        make_article(QUAKE, title="Earthquake hits Izmir", published="2023-08-06"),
        make_article(QUAKE2, title="Izmir earthquake rescue", published="2023-08-07"),
        make_article(BUDGET, title="Swiss budget approved", published="2023-08-07"),
    ]
    results = set()
    for order in itertools.permutations(arts):
        assignments, _ = assign_stories(order, {})
        groups = {}
        for article_id, key in assignments.items():
            groups.setdefault(key, set()).add(article_id)
        results.add(frozenset(frozenset(g) for g in groups.values()))
    assert len(results) == 1
    (grouping,) = results
    assert frozenset({arts[0].id, arts[1].id}) in grouping
    # incremental: a later article joins the existing story through the persisted state
    first, states = assign_stories(arts[:1], {})
    later, _ = assign_stories(arts[1:2], states)
    assert later[arts[1].id] == first[arts[0].id]


def test_cluster_keeps_stories_far_apart_in_time_separate() -> None:
    old = make_article(QUAKE, title="Earthquake hits Izmir", published="2020-01-06")
    new = make_article(
        QUAKE, title="Earthquake hits Izmir", published="2023-08-06", input="other.txt"
    )
    new = new.__class__(**{**{f: getattr(new, f) for f in new.__slots__}, "id": "other"})  # type: ignore[attr-defined]
    assignments, _ = assign_stories([old, new], {})
    assert assignments[old.id] != assignments[new.id]
