"""Dates as a guard in clustering, never as a side effect (issue 10).

An undated article that joins a dated story takes the story's date only as an
estimate: every date it resolves against that estimate stays an estimate, and it
joins a dated story at all only when it is close to it.
"""

from __future__ import annotations

from storyline.io.writers import render_markdown
from storyline.model import Story, date_label
from storyline.pipeline import annotate_with_default_model
from storyline.stages.corpus.cluster import ClusterConfig, assign_stories
from storyline.stages.corpus.dossier import assemble
from tests.util import make_article

DATED = (
    "North Korean leader Kim Jong Un inspected munitions factories in Pyongyang on Tuesday, "
    "state media KCNA said, calling for more artillery shells and missiles.",
    "Kim Jong Un toured the munitions factories and urged workers to raise production of "
    "shells, KCNA reported.",
)
UNDATED = (
    "Kim Jong Un inspected munitions factories in Pyongyang and called for more artillery "
    "shells and missiles, KCNA said.",
    "The visit came after Friday's missile test and after a test last month, officials said. "
    "Workers at the munitions factories were told to raise production within two weeks.",
)


def test_undated_article_in_dated_story_resolves_dates_only_as_estimates() -> None:
    dated = make_article(
        *DATED, title="Kim Jong Un inspects munitions factories", published="2023-08-15"
    )
    undated = make_article(*UNDATED, title="Kim inspects munitions factories", input="u.txt")
    assigned, _ = assign_stories([dated, undated], {})
    assert assigned[undated.id] == assigned[dated.id], "one story: the guard lets a close match in"
    docs = [annotate_with_default_model(a) for a in (dated, undated)]
    dossier = assemble(Story(id="s1", article_ids=(dated.id, undated.id)), docs)
    estimated = {a.id: a.published for a in dossier.articles}[undated.id]
    assert estimated is not None and estimated.estimate, "its publication date is an estimate"
    own = [
        item
        for item in dossier.timeline
        if item.evidence and all(span.article_id == undated.id for span in item.evidence)
    ]
    assert own, "the undated article's relative dates appear on the timeline"
    for item in own:
        assert item.when.estimate, f"{item.expression!r} resolved as a fact from an estimate"
        assert item.when.precision != "day" or "unresolved" in (item.when.basis or "")
    # readers see the weekday as unresolved, not as a date in the estimated month
    weekday = [item for item in own if "Friday" in item.expression]
    assert weekday, "the undated article's weekday is on the timeline, flagged"
    rows = [
        line for line in render_markdown(dossier).splitlines() if "(weekday unresolved)" in line
    ]
    assert rows and all(row.startswith("| unresolved (shown at ") for row in rows), rows


def test_date_label_says_unresolved_or_estimate() -> None:
    assert date_label("2023-08-03", "2023-08-05", "day") == "2023-08-03 to 2023-08-05"
    assert date_label("2023-07-01", "2023-07-31", "month", estimate=True) == "2023-07 (estimate)"
    flagged = date_label("2023-08-01", "2023-08-31", "month", estimate=True, basis="unresolved: x")
    assert flagged == "unresolved (shown at 2023-08, estimate)"
    assert date_label("2023-08-01", "2023-08-31", "month", basis="story") == "2023-08"


def test_undated_article_joins_dated_story_only_when_close() -> None:
    dated = make_article(
        *DATED, title="Kim Jong Un inspects munitions factories", published="2023-08-15"
    )
    undated = make_article(*UNDATED, title="Kim inspects munitions factories", input="u.txt")
    strict = ClusterConfig(undated_threshold=0.99)
    assigned, _ = assign_stories([dated, undated], {}, strict)
    assert assigned[undated.id] != assigned[dated.id], "not close enough to take its date"
    # the same text with its own date joins at the ordinary threshold
    redated = make_article(
        *UNDATED, title="Kim inspects munitions factories", published="2023-08-16"
    )
    assigned, _ = assign_stories([dated, redated], {}, strict)
    assert assigned[redated.id] == assigned[dated.id]


def test_dated_article_far_from_story_dates_never_joins() -> None:
    dated = make_article(
        *DATED, title="Kim Jong Un inspects munitions factories", published="2023-08-15"
    )
    old = make_article(
        *DATED[:1], title="Kim Jong Un inspects munitions factories", published="2016-09-09"
    )
    assigned, _ = assign_stories([dated, old], {}, ClusterConfig(max_days_apart=14))
    assert assigned[old.id] != assigned[dated.id]
    assigned, _ = assign_stories([dated, old], {}, ClusterConfig(max_days_apart=10_000))
    assert assigned[old.id] == assigned[dated.id], "the date alone kept them apart"
