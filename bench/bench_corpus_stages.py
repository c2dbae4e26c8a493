"""CPU of each corpus stage per story, by story size, and old/new pairs of the stages' code.

Over a store that ``storyline build`` made (annotations stored), in one process, serially,
CPU seconds (``time.process_time``; the box is shared, so wall time says little):

* default: every corpus stage of :data:`storyline.stages.corpus.dossier.CORPUS_STAGES` timed
  on every story, summed per stage and per story-size bucket (articles per story), with
  the per-article cost of each bucket: a stage whose cost per article grows with the
  bucket is super-linear in story size.
* ``--ab REV``: the syndication, linking and corroboration functions of git revision REV
  (loaded from ``git show REV:...`` as separate modules) against the working tree's, on
  the same inputs, story by story back to back; outputs compared for equality.
* ``--profile N``: cProfile of the corpus stages on the N largest stories.

Usage:
    PYTHONPATH=src .venv/bin/python bench/bench_corpus_stages.py S.db
    PYTHONPATH=src .venv/bin/python bench/bench_corpus_stages.py S.db --ab HEAD~1
    PYTHONPATH=src .venv/bin/python bench/bench_corpus_stages.py S.db --profile 5
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import subprocess
import sys
import time
import types
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from storyline import api
from storyline.model import AnnotatedArticle, Story
from storyline.stages.corpus import corroborate as new_corroborate
from storyline.stages.corpus import dedup as new_dedup
from storyline.stages.corpus import link as new_link
from storyline.stages.corpus.dossier import CORPUS_STAGES

BUCKETS = ((1, 1), (2, 4), (5, 9), (10, 19), (20, 49), (50, 99), (100, 10**9))


def bucket(n: int) -> str:
    for lo, hi in BUCKETS:
        if lo <= n <= hi:
            return f"{lo}-{hi}" if hi < 10**9 else f"{lo}+"
    raise ValueError(n)


def load(store_path: Path) -> list[tuple[Story, list[AnnotatedArticle]]]:
    with api.open_store(store_path, create=False) as store:
        stories = sorted(api.cluster(store), key=lambda s: s.id)
        by_id = api._stored_annotations(store, [a for s in stories for a in s.article_ids])
    return [(s, [by_id[a] for a in s.article_ids if a in by_id]) for s in stories]


def old_module(rev: str, name: str) -> types.ModuleType:
    """The module ``storyline.stages.corpus.NAME`` as it is at git revision ``rev``."""
    path = f"src/storyline/stages/corpus/{name}.py"
    source = subprocess.run(
        ["git", "show", f"{rev}:{path}"], check=True, capture_output=True, text=True
    ).stdout
    module = types.ModuleType(f"_old_{name}")
    module.__file__ = path
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, f"{rev}:{path}", "exec"), module.__dict__)
    return module


def per_stage(tasks: list[tuple[Story, list[AnnotatedArticle]]]) -> None:
    """Each corpus stage's CPU per story-size bucket (ms per article)."""
    cpu: dict[tuple[str, str], float] = {}
    arts: dict[str, int] = {}
    stories: dict[str, int] = {}
    for story, docs in tasks:
        b = bucket(len(docs))
        arts[b] = arts.get(b, 0) + len(docs)
        stories[b] = stories.get(b, 0) + 1
        results: dict[str, Any] = {"story": story, "docs": sorted(docs, key=lambda d: d.article.id)}
        for stage in CORPUS_STAGES:
            c0 = time.process_time()
            values = stage.run(results)
            cpu[(stage.name, b)] = cpu.get((stage.name, b), 0.0) + time.process_time() - c0
            results.update(zip(stage.provides, values, strict=True))
    names = [s.name for s in CORPUS_STAGES]
    order = [bucket(lo) for lo, _ in BUCKETS if bucket(lo) in arts]
    print(
        f"{'articles/story':>14} {'stories':>7} {'articles':>8} "
        + " ".join(f"{n:>13}" for n in names)
        + "   total ms/art"
    )
    for b in order:
        row = [1000 * cpu[(n, b)] / arts[b] for n in names]
        print(
            f"{b:>14} {stories[b]:7d} {arts[b]:8d} "
            + " ".join(f"{v:13.2f}" for v in row)
            + f"   {sum(row):8.2f}"
        )
    total_arts = sum(arts.values())
    row = [1000 * sum(cpu[(n, b)] for b in order) / total_arts for n in names]
    print(
        f"{'all':>14} {len(tasks):7d} {total_arts:8d} "
        + " ".join(f"{v:13.2f}" for v in row)
        + f"   {sum(row):8.2f}"
    )
    print("total CPU s per stage:", {n: round(sum(cpu[(n, b)] for b in order), 2) for n in names})


