"""Where a build's CPU goes, per backend: the main process by thread, each worker, per phase.

Usage: PYTHONPATH=src .venv/bin/python bench/bench_cpu_split.py CORPUS.jsonl dask:1,dask:2,local:2

One `api.build` into a fresh temporary store per backend (the model loaded first, a Dask
cluster started before the clock). CPU is user + system from psutil: the main process's
threads (main, Dask's `IO loop`, which in a LocalCluster runs the scheduler, the client and
the nannies), the clustering thread (timed inside it), and each child process (the workers),
at every phase mark of the build's progress reporter. On a shared machine the CPU seconds
are the figures to compare; wall time moves with everyone else's load.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil

from storyline import api
from storyline.backends import make_runner

ME = psutil.Process()
BACKGROUND: list[float] = []  # CPU seconds of each background (clustering) thread


def children_cpu() -> dict[int, float]:
    out = {}
    for p in ME.children(recursive=True):
        try:
            t = p.cpu_times()
            out[p.pid] = t.user + t.system
        except psutil.Error:
            pass
    return out


def threads_cpu() -> dict[str, float]:
    names = {t.native_id: t.name for t in threading.enumerate()}
    return {names.get(t.id, str(t.id)): t.user_time + t.system_time for t in ME.threads()}


def main_cpu() -> float:
    t = ME.cpu_times()
    return t.user + t.system


class Clock:
    """A progress reporter that samples the CPU counters at each phase start."""

    def __init__(self) -> None:
        self.marks: list[tuple[str, float, float, dict[int, float], dict[str, float]]] = []

    def __call__(self, n: int = 1) -> None:
        pass

    def phase(self, name: str, total: int | None) -> None:
        self.marks.append((name, time.perf_counter(), main_cpu(), children_cpu(), threads_cpu()))


_in_background = api._in_background


def _timed_background(func: Callable[..., Any], *args: Any) -> Callable[[], Any]:
    def timed(*a: Any) -> Any:
        started = time.thread_time()
        try:
            return func(*a)
        finally:
            BACKGROUND.append(time.thread_time() - started)

    return _in_background(timed, *args)


def one(spec: str, paths: list[str]) -> None:
    name, _, jobs = spec.partition(":")
    runner = make_runner(name, int(jobs or 1))
    if name == "dask":
        runner._connect()  # type: ignore[attr-defined]  # start-up outside the clock
    BACKGROUND.clear()
    base_main, base_kids, base_threads = main_cpu(), children_cpu(), threads_cpu()
    clock = Clock()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        with api.open_store(Path(tmp) / "b.db") as store:
            report = api.build(paths, Path(tmp) / "out", store, runner=runner, progress=clock)
        wall = time.perf_counter() - t0
    clock.phase("end", None)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"== {spec}: wall {wall:.1f} s, stories {len(report.stories)}, load {load}")
    end_threads = threads_cpu()
    threads = {k: round(v - base_threads.get(k, 0.0), 1) for k, v in end_threads.items()}
    print("  main-process threads:", {k: v for k, v in threads.items() if v})
    print("  clustering thread:", [round(x, 1) for x in BACKGROUND])
    for (phase, t, m, kids, th), (_, t2, m2, kids2, th2) in zip(
        clock.marks, clock.marks[1:], strict=False
    ):
        workers = [round(kids2[p] - kids.get(p, base_kids.get(p, 0.0)), 1) for p in kids2]
        io = th2.get("IO loop", 0.0) - th.get("IO loop", 0.0)
        print(
            f"  {phase:10s} wall {t2 - t:6.1f}  main {m2 - m:6.1f} (IO loop {io:.1f})  "
            f"children {workers}"
        )
    kids = clock.marks[-1][3]
    workers = [round(kids[p] - base_kids.get(p, 0.0), 1) for p in kids]
    print(f"  total: main {clock.marks[-1][2] - base_main:.1f}  children {workers}")
    runner.close()


def main() -> None:
    from storyline.nlp import english

    english()
    api._in_background = _timed_background  # type: ignore[assignment]
    for spec in sys.argv[2].split(","):
        one(spec, [sys.argv[1]])


if __name__ == "__main__":  # a LocalCluster's workers are spawned: they import this module
    main()
