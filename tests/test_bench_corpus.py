"""bench/corpus.py: reprints that stand in for syndication (issue 9, the 10k/100k corpora)."""

from __future__ import annotations

import importlib.util
import json
import random
import sys
from pathlib import Path

from storyline.io.readers import read_inputs
from storyline.model import Article
from storyline.stages.clean.document import clean

BENCH = Path(__file__).resolve().parents[1] / "bench" / "corpus.py"

BASE = {
    "published": "2023-08-06",
    "text": "\n\n".join(
        [
            "North Korean leader Kim Jong Un inspected several weapons factories, state media said.",
            "The visits took place from Thursday to Saturday, the official news agency reported.",
            "Analysts said the tour was meant to show the country's military might to its rivals.",
            "South Korea's unification ministry said it regretted the continued weapons build-up.",
            "The United States has accused the country of supplying arms to Russia, which both deny.",
        ]
    ),
}


def _corpus_module():
    spec = importlib.util.spec_from_file_location("bench_corpus", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_corpus"] = module
    spec.loader.exec_module(module)
    return module


def _article_ids(records: list[dict], tmp_path: Path) -> list[str]:
    path = tmp_path / "copies.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    ids = []
    for raw in read_inputs([path]):
        article = clean(raw)
        assert isinstance(article, Article)
        ids.append(article.id)
    return ids


def _uncredited_seed(module) -> int:
    """A seed whose first two copies both keep every paragraph and carry no credit line."""
    last = "which both deny."
    for seed in range(500):
        rng = random.Random(seed)
        a = module.reprint(BASE, "Harbour Gazette", rng, 0)
        b = module.reprint(BASE, "Valley Herald", rng, 1)
        if all(last in c["text"] and "Reporting by" not in c["text"] for c in (a, b)):
            return seed
    raise AssertionError("no seed whose copies keep every paragraph without a credit line")


def test_copies_by_two_outlets_are_one_article_without_credit(tmp_path: Path) -> None:
    module = _corpus_module()
    rng = random.Random(_uncredited_seed(module))
    copies = [
        module.reprint(BASE, "Harbour Gazette", rng, 0),
        module.reprint(BASE, "Valley Herald", rng, 1),
    ]
    first, second = _article_ids(copies, tmp_path)
    assert first == second  # only chrome differs: cleaning makes them one text


def test_credited_copies_by_two_outlets_are_two_articles(tmp_path: Path) -> None:
    module = _corpus_module()
    rng = random.Random(_uncredited_seed(module))
    copies = [
        module.reprint(BASE, "Harbour Gazette", rng, 0, credit=True),
        module.reprint(BASE, "Valley Herald", rng, 1, credit=True),
    ]
    first, second = _article_ids(copies, tmp_path)
    assert first != second
    assert all("Reporting by staff of" in c["text"] for c in copies)
