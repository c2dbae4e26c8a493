"""Shared fixtures (documented in tests/README.md)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from storyline.io.store.sqlite import SQLiteStore

# Strict mode for the whole suite: a stage that raises fails its test instead of being
# recorded as a problem, so isolation never hides a bug. Tests of isolation itself
# remove it with ``monkeypatch.delenv``. Set at import so worker processes inherit it.
os.environ["STORYLINE_STRICT"] = "1"

# Property tests judge behaviour, not speed: a shared CI machine makes timings noisy
# (speed is measured by the scripts in bench/), so no per-example deadline.
settings.register_profile("storyline", deadline=None, derandomize=bool(os.environ.get("CI")))
settings.load_profile("storyline")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    """A fresh store in a temporary folder, closed after the test."""
    db = SQLiteStore(tmp_path / "test.db")
    yield db
    db.close()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The seed example folder shipped with the project."""
    return SEEDS
