"""Recipes, shop pages and software docs are flagged non-news and kept out of clustering."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline import api
from storyline.io.store.sqlite import SQLiteStore
from storyline.stages.clean.newsness import NEWSNESS_RULES, is_news, page_kind
from tests.util import make_article


@pytest.mark.parametrize("rule", NEWSNESS_RULES, ids=lambda r: r.kind)
def test_newsness_rule_examples(rule: object) -> None:
    from storyline.stages.clean.newsness import NonNewsRule

    assert isinstance(rule, NonNewsRule)
    assert page_kind(make_article(*rule.positive.split("\n\n"))) == rule.kind
    assert page_kind(make_article(*rule.negative.split("\n\n"))) is None


def test_newsness_report_is_news() -> None:
    report = make_article(
        "KYIV (Reuters) - Russian drones struck a grain terminal in Odesa overnight, "
        "destroying about 40,000 tonnes of grain, the governor said on Saturday.",
        "Wheat prices rose 3% in Chicago after the attack.",
    )
    assert is_news(report)


def test_newsness_recipe_page_is_not_news() -> None:
    recipe = make_article(
        "Easy banana bread",
        "Prep time: 15 minutes. Serves 8.",
        "Ingredients",
        "3 ripe bananas",
        "2 cups flour",
        "1 teaspoon baking soda",
        "Preheat the oven to 175C and bake for 60 minutes.",
    )
    assert not is_news(recipe) and page_kind(recipe) == "recipe"


def test_newsness_cluster_skips_non_news(tmp_path: Path) -> None:
    """api.cluster puts news in stories and leaves a recipe page out of every story."""
    news = make_article(
        "Russian drones struck a grain terminal in Odesa overnight, the governor said.",
        "About 40,000 tonnes of grain were destroyed and three port workers were hurt.",
    )
    rule = NEWSNESS_RULES[0]
    recipe = make_article(*rule.positive.split("\n\n"), input="recipe.txt")
    with SQLiteStore(tmp_path / "n.db") as store:
        store.add_articles([news, recipe])
        members = {a for story in api.cluster(store) for a in story.article_ids}
    assert news.id in members and recipe.id not in members


# -- the cues that spare the signal searches -------------------------------------------------
def _kind_by_every_signal(text: str) -> str | None:
    """The rules read without their cues: every signal searched."""
    for rule in NEWSNESS_RULES:
        if sum(1 for signal in rule.signals if signal.search(text)) >= rule.min_signals:
            return rule.kind
    return None


@pytest.mark.parametrize("rule", NEWSNESS_RULES, ids=lambda r: r.kind)
def test_every_signal_names_lower_case_cues(rule: object) -> None:
    from storyline.stages.clean.newsness import NonNewsRule

    assert isinstance(rule, NonNewsRule)
    assert len(rule.cues) == len(rule.signals)
    assert all(cues and all(c == c.lower() for c in cues) for cues in rule.cues)


_PIECES = [cue for rule in NEWSNESS_RULES for cues in rule.cues for cue in cues] + [
    "Ingredients",
    "INGREDIENTS",
    "2 cups",
    "1 Tablespoon",
    "3 tsp",
    "Preheat the oven",
    "bake for",
    "Stir until",
    "Serves 4",
    "prep time",
    "Add to cart",
    "In stock",
    "$59.99",
    "€ 10,00",
    "£3.45",
    "Qty: 1",
    "SKU",
    "4.5 out of 5 stars",
    "Customer reviews",
    "def main():",
    "class A(",
    "import os",
    "from a.b import c",
    ">>> x",
    "$ ls",
    "pip install x",
    "npm run",
    "function f(",
    "const x =",
    "return",
    "Returns",
    "Usage:",
    "x = 1;",
    "{",
    "}",
    "\n",
    "\n\n",
    " ",
    "  ",
    "the",
    "said",
    "\u0130",
    "\u0131",
    "\u017f",
    "\u212a",
    "ſerves 2",
    "İngredients",
    "prices",
    "“quoted”",
    "—",
]


def test_a_signal_never_matches_a_text_without_one_of_its_cues() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from storyline.stages.clean.newsness import _folded

    @settings(max_examples=400, deadline=None)
    @given(st.lists(st.sampled_from(_PIECES), max_size=25))
    def check(pieces: list[str]) -> None:
        text = "".join(pieces)
        folded = _folded(text)
        for rule in NEWSNESS_RULES:
            for signal, cues in zip(rule.signals, rule.cues, strict=True):
                if signal.search(text):
                    assert any(cue in folded for cue in cues), (rule.kind, signal.pattern, text)

    check()


def test_the_cues_change_no_page_kind() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from storyline.stages.clean.newsness import _kind_of

    @settings(max_examples=400, deadline=None)
    @given(st.lists(st.sampled_from(_PIECES), max_size=30))
    def check(pieces: list[str]) -> None:
        text = "\n".join(pieces)
        assert _kind_of(text) == _kind_by_every_signal(text)

    check()
    # a case-insensitive pattern reads these letters as ASCII ones: so must the cues
    for text in ("Ingredients\n2 cups flour\n\u017ferves 4", "\u0130ngredients\n2 cups\nServes 4"):
        assert _kind_by_every_signal(text) == "recipe" == _kind_of(text)
