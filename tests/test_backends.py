"""Runners give the same result whatever executes them (serial, processes, Dask)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline import api
from storyline.backends import ProcessRunner, SerialRunner, make_runner
from storyline.backends.dask import DaskRunner
from storyline.errors import ConfigError
from storyline.io.writers import dossier_dict


def square(x: int) -> int:
    return x * x


def test_backends_serial_and_processes_agree() -> None:
    items = list(range(23))
    with ProcessRunner(2) as runner:
        assert SerialRunner().map(square, items) == runner.map(square, items)
        assert runner.map(square, items) == [x * x for x in items]


def worker_pid(_: int) -> int:
    import os

    return os.getpid()


def test_backends_processes_are_kept_until_closed() -> None:
    runner = ProcessRunner(2)
    first = set(runner.map(worker_pid, range(8)))
    second = set(runner.map(worker_pid, range(8)))
    # the same pool: workers are reused, and (a pool starts them on demand) at most 2 ever
    assert first & second and len(first | second) <= 2
    runner.close()
    assert not first & set(runner.map(worker_pid, range(8)))  # closed: a new pool
    runner.close()


def test_backends_dask_keeps_order() -> None:
    items = list(range(17))
    with DaskRunner(workers=2) as runner:
        assert runner.map(square, items) == [x * x for x in items]
        assert runner.map(square, items[:3]) == [0, 1, 4]  # the cluster is reused
        many = list(range(150))  # more than FEW_ITEMS: contiguous partitions, in order
        assert runner.map(square, many) == [x * x for x in many]
        # two submitted maps in flight at once, collected out of order, each in order
        first, second = runner.submit(square, items), runner.submit(square, items[:5])
        assert second() == [0, 1, 4, 9, 16] and first() == [x * x for x in items]


def test_backends_submitted_work_is_collected_in_order_while_more_is_submitted() -> None:
    items = list(range(70))  # more than FEW_ITEMS: handed out in chunks
    with ProcessRunner(2) as runner:
        for r in (SerialRunner(), runner):
            first = r.submit(square, items)
            second = r.submit(worker_pid, range(4))
            middle = r.map(square, [3, 4])  # the caller's own work meanwhile
            assert middle == [9, 16] and first() == [x * x for x in items]
            assert len(second()) == 4


def test_backends_unknown_name_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        make_runner("spark")


@pytest.mark.slow
def test_backends_local_and_dask_dossiers_identical(seeds_dir: Path, tmp_path: Path) -> None:
    results = []
    for name, runner in (("local", SerialRunner()), ("dask", DaskRunner(workers=2))):
        with api.open_store(tmp_path / f"{name}.db") as store:
            api.ingest([seeds_dir], store)
            results.append([dossier_dict(d) for d in api.dossiers(store, runner=runner)])
        runner.close()
    assert results[0] == results[1]


def test_balanced_parts_cover_every_item_once_and_even_out_the_cost() -> None:
    from storyline.api import balanced_parts

    costs = [5000, 1, 1, 4000, 2, 3, 1, 1, 1, 2]
    parts = balanced_parts(costs, 3)
    assert sorted(i for part in parts for i in part) == list(range(len(costs)))
    totals = [sum(costs[i] for i in part) for part in parts]
    assert totals == sorted(totals, reverse=True)  # costliest part first
    assert [0] in parts and [3] in parts[:2]  # the two large items apart, each alone
    assert balanced_parts([], 4) == [] and balanced_parts([7, 7], 5) == [[0], [1]]


def test_background_work_hands_back_its_result_or_its_error() -> None:
    assert api._in_background(square, 7)() == 49
    failing = api._in_background(int, "not a number")
    with pytest.raises(ValueError):
        failing()


def gc_generation0(_: int) -> int:
    import gc

    return gc.get_threshold()[0]


def test_workers_collect_garbage_less_often_than_python_default() -> None:
    from storyline.backends import GC_GENERATION0

    with ProcessRunner(2) as runner:
        assert set(runner.map(gc_generation0, range(8))) == {GC_GENERATION0}


def test_relax_gc_never_collects_more_often_and_keeps_a_collector_off() -> None:
    import gc

    from storyline.backends import GC_GENERATION0, relax_gc

    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        relax_gc()
        assert gc.get_threshold() == (GC_GENERATION0, 10, 10)
        gc.set_threshold(GC_GENERATION0 * 2, 10, 10)
        relax_gc()
        assert gc.get_threshold()[0] == GC_GENERATION0 * 2
        gc.set_threshold(0, 10, 10)
        relax_gc()
        assert gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*before)


_ORPHAN_PARENT = """
import sys, time
from storyline.backends import ProcessRunner
from tests.test_backends import worker_pid

runner = ProcessRunner(2)
print(*sorted(set(runner.map(worker_pid, range(8)))), flush=True)
time.sleep(600)  # killed here, its pool still up
"""


def _alive(pid: int) -> bool:
    import os

    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().split(") ")[-1][:1] != "Z"  # a zombie is gone but for its entry
    except FileNotFoundError:
        return False
    except OSError:
        os.kill(pid, 0)  # no /proc: raises when the process is gone
        return True


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_pool_workers_exit_when_their_parent_is_killed_outright() -> None:
    """A SIGKILLed ingest or build cannot shut its pool down: the workers (the model in
    each) must not wait forever on a queue nobody will write to."""
    import os
    import signal
    import subprocess
    import sys
    import time

    root = Path(__file__).parent.parent
    env = {**os.environ, "PYTHONPATH": f"{root / 'src'}{os.pathsep}{root}"}
    parent = subprocess.Popen(
        [sys.executable, "-c", _ORPHAN_PARENT], stdout=subprocess.PIPE, env=env, cwd=root
    )
    assert parent.stdout is not None
    workers = [int(pid) for pid in parent.stdout.readline().split()]
    assert len(workers) >= 1 and all(_alive(pid) for pid in workers)
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=30)
    deadline = time.monotonic() + 20
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in workers)
