"""The acceptance case: ../shared/seeds/EXPECTED.md, checked on the dossier that `build` writes.

The seed files ship in examples/seeds. Facts are checked with/without style: wording
may change, facts, dates, speakers and statuses may not.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storyline import api

pytestmark = pytest.mark.slow

NOISE = [
    "Share this post",
    "5169 3351 0164 7408",
    "IBAN",
    "Button Text",
    "PrivatBank",
    "Israel News Health & Wellness",
    "WORLD NEWS Middle East",
    "Published:",
    "By REUTERS",
    "date 2023-08-06",
    "- Militarnyi",
]


@pytest.fixture(scope="module")
def dossier(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Iterator[dict[str, Any]]:
    """The seed dossier as `storyline build` writes it (dossiers.json)."""
    tmp = tmp_path_factory.mktemp("seeds")
    with api.open_store(tmp / "seeds.db") as store:
        report = api.build([seeds_dir], tmp / "out", store)
    assert report.ingest.ok and report.ingest.added == 2
    dossiers = json.loads((tmp / "out" / "dossiers.json").read_text("utf-8"))
    assert len(dossiers) == 1, "both seed articles must form ONE story"
    yield dossiers[0]


def by_input(d: dict[str, Any], prefix: str) -> dict[str, Any]:
    (article,) = [a for a in d["articles"] if Path(a["input"]).name.startswith(prefix)]
    return article


def test_seed_one_story_with_both_articles(dossier: dict[str, Any]) -> None:
    assert len(dossier["articles"]) == 2


def test_seed_article_metadata(dossier: dict[str, Any]) -> None:
    militarnyi, jpost = by_input(dossier, "000"), by_input(dossier, "003")
    assert militarnyi["outlet"] == "Militarnyi"
    assert jpost["outlet"] == "The Jerusalem Post"
    assert jpost["wire"] == "Reuters"
    assert militarnyi["wire"] is None
    assert jpost["published"]["start"] == "2023-08-06" and not jpost["published"]["estimate"]
    # 000 states no date: unknown, or an estimate that says so; never the day of the run
    assert militarnyi["published"] is None or militarnyi["published"]["estimate"] is True
    assert militarnyi["title"] == "North Korea inspecting arms factories"
    assert jpost["title"] == "Kim Jong Un tells North Korea arms factories to boost capacity"


@pytest.mark.parametrize("noise", NOISE)
def test_seed_noise_never_reaches_the_text(dossier: dict[str, Any], noise: str) -> None:
    for article in dossier["articles"]:
        assert noise not in article["text"], (article["input"], noise)


def test_seed_titles_and_captions_not_repeated(dossier: dict[str, Any]) -> None:
    militarnyi, jpost = by_input(dossier, "000"), by_input(dossier, "003")
    assert militarnyi["text"].count("North Korea inspecting arms factories") <= 1
    assert jpost["text"].count("gives field guidance at a major weapon factory") == 1


def test_seed_captions_tagged_with_their_language(dossier: dict[str, Any]) -> None:
    militarnyi = by_input(dossier, "000")
    captions = [b for b in militarnyi["blocks"] if b["kind"] == "caption"]
    assert len(captions) == 2
    assert all(b["language"] == "uk" for b in captions)
    body = [b for b in militarnyi["blocks"] if b["kind"] == "paragraph"]
    assert all(b["language"] == "en" for b in body)


def test_seed_subheadings_are_headings(dossier: dict[str, Any]) -> None:
    headings = {
        a["text"][b["start"] : b["end"]]
        for a in dossier["articles"]
        for b in a["blocks"]
        if b["kind"] == "heading"
    }
    assert {
        "Increase in production",
        "North Korea's growing weapons arsenal",
        "North Korean exports to Russia",
    } <= headings


def test_seed_koo_direct_quote(dossier: dict[str, Any]) -> None:
    koo = [
        q
        for q in dossier["quotes"]
        if q["kind"] == "direct" and q["text"].startswith("We express deep regret")
    ]
    assert koo and koo[0]["speaker_name"] == "Koo Byoungsam"


def test_seed_timeline_dates(dossier: dict[str, Any]) -> None:
    spans = {(t["when"]["start"], t["when"]["end"]) for t in dossier["timeline"]}
    assert ("2023-08-03", "2023-08-05") in spans  # "Thursday to Saturday" in 003 (2023-08-06)
    assert ("2023-07-27", "2023-07-27") in spans  # the parade


def test_seed_every_span_lies_inside_its_article(dossier: dict[str, Any]) -> None:
    texts = {(a["id"], "text"): a["text"] for a in dossier["articles"]}
    texts |= {(a["id"], "title"): a["title"] or "" for a in dossier["articles"]}
    texts |= {(a["id"], "header"): a["header"] for a in dossier["articles"]}
    spans = [s for e in dossier["entities"] for s in e["mentions"]]
    spans += [q["span"] for q in dossier["quotes"]]
    spans += [s for c in dossier["claims"] for s in c["evidence"]]
    spans += [s for t in dossier["timeline"] for s in t["evidence"]]
    assert spans
    for s in spans:
        assert 0 <= s["start"] < s["end"] <= len(texts[(s["article"], s.get("part", "text"))])
    # a headline is evidence: the Jerusalem Post's title backs Militarnyi's first sentence
    titled = [c for c in dossier["claims"] if any(s.get("part") == "title" for s in c["evidence"])]
    assert any(c["status"] == "corroborated" for c in titled)
    for c in titled:
        for s in c["evidence"]:
            if s.get("part") == "title":
                assert texts[(s["article"], "title")][s["start"] : s["end"]].strip()
    for q in dossier["quotes"]:
        assert (
            texts[(q["span"]["article"], "text")][q["span"]["start"] : q["span"]["end"]]
            == q["text"]
        )


def entity_named(d: dict[str, Any], name: str) -> dict[str, Any]:
    (entity,) = [e for e in d["entities"] if e["name"] == name]
    return entity


def test_seed_entities_are_single_nodes_with_variants(dossier: dict[str, Any]) -> None:
    assert {"Chang", "Cheong Seong-chang"} <= set(
        entity_named(dossier, "Cheong Seong Chang")["aliases"]
    )
    assert {"Kim", "North Korean leader"} <= set(entity_named(dossier, "Kim Jong Un")["aliases"])
    assert "Shoigu" in entity_named(dossier, "Sergei Shoigu")["aliases"]
    assert "KCNA" in entity_named(dossier, "Korean Central News Agency")["aliases"]
    assert "DPRK" in entity_named(dossier, "North Korea")["aliases"]
    assert "Pyongyang" not in entity_named(dossier, "North Korea")["aliases"]


def test_seed_quotes_with_speakers_and_relays(dossier: dict[str, Any]) -> None:
    quotes = dossier["quotes"]
    kcna = entity_named(dossier, "Korean Central News Agency")["id"]
    kim = entity_named(dossier, "Kim Jong Un")["id"]
    relayed = [
        q for q in quotes if "strategic weapon engines" in q["text"] and q["kind"] == "direct"
    ]
    assert relayed and relayed[0]["speaker"] == kim and relayed[0]["via"] == kcna
    fragments = {q["text"] for q in quotes if q["kind"] == "fragment" and q["speaker"] == kim}
    assert {
        "scientific and technological measures",
        "a top priority",
        "rapid expansion",
        # "which he described as ...": he is Kim, not Shoigu named in the Ukrainian caption
        # between them (a caption is never an antecedent)
        "national defense economic work",
    } <= fragments
    koo_indirect = [
        q for q in quotes if q["speaker_name"] == "Koo Byoungsam" and q["kind"] == "indirect"
    ]
    assert koo_indirect and "possibly aimed at" in koo_indirect[0]["text"]
    chang = [q for q in quotes if q["speaker_name"] == "Cheong Seong Chang"]
    assert len({q["span"]["article"] for q in chang}) == 2 and len(chang) >= 3
    assert any(q["cue"] and q["cue"].lower() == "according to" for q in chang)


def claim_with(d: dict[str, Any], words: str) -> dict[str, Any]:
    found = [c for c in d["claims"] if words in c["text"]]
    assert found, words
    return found[0]


def test_seed_claim_statuses(dossier: dict[str, Any]) -> None:
    accusation = claim_with(dossier, "providing arms to Russia")
    assert accusation["status"] == "contested"
    assert set(accusation["denied_by"]) >= {"Russia", "North Korea"}
    assert "United States" in accusation["attributed_to"]
    assert (
        claim_with(dossier, "inspected the country’s key defense factories")["status"]
        == "corroborated"
    )
    parade = [
        c for c in dossier["claims"] if "parade" in c["text"] and c["status"] == "corroborated"
    ]
    assert parade and parade[0]["independent_sources"] == 2
    assert claim_with(dossier, "Ukrainian servicemen")["status"] == "single-source"
    assert claim_with(dossier, "solid-fuel intercontinental")["status"] == "single-source"
    views = [
        c
        for c in dossier["claims"]
        if c["stance"] == "view" and "Cheong Seong Chang" in c["attributed_to"]
    ]
    assert views and views[0]["status"] == "corroborated" and {"likely"} <= set(views[0]["hedges"])
    # EXPECTED.md: the export-intent view is Cheong's (both outlets) and Koo's, hedged
    assert "Koo Byoungsam" in views[0]["attributed_to"] and "possibly" in views[0]["hedges"]
    # Kim's call for "rapid expansion" (a sentence on launcher trucks) is not backed by a
    # sentence on what the launchers fire: two statements
    assert claim_with(dossier, "rapid expansion")["status"] == "single-source"


def test_seed_timeline_rows(dossier: dict[str, Any]) -> None:
    rows = {
        (t["when"]["start"], t["when"]["end"], t["when"]["precision"]) for t in dossier["timeline"]
    }
    assert ("2023-07-01", "2023-07-31", "month") in rows  # "last month" in 003: the missile tests
    assert ("2023-07-25", "2023-07-25", "day") in rows  # the Ukrainian caption: Shoigu's arrival
    assert ("2023-08-06", "2023-08-06", "day") in rows  # "state media said on Sunday"
    for t in dossier["timeline"]:
        if (
            any(s["article"] == by_input(dossier, "000")["id"] for s in t["evidence"])
            and t["when"]["precision"] == "day"
        ):
            # 000 has no date of its own: a day can come only from an absolute date in it
            assert t["when"]["start"] in {"2023-07-25", "2023-07-27"}, t
