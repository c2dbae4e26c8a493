"""Time and peak memory of `storyline build`, per backend, on the same inputs in one run.

Usage: .venv/bin/python bench/bench_build.py [PATH ...] [--repeat N] [--backends local,local:2,dask:2]
Each run uses a fresh temporary store (cold cache: every article is parsed and annotated);
the model is loaded once before timing (workers of the process and Dask backends load
their own copy, which is part of their time).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from storyline import api
from storyline.backends import make_runner, relax_gc


def peak_rss_mb() -> float:
    """Peak resident memory of this process and its finished children, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def main() -> None:
    """Build the given inputs into temporary folders and print timings per backend."""
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="*", default=["examples/seeds"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--backends", default="local")
    args = parser.parse_args()
    relax_gc()  # as `storyline build` does in its process
    started = time.perf_counter()
    from storyline.nlp import english

    english()
    print(f"model load: {time.perf_counter() - started:.2f} s")
    for spec in args.backends.split(","):
        name, _, jobs = spec.partition(":")
        runner = make_runner(name, int(jobs or 1))
        runs = []
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory() as tmp:
                t0 = time.perf_counter()
                with api.open_store(Path(tmp) / "bench.db") as store:
                    report = api.build(args.paths, Path(tmp) / "out", store, runner=runner)
                    runs.append(time.perf_counter() - t0)
                    words = sum(len(a.text.split()) for a in store.articles())
        runner.close()
        n = report.ingest.added
        print(
            f"{spec:10s} articles {n:5d}  words {words:7d}  stories {len(report.stories):4d}  "
            f"best {min(runs):7.2f} s  mean {sum(runs) / len(runs):7.2f} s  "
            f"{n / min(runs):6.1f} articles/s  {words / min(runs):7.0f} words/s"
        )
    print(f"peak RSS (largest process): {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