def ab(tasks: list[tuple[Story, list[AnnotatedArticle]]], rev: str, min_size: int = 1) -> None:
    """Old (``rev``) and new syndication, linking and corroboration, back to back per story."""
    old = {n: old_module(rev, n) for n in ("dedup", "link", "corroborate")}
    fns: dict[str, tuple[Callable[..., Any], Callable[..., Any]]] = {
        "syndication": (old["dedup"].syndication_groups, new_dedup.syndication_groups),
        "linking": (old["link"].link_entities, new_link.link_entities),
        "corroboration": (old["corroborate"].corroborate, new_corroborate.corroborate),
    }
    cpu: dict[tuple[str, str, str], float] = {}
    arts: dict[str, int] = {}
    same = dict.fromkeys(fns, True)

    def pair(name: str, size: str, *args: Any) -> Any:
        """Old then new on the same arguments; the new output goes on."""
        outs = []
        for version, fn in zip(("old", "new"), fns[name], strict=True):
            c0 = time.process_time()
            outs.append(fn(*args))
            key = (name, version, size)
            cpu[key] = cpu.get(key, 0.0) + time.process_time() - c0
        same[name] &= outs[0] == outs[1]
        return outs[1]

    for story, docs in tasks:
        if len(docs) < min_size:
            continue
        b = bucket(len(docs))
        arts[b] = arts.get(b, 0) + len(docs)
        docs = sorted(docs, key=lambda d: d.article.id)
        groups = pair("syndication", b, [d.article for d in docs])
        linked, entities = pair("linking", b, docs)
        pair("corroboration", b, replace(story, syndication_groups=groups), linked, entities)
    order = [bucket(lo) for lo, _ in BUCKETS if bucket(lo) in arts]
    total = sum(arts.values())
    for name in fns:
        print(f"{name}: same output on every story: {same[name]}")
        for b in [*order, "all"]:
            n = total if b == "all" else arts[b]
            o = sum(cpu[(name, "old", x)] for x in order) if b == "all" else cpu[(name, "old", b)]
            w = sum(cpu[(name, "new", x)] for x in order) if b == "all" else cpu[(name, "new", b)]
            print(
                f"  {b:>8} {n:6d} art  old {o:7.2f} s {1000 * o / n:7.2f} ms/art   new {w:7.2f} s {1000 * w / n:7.2f} ms/art"
            )


def profile(tasks: list[tuple[Story, list[AnnotatedArticle]]], n: int) -> None:
    largest = sorted(tasks, key=lambda t: -len(t[1]))[:n]
    print("profiled stories (articles):", [len(d) for _, d in largest])
    profiler = cProfile.Profile()
    for story, docs in largest:
        results: dict[str, Any] = {"story": story, "docs": sorted(docs, key=lambda d: d.article.id)}
        for stage in CORPUS_STAGES:
            c0 = time.process_time()
            profiler.enable()
            values = stage.run(results)
            profiler.disable()
            print(f"  {story.id} {len(docs)} art {stage.name}: {time.process_time() - c0:.2f} s")
            results.update(zip(stage.provides, values, strict=True))
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(30)
    stats.sort_stats("cumulative").print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--ab", metavar="REV")
    parser.add_argument("--profile", type=int, metavar="N")
    parser.add_argument("--min-size", type=int, default=1, help="--ab: stories this large only")
    args = parser.parse_args()
    tasks = load(args.store)
    sizes = sorted(len(d) for _, d in tasks)
    print(f"{len(tasks)} stories, {sum(sizes)} articles, largest {sizes[-5:]}")
    if args.profile:
        profile(tasks, args.profile)
    elif args.ab:
        ab(tasks, args.ab, args.min_size)
    else:
        per_stage(tasks)


if __name__ == "__main__":
    main()
