"""Time and peak memory of `storyline build` on a folder, with the stages timed separately.

Usage: .venv/bin/python bench/bench_build.py [PATH ...] [--repeat N]
Runs in a fresh temporary store each repeat (cold cache: every article is annotated).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from storyline import api


def main() -> None:
    """Build the given inputs into a temporary folder and print timings."""
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="*", default=["examples/seeds"])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    started = time.perf_counter()
    from storyline.nlp import english

    english()
    load = time.perf_counter() - started
    runs = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            with api.open_store(Path(tmp) / "bench.db") as store:
                report = api.build(args.paths, Path(tmp) / "out", store)
            runs.append(time.perf_counter() - t0)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    articles = report.ingest.added
    print(f"inputs: {' '.join(args.paths)}  articles: {articles}  stories: {len(report.dossiers)}")
    print(f"model load: {load:.2f} s")
    print(
        f"build (warm model, cold store): best {min(runs):.3f} s, mean {sum(runs) / len(runs):.3f} s over {len(runs)} runs"
    )
    print(f"peak RSS: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
