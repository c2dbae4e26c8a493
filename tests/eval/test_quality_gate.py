"""The quality gate: `storyline eval` figures may not fall below the pinned floors.

Runs over ../shared/eval (beside the repository, as in CI). Peers that `storyline eval`
runs for comparison (textacy, spaCy, trafilatura) run here too where they are cheap,
so the gate also checks that storyline stays ahead of them. Skipped when the data is
not there (a clone without ../shared).
"""

from __future__ import annotations

from tests.eval.gate import EVAL, FLOORS, gate_marks

pytestmark = gate_marks(EVAL)


def test_gate_same_story() -> None:
    from storyline.evaluation import same_story

    report = same_story.evaluate(EVAL / "same-story")
    floor = FLOORS["same-story"]
    assert report["f1"] >= floor["f1"] and report["roc_auc"] >= floor["roc_auc"], report
    assert report["clustering"]["f1"] >= floor["clustering_f1"], report["clustering"]


def test_gate_time() -> None:
    from storyline.evaluation import time

    report = time.evaluate(EVAL / "time", peer=False)
    ours = report["systems"]["storyline"]
    floor = FLOORS["time"]
    assert ours["value_f1"] >= floor["value_f1"] and ours["strict_f1"] >= floor["strict_f1"], ours


def test_gate_ner() -> None:
    from storyline.evaluation import ner

    report = ner.evaluate(EVAL / "ner" / "eng.testb.original.txt")
    ours, peer = report["storyline"]["overall"], report["spacy_sm"]["overall"]
    assert ours["f1"] >= FLOORS["ner"]["f1"], ours
    assert ours["f1"] > peer["f1"], (ours, peer)


def test_gate_quotes() -> None:
    from storyline.evaluation import quotes

    report = quotes.evaluate(EVAL / "quotes" / "polnear-dev")
    ours, peer = report["systems"]["storyline"], report["systems"]["textacy"]
    for metric in ("content_overlap", "source_overlap", "cue_overlap"):
        assert ours[metric]["f1"] >= FLOORS["quotes"][metric], (metric, ours[metric])
        assert ours[metric]["f1"] > peer[metric]["f1"], (metric, ours[metric], peer[metric])


def test_gate_extraction() -> None:
    from storyline.evaluation import extraction

    report = extraction.evaluate(EVAL / "extraction")
    ours, peer = report["systems"]["storyline"], report["systems"]["trafilatura"]
    assert report["pages"] == 990
    assert ours["f1"] >= FLOORS["extraction"]["f1"] and ours["crashes"] == 0, ours
    assert ours["f1"] > peer["f1"], (ours, peer)
