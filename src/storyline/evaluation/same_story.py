"""Same-story detection on SemEval-2022 Task 8 en-en pairs (the dev subset in ../shared/eval)."""

from __future__ import annotations

import json
import math
import time
from pathlib import Path
from typing import Any

from storyline.annotate import article_from_text
from storyline.errors import EvalDataError
from storyline.stages.corpus.cluster import assign_stories
from storyline.stages.corpus.pairs import score_pairs

SAME_MAX = 1.5  # "overall" <= 1.5: same story (the data set's own convention, eval/README.md)
DIFFERENT_MIN = 3.5  # >= 3.5: different story; the middle is dropped


def _load(data: Path) -> list[dict[str, Any]]:
    path = data / "semeval-en-dev.jsonl" if data.is_dir() else data
    if not path.exists():
        raise EvalDataError(f"no {path}")
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _overall(row: dict[str, Any]) -> float:
    for key in ("overall", "Overall", "score"):
        if key in row:
            return float(row[key])
    raise EvalDataError(f"pair {row.get('pair_id')} has no overall score")


def pearson(xs: list[float], ys: list[float]) -> float:
    """Pearson correlation."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    vx = math.sqrt(sum((x - mx) ** 2 for x in xs))
    vy = math.sqrt(sum((y - my) ** 2 for y in ys))
    return cov / (vx * vy) if vx and vy else 0.0


def roc_auc(scores: list[float], labels: list[bool]) -> float:
    """Area under the ROC curve (probability a positive outscores a negative)."""
    pos = [s for s, y in zip(scores, labels, strict=True) if y]
    neg = [s for s, y in zip(scores, labels, strict=True) if not y]
    if not pos or not neg:
        return float("nan")
    wins = sum(1.0 if p > q else 0.5 if p == q else 0.0 for p in pos for q in neg)
    return wins / (len(pos) * len(neg))


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def clustering(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Cluster every text of the file together (one incremental batch), score the clear pairs.

    Each pair's texts carry ids in ``pair_id`` ("id1_id2"); a text in several pairs is
    clustered once. A clear pair counts as predicted "same" when both texts land in
    one story.
    """
    texts: dict[str, str] = {}
    for row in rows:
        first, _, second = str(row["pair_id"]).partition("_")
        texts.setdefault(first, row["text1"])
        texts.setdefault(second, row["text2"])
    started = time.perf_counter()
    articles = [article_from_text(text, None, ident) for ident, text in texts.items()]
    assigned, _ = assign_stories(articles, {})
    elapsed = time.perf_counter() - started
    tp = fp = fn = 0
    for row in rows:
        overall = _overall(row)
        if SAME_MAX < overall < DIFFERENT_MIN:
            continue
        first, _, second = str(row["pair_id"]).partition("_")
        same, gold = assigned[first] == assigned[second], overall <= SAME_MAX
        tp, fp, fn = tp + (same and gold), fp + (same and not gold), fn + (gold and not same)
    precision, recall, f1 = _f1(tp, fp, fn)
    return {
        "texts": len(texts),
        "stories": len(set(assigned.values())),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "ms_per_text": round(1000 * elapsed / max(1, len(texts)), 3),
    }


def evaluate(data: Path, *, limit: int | None = None) -> dict[str, Any]:
    """Score every pair; F1/AUC on the clear cases, Pearson on all."""
    rows = _load(data)[:limit]
    records = [{"id": r.get("pair_id"), "text1": r["text1"], "text2": r["text2"]} for r in rows]
    started = time.perf_counter()
    results = score_pairs(records)
    elapsed = time.perf_counter() - started
    overall = [_overall(r) for r in rows]
    scores = [float(r["score"]) for r in results]
    clear = [
        (s, o <= SAME_MAX, p["same_story"])
        for s, o, p in zip(scores, overall, results, strict=True)
        if o <= SAME_MAX or o >= DIFFERENT_MIN
    ]
    tp = sum(1 for _, gold, pred in clear if gold and pred)
    fp = sum(1 for _, gold, pred in clear if not gold and pred)
    fn = sum(1 for _, gold, pred in clear if gold and not pred)
    precision, recall, f1 = _f1(tp, fp, fn)
    return {
        "data": str(data),
        "split": "dev (SemEval-2022 Task 8 en-en subset)",
        "pairs": len(rows),
        "clear_pairs": len(clear),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "roc_auc": round(roc_auc([s for s, _, _ in clear], [g for _, g, _ in clear]), 4),
        # overall is 1 (same) .. 4 (unrelated): a good similarity correlates negatively
        "pearson_r": round(-pearson(scores, overall), 4),
        "ms_per_pair": round(1000 * elapsed / max(1, len(rows)), 3),
        "clustering": clustering(rows),
    }


def format_report(report: dict[str, Any]) -> str:
    """A human-readable report."""
    return (
        f"same-story on {report['pairs']} pairs ({report['clear_pairs']} clear), split: {report['split']}\n"
        f"  P {report['precision']:.3f}  R {report['recall']:.3f}  F1 {report['f1']:.3f}  "
        f"ROC AUC {report['roc_auc']:.3f}  Pearson r {report['pearson_r']:.3f} (sign flipped: higher = more similar)\n"
        f"  {report['ms_per_pair']:.2f} ms per pair\n"
        f"story clustering of all {report['clustering']['texts']} texts in one batch -> "
        f"{report['clustering']['stories']} stories; clear pairs in one story: "
        f"P {report['clustering']['precision']:.3f}  R {report['clustering']['recall']:.3f}  "
        f"F1 {report['clustering']['f1']:.3f}  ({report['clustering']['ms_per_text']:.2f} ms per text)"
    )
