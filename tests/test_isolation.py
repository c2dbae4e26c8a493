"""Error isolation: a stage that raises on one article or story is recorded, the rest go on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from storyline.annotate import annotate_records
from storyline.cli import cli
from storyline.io.codec import from_dict, to_dict
from storyline.model import AnnotatedArticle, StageProblem
from storyline.strict import ENV, is_strict
from tests.util import make_article

ROOT = Path(__file__).resolve().parent.parent
DUMPS = ROOT / "tests" / "fixtures" / "dumps"
SEEDS = ROOT / "examples" / "seeds"


def test_the_suite_runs_strict() -> None:
    assert is_strict()
    assert not is_strict(False)


def test_problems_round_trip_through_the_codec() -> None:
    doc = AnnotatedArticle(
        article=make_article("Kim spoke."),
        problems=(
            StageProblem(article_id="a1", stage="quotes", error="KeyError", message="'x'"),
            StageProblem(
                article_id="", stage="dossier", error="ValueError", message="m", story_id="s1"
            ),
        ),
    )
    assert from_dict(AnnotatedArticle, to_dict(doc)) == doc
    old = to_dict(doc)
    del old["problems"]  # a record cached before the field existed
    assert from_dict(AnnotatedArticle, old).problems == ()


def _boom(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("injected")


@pytest.mark.slow
def test_a_failing_stage_keeps_the_other_stages(monkeypatch: pytest.MonkeyPatch) -> None:
    from storyline import pipeline
    from storyline.nlp import english

    article = make_article(
        "Kim Jong Un visited Moscow on Monday, officials said.", published="2023-09-14"
    )
    monkeypatch.setattr(pipeline, "find_quotes", _boom)
    with pytest.raises(RuntimeError, match="injected"):
        pipeline.annotate_article(article, english())  # strict from the suite's environment
    doc = pipeline.annotate_article(article, english(), strict=False)
    assert [(p.stage, p.error, p.message) for p in doc.problems] == [
        ("quotes", "RuntimeError", "injected")
    ]
    assert doc.problems[0].article_id == article.id
    assert doc.quotes == ()
    assert doc.sentences and doc.mentions and doc.times


def test_annotate_records_reports_a_failing_record_and_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from storyline import pipeline as timex

    real = timex.tag_times

    def flaky(text: str, *args: Any, **kwargs: Any) -> Any:
        if "bad" in text:
            raise ValueError("injected")
        return real(text, *args, **kwargs)

    monkeypatch.setattr(timex, "tag_times", flaky)
    records = [
        {"id": "1", "text": "It rained on Monday.", "published": "2023-08-09"},
        {"id": "2", "text": "A bad day.", "published": "2023-08-09"},
        {"id": "3", "text": "It rained yesterday.", "published": "2023-08-09"},
    ]
    parts = frozenset({"times"})
    with pytest.raises(ValueError, match="injected"):
        list(annotate_records(records, parts))
    out = list(annotate_records(records, parts, strict=False))
    assert [r["id"] for r in out] == ["1", "2", "3"]
    # the failing stage is reported with the record, whose other parts are still answered
    assert out[1] == {
        "id": "2",
        "times": [],
        "problems": [{"stage": "times", "error": "ValueError", "message": "injected"}],
    }
    assert out[0]["times"][0]["value"] == "2023-08-07"
    assert out[2]["times"][0]["value"] == "2023-08-08"


@pytest.mark.slow
def test_build_reports_stage_problems_writes_the_other_dossiers_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyline import pipeline
    from storyline.stages.corpus import dossier

    monkeypatch.delenv(ENV)
    real_quotes, real_assemble = pipeline.find_quotes, dossier.assemble

    def quotes(article: Any, *args: Any) -> Any:
        if article.input.endswith("101_3f9a0c2e7b1d4a56.txt"):
            raise KeyError("injected-quotes")
        return real_quotes(article, *args)

    def assemble(story: Any, docs: Any, **options: Any) -> Any:
        if any(d.article.input.endswith("401_d0e8b2c6f4a17935.txt") for d in docs):
            raise ValueError("injected-dossier")
        return real_assemble(story, docs, **options)

    monkeypatch.setattr(pipeline, "find_quotes", quotes)
    monkeypatch.setattr(dossier, "assemble", assemble)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["build", str(SEEDS), str(DUMPS), "--out", str(out), "--store", str(tmp_path / "s.db")]
    )
    assert result.exit_code == 1, result.output
    assert "2 stage problems" in result.stderr
    problems = [line for line in result.stderr.splitlines() if line.startswith("stage problem")]
    assert len(problems) == 2
    assert any(": quotes: KeyError: " in line and "injected-quotes" in line for line in problems)
    assert any(
        line.startswith("stage problem: story ")
        and ": dossier: ValueError: injected-dossier" in line
        for line in problems
    )
    written = json.loads((out / "dossiers.json").read_text("utf-8"))
    inputs = {Path(a["input"]).name for d in written for a in d["articles"]}
    assert "401_d0e8b2c6f4a17935.txt" not in inputs  # its story failed and was left out
    assert "101_3f9a0c2e7b1d4a56.txt" in inputs  # its article lost only its quotes
    assert len(written) >= 3
    assert any(name.startswith("000_") for name in inputs)  # the seeds' story is there too


@pytest.mark.slow
def test_a_corpus_stage_failing_on_one_story_writes_it_incomplete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Corroboration raises on one story: that dossier is written without claims, marked
    incomplete, with the problem in its JSON; the other stories are whole; exit 1."""
    from storyline.stages.corpus import dossier

    monkeypatch.delenv(ENV)
    real = dossier.corroborate

    def corroborate(story: Any, docs: Any, entities: Any) -> Any:
        if any(d.article.input.endswith("401_d0e8b2c6f4a17935.txt") for d in docs):
            raise IndexError("injected-corroboration")
        return real(story, docs, entities)

    monkeypatch.setattr(dossier, "corroborate", corroborate)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["build", str(DUMPS), "--out", str(out), "--store", str(tmp_path / "s.db")]
    )
    assert result.exit_code == 1, result.output
    problems = [line for line in result.stderr.splitlines() if line.startswith("stage problem")]
    assert (
        len(problems) == 1 and ": corroboration: IndexError: injected-corroboration" in problems[0]
    )
    written = json.loads((out / "dossiers.json").read_text("utf-8"))
    failed = [
        d
        for d in written
        if any(a["input"].endswith("401_d0e8b2c6f4a17935.txt") for a in d["articles"])
    ]
    assert len(failed) == 1
    assert failed[0]["incomplete"] == ["corroboration"] and failed[0]["claims"] == []
    assert failed[0]["timeline"] and failed[0]["entities"]  # the other corpus stages kept theirs
    assert failed[0]["problems"][0]["error"] == "IndexError"
    others = [d for d in written if d is not failed[0]]
    assert others and all(d["incomplete"] == [] for d in others)
    assert any(d["claims"] for d in others)
    story_md = (out / f"{failed[0]['id']}.md").read_text("utf-8")
    assert "**Incomplete:** corroboration" in story_md
    # the problem is kept in the store: `storyline problems` lists it and exits 1
    listed = CliRunner().invoke(cli, ["problems", "--store", str(tmp_path / "s.db"), "--json"])
    assert listed.exit_code == 1
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(r["kind"], r["stage"], r["reason"], r["story_id"]) for r in rows] == [
        ("stage", "corroboration", "IndexError", failed[0]["id"])
    ]
