"""Tell pages that are not news (recipes, software docs, shop pages) from news reports (pure).

Scrapes bring in whatever a link led to. A recipe or a product page clusters with nothing
or, worse, pulls two food or tech stories together; ``api.cluster`` leaves them out. Each
kind is a row of signals; a page is that kind only when several distinct signals agree, so
a news report that mentions one ("prices rose to $3.45") stays news.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storyline.model import Article

__all__ = ["NEWSNESS_RULES", "NonNewsRule", "is_news", "page_kind"]


@dataclass(frozen=True, slots=True)
class NonNewsRule:
    """A kind of non-news page: its signals, how many must be found, and two examples."""

    kind: str
    signals: tuple[re.Pattern[str], ...]
    min_signals: int
    positive: str  # a page of this kind
    negative: str  # a news report touching the same subject


def _all(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.I | re.M) for p in patterns)


NEWSNESS_RULES: tuple[NonNewsRule, ...] = (
    NonNewsRule(
        "recipe",
        _all(
            r"^\s*ingredients\b",
            r"\bpreheat (?:the )?oven\b",
            r"\b\d+(?:[/.]\d+)?\s*(?:tablespoons?|tbsps?|teaspoons?|tsps?)\b",
            r"\b\d+(?:[/.]\d+)?\s*cups?\b",
            r"\b(?:bake|simmer|stir) (?:for|until)\b",
            r"\bserves \d+\b|\bprep time\b",
        ),
        3,
        "Ingredients\n\n2 cups flour\n\n1 tablespoon sugar\n\nPreheat the oven to 180C. "
        "Bake for 25 minutes.",
        "Flour prices rose after the harvest failed, and bakers said a cup of coffee "
        "now costs more than a loaf.",
    ),
    NonNewsRule(
        "shop",
        _all(
            r"\badd to (?:cart|basket|bag|wishlist)\b",
            r"\b(?:in stock|out of stock|free (?:shipping|delivery)|checkout|buy now)\b",
            r"(?:[$€£]\s?\d+(?:[.,]\d{2})\b.*){3}",
            r"\b(?:qty|quantity|sku)\b\s*:?",
            r"\bcustomer reviews?\b|\b\d(?:\.\d)? out of 5 stars\b",
        ),
        2,
        "Wireless Headphones\n\n$59.99 $79.99 $99.99\n\nIn stock. Add to cart\n\nQty: 1",
        "Retailers said shoppers who add to cart during sales often abandon orders, "
        "and gas rose to $3.45 a gallon.",
    ),
    NonNewsRule(
        "docs",
        _all(
            r"(?:^\s*(?:def |class \w+[:(]|import \w|from [\w.]+ import|>>> |\$ |pip install|"
            r"npm (?:install|run)|function \w*\(|const \w+ =|return\b)[^\n]*\n?){3}",
            r"^\s*(?:Parameters|Returns|Raises|Arguments|Usage|Installation|API reference)\s*:?\s*$",
            r"(?:^[^\n]*[;{}]\s*$\n?){3}",
        ),
        2,
        "Installation\n\npip install widget\n\nimport widget\n\nfrom widget import api\n\n"
        "def main():\n\nUsage\n\nx = 1;\n\ny = 2;\n\n}",
        "The company said its software update would ship in March. "
        "Users can install it from the settings menu, it said.",
    ),
)


def page_kind(article: Article) -> str | None:
    """The non-news kind of an article's page ("recipe", "shop", "docs"), or None for news."""
    return _kind_of(article.text)


def _kind_of(text: str) -> str | None:
    for rule in NEWSNESS_RULES:
        if sum(1 for p in rule.signals if p.search(text)) >= rule.min_signals:
            return rule.kind
    return None


def is_news(article: Article) -> bool:
    """True unless the article's page reads as a recipe, a shop page or software docs."""
    return page_kind(article) is None
