"""What moving annotations between a build's processes costs, old way vs new, in one process.

Usage:
    PYTHONPATH=src .venv/bin/python bench/bench_transport.py STORE.db [REPEATS]

STORE is a store with annotations (``bench_update_output.py prepare`` makes one). Per
article, CPU ms (``time.process_time``), medians of REPEATS alternating old/new passes
over every stored annotation, split by the process that pays:

* annotation round (worker -> main): old, the worker pickles the records and the main
  process unpickles them and encodes them for the store; new (``api._annotate_records``),
  the worker encodes them and the main process unpickles strings.
* assembly read (store -> worker): old (``api._stored_annotations``), the main process
  decodes every stored record and pickles the records to the worker, which unpickles
  them; new (``api._stored_records``), the main process reads the JSON with the claim
  counts and problems and pickles strings, the worker unpickles and decodes them.

The SQLite writes are left out of the round figure (the same rows either way); the
read figure includes the reads (the new query asks SQLite for more).
"""

from __future__ import annotations

import json
import pickle
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from storyline import api
from storyline.io.codec import from_dict, to_dict
from storyline.io.store.sqlite import SQLiteStore
from storyline.model import AnnotatedArticle
from storyline.pipeline import article_key

CPU: defaultdict[str, list[float]] = defaultdict(list)


def timed(label: str, fn: Callable[[], Any]) -> Any:
    started = time.process_time()
    out = fn()
    CPU[label].append(time.process_time() - started)
    return out


def main(path: str, repeats: int) -> None:
    store = SQLiteStore(path, read_only=True)
    key = article_key()
    ids = sorted(store.annotated_ids(key))
    docs = [d for i in ids if (d := store.annotation(i, key)) is not None]
    n = len(docs)
    for _ in range(repeats):
        # annotation round, old: pickle the records, unpickle, encode as save_annotations
        sent = timed("round old: worker pickles records", lambda: pickle.dumps(docs))
        back = timed("round old: main unpickles records", lambda s=sent: pickle.loads(s))
        old_rows = timed(
            "round old: main encodes",
            lambda b=back: [
                (d.article.id, json.dumps(to_dict(d), sort_keys=True, ensure_ascii=False))
                for d in b
            ],
        )
        # annotation round, new: the worker encodes, strings travel
        from storyline.io.store.sqlite import annotation_record

        rows = timed(
            "round new: worker encodes",
            lambda: [(d.article.id, annotation_record(d)) for d in docs],
        )
        sent = timed("round new: worker pickles strings", lambda r=rows: pickle.dumps(r))
        new_rows = timed("round new: main unpickles strings", lambda s=sent: pickle.loads(s))
        assert new_rows == old_rows
        # assembly read, old: decode in main, pickle records, unpickle in the worker
        by_id = timed("read old: main decodes", lambda: api._stored_annotations(store, ids))
        sent = timed("read old: main pickles records", lambda b=by_id: pickle.dumps(b))
        timed("read old: worker unpickles", lambda s=sent: pickle.loads(s))
        # assembly read, new: JSON with counts and problems, strings travel, worker decodes
        found, _ = timed("read new: main reads JSON", lambda: api._stored_records(store, ids))
        sent = timed("read new: main pickles strings", lambda f=found: pickle.dumps(f))
        got = timed("read new: worker unpickles", lambda s=sent: pickle.loads(s))
        decoded = timed(
            "read new: worker decodes",
            lambda g=got: {
                i: from_dict(AnnotatedArticle, json.loads(s.record)) for i, s in g.items()
            },
        )
        assert decoded == by_id
    print(f"annotations {n}, {repeats} passes, CPU ms per article (median)")
    for label, values in CPU.items():
        print(f"{label:40s} {1000 * statistics.median(values) / n:7.2f}")
    for side in ("round old: main", "round new: main", "read old: main", "read new: main"):
        total = sum(statistics.median(v) for k, v in CPU.items() if k.startswith(side))
        print(f"{side + ' process, in all':40s} {1000 * total / n:7.2f}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5)
