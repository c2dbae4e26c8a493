"""Incremental builds: unchanged stories come back from the store, unchanged files stay."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from storyline import api
from storyline.io.store.sqlite import SQLiteStore

ROOT = Path(__file__).resolve().parent.parent
DUMPS = ROOT / "tests" / "fixtures" / "dumps"


@pytest.mark.slow
def test_a_rebuild_assembles_only_changed_stories_and_rewrites_only_changed_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first_in, out = tmp_path / "in", tmp_path / "out"
    first_in.mkdir()
    dumps = sorted(p for p in DUMPS.glob("*.txt"))
    for p in dumps[:-1]:
        shutil.copy(p, first_in / p.name)
    with SQLiteStore(tmp_path / "s.db") as store:
        first = api.build([first_in], out, store)
        assert first.ok and len(first.assembled) >= 3
        assert first.rendered == first.stories == first.assembled
        stamps = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
        time.sleep(0.01)

        # nothing new: nothing is assembled, restored or rendered; every file keeps its stamp
        from storyline.stages.corpus import dossier as stage

        calls: list[str] = []
        real = stage.assemble

        def counting(story, docs, **options):  # type: ignore[no-untyped-def]
            calls.append(story.id)
            return real(story, docs, **options)

        restored: list[str] = []
        real_records = SQLiteStore.dossier_records

        def reading(self, story_ids):  # type: ignore[no-untyped-def]
            found = real_records(self, story_ids)
            restored.extend(found)
            return found

        monkeypatch.setattr(stage, "assemble", counting)
        monkeypatch.setattr(SQLiteStore, "dossier_records", reading)
        again = api.build([first_in], out, store)
        assert calls == [] and restored == [] and again.rendered == ()
        assert again.stories == first.stories
        assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == stamps

        # one new article: only its story is assembled and rendered; of the other stories'
        # files none is touched, and the shared files (list, index, manifest) are rewritten
        shutil.copy(dumps[-1], first_in / dumps[-1].name)
        third = api.build([first_in], out, store)
        assert len(calls) == 1 and restored == []
        (changed,) = calls
        assert third.rendered == (changed,) and third.assembled == (changed,)
        grown = api.stored_dossier(store, changed)
        assert any(a["input"].endswith(dumps[-1].name) for a in grown["articles"])
        now = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
        touched = {name for name, stamp in now.items() if stamps.get(name) != stamp}
        assert touched == {
            f"{changed}.json",
            f"{changed}.md",
            f"{changed}.html",
            "dossiers.json",
            "index.html",
            "manifest.json",
        }

        # a story file deleted by hand: only that story is restored and rendered again
        victim = next(i for i in third.stories if i != changed)
        (out / f"{victim}.md").unlink()
        fourth = api.build([first_in], out, store)
        assert fourth.rendered == (victim,) and restored == [victim] and len(calls) == 1
        assert (out / f"{victim}.md").is_file()

        # a fresh output folder gets every file, from the stored records
        fresh = api.build([first_in], tmp_path / "out2", store)
        assert len(calls) == 1
        assert fresh.rendered == fresh.stories == third.stories
        assert {p.name for p in (tmp_path / "out2").iterdir()} == {p.name for p in out.iterdir()}
        for p in out.iterdir():  # a restored dossier renders exactly as an assembled one
            assert (tmp_path / "out2" / p.name).read_bytes() == p.read_bytes(), p.name


class Recorder:
    """A Progress that keeps what it was told."""

    def __init__(self) -> None:
        self.phases: list[tuple[str, int | None]] = []
        self.done: dict[str, int] = {}

    def phase(self, name: str, total: int | None) -> None:
        self.phases.append((name, total))
        self.done[name] = 0

    def __call__(self, n: int = 1) -> None:
        self.done[self.phases[-1][0]] += n


@pytest.mark.slow
def test_build_reports_each_phase_with_its_total(tmp_path: Path) -> None:
    progress = Recorder()
    with SQLiteStore(tmp_path / "s.db") as store:
        report = api.build([DUMPS], tmp_path / "out", store, progress=progress)
    names = [name for name, _ in progress.phases]
    # the new articles are annotated while they are clustered, then the stale stories found
    assert names == ["read", "annotate", "cluster", "assemble", "write"]
    totals = dict(progress.phases)
    assert totals["read"] is None  # a folder's size is known only once read
    assert totals["annotate"] == report.ingest.added == progress.done["annotate"]
    assert totals["assemble"] == totals["write"] == len(report.assembled) == len(report.stories)
    assert progress.done["read"] >= report.ingest.added


@pytest.mark.slow
def test_a_build_in_rounds_writes_what_one_round_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stories are assembled and written a round at a time (bounded memory at any corpus
    size); how the stories fall into rounds changes no byte of the output."""
    with SQLiteStore(tmp_path / "one.db") as store:
        whole = api.build([DUMPS], tmp_path / "one", store)
    rounds: list[int] = []
    real = api._submit_assemble

    def counting(tasks, costs, runner):  # type: ignore[no-untyped-def]
        rounds.append(len(tasks))
        return real(tasks, costs, runner)

    monkeypatch.setattr(api, "ASSEMBLE_ROUND", 1)  # every story a round of its own
    monkeypatch.setattr(api, "_submit_assemble", counting)
    with SQLiteStore(tmp_path / "many.db") as store:
        split = api.build([DUMPS], tmp_path / "many", store)
    assert len(whole.assembled) >= 3 and rounds == [1] * len(whole.assembled)
    assert split.assembled == whole.assembled and split.rendered == whole.rendered
    one = {p.name: p.read_bytes() for p in (tmp_path / "one").iterdir()}
    many = {p.name: p.read_bytes() for p in (tmp_path / "many").iterdir()}
    assert one == many


