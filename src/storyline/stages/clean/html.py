"""HTML -> candidate blocks and page metadata (trafilatura, htmldate, meta tags)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from trafilatura import bare_extraction
from trafilatura.utils import load_html

from storyline.model import BlockKind
from storyline.stages.clean import rules
from storyline.stages.clean.lead import find_lead
from storyline.stages.clean.lines import Line

# Structured timestamps carry the clock time that the visible text often leaves out.
_META_TIME = re.compile(
    r"""(?:article:published_time|datePublished|pubdate|publish[-_]?date|dc\.date\.issued|sailthru\.date)["']?\s*(?:content\s*=|:)\s*["'](?P<date>\d{4}-\d{2}-\d{2})[T ](?P<time>\d{2}:\d{2})""",
    re.I,
)

# The last-modified stamp of structured data: an article's update, kept apart from its publication.
_META_MODIFIED = re.compile(
    r"""(?:article:modified_time|dateModified|og:updated_time|last[-_]?modified)["']?\s*(?:content\s*=|:)\s*["'](?P<date>\d{4}-\d{2}-\d{2})""",
    re.I,
)

# When the visible extraction is this short and structured data holds several times more,
# the page renders its article with scripts (or hides it) and JSON-LD is the better source.
_SHORT_EXTRACTION = 500
_JSONLD_FACTOR = 3
# htmldate rejects any date after its ``max_date``, which defaults to the end of TODAY on the
# machine's clock: the same page would lose its date on a machine whose clock is behind (or
# keep a date it rejected yesterday). A fixed bound far ahead makes the published date a
# function of the page alone.
_LATEST_DATE = "2100-12-31"


@dataclass(slots=True)
class HtmlExtract:
    """Blocks and metadata an HTML page yielded."""

    lines: list[Line] = field(default_factory=list)
    title: str | None = None
    sitename: str | None = None
    author: str | None = None
    date: str | None = None
    time: str | None = None
    updated: str | None = None
    canonical_url: str | None = None


# Elements of trafilatura's tree that separate words; inline ones (<ref>, <hi>) do not.
_BREAKS = frozenset({"lb", "item", "row", "cell", "p", "head", "list", "quote", "table"})


def _raw_text(element: Any, parts: list[str]) -> None:
    """Collect text in document order, a space only where the markup breaks words."""
    if element.text:
        parts.append(element.text)
    for child in element:
        if isinstance(child.tag, str):
            if child.tag in _BREAKS:
                parts.append(" ")
            _raw_text(child, parts)
            if child.tag in _BREAKS:
                parts.append(" ")
        if child.tail:
            parts.append(child.tail)


def _text(element: Any) -> str:
    """Whitespace-normalised text of an element; inline markup does not add spaces."""
    parts: list[str] = []
    _raw_text(element, parts)
    return " ".join("".join(parts).split())


def _link_share(element: Any, text: str) -> float:
    """Share of an element's text inside links (<ref> in trafilatura's tree)."""
    linked = sum(len(_text(ref)) for ref in element.iter("ref"))
    return min(1.0, linked / max(1, len(text)))


def body_lines(body: Any) -> list[Line]:
    """Trafilatura's output tree -> Lines (headings, paragraphs, list items, table rows)."""
    lines: list[Line] = []
    if body is None:
        return lines
    # trafilatura leaves loose text between blocks as the tail of the block before it (a
    # paragraph right after a heading with no <p> of its own): it is body text all the same
    loose = (body.text or "").strip()
    if loose:
        lines.append(Line(" ".join(loose.split()), "paragraph"))
    for child in body:
        _child_lines(child, lines)
        tail = (child.tail or "").strip()
        if tail:
            lines.append(Line(" ".join(tail.split()), "paragraph"))
    return lines


def _child_lines(child: Any, lines: list[Line]) -> None:
    """The Lines of one top-level element of trafilatura's tree."""
    tag = child.tag if isinstance(child.tag, str) else ""
    # the markup says what is a heading; shape guesses are only for plain text
    kind: BlockKind = "heading" if tag == "head" else "paragraph"
    if tag == "list":
        # list items are separate statements; one block each keeps them apart
        parts = list(child.iter("item")) or [child]
    elif tag == "table":
        parts = list(child.iter("row")) or [child]
    elif tag == "graphic":
        return  # images carry no text of their own
    else:
        parts = [child]
    for part in parts:
        text = _text(part)
        if text:
            # list items in a list are allowed to be links (sources, tables of data)
            share = _link_share(part, text) if tag in ("p", "head", "quote") else 0.0
            lines.append(Line(text, kind, share))


