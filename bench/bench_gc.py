"""The garbage collector's share of a serial build (issue 9).

Usage:
    PYTHONPATH=src .venv/bin/python bench/bench_gc.py CORPUS.jsonl [GENERATION0]

Builds CORPUS into a fresh temporary store in this one process (serial runner) and prints
the build's CPU seconds, the CPU seconds spent inside collections (timed by
``gc.callbacks``), the number of collections of each generation and the peak RSS. With
GENERATION0 the collector's first threshold is set to it first (what
``storyline.backends.relax_gc`` does in storyline's processes); without, Python's default.
Run both forms on the same corpus, alternating, to compare.
"""

from __future__ import annotations

import gc
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

COLLECTIONS = [0, 0, 0]
IN_GC = [0.0, 0.0]  # seconds in collections, start of the current one


def _timed(phase: str, info: dict[str, Any]) -> None:
    if phase == "start":
        IN_GC[1] = time.process_time()
    else:
        IN_GC[0] += time.process_time() - IN_GC[1]
        COLLECTIONS[info["generation"]] += 1


def main(corpus: str, generation0: int | None) -> None:
    if generation0 is not None:
        _, second, third = gc.get_threshold()
        gc.set_threshold(generation0, second, third)
    gc.callbacks.append(_timed)
    from storyline import api
    from storyline.backends import SerialRunner

    tmp = Path(tempfile.mkdtemp())
    started = time.process_time()
    with api.open_store(tmp / "s.db") as store:
        api.build([corpus], tmp / "out", store, runner=SerialRunner())
    cpu = time.process_time() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(
        f"generation0 {gc.get_threshold()[0]}: build {cpu:.2f} s CPU, in collections "
        f"{IN_GC[0]:.2f} s, collections by generation {COLLECTIONS}, peak RSS {rss} MB"
    )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else None)
