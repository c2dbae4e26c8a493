"""Helpers that build records by hand, so unit tests need no model and no store."""

from __future__ import annotations

from datetime import date

from storyline.ids import article_id
from storyline.model import Article, Block, DateValue


def make_article(
    *paragraphs: str,
    published: str | None = None,
    outlet: str | None = "Example News",
    title: str | None = None,
    wire: str | None = None,
    input: str = "test.txt",
) -> Article:
    """An Article whose text is the paragraphs joined by blank lines."""
    text = "\n\n".join(paragraphs)
    blocks, pos = [], 0
    for p in paragraphs:
        blocks.append(Block(kind="paragraph", start=pos, end=pos + len(p), language="en"))
        pos += len(p) + 2
    when = None
    if published:
        day = date.fromisoformat(published)
        when = DateValue(start=day, end=day, precision="day", basis="test")
    return Article(
        id=article_id(text),
        input=input,
        outlet=outlet,
        title=title,
        wire=wire,
        published=when,
        language="en",
        text=text,
        blocks=tuple(blocks),
    )
