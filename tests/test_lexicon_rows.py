"""Every row of the quotation rule tables runs its own positive and negative example."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from storyline.annotate import article_from_text
from storyline.stages.attribution.lexicon import (
    ATTITUDE_ROWS,
    CLAUSE_ROWS,
    OBJECT_PREP_ROWS,
    OBJECT_REPORT_ROWS,
    TAIL_ROWS,
    Row,
)
from storyline.stages.attribution.quotes import find_quotes
from storyline.stages.entities import find_mentions

if TYPE_CHECKING:
    from spacy.language import Language

pytestmark = pytest.mark.slow

TABLES = (OBJECT_PREP_ROWS, OBJECT_REPORT_ROWS, CLAUSE_ROWS, ATTITUDE_ROWS, TAIL_ROWS)
ROWS = tuple(row for table in TABLES for row in table)


@pytest.fixture(scope="module")
def nlp() -> Language:
    """The shared English pipeline."""
    from storyline.nlp import english

    return english()


def contents(nlp: Language, text: str) -> list[str]:
    """The content texts the quotation finder gives for ``text``."""
    article = article_from_text(text, None, "t")
    doc = nlp(text)
    return [q.text for q in find_quotes(article, doc, find_mentions(article, doc))]


def test_rows_are_well_formed() -> None:
    """Each row's examples contain what they claim to test, and keys are unique per table."""
    for table in TABLES:
        keys = [row.key for row in table]
        assert len(keys) == len(set(keys))
    for row in ROWS:
        assert row.found in row.positive
        assert row.not_found in row.negative


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.key)
def test_row_positive(nlp: Language, row: Row) -> None:
    """The rule gives the row's content on its positive example."""
    assert row.found in contents(nlp, row.positive)


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.key)
def test_row_negative(nlp: Language, row: Row) -> None:
    """The near miss does not give the content the rule would give."""
    assert row.not_found not in contents(nlp, row.negative)
