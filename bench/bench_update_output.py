"""``api.update_output`` step by step, CPU per article, over a store prepared once (issue 9).

Usage:
    PYTHONPATH=src .venv/bin/python bench/bench_update_output.py prepare CORPUS.jsonl PREP.db
    PYTHONPATH=src .venv/bin/python bench/bench_update_output.py run PREP.db [--jobs N]
        [--profile OUT.prof]

``prepare`` ingests CORPUS into a fresh store and annotates every news article (two worker
processes), clustering nothing: what a build's store holds when ``update_output`` starts.
The annotations' cache key (``pipeline.article_key``) covers only the article stages'
code, so one prepared store serves every version of the build code measured here as long
as the article stages are the same.

``run`` copies PREP to a temporary store and runs ``api.update_output`` on it (with a
serial runner unless ``--jobs``: then the assembly is in the workers and what is timed is
what the main process does around it), timing each step it makes through wrappers put on
the module attributes the code calls. Times are ``time.process_time`` (every thread of
this process: the clustering thread included) and inclusive: a step nested in another is
counted in both (the table says which holds which). ``--profile`` writes a cProfile of
the main thread.
"""

from __future__ import annotations

import cProfile
import functools
import gc
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

CPU: defaultdict[str, float] = defaultdict(float)
CALLS: defaultdict[str, int] = defaultdict(int)

# (label, module, attribute): wrapped where the build code looks them up at call time
STEPS = [
    ("unclustered_news (articles read back)", "storyline.api", "unclustered_news"),
    (
        "terms_by_article (term counts for clustering)",
        "storyline.stages.corpus.cluster",
        "terms_by_article",
    ),
    (
        "assign_stories (clustering + embedding thread)",
        "storyline.stages.corpus.cluster",
        "assign_stories",
    ),
    ("save_clusters", "storyline.io.store.sqlite", "SQLiteStore.save_clusters"),
    ("stale_stories", "storyline.api", "stale_stories"),
    ("cluster() -> store.stories()", "storyline.api", "cluster"),
    ("_stored_annotations (annotations read back)", "storyline.api", "_stored_annotations"),
    ("_stored_records (annotations read, undecoded)", "storyline.api", "_stored_records"),
    ("  corpus stages (dossier.assemble)", "storyline.stages.corpus.dossier", "assemble"),
    ("  dossier_row", "storyline.api", "dossier_row"),
    ("    dossier_dict", "storyline.io.writers", "dossier_dict"),
    ("    stored_page", "storyline.web.pages", "stored_page"),
    ("    entity_parts", "storyline.web.views", "entity_parts"),
    ("  codec record (to_dict)", "storyline.io.codec", "to_dict"),
    ("  story_output (files, index row)", "storyline.io.writers", "story_output"),
    ("    dumps (dossier .json)", "storyline.io.writers", "dumps"),
    ("    render_markdown", "storyline.io.writers", "render_markdown"),
    ("    render_dossier_html", "storyline.io.writers", "render_dossier_html"),
    ("_save_assembled (store rows)", "storyline.api", "_save_assembled"),
    ("write_story (--out files)", "storyline.io.writers", "write_story"),
    ("write_dossiers (dossiers.json, index, manifest)", "storyline.api", "write_dossiers"),
    ("record_problems", "storyline.io.store.sqlite", "SQLiteStore.record_problems"),
]


def _wrap(label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    depth = [0]  # a recursive function (to_dict) is counted once, at its outer call

    @functools.wraps(fn)
    def timed(*args: Any, **kwargs: Any) -> Any:
        if depth[0]:
            return fn(*args, **kwargs)
        depth[0] += 1
        started = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            CPU[label] += time.process_time() - started
            CALLS[label] += 1
            depth[0] -= 1

    return timed


def _install() -> None:
    import importlib

    for label, module, attr in STEPS:
        owner: Any = importlib.import_module(module)
        *path, name = attr.split(".")
        for part in path:
            owner = getattr(owner, part)
        if hasattr(owner, name):
            setattr(owner, name, _wrap(label, getattr(owner, name)))


def prepare(corpus: str, prep: str) -> None:
    from storyline import api
    from storyline.backends import make_runner

    Path(prep).unlink(missing_ok=True)
    store = api.open_store(prep)
    api.ingest([corpus], store)
    runner = make_runner("local", 2)
    try:
        done = api.annotate(store, api.unclustered_news(store), runner)
    finally:
        runner.close()
    print(f"prepared {prep}: {len(done)} annotated articles")


def run(prep: str, jobs: int, profile_out: str | None) -> None:
    from storyline import api
    from storyline.backends import SerialRunner, make_runner

    tmp = Path(tempfile.mkdtemp(prefix="bench_uo_"))
    shutil.copy(prep, tmp / "s.db")
    store = api.open_store(tmp / "s.db")
    count = len(api.unclustered_news(store))
    # warm the imports and caches a build has loaded by the time it gets here
    from storyline import pipeline
    from storyline.stages.corpus import dossier  # noqa: F401

    pipeline.corpus_key()
    _install()
    CPU.clear()
    CALLS.clear()
    runner = SerialRunner() if jobs <= 1 else make_runner("local", jobs)
    collecting = [0.0]

    def gc_timer(phase: str, info: dict[str, int]) -> None:
        # the collector's own CPU, wherever it runs (every step above includes its share)
        if phase == "start":
            collecting[0] -= time.process_time()
        else:
            collecting[0] += time.process_time()
            CALLS[f"gc{info['generation']}"] += 1

    gc.callbacks.append(gc_timer)
    profiler = cProfile.Profile() if profile_out else None
    started = time.process_time()
    if profiler:
        profiler.enable()
    try:
        report = api.update_output(store, tmp / "out", runner)
    finally:
        if profiler:
            profiler.disable()
        total = time.process_time() - started
        runner.close()
    print(f"articles {count} stories {len(report.stories)} jobs {jobs}")
    for label, _, _ in STEPS:
        if label in CPU:
            print(f"{label:52s} {CPU[label]:8.3f} s {1000 * CPU[label] / count:8.2f} ms/article")
    print(f"{'update_output in all':52s} {total:8.3f} s {1000 * total / count:8.2f} ms/article")
    gcs = ", ".join(f"{k} {CALLS[k]}" for k in ("gc0", "gc1", "gc2"))
    print(f"{'  of which the garbage collector':52s} {collecting[0]:8.3f} s ({gcs})")
    gc.callbacks.remove(gc_timer)
    if profiler and profile_out:
        profiler.dump_stats(profile_out)
    shutil.rmtree(tmp)


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[0] == "prepare":
        prepare(args[1], args[2])
    else:
        jobs = int(args[args.index("--jobs") + 1]) if "--jobs" in args else 1
        out = args[args.index("--profile") + 1] if "--profile" in args else None
        run(args[1], jobs, out)
