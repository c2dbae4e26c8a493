"""The Dask backend: article and story work as partitions of a Dask bag.

Needs ``dask[distributed]`` (pinned in requirements.lock). With no scheduler
address a LocalCluster of ``workers`` processes is started for the call; with one,
the work goes to that cluster, whose workers must have storyline installed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, TypeVar

from storyline.backends import FEW_ITEMS, relax_gc
from storyline.errors import ConfigError

# seconds to wait for a --scheduler address before giving up with one clear line
CONNECT_TIMEOUT_S = 10.0

# Intervals of a local cluster's monitors that only report (none changes what runs where).
LOCAL_MONITORS = {
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    # each worker's sampling profiler (every 10 ms, for the dashboard): 1.5% of a core idle
    "distributed.worker.profile.enabled": False,
}

T = TypeVar("T")
R = TypeVar("R")


def _apply(func: Callable[[T], R], partition: Sequence[T]) -> list[R]:
    """Run ``func`` over one partition (on a worker)."""
    relax_gc()  # a Dask worker has no initializer of ours: once per task, it costs nothing
    return [func(item) for item in partition]


class DaskRunner:
    """Maps work over a Dask cluster in partitions (about 1.6 ms overhead per task: batch it).

    The cluster (and so each worker's loaded model) is kept between calls until
    :meth:`close`: a build maps twice (articles, then stories) and must not pay the
    start-up twice.
    """

    def __init__(self, workers: int = 2, scheduler: str | None = None, per_worker: int = 4) -> None:
        self.workers = max(1, workers)
        self.scheduler = scheduler
        self.per_worker = per_worker
        # a cluster started here runs on this machine; one reached by address may not
        self.local = scheduler is None
        self._client: Any = None
        self._cluster: Any = None
        if scheduler:
            # a remote scheduler costs nothing to reach now, and a wrong address must
            # fail before a long ingest, not after it
            self._connect()

    def _connect(self) -> Any:
        """The client, started on first use."""
        if self._client is None:
            try:
                from dask.distributed import Client, LocalCluster
            except ImportError as exc:  # pragma: no cover - dask is in the pinned environment
                raise ConfigError(
                    "the dask backend needs dask[distributed]", hint="run make install"
                ) from exc
            if self.scheduler:
                try:
                    self._client = Client(self.scheduler, timeout=CONNECT_TIMEOUT_S)
                except (OSError, TimeoutError, ValueError) as exc:
                    # distributed raises OSError/TimeoutError for an unreachable address and
                    # ValueError for a malformed one: both are a setting to fix, not a bug
                    raise ConfigError(
                        f"cannot reach the Dask scheduler at {self.scheduler}: {exc}",
                        hint="start one with `dask scheduler`, check --scheduler, "
                        "or leave it out to use a local cluster",
                    ) from exc
            else:
                import dask

                # the scheduler runs in this process, beside the build's own work: its
                # event-loop watchdog (every 20 ms) and system monitor (every 0.5 s) cost
                # 3.5% of a core idle, 1.3% at these intervals (they only report; workers
                # started here inherit the setting)
                with dask.config.set(LOCAL_MONITORS):
                    self._cluster = LocalCluster(
                        n_workers=self.workers,
                        threads_per_worker=1,
                        processes=True,
                        host="127.0.0.1",  # a local cluster listens on loopback only
                        dashboard_address="127.0.0.1:0",
                    )
                # the client sends and fetches data straight to and from the local workers:
                # through the scheduler (the default) every partition and every result is
                # received and sent again by this process (the scheduler runs here)
                self._client = Client(self._cluster, direct_to_workers=True)
        return self._client

    def map(self, func: Callable[[T], R], items: Sequence[T]) -> list[R]:
        """Partition ``items``, run the partitions on the cluster, and keep the order.

        The partitions are scattered to the workers as data, not embedded in the task
        graph (a graph holding a corpus' articles is slow to build and to ship).
        """
        return self.submit(func, items)()

    def submit(self, func: Callable[[T], R], items: Sequence[T]) -> Callable[[], list[R]]:
        """Send the partitions to the cluster now; the returned call gathers them in order.

        Each partition is scattered and its task submitted before the next one is
        serialised, so the first worker starts while this process still sends the rest
        (one scatter of every partition kept both workers idle until all of it was sent:
        about 8 s of a 300-article build's assembly). Scattered data is not hashed: a
        token of every article would be one more pass over all of it, for nothing (each
        partition is used once). The results are fetched one partition at a time, so the
        first are unpickled here while the workers still compute the last.
        """
        if not items:
            return lambda: []
        client = self._connect()
        # few items (annotate's parse batches, assembly's cost-balanced parts) are one task
        # each, as in the process pool, so a worker that finishes early takes the next:
        # regrouped into workers * per_worker parts, the costliest assembly parts shared
        # one task and one worker finished the phase alone
        few = len(items) <= FEW_ITEMS
        count = len(items) if few else max(1, min(len(items), self.workers * self.per_worker))
        size = -(-len(items) // count)  # contiguous parts: the results come back in order
        task = partial(_apply, func)
        futures = []
        for i in range(0, len(items), size):
            [data] = client.scatter([list(items[i : i + size])], hash=False)
            futures.append(client.submit(task, data, pure=False))

        def gather() -> list[R]:
            return [result for future in futures for result in future.result()]

        return gather

    def close(self) -> None:
        """Shut down the client and the local cluster, if any."""
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None

    def __enter__(self) -> DaskRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
