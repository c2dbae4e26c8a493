"""Every row of the event lexicon runs its own positive example and near miss."""

from __future__ import annotations

import re

import pytest

from storyline.stages.corpus.event_lexicon import EVENT_ROWS, EventRow, event_classes


def _row_words(row: EventRow, text: str) -> set[str]:
    """The words of ``text`` that are word forms of ``row``."""
    return set(re.findall(r"[^\W\d_]+", text.lower())) & set(row.words.split())


def test_rows_are_well_formed() -> None:
    """Keys are unique, a word belongs to one row, and each positive sentence names the
    event through its own word of the row (two different words: the synonym is tested)."""
    keys = [row.key for row in EVENT_ROWS]
    assert len(keys) == len(set(keys))
    words = [w for row in EVENT_ROWS for w in row.words.split()]
    assert len(words) == len(set(words))
    for row in EVENT_ROWS:
        first, second = (_row_words(row, text) for text in row.positive)
        assert first and second and first != second, row.key


@pytest.mark.parametrize("row", EVENT_ROWS, ids=lambda row: row.key)
def test_row_positive(row: EventRow) -> None:
    """Both sentences of the positive example name the row's kind of event."""
    assert all(row.key in event_classes(text) for text in row.positive)


@pytest.mark.parametrize("row", EVENT_ROWS, ids=lambda row: row.key)
def test_row_negative(row: EventRow) -> None:
    """The near miss does not."""
    assert row.key not in event_classes(row.negative)


def test_words_are_matched_whole() -> None:
    """Words are matched whole and in any case: "fireworks" is no fire, "Fire" is."""
    assert event_classes("The fireworks lit the sky") == frozenset()
    assert event_classes("Fire destroyed the barn") == frozenset({"fire"})
