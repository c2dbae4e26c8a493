"""Clustering cost per call in a stream of small ingests, as the stored stories grow.

A news stream arrives in small batches, each clustered against everything stored so far,
so what matters is the cost of one call as the store fills up, not the cost of one big
call. This replays a bench corpus (bench/corpus.py) in publication-date order, in calls
of ``--call`` articles, into two stores side by side:

  * "window": the api's path (`api.stories_to_meet`): a batch of dated articles reads
    only the stories of its date window, with the corpus term frequencies the store keeps;
  * "all": every stored story read and weighed in every call (the path before).

Each call is timed in CPU seconds of this process (read the stories, assign, save), and
the two stores must end with the same stories. The articles are cleaned and embedded
once up front (not timed: the same in both).

Usage:
    .venv/bin/python bench/bench_stream.py --eval ../shared/eval --n 10000 --call 100 --json
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import corpus

from storyline import api
from storyline.io.store.sqlite import SQLiteStore
from storyline.model import Article


def _articles(root: Path, n: int, tmp: Path) -> list[Article]:
    """The corpus cleaned (through a store, as an ingest cleans it), news only, date order."""
    from storyline.stages.clean.newsness import is_news

    src = tmp / "corpus.jsonl"
    with src.open("w", encoding="utf-8") as handle:
        for record in corpus(root, n):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    with api.open_store(tmp / "clean.db") as store:
        api.ingest([src], store)
        articles = [a for a in store.unclustered() if is_news(a)]
    # undated articles last: a stream's call with one reads every story (measured apart)
    return sorted(
        articles, key=lambda a: (a.published is None, a.published.start if a.published else 0, a.id)
    )


def _replay(
    articles: list[Article], vectors: dict[str, Any], db: Path, windowed: bool, call: int
) -> dict[str, Any]:
    from storyline.stages.corpus.cluster import assign_stories

    per_call: list[tuple[int, int, float, bool]] = []  # (stories before, read, cpu s, dated)
    with SQLiteStore(db) as store:
        for i in range(0, len(articles), call):
            part = articles[i : i + call]
            store.add_articles(part)
            before = store._cluster_count()  # stories stored before this call
            c0 = time.process_time()
            if windowed:
                stored, frequencies = api.stories_to_meet(store, part)
            else:
                stored, frequencies = store.cluster_states(), None
            assignments, states = assign_stories(
                part, stored, embeddings=vectors, corpus=frequencies
            )
            store.save_clusters(assignments, states)
            spent = time.process_time() - c0
            per_call.append((before, len(stored), spent, all(a.published for a in part)))
        members = store.story_members()
    return {"per_call": per_call, "members": members}


def _summary(per_call: list[tuple[int, int, float, bool]], call: int) -> dict[str, Any]:
    """CPU ms per article by tenth of the stream, and the stories read per call."""
    tenth = max(1, len(per_call) // 10)
    by_tenth = []
    for i in range(0, len(per_call), tenth):
        chunk = per_call[i : i + tenth]
        by_tenth.append(
            {
                "stories_stored": chunk[-1][0],
                "stories_read_per_call": round(sum(c[1] for c in chunk) / len(chunk)),
                "cpu_ms_per_article": round(
                    1000 * sum(c[2] for c in chunk) / (call * len(chunk)), 2
                ),
            }
        )
    return {"calls": len(per_call), "by_tenth": by_tenth}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--eval", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--call", type=int, default=100, help="articles per clustering call")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from storyline.stages.corpus.embed import embed_articles

    with tempfile.TemporaryDirectory() as tmp:
        articles = _articles(args.eval, args.n, Path(tmp))
        vectors = embed_articles(articles)
        report: dict[str, Any] = {
            "articles": len(articles),
            "undated": sum(a.published is None for a in articles),
            "call": args.call,
        }
        runs = {}
        for mode in ("window", "all"):
            runs[mode] = _replay(
                articles, vectors, Path(tmp) / f"{mode}.db", mode == "window", args.call
            )
            report[mode] = _summary(runs[mode]["per_call"], args.call)
            report[mode]["stories"] = len(runs[mode]["members"])
        report["same_stories"] = runs["window"]["members"] == runs["all"]["members"]
        report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(report, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