# Captions under navigation or teaser lists belong to other stories.
_OFF_ARTICLE = frozenset({"nav", "aside", "footer", "header", "form"})


def place_captions(tree: Any, lines: list[Line]) -> None:
    """Insert each <figcaption> of the article as a caption line after the paragraph it follows.

    Extractors drop figure captions; a caption is placed by document order, after the
    nearest extracted paragraph above it (or before the first one below it). A caption
    with no extracted paragraph near it is outside the article and is left out.
    """
    if not lines:
        return
    index = {rules.visible(line.text)[:50]: position for position, line in enumerate(lines)}
    inserts: list[tuple[int, str]] = []
    last: int | None = None
    pending: list[str] = []
    for element in tree.iter("p", "h2", "h3", "li", "figcaption", "blockquote"):
        text = _text(element)
        if not text:
            continue
        if element.tag == "figcaption":
            if any(a.tag in _OFF_ARTICLE for a in element.iterancestors()):
                continue
            if last is None:
                pending.append(text)
            else:
                inserts.append((last + 1, text))
            continue
        position = index.get(text[:50])
        if position is not None:
            if last is None and pending:
                inserts.extend((position, caption) for caption in pending[-1:])
                pending = []
            last = position
    known = {line.text for line in lines}
    for position, text in sorted(inserts, key=lambda item: item[0], reverse=True):
        if text not in known:
            lines.insert(position, Line(text, "caption"))
            known.add(text)


def _article_bodies(data: Any) -> Iterator[str]:
    """Every schema.org articleBody string in a parsed JSON-LD object."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "articleBody" and isinstance(value, str):
                yield value
            else:
                yield from _article_bodies(value)
    elif isinstance(data, list):
        for value in data:
            yield from _article_bodies(value)


def jsonld_body(tree: Any) -> str:
    """The longest JSON-LD articleBody of the page, as plain text ("" when none)."""
    best = ""
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue  # broken JSON-LD is common; it is only a fallback
        for body in _article_bodies(data):
            if len(body) > len(best):
                best = body
    if "<" in best:
        best = re.sub(r"<[^>]+>", " ", best)  # some sites put markup in the string
    return best.strip()


def extract_html(html: str, url: str | None = None, *, metadata: bool = True) -> HtmlExtract:
    """Run the extraction cascade on one page; metadata=False skips the metadata search."""
    result = HtmlExtract()
    tree = load_html(html)
    if tree is None:
        return result
    document: Any = bare_extraction(
        tree,
        url=url,
        with_metadata=metadata,
        include_comments=False,  # comment sections are never article text
        include_tables=True,
        include_links=True,  # only to measure link density; the text is the same
        # markup-based dates only: the free-text search guesses (and costs a second a page
        # when it falls back to dateparser); an unknown date must stay unknown
        date_extraction_params={
            "extensive_search": False,
            "original_date": True,
            "max_date": _LATEST_DATE,
        },
        output_format="python",
    )
    if document is None:
        return result
    result.lines = body_lines(document.body)
    extracted = len(document.text or "")
    if extracted < _SHORT_EXTRACTION and "articleBody" in html:
        body = jsonld_body(tree)
        if len(body) > _JSONLD_FACTOR * max(1, extracted):
            parts = re.split(r"\n\s*\n|\n", body)
            result.lines = [Line(part, "paragraph") for part in parts if part.strip()]
    # the body starts at its first sentence: a breadcrumb ("Home ›") or a photo credit that
    # the extractor put first is no landmark, and would end the search for the lead early
    paragraphs = [line.text for line in result.lines if line.hint == "paragraph"]
    first = next(
        (text for text in paragraphs if rules.is_prose(text)), paragraphs[0] if paragraphs else ""
    )
    lead = find_lead(tree, first, document.text or "")
    result.lines[:0] = [Line(text, "paragraph") for text in lead]
    if metadata:
        # captions matter to the article record (facts, dates, languages), not to body text
        place_captions(tree, result.lines)
        result.title = document.title or None
        result.sitename = document.sitename or None
        result.author = document.author or None
        result.date = document.date or None
        stamp = _META_TIME.search(html)
        if stamp and result.date and stamp.group("date") == result.date:
            result.time = stamp.group("time")
        modified = _META_MODIFIED.search(html)
        if modified and modified.group("date") != result.date:
            result.updated = modified.group("date")
        # trafilatura reads <link rel=canonical> and og:url; a relative or empty one is no URL
        canonical = getattr(document, "url", None)
        if isinstance(canonical, str) and canonical.startswith(("http://", "https://")):
            result.canonical_url = canonical
    return result
