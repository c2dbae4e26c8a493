"""Quality gate for claim alignment (ECB+ dev topics): floors in baseline.json["claims"].

Also checks that storyline's claims stay more precise than the TF-IDF sentence baseline
run beside it (tuned on the train topics) in the same run.
"""

from __future__ import annotations

from tests.eval.gate import EVAL, FLOORS, gate_marks

DATA = EVAL / "claims" / "ecbplus-dev"

pytestmark = gate_marks(DATA)


def test_gate_claims() -> None:
    from storyline.evaluation import claims

    report = claims.evaluate(DATA)
    ours, base = report["storyline"]["dev/body"], report["baseline"]["dev/body"]
    floor = FLOORS["claims"]
    for metric in ("strict_precision", "chain_recall", "coverage"):
        assert ours[metric] >= floor[metric], (metric, ours)
    assert ours["strict_precision"] > base["strict_precision"], (ours, base)
