"""Incremental story clustering (a corpus stage with explicit, persisted state).

Each new article joins the most similar existing story when the similarity of its
term profile to the story's centroid clears a threshold, else it founds a new
story. State is a plain dict per story (centroid of raw term counts, size, date
range) that the store persists, so a later ingest extends the clusters without
re-reading the corpus. New articles are taken in (published, id) order so the
result does not depend on the order of the input files.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from storyline.model import Article
from storyline.stages.corpus.similarity import Profile, cosine, document_frequencies, terms, weigh

CENTROID_TERMS = 300  # a story's profile keeps its strongest terms: bounded state per story
LEAD_CHARS = 3000  # the lead carries the story; long tails drift into background


@dataclass(frozen=True, slots=True, kw_only=True)
class ClusterConfig:
    """Thresholds of the clustering stage."""

    threshold: float = 0.14  # chosen on the same-story dev pairs (docs/BENCHMARKS.md)
    max_days_apart: int = 14  # a story older than this by its dates is a different story


def article_terms(article: Article) -> dict[str, float]:
    """The term counts that represent an article: title (twice) plus the lead."""
    title = article.title or ""
    return terms(f"{title}.\n{title}.\n{article.text[:LEAD_CHARS]}")


def _days_apart(article: Article, state: Mapping[str, Any]) -> int | None:
    if article.published is None or article.published.estimate or not state.get("first"):
        return None
    from datetime import date

    first, last = date.fromisoformat(state["first"]), date.fromisoformat(state["last"])
    day = article.published.start
    if first <= day <= last:
        return 0
    return min(abs((day - first).days), abs((day - last).days))


def assign_stories(
    new: Sequence[Article],
    states: Mapping[str, Mapping[str, Any]],
    config: ClusterConfig = ClusterConfig(),
) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """Assign ``new`` articles to stories; returns (article id -> story key, changed states)."""
    work: dict[str, dict[str, Any]] = {k: dict(v) for k, v in states.items()}
    counts = {a.id: article_terms(a) for a in new}
    profiles: list[Mapping[str, float]] = [*counts.values()]
    profiles += [s["centroid"] for s in work.values()]
    df, n = document_frequencies(profiles)
    assignments: dict[str, str] = {}
    changed: set[str] = set()
    # a story's weighted profile changes only when it absorbs an article: weigh it once
    weighted: dict[str, Profile] = {}
    ordered = sorted(
        new, key=lambda a: (a.published.start.isoformat() if a.published else "9999", a.id)
    )
    for article in ordered:
        vector = weigh(counts[article.id], df, n)
        best_key, best_score = None, 0.0
        for key, state in work.items():
            gap = _days_apart(article, state)
            if gap is not None and gap > config.max_days_apart:
                continue
            if key not in weighted:
                weighted[key] = weigh(state["centroid"], df, n)
            score = cosine(vector, weighted[key])
            if score > best_score or (
                score == best_score and best_key is not None and key < best_key
            ):
                best_key, best_score = key, score
        if best_key is None or best_score < config.threshold:
            best_key = article.id
            work[best_key] = {"centroid": {}, "size": 0, "first": None, "last": None}
        _absorb(work[best_key], article, counts[article.id])
        weighted.pop(best_key, None)
        assignments[article.id] = best_key
        changed.add(best_key)
    return assignments, {k: work[k] for k in changed}


def _absorb(state: dict[str, Any], article: Article, counts: Mapping[str, float]) -> None:
    """Add an article to a story's state (centroid of counts, size, date range)."""
    centroid: dict[str, float] = dict(state["centroid"])
    for term, count in counts.items():
        centroid[term] = centroid.get(term, 0.0) + count
    state["centroid"] = dict(
        sorted(centroid.items(), key=lambda kv: (-kv[1], kv[0]))[:CENTROID_TERMS]
    )
    state["size"] = int(state["size"]) + 1
    if article.published is not None and not article.published.estimate:
        day = article.published.start.isoformat()
        state["first"] = min(filter(None, [state["first"], day]))
        state["last"] = max(filter(None, [state["last"], day]))