@pytest.mark.slow
def test_annotation_streamed_during_the_ingest_gives_the_same_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With rounds of two articles the workers annotate while the ingest still reads
    (``StreamedAnnotation``); the store ends with the same annotations and the output is
    byte for byte the one of a build that annotates after its ingest."""
    with SQLiteStore(tmp_path / "after.db") as store:
        api.update_output(store, tmp_path / "after", ingested=api.ingest([DUMPS], store))
    started: list[int] = []
    during_ingest: list[int] = []
    real_start, real_update = api._start_round, api.update_output

    def counting(runner, part, *embed):  # type: ignore[no-untyped-def]
        started.append(len(part))
        return real_start(runner, part, *embed)

    def update_output(*args, **kwargs):  # type: ignore[no-untyped-def]
        during_ingest.extend(started)
        return real_update(*args, **kwargs)

    monkeypatch.setattr(api, "ANNOTATE_ROUND", 2)
    monkeypatch.setattr(api, "BATCH", 3)  # stored three at a time
    monkeypatch.setattr(api, "_start_round", counting)
    monkeypatch.setattr(api, "update_output", update_output)
    with SQLiteStore(tmp_path / "streamed.db") as store:
        streamed = api.build([DUMPS], tmp_path / "streamed", store)
        assert len(during_ingest) >= 3 and set(during_ingest) == {2}, "full rounds while reading"
        from storyline.pipeline import article_key

        annotated = store.annotated_ids(article_key())
        members = {a for s in store.stories() for a in s.article_ids}
        assert members <= annotated
    assert streamed.ok
    after = {p.name: p.read_bytes() for p in (tmp_path / "after").iterdir()}
    here = {p.name: p.read_bytes() for p in (tmp_path / "streamed").iterdir()}
    assert after == here


class _Queued:
    """A runner whose work runs when collected (so rounds can be in flight at once), on
    this machine or not (``local``); it records each round's story sizes as handed out."""

    def __init__(self, local: bool) -> None:
        self.local = local
        self.sizes: list[int] = []
        self.in_flight = 0
        self.most_in_flight = 0

    def map(self, func, items):  # type: ignore[no-untyped-def]
        return self.submit(func, items)()

    def submit(self, func, items):  # type: ignore[no-untyped-def]
        if func is api._assemble_part:
            self.sizes += [len(t.story.article_ids) for part in items for t in part]
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)

        def collect():  # type: ignore[no-untyped-def]
            if func is api._assemble_part:
                self.in_flight -= 1
            return [func(item) for item in items]

        return collect

    def close(self) -> None:
        pass


@pytest.mark.slow
def test_the_largest_stories_go_first_and_workers_that_save_their_own_get_rounds_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large story started last would finish the assembly alone: stories are handed out
    largest first. Workers that save their dossiers themselves send back ids only, so many
    rounds are handed out at once; workers that send everything back get one round ahead."""
    monkeypatch.setattr(api, "ASSEMBLE_ROUND", 1)  # every story a round of its own
    outputs = {}
    for local in (True, False):
        runner = _Queued(local)
        with SQLiteStore(tmp_path / f"{local}.db") as store:
            built = api.build([DUMPS], tmp_path / f"out{local}", store, runner=runner)
        rounds = len(built.assembled)
        assert rounds >= 3 and len(runner.sizes) == rounds
        assert runner.sizes == sorted(runner.sizes, reverse=True)
        assert runner.most_in_flight == (min(rounds, api.ROUNDS_AHEAD) if local else 2)
        outputs[local] = {p.name: p.read_bytes() for p in (tmp_path / f"out{local}").iterdir()}
    assert outputs[True] == outputs[False]
