"""Quality gate for claim alignment (ECB+ dev topics): floors in baseline.json["claims"].

Also checks that storyline's claims stay more precise than the TF-IDF sentence baseline
run beside it (tuned on the train topics) in the same run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "eval" / "claims" / "ecbplus-dev"
FLOORS: dict[str, Any] = json.loads((Path(__file__).parent / "baseline.json").read_text())

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not DATA.is_dir(), reason="../shared/eval/claims is not there"),
]


def test_gate_claims() -> None:
    from storyline.evaluation import claims

    report = claims.evaluate(DATA)
    ours, base = report["storyline"]["dev/body"], report["baseline"]["dev/body"]
    floor = FLOORS["claims"]
    for metric in ("strict_precision", "chain_recall", "coverage"):
        assert ours[metric] >= floor[metric], (metric, ours)
    assert ours["strict_precision"] > base["strict_precision"], (ours, base)
