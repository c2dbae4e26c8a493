"""Web pages at scale: every list bounded, stored first pages and entity parts, same content."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape

from storyline import api
from storyline.web import pages, views
from storyline.web.app import App

from .test_web import get


def big_record(claims: int = 250, quotes: int = 60) -> dict[str, Any]:
    """A dossier record the size of a long-running story (more than any page shows)."""
    text = "The minister said the bridge would reopen. " * 40
    articles = [{"id": f"a{i:014x}", "outlet": f"Outlet {i % 7}", "text": text} for i in range(3)]
    statuses = ["single-source"] * 5 + ["corroborated", "contested"]
    return {
        "id": "s000000000001",
        "title": "Bridge",
        "articles": articles,
        "claims": [
            {
                "id": f"g{i:012x}",
                "text": f"Claim {i}",
                "status": statuses[i % len(statuses)],
                "independent_sources": 1 + i % 3,
                "attributed_to": ["Jane Roe"] if i % 10 == 0 else [],
                "evidence": [{"article": articles[i % 3]["id"], "start": 0, "end": 42}],
            }
            for i in range(claims)
        ],
        "quotes": [
            {
                "text": f"Quote {i}",
                "speaker": "e000000000001",
                "speaker_name": "Jane Roe",
                "span": {"article": articles[0]["id"], "start": 0, "end": 42},
            }
            for i in range(quotes)
        ],
        "entities": [
            {"id": "e000000000001", "name": "Jane Roe", "aliases": ["Roe"], "mentions": [{}] * 3}
        ],
        "timeline": [],
    }


def test_story_view_pages_the_claims_disputed_first() -> None:
    record = big_record()
    first = views.story_view(record)
    size = views.CONFIG.claims_per_page
    assert len(first["claims"]) == size and first["totals"]["claims"] == 250
    assert first["claims_page"] == {"page": 1, "pages": 3, "first": 1}
    rank = {"denied": 0, "contested": 1, "corroborated": 2, "single-source": 3}
    shown = [rank[c["status"]] for c in first["claims"]]
    assert shown == sorted(shown) and shown[0] == rank["contested"]
    last = views.story_view(record, page=3)
    assert len(last["claims"]) == 250 - 2 * size and last["claims_page"]["first"] == 2 * size + 1
    # every claim is on exactly one page
    ids = [c["id"] for p in (1, 2, 3) for c in views.story_view(record, p)["claims"]]
    assert sorted(ids) == sorted(c["id"] for c in record["claims"])
    assert views.story_view(record, page=99)["claims_page"]["page"] == 3  # clamped


def test_a_later_claims_page_shows_the_claims_and_links_the_rest() -> None:
    record = big_record(quotes=2)
    first = pages.story_page(views.story_view(record), [], "")
    later = views.story_view(record, page=2)
    second = pages.story_page(later, [], "")
    assert all(f'claim-text">{escape(c["text"])}' in second for c in later["claims"])
    for page in (first, second):
        assert 'id="claims"' in page and 'id="coverage"' in page and 'id="changes"' in page
    assert 'id="quotes"' in first and 'id="quotes"' not in second
    assert 'id="timeline"' in first and 'id="timeline"' not in second
    assert 'href="/story/s000000000001#quotes"' in second and 'href="#quotes"' in first


def test_story_view_marks_a_span_that_backs_two_claims() -> None:
    record = big_record(claims=3)
    aid = record["articles"][0]["id"]
    record["claims"][1]["evidence"] = [{"article": aid, "start": 0, "end": 42}]  # as claim 0
    record["claims"][2]["evidence"] = [{"article": aid, "start": 43, "end": 80}]
    shared = {
        c["id"]: [e["shared"] for e in c["evidence"]] for c in views.story_view(record)["claims"]
    }
    assert shared == {"g000000000000": [True], "g000000000001": [True], "g000000000002": [False]}


def test_story_view_bounds_quotes_per_speaker_and_counts_the_rest() -> None:
    view = views.story_view(big_record(quotes=60))
    (group,) = view["quotes"]
    assert group["total"] == 60 and len(group["quotes"]) == views.CONFIG.quotes_per_speaker
    assert view["totals"]["quotes"] == 60


def test_entity_parts_give_the_entity_page_of_the_records() -> None:
    record = big_record()
    part = views.entity_parts(record)["e000000000001"]
    assert len(part["quotes"]) == 60 and len(part["claims"]) == 25  # every 10th is Jane Roe's
    assert all(c["attributed_to"] == ["Jane Roe"] for c in part["claims"])
    view = views.entity_view("e000000000001", [part])
    assert view is not None and view["name"] == "Jane Roe" and view["aliases"] == ["Roe"]
    assert views.entity_view("e000000000001", []) is None


def test_an_entity_part_keeps_a_claims_evidence_bounded_and_counts_the_rest() -> None:
    """Each entity's part is stored with the dossier: every report of a claim reprinted
    across a story, per entity, took a 1,555-article story's parts to 604 MB. A part keeps
    the story page's bounded evidence, one per outlet first, and the count."""
    record = big_record()
    claim = record["claims"][0]  # Jane Roe's
    articles = record["articles"]
    claim["evidence"] = [
        {"article": articles[n % len(articles)]["id"], "start": 0, "end": 42} for n in range(40)
    ]
    part = views.entity_parts(record)["e000000000001"]
    (item,) = [c for c in part["claims"] if c["id"] == claim["id"]]
    assert item["evidence_total"] == 40 and len(item["evidence"]) == views.CONFIG.entity_evidence
    outlets = {a["outlet"] for a in articles}
    assert len({e["outlet"] for e in item["evidence"]}) == min(3, len(outlets))  # one each
    view = views.entity_view("e000000000001", [part])
    page = pages.render("entity.html", v={**view, "story_total": 1, "page": 1, "next_href": None})
    assert "37 more reports in the story" in page
    # a quote reprinted in three reports is listed once, with the count
    jane = part["quotes"][0]["text"]
    record["quotes"] += [dict(q) for q in record["quotes"] if q["text"] == jane] * 2
    again = views.entity_parts(record)["e000000000001"]
    assert len(again["quotes"]) == len(part["quotes"]) and again["quotes"][0]["reports"] == 3
    view = views.entity_view("e000000000001", [again])
    page = pages.render("entity.html", v={**view, "story_total": 1, "page": 1, "next_href": None})
    assert "3 reports" in page


