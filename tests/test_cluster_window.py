"""A stream's clustering call reads only the stories of its date window (issue 9), with the
term frequencies of the whole corpus kept by the store: the same stories as reading all."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from storyline import api
from storyline.io.store.sqlite import SQLiteStore
from storyline.model import Article, DateValue
from storyline.stages.corpus.cluster import assign_stories, date_window
from tests.util import make_article

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"

QUAKE = "A magnitude 6.1 earthquake struck western Turkey near Izmir, damaging buildings, officials said."
BUDGET = (
    "The Swiss parliament approved the federal budget after a long debate about farm subsidies."
)
FLOOD = "Floods in Bavaria forced thousands from their homes as the Danube rose past record levels."


def _derived(store: SQLiteStore) -> tuple[dict[str, Any], dict[str, int]]:
    """The store's derived cluster tables, as rows."""
    days = {str(k): (f, la) for k, f, la in store._db.execute("SELECT * FROM cluster_days")}
    terms = {str(t): int(n) for t, n in store._db.execute("SELECT * FROM cluster_terms")}
    return days, terms


def _recomputed(store: SQLiteStore) -> dict[str, int]:
    """Document frequencies over every stored centroid, counted afresh."""
    df: Counter[str] = Counter()
    for state in store.cluster_states().values():
        df.update(state["centroid"].keys())
    return dict(df)


def test_date_window_spans_the_batch_and_is_none_with_an_undated_article() -> None:
    a = make_article(QUAKE, published="2023-08-06")
    b = make_article(BUDGET, published="2023-08-20")
    window = date_window([a, b])
    assert window is not None
    lo, hi = window
    assert hi - lo == 14 + 28  # the batch's two weeks plus max_days_apart either side
    assert date_window([a, make_article(FLOOD)]) is None  # undated: any story may take it


def test_window_reads_only_stories_a_dated_batch_could_join(tmp_path: Path) -> None:
    old = make_article(QUAKE, title="Quake in Izmir", published="2020-01-06")
    near = make_article(BUDGET, title="Swiss budget", published="2023-08-01")
    undated = make_article(FLOOD, title="Floods in Bavaria")
    with SQLiteStore(tmp_path / "s.db") as store:
        store.add_articles([old, near, undated])
        api.cluster(store)
        days, terms = _derived(store)
        assert len(days) == 3 and terms == _recomputed(store)
        new = [make_article(BUDGET + " Farmers protested.", published="2023-08-03")]
        window = date_window(new)
        assert window is not None
        read = store.cluster_states(window)
        keys = {k for k, s in store.cluster_states().items() if s.get("first") != "2020-01-06"}
        assert set(read) == keys  # the 2020 story is out; the undated one is always in
        frequencies = store.cluster_frequencies(["izmir", "swiss", "nothing"])
        assert frequencies is not None
        assert frequencies[1] == 3 and "nothing" not in frequencies[0]
        assert frequencies[0]["izmir"] == _recomputed(store)["izmir"]


def test_derived_tables_follow_saves_and_merges_and_fill_an_older_store(tmp_path: Path) -> None:
    articles = [
        make_article(QUAKE, title="Quake", published="2023-08-01"),
        make_article(BUDGET, title="Budget", published="2023-08-02"),
        make_article(FLOOD, title="Floods", published="2023-08-03"),
    ]
    with SQLiteStore(tmp_path / "s.db") as store:
        store.add_articles(articles)
        stories = api.cluster(store)
        assert len(stories) == 3
        store.add_articles([make_article(QUAKE + " Aftershocks followed.", published="2023-08-02")])
        api.cluster(store)
        assert _derived(store)[1] == _recomputed(store)
        first, second = sorted(s.id for s in api.cluster(store))[:2]
        api.merge_stories(store, first, second)
        days, terms = _derived(store)
        assert len(days) == 2 and terms == _recomputed(store)
        # a store clustered before the tables existed: filled on its next read
        store._db.execute("DELETE FROM cluster_terms")
        store._db.execute("DELETE FROM cluster_days")
        store._db.execute("DELETE FROM meta WHERE key = 'cluster_index_stories'")
        assert store.cluster_frequencies(["izmir"]) is not None
        assert _derived(store)[1] == _recomputed(store)


def _stream(articles: list[Article], db: Path, windowed: bool, call: int) -> dict[str, Any]:
    """Cluster ``articles`` into a store in calls of ``call`` articles, in date order;
    windowed (the api's path) or reading every story each call."""
    ordered = sorted(articles, key=lambda a: (a.published.start if a.published else None, a.id))
    with SQLiteStore(db) as store:
        for i in range(0, len(ordered), call):
            part = ordered[i : i + call]
            store.add_articles(part)
            new = api.unclustered_news(store)
            if windowed:
                stored, corpus = api.stories_to_meet(store, new)
                assert corpus is not None
            else:
                stored, corpus = store.cluster_states(), None
            assignments, states = assign_stories(new, stored, corpus=corpus)
            store.save_clusters(assignments, states)
        members = store.story_members()
        states = store.cluster_states()
    return {"members": members, "states": json.dumps(states, sort_keys=True)}


