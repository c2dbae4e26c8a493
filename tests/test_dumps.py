"""Invented scraper dumps (tests/fixtures/dumps) checked against their EXPECTED.json.

The dumps copy the shape of the seed files (site menus, repeated titles, bylines, date
lines, captions in other languages, teasers, appeals, footers) for other outlets and
stories, so the plain-text clean-up is tested beyond the two seeds. The clean-up is
checked per file; grouping, syndication and dates on the dossiers `build` writes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storyline import api
from storyline.model import Article

DUMPS = Path(__file__).resolve().parent / "fixtures" / "dumps"
EXPECTED: dict[str, Any] = json.loads((DUMPS / "EXPECTED.json").read_text("utf-8"))
FILES = sorted(EXPECTED["files"])
# the files, not the folder: the reader would take EXPECTED.json for a JSON input
PATHS = [DUMPS / name for name in FILES]


@pytest.fixture(scope="module")
def articles() -> dict[str, Article]:
    """Every dump cleaned, by file name (a problem fails the test that needs the file)."""
    found: dict[str, Article] = {}
    for item in api.clean_inputs(PATHS):
        assert isinstance(item, Article), item
        found[Path(item.input).name] = item
    return found


def _block_texts(article: Article, kind: str) -> list[str]:
    return [article.text[b.start : b.end] for b in article.blocks if b.kind == kind]


def test_dumps_every_file_is_an_article(articles: dict[str, Article]) -> None:
    assert sorted(articles) == FILES


@pytest.mark.parametrize("name", FILES)
def test_dumps_metadata(articles: dict[str, Article], name: str) -> None:
    article, want = articles[name], EXPECTED["files"][name]
    got = {
        "title": article.title,
        "outlet": article.outlet,
        "published": article.published.start.isoformat() if article.published else None,
        "published_time": article.published_time,
        "byline": article.byline,
        "wire": article.wire,
    }
    assert got == {key: want[key] for key in got}
    if article.published is not None:
        assert article.published.precision == "day" and not article.published.estimate


@pytest.mark.parametrize("name", FILES)
def test_dumps_captions_and_their_languages(articles: dict[str, Article], name: str) -> None:
    article = articles[name]
    languages = [b.language for b in article.blocks if b.kind == "caption"]
    assert languages == EXPECTED["files"][name]["captions"]
    # the body itself is English in every dump: captions do not vote for it
    assert article.language == "en"
    assert all(b.language == "en" for b in article.blocks if b.kind == "paragraph")


@pytest.mark.parametrize("name", FILES)
def test_dumps_headings(articles: dict[str, Article], name: str) -> None:
    assert _block_texts(articles[name], "heading") == EXPECTED["files"][name]["headings"]


@pytest.mark.parametrize("name", FILES)
def test_dumps_noise_never_reaches_the_body(articles: dict[str, Article], name: str) -> None:
    article = articles[name]
    for noise in EXPECTED["files"][name]["body_without"]:
        assert noise not in article.text, noise
    # the headline is metadata: printed once at most (some outlets repeat it as a lead)
    assert article.title and article.text.count(article.title) == 0


@pytest.mark.parametrize("name", FILES)
def test_dumps_reporting_is_kept_whole(articles: dict[str, Article], name: str) -> None:
    paragraphs = _block_texts(articles[name], "paragraph")
    for sentence in EXPECTED["files"][name]["body_with"]:
        assert sentence in paragraphs, sentence


@pytest.mark.parametrize("name", FILES)
def test_dumps_blocks_tile_the_text(articles: dict[str, Article], name: str) -> None:
    article = articles[name]
    pieces = [article.text[b.start : b.end] for b in article.blocks]
    assert "\n\n".join(pieces) == article.text


# ---- end to end: the dossiers `storyline build` writes --------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[dict[str, Any]]]:
    """dossiers.json of a build over all dumps."""
    tmp = tmp_path_factory.mktemp("dumps")
    with api.open_store(tmp / "dumps.db") as store:
        report = api.build(PATHS, tmp / "out", store)
    assert report.ingest.ok and report.ingest.added == len(FILES)
    yield json.loads((tmp / "out" / "dossiers.json").read_text("utf-8"))


def _story_of(dossiers: list[dict[str, Any]]) -> dict[str, int]:
    return {Path(a["input"]).name: index for index, d in enumerate(dossiers) for a in d["articles"]}


@pytest.mark.slow
def test_dumps_same_story_files_form_one_story(built: list[dict[str, Any]]) -> None:
    story = _story_of(built)
    for group in EXPECTED["stories"]:
        assert len({story[name] for name in group}) == 1, group


@pytest.mark.slow
def test_dumps_different_events_stay_apart(built: list[dict[str, Any]]) -> None:
    story = _story_of(built)
    firsts = [story[group[0]] for group in EXPECTED["stories"]]
    assert len(set(firsts)) == len(firsts)
    assert len(built) == len(EXPECTED["stories"])


@pytest.mark.slow
def test_dumps_wire_copies_are_one_source(built: list[dict[str, Any]]) -> None:
    for pair in EXPECTED["wire_copies"]:
        (dossier,) = [d for d in built if pair[0] in {Path(a["input"]).name for a in d["articles"]}]
        ids = {Path(a["input"]).name: a["id"] for a in dossier["articles"]}
        group_of = {i: n for n, g in enumerate(dossier["syndication_groups"]) for i in g}
        copies = {ids[name] for name in pair}
        # the two reprints form one syndication group, and nothing else joins it
        assert len({group_of.get(i) for i in copies}) == 1 and None not in {
            group_of.get(i) for i in copies
        }
        assert set(dossier["syndication_groups"][group_of[ids[pair[0]]]]) == copies
        # a claim that only the reprints carry rests on one source, however many copies
        for claim in dossier["claims"]:
            articles = {span["article"] for span in claim["evidence"]}
            if articles and articles <= copies:
                assert claim["independent_sources"] == 1, claim["text"]
                assert claim["status"] != "corroborated", claim["text"]


@pytest.mark.slow
def test_dumps_no_published_date_is_invented(built: list[dict[str, Any]]) -> None:
    for dossier in built:
        for article in dossier["articles"]:
            want = EXPECTED["files"][Path(article["input"]).name]["published"]
            got = article["published"]
            if want is None:
                # not stated: unknown, or an estimate that says so
                assert got is None or got["estimate"] is True, article["input"]
            else:
                assert got["start"] == want and not got["estimate"], article["input"]