@pytest.mark.slow
def test_stored_first_page_is_served_and_matches_the_dossier(
    tmp_path: Path, seeds_dir: Path
) -> None:
    db = tmp_path / "s.db"
    with api.open_store(db) as store:
        api.ingest([seeds_dir], store)
        (d,) = api.dossiers(store)
        stored = store.stored_story_page(d.id)
        record = store.stored_dossier(d.id)
        entity = record["entities"][0]["id"]
        parts = store.entity_pages(entity, [d.id])
    assert stored is not None and stored["view_version"] == views.VIEW_VERSION
    fresh = views.story_view(record)
    made = {k: v for k, v in stored.items() if k not in ("view_version", "sections")}
    assert json.loads(json.dumps(fresh)) == made
    assert stored["sections"]["key"] == pages.SECTIONS_KEY
    assert parts[d.id] == json.loads(json.dumps(views.entity_parts(record)[entity]))
    app = App(str(db))
    status, body = get(app, f"/story/{d.id}")
    assert status.startswith("200") and stored["claims"][0]["text"].split()[0] in body
    status, body = get(app, f"/entity/{entity}")
    assert status.startswith("200") and record["title"].split()[0] in body
    status, _ = get(app, f"/story/{d.id}", "page=0")
    assert status.startswith("400")


