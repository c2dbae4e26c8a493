"""Quality gate of issue 10: story clustering on ECB+ and cross-lingual same-story pairs.

Floors in baseline.json ("stories", "same-story-xling"); skipped without ../shared/eval.
"""

from __future__ import annotations

from tests.eval.gate import EVAL, FLOORS, gate_marks

pytestmark = gate_marks(EVAL)


def test_gate_stories_dev_topics_beat_the_baseline() -> None:
    from storyline.evaluation import stories

    report = stories.evaluate(EVAL / "stories" / "ecbplus-dev")
    dev = report["splits"]["dev"]
    ours, baseline = dev["storyline"]["bcubed"]["f1"], dev["tfidf_average_link"]["bcubed"]["f1"]
    floor = FLOORS["stories"]
    assert ours >= floor["bcubed_f1"], dev
    assert ours >= baseline + floor["over_baseline"], dev


def test_gate_same_story_cross_lingual() -> None:
    from storyline.evaluation import same_story

    report = same_story.evaluate(EVAL / "same-story" / "semeval-xling-dev.jsonl")
    floor = FLOORS["same-story-xling"]
    assert report["roc_auc"] >= floor["roc_auc"] and report["f1"] >= floor["f1"], report
    built = report["clustering"]
    assert built["same_together"] >= floor["same_together"], built
    assert built["different_apart"] >= floor["different_apart"], built
