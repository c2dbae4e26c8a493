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
