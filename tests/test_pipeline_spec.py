"""The pipeline spec: every stage declared once, and cache keys that follow the code a
stage reaches (issue 9: one spec; a corpus-stage change re-assembles, re-annotates nothing)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline import api, pipeline
from storyline.io.store.sqlite import SQLiteStore
from storyline.stages.corpus.dossier import CORPUS_STAGES

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"


def _names(paths: tuple[Path, ...]) -> set[str]:
    return {p.relative_to(pipeline._ROOT).as_posix() for p in paths}


@pytest.mark.parametrize(
    ("stages", "given"),
    [(pipeline.ARTICLE_STAGES, {"nlp"}), (CORPUS_STAGES, {"story", "docs"})],
    ids=["article", "corpus"],
)
def test_every_stage_needs_only_what_an_earlier_stage_provides(stages, given) -> None:  # type: ignore[no-untyped-def]
    provided = set(given)
    names = [s.name for s in stages]
    assert len(names) == len(set(names))
    for stage in stages:
        missing = set(stage.requires) - provided - {"nlp"}
        assert not missing, f"{stage.name} requires {missing} before anything provides it"
        provided |= set(getattr(stage, "provides", (stage.name,)))


def test_the_article_key_covers_lexicons_and_gazetteer_and_leaves_corpus_code_out() -> None:
    article = _names(pipeline.article_sources())
    # the stage modules, the data they import (the gazetteer was missed by the old glob)
    assert {
        "pipeline.py",
        "stages/attribution/quotes.py",
        "stages/attribution/lexicon.py",
        "text/gazetteer.py",
        "stages/time/lexicon.py",
        "stages/clean/document.py",
    } <= article
    # a corpus stage's code is not what an annotation depends on
    assert not {"stages/corpus/corroborate.py", "stages/corpus/dossier.py"} & article
    corpus = _names(pipeline.corpus_sources())
    assert {
        "stages/corpus/corroborate.py",
        "stages/corpus/link.py",
        "stages/corpus/dedup.py",
    } <= corpus


def test_module_closure_follows_function_level_imports() -> None:
    # claims.py imports segment inside a function: it is still part of what it runs
    assert "stages/segment.py" in _names(
        pipeline.module_closure(["storyline.stages.attribution.claims"])
    )
    with pytest.raises(ValueError, match="not a storyline module"):
        pipeline.module_closure(["storyline.no_such_module"])


def test_keys_differ_and_the_corpus_key_depends_on_the_article_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = pipeline.corpus_key()
    assert before != pipeline.article_key()
    monkeypatch.setattr(pipeline, "article_key", lambda: "another parser")
    pipeline.corpus_key.cache_clear()
    try:
        assert pipeline.corpus_key() != before
    finally:
        pipeline.corpus_key.cache_clear()


@pytest.mark.slow
def test_a_corpus_stage_change_reassembles_every_story_and_reannotates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with SQLiteStore(tmp_path / "s.db") as store:
        first = api.build([SEEDS], tmp_path / "out", store)
        assert first.ok and first.assembled

        annotated: list[int] = []
        real = pipeline.annotate_batch_with_default_model

        def counting(articles):  # type: ignore[no-untyped-def]
            annotated.append(len(articles))
            return real(articles)

        monkeypatch.setattr(pipeline, "annotate_batch_with_default_model", counting)
        # what a changed corroborate.py does to the key, without editing a source file
        monkeypatch.setattr(
            pipeline, "corpus_key", lambda: "corroboration changed" + pipeline.article_key()
        )
        again = api.build([SEEDS], tmp_path / "out", store)
        assert annotated == []
        assert again.assembled == first.assembled

        # a changed article stage re-annotates (and so re-assembles) every article
        monkeypatch.setattr(pipeline, "article_key", lambda: "quotes changed")
        third = api.build([SEEDS], tmp_path / "out", store)
        assert sum(annotated) == 2 and third.assembled == first.assembled


def test_storyline_stages_lists_the_spec_with_each_levels_key() -> None:
    import json

    from click.testing import CliRunner

    from storyline.cli import cli

    result = CliRunner().invoke(cli, ["stages", "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["name"] for r in rows if r["level"] == "article"] == [
        s.name for s in pipeline.ARTICLE_STAGES
    ]
    assert [r["name"] for r in rows if r["level"] == "corpus"] == [s.name for s in CORPUS_STAGES]
    assert {r["key"] for r in rows} == {pipeline.article_key(), pipeline.corpus_key()}
