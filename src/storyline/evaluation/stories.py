"""Story clustering on real multi-outlet news (ECB+ in ../shared/eval/stories), beside a baseline.

Each topic of ECB+ holds two stories of the same kind (two earthquakes, two rehab
check-ins), so the set tests "same story" against "same kind of event". storyline runs
its real path over ``articles.jsonl``: the readers and cleaning of ``build``, the news
filter and the same ``assign_stories`` that ``api.cluster`` calls (one batch per split).
An article that cleaning drops, or that lands in no story, counts as its own singleton.

The baseline, in the same run: TF-IDF cosine over title + text with average-link
agglomerative clustering, its merge threshold chosen on the ``train`` topics only and
applied to the ``dev`` topics. Scores: B-cubed (Bagga & Baldwin 1998) and pairwise
precision/recall/F1 per split.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from storyline.errors import EvalDataError

SPLITS = ("train", "dev")
BASELINE_THRESHOLDS = tuple(round(0.02 * i, 2) for i in range(1, 50))  # 0.02 .. 0.98
_TOKEN = re.compile(r"\b\w\w+\b", re.UNICODE)  # scikit-learn's default token pattern


def _load(data: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    articles, labels = data / "articles.jsonl", data / "labels.json"
    if not articles.exists() or not labels.exists():
        raise EvalDataError(f"{data} needs articles.jsonl and labels.json (SOURCE.md)")
    meta = json.loads(labels.read_text(encoding="utf-8"))
    with articles.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return meta, rows


# --- scores -------------------------------------------------------------------------------


def _prf(precision: float, recall: float) -> dict[str, float]:
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def bcubed(predicted: Mapping[str, str], gold: Mapping[str, str]) -> dict[str, float]:
    """B-cubed P/R/F1 over the items of ``gold`` (an item missing from ``predicted`` is alone)."""
    pred = {item: predicted.get(item, f"\0{item}") for item in gold}
    pred_size = Counter(pred.values())
    gold_size = Counter(gold.values())
    both = Counter((pred[item], gold[item]) for item in gold)
    precision = sum(both[(pred[i], gold[i])] / pred_size[pred[i]] for i in gold) / len(gold)
    recall = sum(both[(pred[i], gold[i])] / gold_size[gold[i]] for i in gold) / len(gold)
    return _prf(precision, recall)


def pairwise(predicted: Mapping[str, str], gold: Mapping[str, str]) -> dict[str, float]:
    """Pairwise P/R/F1: a pair of items is positive when both share a cluster."""
    pred = {item: predicted.get(item, f"\0{item}") for item in gold}

    def pairs(counts: Counter[Any]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    together = pairs(Counter((pred[i], gold[i]) for i in gold))
    predicted_pairs, gold_pairs = pairs(Counter(pred.values())), pairs(Counter(gold.values()))
    precision = together / predicted_pairs if predicted_pairs else 0.0
    recall = together / gold_pairs if gold_pairs else 0.0
    return _prf(precision, recall)


def _scores(predicted: Mapping[str, str], gold: Mapping[str, str]) -> dict[str, Any]:
    return {
        "bcubed": bcubed(predicted, gold),
        "pairwise": pairwise(predicted, gold),
        "clusters": len({predicted.get(i, f"\0{i}") for i in gold}),
    }


# --- the baseline: TF-IDF cosine, average link ---------------------------------------------


def tfidf_matrix(texts: Sequence[str]) -> np.ndarray:
    """Rows of L2-normalised TF-IDF (smoothed idf, as scikit-learn's defaults)."""
    docs = [Counter(t.lower() for t in _TOKEN.findall(text)) for text in texts]
    vocab = {term: i for i, term in enumerate(sorted({t for d in docs for t in d}))}
    df = np.zeros(len(vocab))
    for doc in docs:
        for term in doc:
            df[vocab[term]] += 1
    idf = np.log((1 + len(docs)) / (1 + df)) + 1.0
    matrix = np.zeros((len(docs), len(vocab)))
    for row, doc in enumerate(docs):
        for term, count in doc.items():
            matrix[row, vocab[term]] = count * idf[vocab[term]]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


def average_link_merges(similarity: np.ndarray) -> list[tuple[int, int, float]]:
    """Every merge of average-link agglomerative clustering: (kept row, folded row, link).

    Average linkage has no inversions, so the links come out non-increasing and a cut at
    any threshold is a prefix of this list: one run serves every threshold tried.
    """
    n = similarity.shape[0]
    sim = similarity.astype(float).copy()
    np.fill_diagonal(sim, -np.inf)
    size = np.ones(n)
    merges: list[tuple[int, int, float]] = []
    for _ in range(n - 1):
        a, b = divmod(int(np.argmax(sim)), n)
        link = float(sim[a, b])
        if link == -np.inf:
            break
        merges.append((a, b, link))
        # Lance-Williams update for average linkage: b is folded into a
        merged = (size[a] * sim[a] + size[b] * sim[b]) / (size[a] + size[b])
        sim[a], sim[:, a] = merged, merged
        sim[a, a] = -np.inf
        sim[b], sim[:, b] = -np.inf, -np.inf
        size[a] += size[b]
    return merges


def cut(n: int, merges: Sequence[tuple[int, int, float]], threshold: float) -> list[int]:
    """Cluster label of each of ``n`` rows after the merges whose link is >= threshold."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, link in merges:
        if link < threshold:
            break
        parent[find(b)] = find(a)
    return [find(i) for i in range(n)]


def _baseline(texts: Mapping[str, str]) -> tuple[list[str], list[tuple[int, int, float]]]:
    keys = sorted(texts)
    matrix = tfidf_matrix([texts[k] for k in keys])
    return keys, average_link_merges(matrix @ matrix.T)


def _cut(baseline: tuple[list[str], list[tuple[int, int, float]]], t: float) -> dict[str, str]:
    keys, merges = baseline
    return {k: f"c{label}" for k, label in zip(keys, cut(len(keys), merges, t), strict=True)}


# --- storyline's path ------------------------------------------------------------------------


def _storyline_articles(data: Path, alias: Mapping[str, str]) -> tuple[dict[str, Any], int]:
    """Articles by key, read and cleaned as ``build`` does and kept by its news filter."""
    from storyline.api import clean_inputs
    from storyline.model import Article
    from storyline.stages.clean.newsness import is_news

    kept: dict[str, Any] = {}
    dropped = 0
    for item in clean_inputs([data / "articles.jsonl"]):
        if isinstance(item, Article) and is_news(item):
            kept[alias[Path(item.input).name]] = item
        else:
            dropped += 1
    return kept, dropped


def evaluate(data: Path, *, limit: int | None = None) -> dict[str, Any]:
    """storyline and the TF-IDF average-link baseline, per split (train and dev topics)."""
    from storyline.stages.corpus.cluster import ClusterConfig, assign_stories

    meta, rows = _load(data)
    rows = rows[:limit]
    gold_all: dict[str, str] = meta["labels"]
    split_of: dict[str, str] = meta["split"]
    texts = {r["key"]: f"{r.get('title') or ''}\n{r['text']}" for r in rows}
    started = time.perf_counter()
    articles, dropped = _storyline_articles(data, meta["alias"])
    articles = {k: a for k, a in articles.items() if k in texts}
    clean_seconds = time.perf_counter() - started
    report: dict[str, Any] = {
        "data": str(data),
        "articles": len(texts),
        "dropped_by_cleaning_or_news_filter": dropped if limit is None else None,
        "clean_ms_per_article": round(1000 * clean_seconds / max(1, len(texts)), 2),
        "config": repr(ClusterConfig()),
        "splits": {},
    }
    # the baseline's threshold: the best B-cubed F1 on the train topics, then frozen
    train_texts = {k: t for k, t in texts.items() if split_of[k] == "train"}
    train_gold = {k: gold_all[k] for k in train_texts}
    train_tree = _baseline(train_texts)
    tuning = {t: bcubed(_cut(train_tree, t), train_gold)["f1"] for t in BASELINE_THRESHOLDS}
    best = max(BASELINE_THRESHOLDS, key=lambda t: (tuning[t], -t)) if train_texts else 0.5
    report["baseline_threshold_from_train"] = best
    for split in SPLITS:
        keys = sorted(k for k in texts if split_of[k] == split)
        if not keys:
            continue
        gold = {k: gold_all[k] for k in keys}
        members = [articles[k] for k in keys if k in articles]
        key_of = {articles[k].id: k for k in keys if k in articles}
        started = time.perf_counter()
        assigned, _ = assign_stories(members, {})
        seconds = time.perf_counter() - started
        ours = {key_of[aid]: story for aid, story in assigned.items()}
        report["splits"][split] = {
            "articles": len(keys),
            "stories": len(set(gold.values())),
            "clustered_articles": len(members),
            "storyline": {
                **_scores(ours, gold),
                "ms_per_article": round(1000 * seconds / max(1, len(members)), 2),
            },
            "tfidf_average_link": _scores(_cut(_baseline({k: texts[k] for k in keys}), best), gold),
        }
    return report


def tune(data: Path, grid: Sequence[Any]) -> list[tuple[float, Any]]:
    """B-cubed F1 on the ``train`` topics of each ClusterConfig in ``grid``, best first.

    Articles are cleaned and embedded once; the dev topics are never looked at.
    Reproduce: ``python -c "from storyline.evaluation.stories import *; ..."`` (BENCHMARKS.md).
    """
    from storyline.stages.corpus.cluster import assign_stories
    from storyline.stages.corpus.embed import embed_articles

    meta, _ = _load(data)
    articles, _ = _storyline_articles(data, meta["alias"])
    keys = sorted(k for k in articles if meta["split"][k] == "train")
    gold = {k: meta["labels"][k] for k in keys}
    members = [articles[k] for k in keys]
    key_of = {a.id: k for k, a in zip(keys, members, strict=True)}
    vectors = embed_articles(members)
    results = []
    for config in grid:
        assigned, _ = assign_stories(members, {}, config, vectors)
        predicted = {key_of[aid]: story for aid, story in assigned.items()}
        results.append((bcubed(predicted, gold)["f1"], config))
    return sorted(results, key=lambda r: -r[0])


def _line(name: str, scores: Mapping[str, Any]) -> str:
    b, p = scores["bcubed"], scores["pairwise"]
    extra = f"  {scores['ms_per_article']:.2f} ms/article" if "ms_per_article" in scores else ""
    return (
        f"    {name:<22} B-cubed P {b['precision']:.3f} R {b['recall']:.3f} F1 {b['f1']:.3f}   "
        f"pairwise P {p['precision']:.3f} R {p['recall']:.3f} F1 {p['f1']:.3f}   "
        f"{scores['clusters']} clusters{extra}"
    )


def format_report(report: dict[str, Any]) -> str:
    """A human-readable report."""
    lines = [
        f"stories on {report['articles']} articles ({report['data']}); "
        f"dropped by cleaning/news filter (singletons): {report['dropped_by_cleaning_or_news_filter']}",
        f"  baseline threshold chosen on train topics: {report['baseline_threshold_from_train']}",
    ]
    for split, part in report["splits"].items():
        lines.append(
            f"  split {split}: {part['articles']} articles, {part['stories']} gold stories, "
            f"{part['clustered_articles']} clustered by storyline"
        )
        lines.append(_line("storyline", part["storyline"]))
        lines.append(_line("tfidf average-link", part["tfidf_average_link"]))
    return "\n".join(lines)
