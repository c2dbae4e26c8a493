"""Helpers that build records by hand, so unit tests need no model and no store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

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


def interrupt_at(tick: int) -> Callable[[int], None]:
    """A progress callback that raises KeyboardInterrupt at its ``tick``-th call (Ctrl-C
    after ``tick - 1`` inputs were read)."""
    seen = 0

    def progress(_: int) -> None:
        nonlocal seen
        seen += 1
        if seen == tick:
            raise KeyboardInterrupt

    return progress


def write_articles(folder: Path, n: int) -> None:
    """``n`` distinct plain-text articles, one file each."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        body = (
            f"Officials in town number {i} opened a new bridge on Monday after {i + 3} years"
            f" of work.\n\nThe mayor said the bridge {i} would cut travel times for commuters"
            " across the river."
        )
        (folder / f"{i:03d}.txt").write_text(f"Bridge {i} opens\n\n{body}\n", "utf-8")
