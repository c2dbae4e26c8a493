"""Ingest: idempotent, resilient to bad files, and safe to interrupt."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline import api
from storyline.io.store.sqlite import SQLiteStore
from tests.util import interrupt_at, write_articles


def test_ingest_twice_changes_nothing(tmp_path: Path, store: SQLiteStore) -> None:
    write_articles(tmp_path / "in", 5)
    first = api.ingest([tmp_path / "in"], store)
    digest = store.digest()
    second = api.ingest([tmp_path / "in"], store)
    assert (first.added, second.added, second.unchanged) == (5, 0, 5)
    assert store.digest() == digest


def test_ingest_interrupted_keeps_committed_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_articles(tmp_path / "in", 7)
    monkeypatch.setattr(api, "BATCH", 3)
    db = tmp_path / "s.db"
    with SQLiteStore(db) as store, pytest.raises(KeyboardInterrupt):
        api.ingest([tmp_path / "in"], store, progress=interrupt_at(6))
    with SQLiteStore(db) as store:
        assert store.article_count() == 3  # the first full batch; the open one was never written
        report = api.ingest([tmp_path / "in"], store)  # a re-run finishes the job
        assert (report.added, report.unchanged, store.article_count()) == (4, 3, 7)


def test_ingest_bad_inputs_are_reported_and_the_batch_goes_on(
    tmp_path: Path, store: SQLiteStore
) -> None:
    folder = tmp_path / "in"
    write_articles(folder, 2)
    (folder / "latin1.txt").write_bytes(
        "Caf\xe9 owners in Z\xfcrich said prices rose.\n".encode("latin-1") * 5
    )
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 100)
    (folder / "empty.html").write_text("")
    (folder / "huge.txt").write_bytes(b"word " * (25 * 1024 * 1024 // 5))
    (folder / "bad.jsonl").write_text(
        '{"url": "u1", "text": "A full sentence about the river bridge opening."}\n{not json\n'
    )
    report = api.ingest([folder], store)
    problems = {Path(p.input.split("#")[0]).name for p in report.problems}
    assert {"binary.txt", "empty.html", "huge.txt", "bad.jsonl"} <= problems
    assert all(p.reason for p in report.problems)
    assert report.added >= 3  # the two articles and the latin-1 one (decoded, not lost)
