"""The story-clustering scores and the TF-IDF average-link baseline of `storyline eval stories`."""

from __future__ import annotations

import numpy as np
import pytest

from storyline.evaluation.stories import average_link_merges, bcubed, cut, pairwise, tfidf_matrix

GOLD = {"a": "x", "b": "x", "c": "y", "d": "y"}


def test_bcubed_perfect_and_lumped() -> None:
    assert bcubed(GOLD, GOLD)["f1"] == 1.0
    lumped = bcubed(dict.fromkeys(GOLD, "all"), GOLD)
    assert lumped["precision"] == 0.5 and lumped["recall"] == 1.0


def test_bcubed_missing_items_are_singletons() -> None:
    scores = bcubed({"a": "s1", "b": "s1"}, GOLD)
    assert scores["precision"] == 1.0 and scores["recall"] == pytest.approx(0.75)


def test_pairwise_counts_pairs() -> None:
    scores = pairwise({"a": "1", "b": "1", "c": "1", "d": "2"}, GOLD)
    # predicted pairs ab ac bc; gold pairs ab cd: one right
    assert scores["precision"] == pytest.approx(1 / 3, abs=1e-3) and scores["recall"] == 0.5


def test_average_link_cut_separates_two_topics() -> None:
    texts = [
        "earthquake hits Izmir buildings collapse",
        "Izmir earthquake rescuers search buildings",
        "Swiss parliament budget vote farm subsidies",
        "parliament approves Swiss budget subsidies",
    ]
    matrix = tfidf_matrix(texts)
    merges = average_link_merges(matrix @ matrix.T)
    links = [link for _, _, link in merges]
    assert links == sorted(links, reverse=True), "average linkage has no inversions"
    labels = cut(4, merges, 0.1)
    assert labels[0] == labels[1] and labels[2] == labels[3] and labels[0] != labels[2]
    assert len(set(cut(4, merges, 1.01))) == 4
    assert np.allclose(np.linalg.norm(matrix, axis=1), 1.0)