@pytest.mark.skipif(not EVAL.exists(), reason="needs ../shared/eval")
def test_windowed_stream_equals_reading_every_story_on_real_pairs(tmp_path: Path) -> None:
    from storyline.evaluation.same_story import pair_articles

    path = EVAL / "same-story" / "semeval-en-dev.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    # the pairs carry no dates: each text gets one, spread over four months (a pair's two
    # texts a few days apart), so each call's window holds only part of the stories
    articles = [
        replace(a, published=DateValue(start=day, end=day, precision="day", basis="test"))
        for i, a in enumerate(pair_articles(rows[:150]))
        for day in [date(2020, 1, 1) + timedelta(days=(i * 7) % 120)]
    ]
    assert len(articles) > 200
    windowed = _stream(articles, tmp_path / "w.db", windowed=True, call=20)
    everything = _stream(articles, tmp_path / "a.db", windowed=False, call=20)
    assert len(set(windowed["members"])) > 20
    assert windowed == everything


def test_check_finds_derived_cluster_tables_out_of_step(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "s.db") as store:
        store.add_articles([make_article(QUAKE, title="Quake", published="2023-08-01")])
        api.cluster(store)
        assert not [f for f in store.check() if "term counts" in f]
        store._db.execute("UPDATE cluster_terms SET stories = stories + 1")
        assert [f for f in store.check() if "term counts" in f]


def test_a_clustering_call_tokenises_each_article_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window and the assignment share the batch's terms (`terms_by_article`): an
    ingest tokenises each new article once, with the same assignments as tokenising twice."""
    from storyline.stages.corpus import cluster

    def batch() -> list[Article]:
        return [
            make_article(QUAKE, title="Quake in Izmir", published="2023-08-02"),
            make_article(QUAKE + " Rescuers searched the rubble.", published="2023-08-03"),
            make_article(BUDGET, title="Swiss budget", published="2023-08-04"),
        ]

    with SQLiteStore(tmp_path / "twice.db") as store:
        store.add_articles(batch())
        new = api.unclustered_news(store)
        stored, corpus = api.stories_to_meet(store, new)
        expected = assign_stories(new, stored, corpus=corpus)
    calls: Counter[str] = Counter()
    tokenise = cluster.article_terms

    def counted(article: Article) -> dict[str, float]:
        calls[article.id] += 1
        return tokenise(article)

    monkeypatch.setattr(cluster, "article_terms", counted)
    with SQLiteStore(tmp_path / "once.db") as store:
        store.add_articles(batch())
        api.cluster(store)
        assert len(calls) == 3 and set(calls.values()) == {1}
        members = {k: sorted(v) for k, v in store.story_members().items()}
        assert members == _members(expected[0])


def _members(assignments: dict[str, str]) -> dict[str, list[str]]:
    by_story: dict[str, list[str]] = {}
    for article, story in sorted(assignments.items()):
        by_story.setdefault(story, []).append(article)
    return by_story


def _partition(store: SQLiteStore) -> list[list[str]]:
    return sorted(sorted(v) for v in store.story_members().values())


def test_a_large_ingest_is_clustered_in_rounds_as_a_stream_would_be(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past ``CLUSTER_ROUND`` new articles, the clustering goes round by round in arrival
    order, each round meeting the stories the rounds before it saved: the stories of a
    stream that brought the same articles in those rounds, and every news article placed."""
    days = ["2023-08-01", "2023-08-02", "2023-08-03", "2023-08-04", "2023-08-05"]
    articles = [
        make_article(f"{text} Report {i}.", title=title, published=days[i % 5])
        for i, (text, title) in enumerate(
            [(QUAKE, "Quake in Izmir"), (BUDGET, "Swiss budget"), (FLOOD, "Floods")] * 3
        )
    ]
    rounds_seen: list[list[str]] = []
    news_rounds = api.news_rounds

    def recorded(store: SQLiteStore, size: int | None = None):  # type: ignore[no-untyped-def]
        for round_ in news_rounds(store, size):
            rounds_seen.append([a.id for a in round_])
            yield round_

    monkeypatch.setattr(api, "CLUSTER_ROUND", 4)
    monkeypatch.setattr(api, "news_rounds", recorded)
    with SQLiteStore(tmp_path / "rounds.db") as store:
        store.add_articles(articles)
        api.cluster(store)
        in_rounds = _partition(store)
        assert not store.unclustered_ids()
    assert [len(r) for r in rounds_seen] == [4, 4, 1]
    order = sorted(articles, key=lambda a: (a.published.start if a.published else None, a.id))
    assert [i for r in rounds_seen for i in r] == [a.id for a in order]
    stream = _stream(articles, tmp_path / "stream.db", windowed=True, call=4)
    assert in_rounds == sorted(sorted(v) for v in stream["members"].values())
    assert len(in_rounds) == 3, "each event one story across the rounds"
    monkeypatch.setattr(api, "CLUSTER_ROUND", 100)
    rounds_seen.clear()
    with SQLiteStore(tmp_path / "one.db") as store:
        store.add_articles(articles)
        api.cluster(store)
        assert _partition(store) == in_rounds
    assert [len(r) for r in rounds_seen] == [9]


def test_a_build_annotates_and_clusters_a_large_ingest_round_by_round(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyline.pipeline import article_key

    src = tmp_path / "in"
    src.mkdir()
    texts = [(QUAKE, "Quake in Izmir"), (BUDGET, "Swiss budget"), (FLOOD, "Floods")] * 2
    for i, (text, title) in enumerate(texts):
        record = {"title": title, "published": f"2023-08-0{i + 1}", "text": f"{text} Report {i}."}
        (src / f"{i}.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    monkeypatch.setattr(api, "CLUSTER_ROUND", 2)
    with SQLiteStore(tmp_path / "b.db") as store:
        report = api.build([src], tmp_path / "out", store)
        assert not store.unclustered_ids() and not report.problems
        assert len(store.annotated_ids(article_key())) == 6, "every article annotated"
        assert len(_partition(store)) == 3
