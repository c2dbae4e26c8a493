"""Ingest cleaning in the runner's workers: same store as cleaning here, batches bounded,
broken documents reported, no pool for a small ingest."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import pytest

from storyline import api
from storyline.backends import LazyRunner, ProcessRunner, SerialRunner
from storyline.io.store.sqlite import SQLiteStore
from storyline.model import Article, InputProblem, RawDocument
from tests.util import interrupt_at, write_articles

T = TypeVar("T")
R = TypeVar("R")


def small_batches(
    monkeypatch: pytest.MonkeyPatch, clean: int = 2, part: int = 1, store: int = 2
) -> None:
    """Clean batches of ``clean`` in parts of ``part``, store batches of ``store``: a few
    inputs make many batches."""
    monkeypatch.setattr(api, "CLEAN_BATCH", clean)
    monkeypatch.setattr(api, "CLEAN_PART", part)
    monkeypatch.setattr(api, "BATCH", store)


def with_bad_files(folder: Path) -> None:
    """A binary file and an empty one among the articles (the reader reports both)."""
    (folder / "004b.txt").write_bytes(bytes(range(256)) * 100)
    (folder / "007e.html").write_text("")


class Counting:
    """A runner that computes here (as SerialRunner) and records what it was handed; the
    results are computed when collected, so work can be in flight."""

    local = True

    def __init__(self) -> None:
        self.submitted: list[tuple[str, list[int]]] = []  # (task, part sizes)
        self.in_flight = 0
        self.most_in_flight = 0

    def map(self, func: Callable[[T], R], items: Sequence[T]) -> list[R]:
        return self.submit(func, items)()

    def submit(self, func: Callable[[T], R], items: Sequence[T]) -> Callable[[], list[R]]:
        sizes = [len(i) if isinstance(i, Sequence) else 1 for i in items]
        self.submitted.append((func.__name__, sizes))
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)

        def collect() -> list[R]:
            self.in_flight -= 1
            return [func(item) for item in items]

        return collect

    def close(self) -> None:
        pass


def contents(store: SQLiteStore) -> tuple[list[tuple[str, str | None]], list[Any]]:
    """The stored articles (id, input) in ingest order and the recorded problems in order."""
    articles = [(a.id, a.input) for a in store.articles()]
    rows = store._db.execute(
        "SELECT kind, input, reason, detail FROM problems ORDER BY rowid"
    ).fetchall()
    return articles, rows


def summary(report: api.IngestReport) -> tuple[int, int, list[str], list[str]]:
    return (
        report.added,
        report.unchanged,
        [p.input for p in report.problems],
        [p.input for p in report.warnings],
    )


def test_cleaning_goes_through_the_runner_with_the_same_store_as_serial(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    write_articles(folder, 11)
    with_bad_files(folder)
    small_batches(monkeypatch, clean=4, part=2, store=3)
    with SQLiteStore(tmp_path / "serial.db") as store:
        serial = api.ingest([folder], store)
        expected = contents(store)
    counting = Counting()
    with SQLiteStore(tmp_path / "workers.db") as store:
        report = api.ingest([folder], store, runner=counting)
        got = contents(store)
    assert got == expected and len(expected[0]) == 11
    assert summary(report) == summary(serial)
    clean_batches = [sizes for task, sizes in counting.submitted if task == "_clean_raws"]
    # 11 documents: two full batches of 4 in parts of 2, then the rest (sent: the pool is up)
    assert clean_batches == [[2, 2], [2, 2], [2, 1]]
    assert counting.most_in_flight <= api.CLEAN_IN_FLIGHT


def test_a_repeated_input_counts_as_today_though_the_reading_runs_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    write_articles(folder, 5)
    small_batches(monkeypatch)
    handed: list[str] = []
    with SQLiteStore(tmp_path / "serial.db") as store:
        serial = api.ingest(
            [folder, folder], store, stored=lambda batch: handed.extend(a.id for a in batch)
        )
        expected = contents(store)
    stored: list[str] = []
    with SQLiteStore(tmp_path / "workers.db") as store:
        report = api.ingest(
            [folder, folder],
            store,
            runner=Counting(),
            stored=lambda batch: stored.extend(a.id for a in batch),
        )
        assert contents(store) == expected
    assert summary(report) == summary(serial) == (5, 5, [], [])
    # the same batches handed on: a repeat read after its first's batch was committed is
    # skipped, though the reading ran ahead of that commit (only the 5th, in the open
    # batch when its repeat comes, goes in twice, as it does cleaning here)
    assert stored == handed and len(stored) == 6


def test_a_raising_document_in_a_worker_batch_is_reported_and_the_rest_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyline.stages.clean import document

    monkeypatch.delenv("STORYLINE_STRICT", raising=False)  # before the pool forks
    monkeypatch.setattr(api, "CLEAN_BATCH", 4)
    monkeypatch.setattr(api, "CLEAN_PART", 2)
    real = document.clean

    def breaks_on_five(raw: RawDocument) -> Article | InputProblem:
        if raw.input.endswith("005.txt"):
            raise RuntimeError("clean-up bug")
        return real(raw)

    monkeypatch.setattr(document, "clean", breaks_on_five)  # the forked workers inherit it
    folder = tmp_path / "in"
    write_articles(folder, 9)
    with SQLiteStore(tmp_path / "s.db") as store, ProcessRunner(2) as runner:
        report = api.ingest([folder], store, runner=runner)
        assert runner._pool is not None  # the workers cleaned
        inputs = [Path(a.input).name for a in store.articles()]
    assert [(Path(p.input).name, p.reason) for p in report.problems] == [
        ("005.txt", "clean-failed")
    ]
    assert "clean-up bug" in report.problems[0].detail
    assert inputs == [f"{i:03d}.txt" for i in range(9) if i != 5]


def test_a_small_ingest_starts_no_pool(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_articles(folder, 3)
    with SQLiteStore(tmp_path / "s.db") as store, ProcessRunner(2) as runner:
        report = api.ingest([folder], store, runner=runner)
        assert runner._pool is None
    assert report.added == 3


def test_a_small_build_makes_no_runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[LazyRunner] = []
    real = LazyRunner.__init__

    def record(self: LazyRunner, make: Callable[[], Any]) -> None:
        real(self, make)
        made.append(self)

    monkeypatch.setattr(LazyRunner, "__init__", record)
    folder = tmp_path / "in"
    write_articles(folder, 3)
    with SQLiteStore(tmp_path / "s.db") as store:
        api.build([folder], tmp_path / "out", store)
    assert len(made) == 1 and made[0].made is None


def test_lazy_runner_makes_its_runner_on_first_use_only() -> None:
    made: list[SerialRunner] = []
    lazy = LazyRunner(lambda: made.append(SerialRunner()) or made[-1])
    assert lazy.made is None and not made
    assert lazy.submit(abs, [-1, 2])() == [1, 2]
    assert lazy.map(abs, [-3]) == [3]
    assert len(made) == 1 and lazy.made is made[0]
    lazy.close()
    assert lazy.made is None


def test_interrupted_ingest_with_workers_keeps_what_was_committed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    write_articles(folder, 12)
    small_batches(monkeypatch)
    db = tmp_path / "s.db"
    with SQLiteStore(db) as store, pytest.raises(KeyboardInterrupt):
        api.ingest([folder], store, progress=interrupt_at(10), runner=Counting())
    with SQLiteStore(db) as store:
        assert store.check() == []
        kept = store.article_count()
        # 9 read: 2 batches still in the workers' hands, the 5 read before them stored
        # (4 committed, the 5th waiting in the open store batch: lost, read again below)
        assert kept == 4
        report = api.ingest([folder], store, runner=Counting())
        assert (report.added, report.unchanged, store.article_count()) == (8, 4, 12)


def test_cli_ingest_takes_the_build_runner_options(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from storyline.cli import cli

    folder = tmp_path / "in"
    write_articles(folder, 3)
    db = tmp_path / "s.db"
    args = ["ingest", str(folder), "--store", str(db), "--no-dossiers"]
    result = CliRunner().invoke(cli, [*args, "--backend", "local", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert "ingested 3 new" in result.output
    bad = CliRunner().invoke(cli, [*args, "--backend", "nope"])
    assert bad.exit_code == 2
