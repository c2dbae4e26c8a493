"""The embedded store: idempotent inserts, atomic batches, search, cluster state."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.errors import NotFoundError, StoreError
from storyline.io.store.sqlite import SQLiteStore
from tests.util import make_article


def test_store_add_is_idempotent(store: SQLiteStore) -> None:
    a = make_article("Kim inspected factories.", published="2023-08-06")
    assert store.add_articles([a]) == (1, 0)
    before = store.digest()
    assert store.add_articles([a]) == (0, 1)
    assert store.digest() == before
    assert store.article(a.id) == a


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(min_size=1, max_size=60), min_size=1, max_size=5))
def test_store_reingest_leaves_store_unchanged(tmp_path: Path, paragraphs: list[str]) -> None:
    articles = [make_article(p, input=f"in{i}.txt") for i, p in enumerate(paragraphs)]
    with SQLiteStore(tmp_path / f"h{abs(hash(tuple(paragraphs)))}.db") as db:
        db.add_articles(articles)
        digest = db.digest()
        db.add_articles(articles)
        assert db.digest() == digest


def test_store_interrupted_batch_leaves_nothing_half_written(store: SQLiteStore) -> None:
    good = make_article("Committed first.")
    store.add_articles([good])

    class Boom:
        """An article-like object that fails halfway through the batch."""

        def __getattr__(self, name: str) -> object:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        store.add_articles([make_article("Second, never committed."), Boom()])  # type: ignore[list-item]
    assert [a.id for a in store.articles()] == [good.id]


def test_store_survives_reopen(tmp_path: Path) -> None:
    a = make_article("Persisted text.")
    with SQLiteStore(tmp_path / "s.db") as db:
        db.add_articles([a])
    with SQLiteStore(tmp_path / "s.db") as db:
        assert db.article(a.id).text == "Persisted text."


def test_store_unknown_article_is_a_named_error(store: SQLiteStore) -> None:
    with pytest.raises(NotFoundError, match="E003"):
        store.article("a0000")


def test_store_rejects_a_non_database(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"\x00junk" * 1000)
    with pytest.raises(StoreError):
        SQLiteStore(path)


def test_store_search_treats_query_as_words(store: SQLiteStore) -> None:
    store.add_articles([make_article("Kim inspected arms factories.", title="Arms")])
    assert store.search("arms factories")[0][1] == "Arms"
    assert store.search('NEAR( OR "') == []  # FTS syntax in user input is quoted, not parsed


def test_store_search_ranks_the_latest_matches_only_past_the_bound(
    store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under ``SEARCH_RANKED`` matches every match is ranked; past it, the ones stored last."""
    from storyline.io.store import sqlite

    texts = ["bridge bridge bridge closed.", "A bridge.", "The bridge reopened today.", "bridge"]
    articles = [make_article(t, input=f"b{i}.txt", title=f"T{i}") for i, t in enumerate(texts)]
    for a in articles:  # one batch each: stored in this order
        store.add_articles([a])
    everything = [h.title for h in store.search_articles("bridge", limit=10)]
    assert sorted(everything) == ["T0", "T1", "T2", "T3"] and everything[0] == "T0"
    monkeypatch.setattr(sqlite, "SEARCH_RANKED", 2)
    latest = [h.title for h in store.search_articles("bridge", limit=10)]
    assert sorted(latest) == ["T2", "T3"]


@given(
    st.text(
        st.one_of(
            st.characters(codec="ascii"),
            st.characters(min_codepoint=0x80, max_codepoint=0x10FFFF),
            st.sampled_from(["\udc80", "\udcff", "\ud800", "\udfff", "\udc7f", "’"]),
        )
    )
)
def test_storable_is_the_surrogate_escape_of_every_text(text: str) -> None:
    """The ASCII and UTF-8 shortcuts change nothing: every text comes out as the regex
    substitution of its surrogates makes it (and encodes)."""
    from storyline.io.store.sqlite import _SURROGATE, _escape_surrogate, _storable

    out = _storable(text)
    assert out == _SURROGATE.sub(_escape_surrogate, text)
    assert out is not None and out.encode("utf-8") is not None  # no surrogate left


def test_store_unclustered_ids_page_like_unclustered(store: SQLiteStore) -> None:
    # the bench pages a 100k store by these ids: same articles, same (ingest) order
    articles = [make_article(f"Report number {i} of the day.", input=f"u{i}.txt") for i in range(5)]
    store.add_articles(articles)
    store.save_clusters({articles[1].id: articles[1].id}, {articles[1].id: {"size": 1}})
    ids = store.unclustered_ids()
    assert ids == [a.id for a in store.unclustered()]
    assert ids == [a.id for a in articles if a.id != articles[1].id]
    assert store.articles(ids[1:3]) == [a for a in articles if a.id in ids[1:3]]
