"""HTML -> candidate blocks and page metadata (trafilatura, htmldate, meta tags)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from trafilatura import bare_extraction
from trafilatura.utils import load_html

from storyline.model import BlockKind
from storyline.stages.clean_lead import find_lead
from storyline.stages.clean_lines import Line

# Structured timestamps carry the clock time that the visible text often leaves out.
_META_TIME = re.compile(
    r"""(?:article:published_time|datePublished|pubdate|publish[-_]?date|dc\.date\.issued|sailthru\.date)["']?\s*(?:content\s*=|:)\s*["'](?P<date>\d{4}-\d{2}-\d{2})[T ](?P<time>\d{2}:\d{2})""",
    re.I,
)


@dataclass(slots=True)
class HtmlExtract:
    """Blocks and metadata an HTML page yielded."""

    lines: list[Line] = field(default_factory=list)
    title: str | None = None
    sitename: str | None = None
    author: str | None = None
    date: str | None = None
    time: str | None = None


def _text(element: Any) -> str:
    """Whitespace-normalised text of an element and its descendants."""
    return " ".join(" ".join(element.itertext()).split())


def body_lines(body: Any) -> list[Line]:
    """Trafilatura's output tree -> Lines (headings, paragraphs, list items, table rows)."""
    lines: list[Line] = []
    if body is None:
        return lines
    for child in body:
        tag = child.tag if isinstance(child.tag, str) else ""
        kind: BlockKind | None = "heading" if tag == "head" else None
        if tag == "list":
            # list items are separate statements; one block each keeps them apart
            parts = [_text(item) for item in child.iter("item")] or [_text(child)]
        elif tag == "table":
            parts = [_text(row) for row in child.iter("row")] or [_text(child)]
        elif tag == "graphic":
            continue  # images carry no text of their own
        else:
            parts = [_text(child)]
        lines.extend(Line(part, kind) for part in parts if part)
    return lines


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
        output_format="python",
    )
    if document is None:
        return result
    result.lines = body_lines(document.body)
    first = next((line.text for line in result.lines if line.hint is None), "")
    lead = find_lead(tree, first, document.text or "")
    result.lines[:0] = [Line(text) for text in lead]
    if metadata:
        result.title = document.title or None
        result.sitename = document.sitename or None
        result.author = document.author or None
        result.date = document.date or None
        stamp = _META_TIME.search(html)
        if stamp and result.date and stamp.group("date") == result.date:
            result.time = stamp.group("time")
    return result
