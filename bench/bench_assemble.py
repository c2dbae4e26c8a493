"""CPU of the dossier assembly alone, over a store already ingested, clustered and annotated.

For every story of the store (one process, serially) this times, in CPU seconds of this
process (the box is shared): reading its members' annotations back from the store, then
``api._assembled`` (the corpus stages, the store row, the codec record and the output
files), and, with ``--profile``, where that time goes. ``--dump FILE`` writes a digest of
each story's record, row (its fingerprint left out: it names the pipeline's code version)
and files, so two versions of the code can be shown to assemble identical dossiers.

``--jobs N`` instead times the assembly as a build runs it (``api.update_dossiers`` on
a copy of the store with its dossiers dropped: annotations read back, stories shipped to N
worker processes and their results back, rows stored), in CPU seconds of this process and
its workers (reaped when the pool closes).

Usage (a store made by ``storyline build CORPUS --store S.db``):
    PYTHONPATH=src .venv/bin/python bench/bench_assemble.py S.db [--profile] [--dump F.json]
    PYTHONPATH=src .venv/bin/python bench/bench_assemble.py S.db --jobs 2
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import hashlib
import json
import pstats
import resource
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from storyline import api
from storyline.backends import make_runner


def _cpu_s() -> float:
    """CPU seconds (user + system) of this process and its reaped children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def as_built(store_path: Path, jobs: int) -> dict[str, float]:
    """The assembly phase of a build over a copy of ``store_path`` with no stored dossier."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "s.db"
        shutil.copy(store_path, db)
        with sqlite3.connect(db) as raw:  # every story stale: the build assembles them all
            tables = [
                r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")
            ]
            for table in tables:
                if table.startswith("dossier"):
                    raw.execute(f"DELETE FROM {table}")
        with api.open_store(db) as store:
            runner = make_runner("local", jobs)
            c0, t0 = _cpu_s(), time.perf_counter()
            ids = api.update_dossiers(store, runner=runner, problems=[])
            runner.close()
            cpu, wall = _cpu_s() - c0, time.perf_counter() - t0
    return {"stories": len(ids), "jobs": jobs, "cpu_s": round(cpu, 2), "wall_s": round(wall, 2)}


def _digest(a: api.Assembled) -> str:
    row = dataclasses.asdict(a.row)
    row.pop("fingerprint")
    h = hashlib.sha256()
    for part in (a.record, json.dumps(row, sort_keys=True, ensure_ascii=False)):
        h.update(part.encode())
        h.update(b"\x1f")
    for name, content in a.output.files:
        h.update(name.encode() + b"\x1f" + content.encode() + b"\x1f")
    h.update(json.dumps(dataclasses.asdict(a.output.row), sort_keys=True, default=str).encode())
    return h.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--jobs", type=int, help="time the assembly as a build runs it")
    args = parser.parse_args()
    if args.jobs:
        print(json.dumps(as_built(args.store, args.jobs), indent=2))
        return
    with api.open_store(args.store, create=False) as store:
        stories = sorted(api.cluster(store), key=lambda s: s.id)
        c0 = time.process_time()
        ids = [a for s in stories for a in s.article_ids]
        by_id = api._stored_annotations(store, ids)
        read_s = time.process_time() - c0
    tasks = [(s, [by_id[a] for a in s.article_ids if a in by_id]) for s in stories]
    profiler = cProfile.Profile() if args.profile else None
    digests: dict[str, str] = {}
    c0 = time.process_time()
    if profiler:
        profiler.enable()
    for story, docs in tasks:
        done = api._assembled(story, docs, "bench", strict=False)
        if args.dump:
            digests[story.id] = _digest(done)
    if profiler:
        profiler.disable()
    assemble_s = time.process_time() - c0
    report = {
        "stories": len(stories),
        "articles": len(ids),
        "read_annotations_cpu_s": round(read_s, 2),
        "assemble_cpu_s": round(assemble_s, 2),
        "assemble_cpu_ms_per_article": round(1000 * assemble_s / max(1, len(ids)), 2),
    }
    print(json.dumps(report, indent=2))
    if args.dump:
        args.dump.write_text(json.dumps(digests, indent=0, sort_keys=True))
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
