"""Story ids are stable: an article joining a story keeps the story's id (and its links)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline import api
from storyline.io.store.sqlite import story_id

SEED_NAMES = ("000_7ad4c010def9a89b.txt", "003_88fbbbda507f7614.txt")


@pytest.mark.parametrize("order", [SEED_NAMES, SEED_NAMES[::-1]])
def test_story_id_survives_a_later_ingest(
    seeds_dir: Path, tmp_path: Path, order: tuple[str, str]
) -> None:
    first, second = (seeds_dir / name for name in order)
    with api.open_store(tmp_path / "s.db") as store:
        assert api.ingest([first], store).added == 1
        before = api.cluster(store)
        assert len(before) == 1 and len(before[0].article_ids) == 1
        assert api.ingest([second], store).added == 1
        after = api.cluster(store)
    assert len(after) == 1, "the two seed reports are one story"
    assert after[0].id == before[0].id
    assert len(after[0].article_ids) == 2
    assert after[0].article_ids[0] == before[0].article_ids[0]


def test_story_id_is_prefixed_hex_of_the_founding_article() -> None:
    sid = story_id("a0123456789abcd")
    assert sid.startswith("s") and len(sid) == 13
    int(sid[1:], 16)
    assert story_id("a0123456789abcd") == sid
    assert story_id("a0123456789abce") != sid


QUAKE = (
    "A magnitude 6.1 earthquake struck western Turkey near Izmir on Monday, damaging "
    "dozens of buildings, the disaster agency AFAD said. Rescuers searched the rubble."
)
BUDGET = (
    "The Swiss parliament approved the federal budget on Tuesday after a long debate "
    "about farm subsidies, the finance ministry in Bern said."
)


def test_merged_story_id_still_resolves_in_store_dossier_and_web(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from storyline.cli import cli
    from storyline.web.app import App

    (tmp_path / "quake.txt").write_text(f"Earthquake near Izmir\n\n{QUAKE}\n", encoding="utf-8")
    (tmp_path / "budget.txt").write_text(f"Swiss budget passes\n\n{BUDGET}\n", encoding="utf-8")
    db = tmp_path / "s.db"
    with api.open_store(db) as store:
        api.ingest([tmp_path / "quake.txt", tmp_path / "budget.txt"], store)
        stories = api.cluster(store)
        assert len(stories) == 2, "two unrelated reports are two stories"
        keep, old = sorted(s.id for s in stories)
        assert api.merge_stories(store, old, keep) == keep
        after = api.cluster(store)
        assert [s.id for s in after] == [keep] and len(after[0].article_ids) == 2
        assert store.resolve_story(old) == keep and store.resolve_story(keep) == keep
        assert [(a, b, kind) for a, b, kind, _ in store.story_aliases()] == [(old, keep, "merge")]
        (state,) = store.cluster_states().values()
        assert state["size"] == 2, "the merged story clusters on with both members' state"
        assert api.dossier(store, old).id == keep
        api.refresh_dossiers(store)
    printed = CliRunner().invoke(cli, ["dossier", old, "--store", str(db)])
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.output)["id"] == keep
    app = App(str(db))

    def get(path: str) -> tuple[str, list[tuple[str, str]]]:
        seen: list[tuple[str, list[tuple[str, str]]]] = []
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "HTTP_HOST": "127.0.0.1"}
        b"".join(app(environ, lambda status, headers: seen.append((status, headers))))
        return seen[0]

    for path, target in [
        (f"/story/{old}", f"/story/{keep}"),
        (f"/api/story/{old}", f"/api/story/{keep}"),
    ]:
        status, headers = get(path)
        assert status.startswith("301") and ("Location", target) in headers
    assert get(f"/story/{keep}")[0].startswith("200"), "the kept id answers, no redirect"


def test_a_story_merged_away_leaves_no_page_behind(tmp_path: Path) -> None:
    """Its stored pages and entity parts go with its dossier: an entity page lists stories
    from the entity parts, and would list the story merged away."""
    import sqlite3

    (tmp_path / "quake.txt").write_text(f"Earthquake near Izmir\n\n{QUAKE}\n", encoding="utf-8")
    (tmp_path / "budget.txt").write_text(f"Swiss budget passes\n\n{BUDGET}\n", encoding="utf-8")
    db = tmp_path / "s.db"
    tables = ("dossier_pages", "entity_pages")
    with api.open_store(db) as store:
        api.ingest([tmp_path / "quake.txt", tmp_path / "budget.txt"], store)
        keep, old = sorted(s.id for s in api.cluster(store))
        api.refresh_dossiers(store)
    with sqlite3.connect(db) as raw:
        count = {t: f"SELECT COUNT(*) FROM {t} WHERE story_id = ?" for t in tables}
        assert all(raw.execute(count[t], (old,)).fetchone()[0] > 0 for t in tables)
    with api.open_store(db) as store:
        api.merge_stories(store, old, keep)
    with sqlite3.connect(db) as raw:
        assert all(raw.execute(count[t], (old,)).fetchone()[0] == 0 for t in tables)


def test_merging_a_story_into_itself_or_an_unknown_one_fails(
    tmp_path: Path, seeds_dir: Path
) -> None:
    from storyline.errors import NotFoundError, StoreError

    with api.open_store(tmp_path / "s.db") as store:
        api.ingest([seeds_dir / SEED_NAMES[0]], store)
        (story,) = api.cluster(store)
        with pytest.raises(StoreError):
            api.merge_stories(store, story.id, story.id)
        with pytest.raises(NotFoundError):
            api.merge_stories(store, "s000000000000", story.id)
        assert store.story_aliases() == []


def test_merged_cluster_state_sums_both_stories() -> None:
    from storyline.stages.corpus.cluster import merge_states
    from storyline.stages.corpus.embed import INPUT

    a = {
        "centroid": {"izmir": 4.0, "quake": 2.0},
        "size": 2,
        "first": "2020-10-30",
        "last": "2020-10-31",
        "embedding": [1.0, 0.0],
        "embedded": 2,
        "embedding_input": INPUT,
        "languages": {"en": 2},
    }
    b = {"centroid": {"izmir": 1.0, "rubble": 1.0}, "size": 1, "first": None, "last": None}
    b |= {"embedding": [0.0, 1.0], "embedded": 1, "embedding_input": INPUT, "languages": {"tr": 1}}
    merged = merge_states(a, b)
    assert merged["centroid"] == {"izmir": 5.0, "quake": 2.0, "rubble": 1.0}
    assert (merged["size"], merged["embedded"]) == (3, 3)
    assert (merged["first"], merged["last"]) == ("2020-10-30", "2020-10-31")
    assert merged["embedding"] == [1.0, 1.0] and merged["languages"] == {"en": 2, "tr": 1}
    assert merge_states(a, b) == merge_states(b, a) | {"centroid": merged["centroid"]}
    # a sum of vectors of another embedding input (an older embed.py) is not added in
    stale = b | {"embedding_input": "lead200"}
    assert merge_states(a, stale)["embedding"] == [1.0, 0.0]
    assert merge_states(a, stale)["embedded"] == 2
