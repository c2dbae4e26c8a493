"""What every quality-gate module shares: where the data is, the pinned floors, the marks.

The gates run over ../shared/eval beside the repository (as in CI) and are skipped in a
clone without it; they are slow, so `-m "not slow"` leaves them out.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT.parent / "shared" / "eval"
FLOORS: dict[str, Any] = json.loads((Path(__file__).parent / "baseline.json").read_text())


def gate_marks(data: Path) -> list[pytest.MarkDecorator]:
    """A module's ``pytestmark``: slow, and skipped when ``data`` is not there."""
    return [
        pytest.mark.slow,
        pytest.mark.skipif(not data.is_dir(), reason=f"{data} is not beside the repository"),
    ]