@pytest.mark.slow
def test_later_claims_pages_are_stored_and_served_as_made_per_request(
    tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    monkeypatch.setattr(views, "CONFIG", views.WebConfig(claims_per_page=3))
    db = tmp_path / "s.db"
    with api.open_store(db) as store:
        api.ingest([seeds_dir], store)
        (d,) = api.dossiers(store)
        record = store.stored_dossier(d.id)
        last = -(-len(record["claims"]) // 3)
        assert last >= 3, "the seed story has claims for several pages"
        stored = [store.stored_story_page(d.id, n) for n in range(2, last + 1)]
        assert store.stored_story_page(d.id, last + 1) is None
    assert all(p is not None and pages.current_sections(p) for p in stored)
    app = App(str(db))
    served = [get(app, f"/story/{d.id}", f"page={n}") for n in range(2, last + 1)]
    with sqlite3.connect(db) as raw:
        raw.execute("DELETE FROM dossier_claim_pages")
    made = [get(app, f"/story/{d.id}", f"page={n}") for n in range(2, last + 1)]
    assert served == made and all(status.startswith("200") for status, _ in served)
    claims = views.story_view(record, 2)["claims"]
    assert all(f'claim-text">{escape(c["text"])}' in served[0][1] for c in claims)


@pytest.mark.slow
def test_pages_made_by_other_view_code_are_made_again_once(tmp_path: Path, seeds_dir: Path) -> None:
    """A dossier that did not change is not assembled again: its stored pages are made
    again when the view code or templates that made them changed, and only then."""
    import sqlite3

    db = tmp_path / "s.db"
    with api.open_store(db) as store:
        api.ingest([seeds_dir], store)
        (d,) = api.dossiers(store)
        assert store.pages_key() == pages.PAGES_KEY
        assert api.remake_pages(store) == 0
    with sqlite3.connect(db) as raw:  # as older code left it: no rendered sections
        (view,) = raw.execute("SELECT view FROM dossier_pages").fetchone()
        old = {k: v for k, v in json.loads(view).items() if k != "sections"}
        raw.execute("UPDATE dossier_pages SET view = ?", (json.dumps(old),))
        raw.execute("DELETE FROM entity_pages")
        raw.execute("UPDATE meta SET value = 'older code' WHERE key = 'pages_key'")
    with api.open_store(db) as store:
        assert api.refresh_dossiers(store) == []  # nothing assembled
        stored = store.stored_story_page(d.id)
        assert stored is not None and pages.current_sections(stored)
        assert store.pages_key() == pages.PAGES_KEY
        entity = store.stored_dossier(d.id)["entities"][0]["id"]
        assert store.entity_pages(entity, [d.id])
        assert api.remake_pages(store) == 0


@pytest.mark.slow
def test_story_changes_last_n_is_the_tail_of_all(tmp_path: Path, seeds_dir: Path) -> None:
    import shutil

    inputs = tmp_path / "in"
    inputs.mkdir()
    db = tmp_path / "s.db"
    files = sorted(p for p in seeds_dir.iterdir() if p.name != "EXPECTED.md")
    with api.open_store(db) as store:
        for f in files:  # one article per ingest: two stored versions of the story
            shutil.copy(f, inputs / f.name)
            api.ingest([inputs], store)
            api.refresh_dossiers(store)
        (sid,) = store.stored_story_ids()
        full = api.story_changes(store, sid)
        assert len(full) == len(files)
        assert api.story_changes(store, sid, last=1) == full[-1:]
        assert api.story_changes(store, sid, last=5) == full


@pytest.mark.slow
def test_web_answers_while_an_ingest_holds_the_write_lock(tmp_path: Path, seeds_dir: Path) -> None:
    """WAL: readers see the last committed state while a writer is mid-transaction."""
    import sqlite3

    db = tmp_path / "s.db"
    with api.open_store(db) as store:
        api.ingest([seeds_dir], store)
        (d,) = api.dossiers(store)
    app = App(str(db))
    writer = sqlite3.connect(db, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # what an ingest holds while it stores a round
        writer.execute("DELETE FROM dossiers")  # not committed: readers must not see it
        for path in ("/", f"/story/{d.id}", "/search"):
            status, _ = get(app, path, "q=Kim" if path == "/search" else "")
            assert status.startswith("200"), (path, status)
        assert d.id in get(app, "/")[1]
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_a_claim_reprinted_by_many_outlets_shows_a_few_reports_one_per_outlet_first() -> None:
    """A wire claim backed 40 times (by 25 outlets) shows ``evidence_shown`` links, one per
    outlet before any outlet's second, and says how many more there are; the coverage
    matrix still reads every report."""
    text = "The minister said the bridge would reopen. " * 4
    articles = [
        {"id": f"a{i:014x}", "outlet": f"Outlet {i % 25:02d}", "text": text} for i in range(40)
    ]
    record = big_record(claims=1, quotes=0)
    record["articles"] = articles
    record["claims"][0]["evidence"] = [
        {"article": a["id"], "start": 0, "end": 42} for a in reversed(articles)
    ]
    record["timeline"] = [
        {"id": "t1", "text": "reopened", "evidence": record["claims"][0]["evidence"]}
    ]
    view = views.story_view(record)
    shown = views.CONFIG.evidence_shown
    for item in (view["claims"][0], view["timeline"][0]):
        outlets = [e["outlet"] for e in item["evidence"]]
        assert len(outlets) == shown and len(set(outlets)) == shown, "one per outlet first"
        assert item["evidence_total"] == 40
        # in the order of the record (the last articles first, as given)
        positions = [40 - 1 - int(e["article"][1:], 16) for e in item["evidence"]]
        assert positions == sorted(positions)
    row = view["coverage"]["rows"][0]
    assert all(cell["href"] for cell in row["cells"]), "every shown outlet reported it"
    # a few reports: all of them, nothing said
    record["claims"][0]["evidence"] = record["claims"][0]["evidence"][:3]
    assert len(views.story_view(record)["claims"][0]["evidence"]) == 3


def test_stored_sections_make_the_page_a_request_would_make() -> None:
    """The sections rendered when the dossier is stored are served as they are, and only
    while the sections template (its key) is the one they were made with."""
    record = big_record(claims=3, quotes=2)
    stored = json.loads(json.dumps(pages.stored_page(record)))
    fresh = views.story_view(record)
    assert pages.story_page(stored, [], "") == pages.story_page(fresh, [], "")
    stored["sections"]["html"] = "<p>stored sections</p>"
    assert "<p>stored sections</p>" in pages.story_page(stored, [], "")
    stored["sections"]["key"] = "another template"
    page = pages.story_page(stored, [], "")
    assert "stored sections" not in page and page == pages.story_page(fresh, [], "")


def test_story_page_says_how_many_reports_it_left_out() -> None:
    from storyline.web.app import render

    text = "The minister said the bridge would reopen. " * 4
    articles = [{"id": f"a{i:014x}", "outlet": f"Outlet {i:02d}", "text": text} for i in range(30)]
    record = big_record(claims=1, quotes=0)
    record["articles"] = articles
    record["claims"][0]["evidence"] = [
        {"article": a["id"], "start": 0, "end": 42} for a in articles
    ]
    page = render("story.html", v=views.story_view(record), changes=[], since="")
    assert f"{30 - views.CONFIG.evidence_shown} more reports" in page
    assert page.count('class="ev"') == views.CONFIG.evidence_shown


def test_a_page_stored_before_the_evidence_bound_still_renders() -> None:
    """Pages stored by the view code before ``evidence_shown`` (same ``VIEW_VERSION``) have
    no ``evidence_total`` and list every report: the template renders them as before."""
    from storyline.web.app import render

    view = views.story_view(big_record(claims=3, quotes=0))
    for item in (*view["claims"], *view["timeline"]):
        del item["evidence_total"]
    page = render("story.html", v=view, changes=[], since="")
    assert "more reports" not in page and page.count('class="ev"') == 3
