"""Runners: how the per-article and per-story work is executed (serial, processes, Dask).

Stages are pure functions over picklable records, so a runner only has to map a
top-level function over a sequence; every backend gives the same result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol, TypeVar

from storyline.errors import ConfigError

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

T = TypeVar("T")
R = TypeVar("R")


class Runner(Protocol):
    """Maps a picklable, top-level function over items, keeping their order."""

    # Whether the workers run on this machine, so they can open its files (the store, the
    # output folder) by path: an assembly then hands them ids instead of the data.
    local: bool

    def map(self, func: Callable[[T], R], items: Sequence[T]) -> list[R]:
        """``[func(x) for x in items]``, however it is executed."""
        ...

    def submit(self, func: Callable[[T], R], items: Sequence[T]) -> Callable[[], list[R]]:
        """Start ``map(func, items)`` and return a call that waits for its results: the
        caller works meanwhile (a runner without workers computes before it returns)."""
        ...

    def close(self) -> None:
        """Release workers (a no-op for runners that hold none)."""
        ...


def done(results: list[R]) -> Callable[[], list[R]]:
    """A :meth:`Runner.submit` result for work already done."""
    return lambda: results


class SerialRunner:
    """In this process, one item after the other (the default: no start-up cost)."""

    local = True

    def map(self, func: Callable[[T], R], items: Sequence[T]) -> list[R]:
        """Run in order, here."""
        return [func(item) for item in items]

    def submit(self, func: Callable[[T], R], items: Sequence[T]) -> Callable[[], list[R]]:
        """Run in order, here, now (there is no worker to overlap with)."""
        return done(self.map(func, items))

    def close(self) -> None:
        """Nothing to release."""


FEW_ITEMS = 64

# The collector's first-generation threshold in the processes storyline runs its stages in
# (the CLI's, the pool's workers, Dask's). At Python's 700 a parse and its annotation
# trigger a collection every few hundred allocations, each walking the young objects,
# and a full collection now and then walks the loaded model's millions of objects: 1.5 s
# of a 52 s serial build of 300 articles (2,859 collections, 4 ms an article, timed by
# gc.callbacks). At 20,000 the same build collected 36 times (0.2 s) at the same peak RSS:
# the stages make little cyclic garbage, so waiting longer piles nothing up.
GC_GENERATION0 = 20_000


def relax_gc() -> None:
    """Collect less often in this process (see :data:`GC_GENERATION0`); never more often,
    and a collector switched off (threshold 0) stays off."""
    import gc

    first, second, third = gc.get_threshold()
    if 0 < first < GC_GENERATION0:
        gc.set_threshold(GC_GENERATION0, second, third)


# How often a pool worker checks that the process that started it is alive (seconds).
PARENT_CHECK_S = 0.5


def _start_worker() -> None:
    """A pool worker's start: collect as storyline's processes do, and exit when the process
    that started it is gone. A worker blocks on the pool's queue, whose pipe it inherited
    both ends of: a parent killed outright (SIGKILL, OOM) never closes it, and the worker,
    holding the model's ~300 MB, would wait forever."""
    import os
    import threading
    import time

    relax_gc()
    parent = os.getppid()  # an orphan is handed to another process: its parent id changes

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os._exit(1)  # orphaned: nothing of ours is left to hand results to

    threading.Thread(target=watch, name="storyline-parent-watch", daemon=True).start()


class ProcessRunner:
    """A pool of local processes; each loads the model once on first use.

    The pool is kept between calls until :meth:`close`: an annotate round after round
    and the assembly after it must not start processes (and load the model) each time.
    """

    local = True

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)
        self._pool: ProcessPoolExecutor | None = None

    def map(self, func: Callable[[T], R], items: Sequence[T]) -> list[R]:
        """Run across processes."""
        return self.submit(func, items)()

    def submit(self, func: Callable[[T], R], items: Sequence[T]) -> Callable[[], list[R]]:
        """Hand the items to the pool now; the returned call collects the results in order.

        A single item goes to the pool too: run here it would hold this process until it
        is done and keep its memory here (at 100k articles the assembly of a
        1,555-article story, one round of one part, took this process to 1.8 GB while
        both workers idled)."""
        if self.jobs == 1 or not items:
            return done([func(item) for item in items])
        if self._pool is None:
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(max_workers=self.jobs, initializer=_start_worker)
        # few items (annotate's batches, assembly's parts) are handed out one at a time, so
        # a worker that finishes early takes the next; many go in chunks to save messages
        chunk = 1 if len(items) <= FEW_ITEMS else max(1, len(items) // (self.jobs * 4))
        results = self._pool.map(func, items, chunksize=chunk)  # submitted here, all of it
        return lambda: list(results)

    def close(self) -> None:
        """Stop the worker processes (a later map starts new ones)."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def __enter__(self) -> ProcessRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class LazyRunner:
    """A runner made by ``make`` when work is first handed to it: a build that never fills
    a batch for the workers starts no pool. ``made`` is the runner, once made."""

    local = True  # what storyline makes with it: local processes (``default_runner``)

    def __init__(self, make: Callable[[], Runner]) -> None:
        self._make = make
        self.made: Runner | None = None

    def _runner(self) -> Runner:
        if self.made is None:
            self.made = self._make()
        return self.made

    def map(self, func: Callable[[T], R], items: Sequence[T]) -> list[R]:
        """``map`` on the runner (made now if need be)."""
        return self._runner().map(func, items)

    def submit(self, func: Callable[[T], R], items: Sequence[T]) -> Callable[[], list[R]]:
        """``submit`` on the runner (made now if need be)."""
        return self._runner().submit(func, items)

    def close(self) -> None:
        """Close the runner if it was made (a later use makes a new one)."""
        if self.made is not None:
            self.made.close()
            self.made = None


# Workers a default runner uses at most: each holds its own copy of the model (~300 MB).
MAX_DEFAULT_JOBS = 4


def default_jobs() -> int:
    """Every core this process may use, up to MAX_DEFAULT_JOBS."""
    import os

    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_DEFAULT_JOBS))


def default_runner(work_items: int) -> Runner:
    """Local processes on every core when there is work enough to share, else this process."""
    jobs = min(default_jobs(), work_items)
    return ProcessRunner(jobs) if jobs > 1 else SerialRunner()


def make_runner(backend: str = "local", jobs: int = 1, scheduler: str | None = None) -> Runner:
    """The runner for a backend name: "local" (serial or processes) or "dask"."""
    jobs = default_jobs() if jobs <= 0 else jobs
    if backend == "local":
        return SerialRunner() if jobs <= 1 else ProcessRunner(jobs)
    if backend == "dask":
        from storyline.backends.dask import DaskRunner

        return DaskRunner(workers=jobs, scheduler=scheduler)
    raise ConfigError(f"unknown backend {backend!r}", hint="use --backend local or --backend dask")
