"""Storyline's own CPU per article, stage by stage, in one process (issue 9).

Usage:
    PYTHONPATH=src .venv/bin/python bench/bench_own_cpu.py CORPUS.jsonl N [--profile OUT.prof]

The first N records of CORPUS are ingested into a fresh temporary store (read, clean,
language identification, store: timed as one), then parsed in batches of
``pipeline.BATCH`` as the build parses them (``nlp.parse_many``: paragraph by paragraph, a
paragraph seen before restored from this process's cache; what a plain spaCy pass does,
timed apart; it includes storyline's paragraph component), the headline lines parsed apart, every
``pipeline.ARTICLE_STAGES`` row timed through ``Guard.run`` (each stage runs guarded), each
batch's annotations pickled and unpickled once (what a worker's results cost to send to the
main process) and saved with ``save_annotations``. Then ``api.update_output`` with a serial
runner: clustering (with the story embedding, in its thread: counted, as the process's CPU),
the corpus stages (timed by name through the guard too), rendering and writing.

CPU is ``time.process_time`` (every thread of the process); the box is shared, so compare
two code versions by running this with each one's ``PYTHONPATH`` on the same corpus.
``--profile`` adds a cProfile (wall-clock timer: inflates Python-heavy code) of everything
but the parse.
"""

from __future__ import annotations

import cProfile
import itertools
import pickle
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from storyline import api, pipeline
from storyline.backends import SerialRunner
from storyline.nlp import english, parse_many
from storyline.stages.attribution.claims import headline_lines
from storyline.strict import Guard

CPU: defaultdict[str, float] = defaultdict(float)


def main(corpus: str, n: int, profile_out: str | None) -> None:
    tmp = Path(tempfile.mkdtemp())
    src = tmp / "c.jsonl"
    with open(corpus, encoding="utf-8") as f, open(src, "w", encoding="utf-8") as g:
        g.writelines(itertools.islice(f, n))
    nlp = english()
    list(nlp.pipe(["Warm up the model."]))
    profiler = cProfile.Profile() if profile_out else None

    def timed(name: str, fn: Callable[..., Any], *args: Any) -> Any:
        if profiler and name != "parse":
            profiler.enable()
        started = time.process_time()
        try:
            return fn(*args)
        finally:
            CPU[name] += time.process_time() - started
            if profiler and name != "parse":
                profiler.disable()

    guarded = Guard.run

    def run(self: Guard, stage: str, fn: Callable[[], Any], fallback: Any) -> Any:
        return timed(stage, guarded, self, stage, fn, fallback)

    Guard.run = run  # type: ignore[method-assign]
    store = api.open_store(tmp / "s.db")
    timed("ingest (read, clean, language, store)", api.ingest, [src], store)
    articles = api.unclustered_news(store)
    fingerprint = pipeline.article_key()
    for i in range(0, len(articles), pipeline.BATCH):
        batch = articles[i : i + pipeline.BATCH]
        docs = timed("parse", lambda b=batch: parse_many(nlp, [a.text for a in b]))
        wanted = list(dict.fromkeys(line for a in batch for _, _, line in headline_lines(a)))
        lines = timed(
            "headline parses", lambda w=wanted: dict(zip(w, parse_many(nlp, w), strict=True))
        )
        out = [
            pipeline.annotate_article(a, nlp, doc=d, parsed_lines=lines)
            for a, d in zip(batch, docs, strict=True)
        ]
        timed("pickle round trip of the batch", lambda o=out: pickle.loads(pickle.dumps(o)))
        timed("save_annotations", store.save_annotations, out, fingerprint)
    timed(
        "update_output (clustering+embedding, corpus stages, write)",
        api.update_output,
        store,
        tmp / "out",
        SerialRunner(),
    )
    count = len(articles)
    print(f"articles {count}")
    for name, seconds in CPU.items():
        print(f"{name:60s} {seconds:8.2f} s {1000 * seconds / count:8.2f} ms/article")
    if profiler and profile_out:
        profiler.dump_stats(profile_out)


if __name__ == "__main__":
    args = sys.argv[1:]
    out = args[args.index("--profile") + 1] if "--profile" in args else None
    main(args[0], int(args[1]), out)
