"""Clean a RawDocument into an Article: body blocks, captions, language and metadata.

HTML goes through the extraction cascade (``clean_html``); plain-text scraper dumps are split
into lines. Both then go through the same news clean-up (``clean_lines``), which keeps
captions apart, turns subheadings into heading blocks and sets metadata lines aside.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from storyline.ids import article_id
from storyline.model import (
    REMOVED_CHARS,
    REMOVED_LINES,
    Article,
    Block,
    BlockKind,
    DateValue,
    InputProblem,
    RawDocument,
)
from storyline.stages.clean import rules
from storyline.stages.clean.dates import day_value, parse_given
from storyline.stages.clean.html import extract_html
from storyline.stages.clean.lines import Cleaned, Line, clean_lines
from storyline.text.language import detector

__all__ = ["clean", "extract_body", "text_lines"]


def text_lines(content: str) -> list[Line]:
    """Lines of a plain-text dump: one candidate block per non-empty line."""
    return [Line(line) for line in content.splitlines() if line.strip()]


def clean(raw: RawDocument) -> Article | InputProblem:
    """Clean one raw document; an unusable one becomes an InputProblem with a reason.

    Example:
        >>> article = clean(RawDocument(input="a.txt", content=text, fmt="text"))
    """
    sources: list[tuple[str, str]] = []
    meta_title = meta_site = meta_author = meta_date = meta_time = None
    meta_updated = canonical_url = None
    try:
        if raw.fmt == "html":
            page = extract_html(raw.content, raw.url)
            meta_title, meta_site, meta_author = page.title, page.sitename, page.author
            meta_date, meta_time = page.date, page.time
            meta_updated, canonical_url = page.updated, page.canonical_url
            cleaned = clean_lines(page.lines, title=raw.title or meta_title, header=False)
        else:
            cleaned = clean_lines(text_lines(raw.content), title=raw.title, header=True)
    except (ValueError, TypeError, LookupError, RecursionError, MemoryError) as err:
        # lxml and trafilatura raise these on pathological markup; the reason is kept
        return InputProblem(
            input=raw.input, reason="extract", detail=f"{type(err).__name__}: {err}"
        )
    if not any(kind != "caption" for kind, _ in cleaned.blocks):
        return InputProblem(input=raw.input, reason="no_article", detail="no body text found")

    text, blocks = _assemble(cleaned.blocks)
    published, published_time = _published(raw, cleaned, meta_date, meta_time, sources)
    title = raw.title or meta_title or cleaned.title
    if title and rules.dateline(title):
        # a container title that is only a date ("DECEMBER 16, 2008", "Last Updated: ...")
        # is the page's dateline: the headline is the first line the clean-up set aside
        # below it that reads as more than a date (a short Title Case headline is often
        # taken for a menu item)
        title = _headline_below(cleaned) or title
    if title:
        sources.append(("title", "container" if raw.title else "meta" if meta_title else "header"))
    outlet = raw.outlet or meta_site or cleaned.outlet
    if outlet:
        sources.append(("outlet", "container" if raw.outlet else "meta" if meta_site else "header"))
    wire, byline = cleaned.wire, cleaned.byline
    if wire:
        sources.append(("wire", cleaned.wire_source or "byline"))
    if meta_author and not byline:
        # an author field holding only an agency name is wire copy, not a person
        agency = rules.wire_of(meta_author)
        if agency is not None and len(rules.words(meta_author)) <= 3:
            wire = wire or agency
        else:
            byline = meta_author
    if byline:
        sources.append(("byline", "meta" if byline == meta_author else "header"))
    updated = parse_given(meta_updated)
    if updated is not None:
        sources.append(("updated", "meta"))
    if canonical_url:
        sources.append(("canonical_url", "meta"))
    return Article(
        id=article_id(text),
        input=raw.input,
        url=raw.url,
        outlet=outlet,
        title=title,
        byline=byline,
        wire=wire,
        published=published,
        published_time=published_time,
        updated=replace(updated[0], basis="meta") if updated is not None else None,
        canonical_url=canonical_url,
        language=_document_language(text, blocks),
        text=text,
        blocks=blocks,
        credits=tuple(cleaned.credits),
        meta_sources=tuple(sources),
        removed=tuple((why, line[:REMOVED_CHARS]) for why, line in cleaned.removed[:REMOVED_LINES]),
    )


def _assemble(parts: list[tuple[BlockKind, str]]) -> tuple[str, tuple[Block, ...]]:
    """Join blocks with blank lines and record offsets and per-block language."""
    lang = detector()
    chunks: list[str] = []
    blocks: list[Block] = []
    offset = 0
    for kind, content in parts:
        if chunks:
            offset += 2  # the "\n\n" separator
        blocks.append(
            Block(kind=kind, start=offset, end=offset + len(content), language=lang.detect(content))
        )
        chunks.append(content)
        offset += len(content)
    return "\n\n".join(chunks), tuple(blocks)


def _document_language(text: str, blocks: tuple[Block, ...]) -> str | None:
    """The language most body characters are in (captions do not vote)."""
    weights: Counter[str] = Counter()
    for block in blocks:
        if block.kind != "caption" and block.language:
            weights[block.language] += block.end - block.start
    if weights:
        return weights.most_common(1)[0][0]
    return detector().detect(text)


def _published(
    raw: RawDocument,
    cleaned: Cleaned,
    meta_date: str | None,
    meta_time: str | None,
    sources: list[tuple[str, str]],
) -> tuple[DateValue | None, str | None]:
    """Publication date by precedence: container, page metadata, header lines; else None."""
    given = parse_given(raw.published)
    if given is not None:
        sources.append(("published", "container"))
        return given
    if meta_date:
        found = parse_given(meta_date)
        if found is not None:
            sources.append(("published", "meta"))
            if meta_time:
                sources.append(("published_time", "meta"))
            value = found[0]
            return DateValue(
                start=value.start, end=value.end, precision=value.precision, basis="meta"
            ), meta_time
    if cleaned.published is not None:
        sources.append(("published", "header"))
        if cleaned.published_time:
            sources.append(("published_time", "header"))
        return day_value(cleaned.published, "header"), cleaned.published_time
    # unknown stays unknown: never the day of the run
    return None, None


def extract_body(html: str, url: str | None = None) -> str:
    """The body text clean() would produce for a page (captions are not body), no metadata."""
    page = extract_html(html, url, metadata=False)
    cleaned = clean_lines(page.lines, title=None, header=False)
    return "\n\n".join(content for kind, content in cleaned.blocks if kind != "caption")


def _headline_below(cleaned: Cleaned) -> str | None:
    """The first header or menu line set aside that is no dateline and has three words.

    A line whose words are parted by separators ("Home | World | Politics") is a
    navigation bar even when it reads like a Title Case headline: it is passed over.
    """
    for why, line in cleaned.removed:
        if why not in ("header", "menu") or rules.dateline(line) or len(line.split()) < 3:
            continue
        if _NAV_SEPARATOR.search(line):
            continue
        return line
    return None


_NAV_SEPARATOR = re.compile(r"\s[|•·»/>]\s")
