"""Same-story scoring of text pairs (the ``storyline pairs`` contract).

A pair is scored with the clustering stage's own similarity (``ClusterConfig.score``:
lexical cosine and multilingual embedding cosine) and called "same story" at the
pair threshold of that config (chosen on the en-en dev pairs), so the pairs contract
and the stories that ``build`` makes rest on one similarity.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from storyline.stages.corpus.cluster import ClusterConfig
from storyline.stages.corpus.similarity import cosine, document_frequencies, terms, weigh


def score_pairs(
    records: Sequence[Mapping[str, Any]], config: ClusterConfig | None = None
) -> list[dict[str, Any]]:
    """Score each {id, text1, text2}; idf comes from every text of the batch."""
    config = config or ClusterConfig()
    texts = [(str(r.get("text1") or ""), str(r.get("text2") or "")) for r in records]
    counts = [(terms(a), terms(b)) for a, b in texts]
    df, n = document_frequencies([c for pair in counts for c in pair])
    semantic: list[float | None] = [None] * len(records)
    crossing = [0.0] * len(records)
    if config.embeddings and records:
        from storyline.text.language import detector

        # as cleaning does for an article: the language of each text, to know when the
        # two can share no words
        languages = [(detector().detect(a), detector().detect(b)) for a, b in texts]
        crossing = [1.0 if a and b and a != b else 0.0 for a, b in languages]
        from storyline.stages.corpus.embed import embed_documents

        vectors = embed_documents([(None, t) for pair in texts for t in pair])
        semantic = [float(vectors[2 * i] @ vectors[2 * i + 1]) for i in range(len(records))]
    out = []
    for record, (c1, c2), embedded, cross in zip(records, counts, semantic, crossing, strict=True):
        lexical = cosine(weigh(c1, df, n), weigh(c2, df, n))
        score = max(
            0.0, min(1.0, config.score(lexical, embedded, cross, bar=config.pair_threshold))
        )
        out.append(
            {
                "id": record.get("id"),
                "score": round(score, 4),
                "same_story": score >= config.pair_threshold,
            }
        )
    return out
