"""Same-story scoring of text pairs (the ``storyline pairs`` contract)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from storyline.stages.corpus.similarity import cosine, document_frequencies, terms, weigh

# Cosine above which two texts are called the same story; chosen on the SemEval-2022
# en-en dev pairs (docs/BENCHMARKS.md), where it maximises F1 of "same story".
SAME_STORY_THRESHOLD = 0.14


def score_pairs(
    records: Sequence[Mapping[str, Any]], threshold: float = SAME_STORY_THRESHOLD
) -> list[dict[str, Any]]:
    """Score each {id, text1, text2}; idf comes from every text of the batch."""
    counts = [(terms(str(r.get("text1") or "")), terms(str(r.get("text2") or ""))) for r in records]
    df, n = document_frequencies([c for pair in counts for c in pair])
    out = []
    for record, (c1, c2) in zip(records, counts, strict=True):
        score = max(0.0, min(1.0, cosine(weigh(c1, df, n), weigh(c2, df, n))))
        out.append(
            {"id": record.get("id"), "score": round(score, 4), "same_story": score >= threshold}
        )
    return out
