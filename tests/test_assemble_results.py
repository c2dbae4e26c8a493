"""What the workers send back from an assembly: a build asks for no Dossier, only what it
stores and writes, and that is the same whether or not the Dossier comes along."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline import api
from storyline.backends import SerialRunner
from storyline.io.store.sqlite import SQLiteStore

ROOT = Path(__file__).resolve().parent.parent
DUMPS = ROOT / "tests" / "fixtures" / "dumps"


@pytest.mark.slow
def test_a_build_gets_rows_records_and_files_without_the_dossier(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "s.db") as store:
        api.build([DUMPS], tmp_path / "out", store)
        stories = {s.id: s for s in api.cluster(store)}
        story_id = max(stories, key=lambda i: len(stories[i].article_ids))
        story = stories[story_id]
        docs = list(api._stored_annotations(store, story.article_ids).values())
    kept = api._assemble(api.AssembleTask(story, tuple(docs), True, "p", True))
    light = api._assemble(api.AssembleTask(story, tuple(docs), True, "p", False))
    assert isinstance(kept, api.Assembled) and isinstance(light, api.Assembled)
    assert kept.dossier is not None and light.dossier is None
    assert light.story_id == kept.dossier.id == story_id
    assert light.problems == kept.dossier.problems
    assert (light.row, light.record, light.output) == (kept.row, kept.record, kept.output)
    # the build's ids come from the light results: every story it assembled, by id
    with SQLiteStore(tmp_path / "s.db") as store:
        assert api.update_dossiers(store) == []  # nothing changed: nothing assembled


@pytest.mark.slow
def test_the_row_and_files_from_one_dossier_dict_are_those_made_apart(tmp_path: Path) -> None:
    """An assembly makes the dossier dict once for the store's row and the story's .json
    file: both read it, neither changes it, so each is what it was made from its own."""
    from storyline.io.writers import story_output

    with SQLiteStore(tmp_path / "s.db") as store:
        api.build([DUMPS], tmp_path / "out", store)
        stories = sorted(api.cluster(store), key=lambda s: -len(s.article_ids))[:3]
        found = api._stored_annotations(store, [a for s in stories for a in s.article_ids])
    for story in stories:
        done = api._assemble(
            api.AssembleTask(story, tuple(found[a] for a in story.article_ids), True, "p", True)
        )
        assert isinstance(done, api.Assembled) and done.dossier is not None
        d = done.dossier
        assert done.row == api.dossier_row(d, done.row.fingerprint)
        assert done.output == story_output(d)


@pytest.mark.slow
def test_workers_get_the_stored_json_and_assemble_what_the_decoded_annotations_give(
    tmp_path: Path,
) -> None:
    """A build hands the workers each member's stored JSON (decoded there), with its claim
    count for the balancing and its problems read apart: the same tasks' worth as the
    decoded annotations, and the same results."""
    import dataclasses
    import json

    from storyline.model import StageProblem
    from storyline.pipeline import article_key

    with SQLiteStore(tmp_path / "s.db") as store:
        api.build([DUMPS], tmp_path / "out", store)
        stories = sorted(api.cluster(store), key=lambda s: (-len(s.article_ids), s.id))
        ids = [a for s in stories for a in s.article_ids]
        decoded = api._stored_annotations(store, ids)
        # two members with problems (one with escapes and non-ASCII text), saved again
        odd = [
            StageProblem(
                article_id=ids[0],
                stage="quotes",
                error="KeyError",
                message='a "quoted" \\ msg\n',
                sentence="Zoë’s",
            ),
            StageProblem(
                article_id=ids[0], stage="times", error="ValueError", message="x", story_id="s1"
            ),
        ]
        changed = [dataclasses.replace(decoded[ids[0]], problems=tuple(odd))]
        changed.append(dataclasses.replace(decoded[ids[-1]], problems=(odd[1],)))
        store.save_annotations(changed, article_key())
        decoded = api._stored_annotations(store, ids)
        stored, problems = api._stored_records(store, [*ids, "no-such-article"])
    assert set(stored) == set(decoded) == set(ids)
    assert problems == [p for i in ids for p in decoded[i].problems]
    assert problems == [*odd, odd[1]]
    for i in ids:
        assert stored[i].claims == len(decoded[i].claims)
        assert api._decoded(stored[i]) == decoded[i]
    story = stories[0]
    as_json = [stored[a] for a in story.article_ids]
    as_records = [decoded[a] for a in story.article_ids]
    costs = api._story_cost([d.claims for d in as_json])
    assert costs == api._story_cost([len(d.claims) for d in as_records]) > 0
    from_json = api._assemble(api.AssembleTask(story, tuple(as_json), True, "p", True))
    from_records = api._assemble(api.AssembleTask(story, tuple(as_records), True, "p", True))
    assert isinstance(from_json, api.Assembled) and isinstance(from_records, api.Assembled)
    assert from_json == from_records
    # a record SQLite's JSON functions refuse (NaN) is read Python's way
    with SQLiteStore(tmp_path / "s.db") as store:
        store._db.execute(
            "UPDATE annotations SET record = ? WHERE article_id = ?",
            (json.dumps({**json.loads(stored[ids[0]].record), "x": float("nan")}), ids[0]),
        )
        again, problems = api._stored_records(store, ids[:1])
    assert problems == odd and again[ids[0]].claims == stored[ids[0]].claims
    assert api._decoded(again[ids[0]]) == decoded[ids[0]]


@pytest.mark.slow
def test_workers_send_annotations_encoded_as_the_store_keeps_them(tmp_path: Path) -> None:
    """An annotation round's workers encode each annotation: the store gets the rows
    ``save_annotations`` writes for the records themselves, and ``annotate`` returns the
    records the pipeline made (decoded from those rows)."""
    from storyline import pipeline
    from storyline.io.store.sqlite import annotation_record
    from storyline.pipeline import article_key

    with SQLiteStore(tmp_path / "a.db") as store:
        api.ingest([DUMPS], store)
        articles = api.unclustered_news(store)[:6]
        got = api.annotate(store, articles)
        rows = dict(
            store._db.execute(
                "SELECT article_id, record FROM annotations WHERE fingerprint = ?",
                (article_key(),),
            ).fetchall()
        )
    made = pipeline.annotate_batch_with_default_model(articles)
    assert got == made and len(made) == 6
    assert rows == {doc.article.id: annotation_record(doc) for doc in made}
    with SQLiteStore(tmp_path / "b.db") as other:
        other.add_articles([d.article for d in made])
        other.save_annotations(made, article_key())
        assert dict(other._db.execute("SELECT article_id, record FROM annotations")) == rows


class _Remote(SerialRunner):
    """Workers that cannot open this machine's files (as on a Dask cluster reached by
    address): the annotations go to them and everything comes back."""

    local = False


@pytest.mark.slow
def test_workers_that_open_the_store_store_and_write_what_they_would_send_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers on this machine read a story's annotations from the store and save and write
    its dossier themselves (the main process holds ids only); workers elsewhere are sent
    the annotations and send everything back. The store's dossiers and the files are the
    same byte for byte, and so is what the dossiers API returns."""
    kept_by_workers: list[str] = []
    real = api._assembled_and_kept

    def counting(story, docs, task, store, *, strict):  # type: ignore[no-untyped-def]
        kept_by_workers.append(story.id)
        return real(story, docs, task, store, strict=strict)

    monkeypatch.setattr(api, "_assembled_and_kept", counting)
    results = {}
    for name, runner in (("here", SerialRunner()), ("remote", _Remote())):
        kept_by_workers.clear()
        with SQLiteStore(tmp_path / f"{name}.db") as store:
            api.build([DUMPS], tmp_path / name, store, runner=runner)
            rows = store._db.execute(
                "SELECT d.story_id, d.fingerprint, d.record, r.record, p.view"
                " FROM dossiers d JOIN dossier_records r USING (story_id)"
                " JOIN dossier_pages p USING (story_id) ORDER BY d.story_id"
            ).fetchall()
            kept = api.dossiers(store, runner=runner)
            counts, read = api._stored_claim_counts(store, ["no-such-article"])
            assert counts == {} and read == []
        # here: every story of the build and of the dossiers call saved by its worker
        assert len(kept_by_workers) == (2 * len(rows) if name == "here" else 0)
        files = {p.name: p.read_bytes() for p in (tmp_path / name).iterdir()}
        results[name] = (rows, kept, files)
    assert len(results["here"][0]) >= 3
    assert results["here"] == results["remote"]
    assert api._workers_store(SQLiteStore(":memory:"), SerialRunner()) is None
    assert api._workers_store(SQLiteStore(tmp_path / "here.db"), _Remote()) is None
