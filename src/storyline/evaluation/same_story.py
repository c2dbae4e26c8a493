"""Same-story detection on SemEval-2022 Task 8 pairs (the dev subsets in ../shared/eval).

Given the folder, the en-en pairs (``semeval-en-dev.jsonl``) make the top-level figures and
the cross-lingual pairs (``semeval-xling-dev.jsonl``, two languages per pair) a section of
their own, with figures per language pair; given one file, that file alone.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from storyline.annotate import article_from_text
from storyline.errors import EvalDataError
from storyline.model import Article
from storyline.stages.corpus.cluster import assign_stories
from storyline.stages.corpus.pairs import score_pairs
from storyline.text.language import detector

SAME_MAX = 1.5  # "overall" <= 1.5: same story (the data set's own convention, eval/README.md)
DIFFERENT_MIN = 3.5  # >= 3.5: different story; the middle is dropped


EN_FILE = "semeval-en-dev.jsonl"
XLING_FILE = "semeval-xling-dev.jsonl"


def _load(data: Path) -> list[dict[str, Any]]:
    path = data / EN_FILE if data.is_dir() else data
    if not path.exists():
        raise EvalDataError(f"no {path}")
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _overall(row: dict[str, Any]) -> float:
    for key in ("overall", "Overall", "score"):
        if key in row:
            return float(row[key])
    raise EvalDataError(f"pair {row.get('pair_id')} has no overall score")


def _ids(row: dict[str, Any]) -> tuple[str, str]:
    """The two article ids of a pair ("id1_id2" in ``pair_id`` or ``id``)."""
    first, _, second = str(row.get("pair_id") or row.get("id")).partition("_")
    return first, second


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


def pair_articles(rows: list[dict[str, Any]]) -> list[Article]:
    """Each distinct text of the pairs as an article (id from ``pair_id``), in file order."""
    texts: dict[str, str] = {}
    for row in rows:
        first, second = _ids(row)
        texts.setdefault(first, row["text1"])
        texts.setdefault(second, row["text2"])
    # each text's language as cleaning would find it (article_from_text assumes English)
    return [
        replace(article_from_text(text, None, ident), language=detector().detect(text))
        for ident, text in texts.items()
    ]


def clustering(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Cluster every text of the file together (one incremental batch), score the clear pairs.

    Each pair's texts carry ids in ``pair_id`` ("id1_id2"); a text in several pairs is
    clustered once. A clear pair counts as predicted "same" when both texts land in
    one story.
    """
    started = time.perf_counter()
    articles = pair_articles(rows)
    assigned, _ = assign_stories(articles, {})
    elapsed = time.perf_counter() - started
    tp = fp = fn = tn = 0
    for row in rows:
        overall = _overall(row)
        if SAME_MAX < overall < DIFFERENT_MIN:
            continue
        first, second = _ids(row)
        same, gold = assigned[first] == assigned[second], overall <= SAME_MAX
        tp, fp, fn = tp + (same and gold), fp + (same and not gold), fn + (gold and not same)
        tn += not same and not gold
    precision, recall, f1 = _f1(tp, fp, fn)
    return {
        "texts": len(articles),
        "stories": len(set(assigned.values())),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        # the "built into stories" figures: same pairs together, different apart
        "same_together": round(tp / (tp + fn), 4) if tp + fn else None,
        "different_apart": round(tn / (tn + fp), 4) if tn + fp else None,
        "ms_per_text": round(1000 * elapsed / max(1, len(articles)), 3),
    }


def _score(rows: list[dict[str, Any]], results: list[dict[str, Any]]) -> dict[str, Any]:
    """P/R/F1 and ROC AUC on the clear pairs, Pearson on all."""
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
        "pairs": len(rows),
        "clear_pairs": len(clear),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "roc_auc": round(roc_auc([s for s, _, _ in clear], [g for _, g, _ in clear]), 4),
        # overall is 1 (same) .. 4 (unrelated): a good similarity correlates negatively
        "pearson_r": round(-pearson(scores, overall), 4),
    }


def evaluate_file(path: Path, split: str, limit: int | None = None) -> dict[str, Any]:
    """Score every pair of one file, per language pair too where the rows name languages."""
    rows = _load(path)[:limit]
    records = [{"id": r.get("pair_id") or r.get("id"), **_texts(r)} for r in rows]
    started = time.perf_counter()
    results = score_pairs(records)
    elapsed = time.perf_counter() - started
    report: dict[str, Any] = {"data": str(path), "split": split, **_score(rows, results)}
    report["ms_per_pair"] = round(1000 * elapsed / max(1, len(rows)), 3)
    by_language: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        if row.get("lang1") and row.get("lang2"):
            by_language.setdefault(f"{row['lang1']}-{row['lang2']}", []).append(i)
    if by_language:
        report["by_language_pair"] = {
            pair: _score([rows[i] for i in index], [results[i] for i in index])
            for pair, index in sorted(by_language.items())
        }
    report["clustering"] = clustering(rows)
    return report


def _texts(row: dict[str, Any]) -> dict[str, str]:
    return {"text1": str(row.get("text1") or ""), "text2": str(row.get("text2") or "")}


def evaluate(data: Path, *, limit: int | None = None) -> dict[str, Any]:
    """The en-en pairs (top level) and, in a folder that has them, the cross-lingual pairs."""
    if not data.is_dir():
        return evaluate_file(data, f"dev ({data.name})", limit)
    report = evaluate_file(data / EN_FILE, "dev (SemEval-2022 Task 8 en-en subset)", limit)
    if (data / XLING_FILE).exists():
        report["cross_lingual"] = evaluate_file(
            data / XLING_FILE, "dev (SemEval-2022 Task 8 cross-lingual subset)", limit
        )
    return report


def _format_one(report: dict[str, Any]) -> list[str]:
    clustering = report["clustering"]
    lines = [
        f"same-story on {report['pairs']} pairs ({report['clear_pairs']} clear), split: {report['split']}",
        f"  P {report['precision']:.3f}  R {report['recall']:.3f}  F1 {report['f1']:.3f}  "
        f"ROC AUC {report['roc_auc']:.3f}  Pearson r {report['pearson_r']:.3f} (sign flipped: higher = more similar)",
        f"  {report['ms_per_pair']:.2f} ms per pair",
    ]
    for pair, part in report.get("by_language_pair", {}).items():
        lines.append(
            f"    {pair}: {part['pairs']} pairs ({part['clear_pairs']} clear)  F1 {part['f1']:.3f}  "
            f"ROC AUC {part['roc_auc']:.3f}  Pearson r {part['pearson_r']:.3f}"
        )
    lines.append(
        f"story clustering of all {clustering['texts']} texts in one batch -> "
        f"{clustering['stories']} stories; clear pairs in one story: "
        f"P {clustering['precision']:.3f}  R {clustering['recall']:.3f}  "
        f"F1 {clustering['f1']:.3f}  ({clustering['ms_per_text']:.2f} ms per text)"
    )
    lines.append(
        f"  built into stories: same-story pairs together {clustering['same_together']}, "
        f"different-story pairs apart {clustering['different_apart']}"
    )
    return lines


def format_report(report: dict[str, Any]) -> str:
    """A human-readable report."""
    lines = _format_one(report)
    if "cross_lingual" in report:
        lines += ["", *_format_one(report["cross_lingual"])]
    return "\n".join(lines)
