"""Sentences with character spans that never cross a block boundary."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from storyline.model import Article, Sentence, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc


def sentences(article: Article, doc: Doc) -> tuple[Sentence, ...]:
    """Split ``article.text`` into sentences, using the parser's boundaries inside each block.

    A heading or caption glued to the next paragraph by the parser would otherwise
    become part of a sentence of the body: blocks are hard boundaries.
    """
    blocks = article.blocks or ()
    result: list[Sentence] = []
    bounds = [(b.start, b.end) for b in blocks] or [(0, len(article.text))]
    sent_starts = sorted({s.start_char for s in doc.sents} | {s.end_char for s in doc.sents})
    for index, (b_start, b_end) in enumerate(bounds):
        cuts = [b_start] + [c for c in sent_starts if b_start < c < b_end] + [b_end]
        for start, end in itertools.pairwise(cuts):
            start, end = _trim(article.text, start, end)
            if end > start:
                result.append(Sentence(span=Span(article.id, start, end), block=index))
    return tuple(result)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` so it neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
