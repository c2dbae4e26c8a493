"""Recover an article's lead (standfirst, teaser) that sits between the headline and the body.

Extractors score blocks by their container; many templates put the lead paragraph in the
article header next to the headline, outside the body container, so it gets dropped even
though it is the most important paragraph of a news story. The signal used here is purely
positional: visible prose that comes after the page's <h1> and before the first extracted
paragraph, with few links, outside navigation, forms and asides.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from storyline.stages.clean import rules

# A lead sits right under the headline: if many blocks lie in between, the <h1> is a site
# logo or the "body" started elsewhere, and what lies between is page furniture.
_MAX_BETWEEN = 20
_MIN_COUNTED_WORDS = 4
_MIN_WORDS = 6
_MAX_LINK_SHARE = 0.3
_SKIP_ANCESTORS = frozenset(
    {
        "nav",
        "aside",
        "footer",
        "form",
        "button",
        "figure",
        "figcaption",
        "label",
        "select",
        "script",
        "style",
        "noscript",
        "time",
        "address",
        "li",
        "ul",
        "ol",
        "table",
        "menu",
    }
)
# Class names of the usual front-end kits for layers shown on demand ("dialog" is left out:
# Drupal calls its main page canvas "dialog-off-canvas-main-canvas").
_OVERLAY = re.compile(r"modal|tooltip|popup|popover|lightbox", re.I)
_BLOCKS = ("p", "div", "h2", "h3", "span", "section", "header")
# Text nodes that a reader sees: script and style bodies are code, not prose.
_VISIBLE_TEXT = etree.XPath(".//text()[not(ancestor::script) and not(ancestor::style)]")
# A block with another block inside is a container; its text is the sum of its children.
_HAS_BLOCK = etree.XPath(
    "boolean(descendant::*[self::p or self::div or self::section or self::article or self::main"
    " or self::ul or self::ol or self::table or self::header or self::footer or self::aside"
    " or self::nav or self::figure or self::h1 or self::h2 or self::h3 or self::h4])"
)


def _text(element: Any) -> str:
    """Visible text of an element (no script or style code), whitespace collapsed."""
    return rules.visible("".join(_VISIBLE_TEXT(element)))


def _is_leaf_block(element: Any) -> bool:
    """A block with no block inside (its text is one unit, not a container's sum)."""
    return not _HAS_BLOCK(element)


def _link_share(element: Any, length: int) -> float:
    """Share of an element's text that sits inside links."""
    linked = sum(len(rules.visible(a.text_content())) for a in element.iter("a"))
    return linked / max(1, length)


def _excluded(element: Any) -> bool:
    """True inside navigation, forms, figures, lists or elements marked hidden."""
    node = element
    while node is not None:
        if (
            node.tag in _SKIP_ANCESTORS
            or node.get("hidden") is not None
            or node.get("aria-hidden") == "true"
        ):
            return True
        # overlays (modals, tooltips, pop-ups) are hidden until the reader acts: an author
        # tooltip or a "turn on notifications" layer sits next to the headline, never in it
        if _OVERLAY.search(node.get("class") or "") or node.get("role") in ("dialog", "tooltip"):
            return True
        style = (node.get("style") or "").replace(" ", "").lower()
        if "display:none" in style or "visibility:hidden" in style:
            return True
        node = node.getparent()
    return False


def find_lead(tree: Any, first_paragraph: str, known: str) -> list[str]:
    """Prose blocks between the <h1> and the first extracted paragraph, not yet in ``known``."""
    probe = rules.visible(first_paragraph)[:60]
    if len(probe) < 20:
        return []
    found: list[str] = []
    between = 0
    passed_headline = False
    for element in tree.iter(*_BLOCKS, "h1"):
        if element.tag == "h1":
            # the headline nearest the body counts: an earlier <h1> is a logo or site title
            passed_headline, found, between = True, [], 0
            continue
        if not passed_headline:
            continue
        if not _is_leaf_block(element):
            # a paragraph with an inline ad box inside is no leaf, yet where it starts the
            # body starts (a container holding lead and body starts with the lead instead)
            if found and _text(element).startswith(probe):
                return found
            continue
        text = _text(element)
        if not text:
            continue
        if probe in text:
            return found  # reached the body: what was collected is the lead
        # labels, prices and button captions are many tiny leaves in one widget (an offer
        # box between the lead and a paywalled body): only blocks with words count as distance
        if len(rules.words(text)) >= _MIN_COUNTED_WORDS:
            between += 1
        if between > _MAX_BETWEEN:
            passed_headline, found = False, []  # too far below: wait for another <h1>
            continue
        # a lead is written as sentences; a dateline, tag row or label is not
        if len(rules.words(text)) < _MIN_WORDS or not rules.ends_sentence(text):
            continue
        # a lead stands alone; one ending in a colon introduces a list or box beside it
        if text.endswith(":"):
            continue
        if text in known or _excluded(element):
            continue
        if _link_share(element, len(text)) > _MAX_LINK_SHARE or rules.noise_kind(text):
            continue
        if rules.PUBLISHED_LINE.match(text) or rules.BYLINE.match(text) or rules.split_credit(text):
            continue
        if not found or text not in found[-1]:
            found.append(text)
    return []  # the body never came after the headline: nothing can be called its lead
