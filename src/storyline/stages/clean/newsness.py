"""Tell pages that are not news (recipes, software docs, shop pages) from news reports (pure).

Scrapes bring in whatever a link led to. A recipe or a product page clusters with nothing
or, worse, pulls two food or tech stories together; ``api.cluster`` leaves them out. Each
kind is a row of signals; a page is that kind only when several distinct signals agree, so
a news report that mentions one ("prices rose to $3.45") stays news.

Every signal names its cues: words, one of which any text it matches must contain. The
cues are looked up in one lower-cased copy of the text, and a rule's signals are searched
only when enough of them have a cue there: a news report, with no cue of most signals,
costs a few substring tests instead of fourteen case-insensitive scans (the build's main
process tests every article it stores and clusters).
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
    # per signal, lower-case words of which a text it matches contains one (see _folded)
    cues: tuple[tuple[str, ...], ...] = ()

    def candidates(self, folded: str) -> list[re.Pattern[str]]:
        """The signals with a cue in ``folded`` (the text as :func:`_folded` gives it): the
        only ones that can match it."""
        return [
            signal
            for signal, cues in zip(self.signals, self.cues, strict=True)
            if any(cue in folded for cue in cues)
        ]


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
        (
            ("ingredients",),
            ("preheat",),
            ("tablespoon", "tbsp", "teaspoon", "tsp"),
            ("cup",),
            ("bake ", "simmer ", "stir "),
            ("serves ", "prep time"),
        ),
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
        (
            ("add to ",),
            ("stock", "free ", "checkout", "buy now"),
            ("$", "€", "£"),
            ("qty", "quantity", "sku"),
            ("customer review", "out of 5 stars"),
        ),
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
        (
            (
                "def ",
                "class ",
                "import",
                ">>> ",
                "$",
                "pip install",
                "npm ",
                "function ",
                "const ",
                "return",
            ),
            (
                "parameters",
                "returns",
                "raises",
                "arguments",
                "usage",
                "installation",
                "api reference",
            ),
            (";", "{", "}"),
        ),
    ),
)


def page_kind(article: Article) -> str | None:
    """The non-news kind of an article's page ("recipe", "shop", "docs"), or None for news."""
    return _kind_of(article.text)


# The non-ASCII letters that a case-insensitive pattern matches to ASCII ones (re's
# documentation names these four): written as those, so that a cue is found in the
# lower-cased text wherever the signal's pattern could match it.
_RE_IGNORECASE_LETTERS = "\u0130\u0131\u017f\u212a"
_RE_IGNORECASE_ASCII = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def _folded(text: str) -> str:
    """The text as the cues are looked up in: lower-cased, as ``re.I`` compares letters."""
    if not text.isascii() and any(letter in text for letter in _RE_IGNORECASE_LETTERS):
        text = text.translate(_RE_IGNORECASE_ASCII)  # rare: a translation is 15x a lower()
    return text.lower()


def _kind_of(text: str) -> str | None:
    folded = _folded(text)
    for rule in NEWSNESS_RULES:
        candidates = rule.candidates(folded)
        if len(candidates) < rule.min_signals:
            continue  # too few signals could match
        if sum(1 for signal in candidates if signal.search(text)) >= rule.min_signals:
            return rule.kind
    return None


def is_news(article: Article) -> bool:
    """True unless the article's page reads as a recipe, a shop page or software docs."""
    return page_kind(article) is None
