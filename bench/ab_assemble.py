"""A/B of the dossier-assembly changes of stop 21, in one process (the box is shared: CPU
time swings 10% between runs, so each old/new pair runs back to back, twice, best kept).

Usage: PYTHONPATH=src .venv/bin/python bench/ab_assemble.py S.db   (a store `storyline build` made)
"""

from __future__ import annotations

import dataclasses
import json
import pickle
import sys
import time
from collections.abc import Callable
from typing import Any

from storyline import api
from storyline.io.writers import jsonfmt
from storyline.stages.corpus.dossier import assemble


def best(run: Callable[[], Any]) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(2):
        c0 = time.process_time()
        out = run()
        times.append(time.process_time() - c0)
    return min(times), out


def main() -> None:
    with api.open_store(sys.argv[1], create=False) as store:
        stories = sorted(api.cluster(store), key=lambda s: s.id)
        by_id = api._stored_annotations(store, [a for s in stories for a in s.article_ids])
    docs = [sorted((by_id[a] for a in s.article_ids), key=lambda d: d.article.id) for s in stories]
    dossiers = [assemble(s, d) for s, d in zip(stories, docs, strict=True)]
    dicts = [jsonfmt.dossier_dict(d) for d in dossiers]
    rows: dict[str, tuple[float, float, bool]] = {}

    def ab(name: str, old: Callable[[], Any], new: Callable[[], Any]) -> None:
        t_old, a = best(old)
        t_new, b = best(new)
        rows[name] = (round(t_old, 2), round(t_new, 2), a == b)

    std = lambda d: json.dumps(d, ensure_ascii=False, indent=2, sort_keys=True) + "\n"  # noqa: E731
    ab(
        "dossier .json file (indented dumps)",
        lambda: [std(d) for d in dicts],
        lambda: [jsonfmt.dumps(d) for d in dicts],
    )

    done = [api._assembled(s, d, "ab", strict=False) for s, d in zip(stories, docs, strict=True)]
    light = [dataclasses.replace(a, dossier=None) for a in done]
    trip = lambda xs: lambda: [pickle.loads(pickle.dumps(x)).row for x in xs]  # noqa: E731
    ab("results worker->main (pickle both ways)", trip(done), trip(light))
    for name, (old, new, same) in rows.items():
        print(f"{name:42s} old {old:6.2f} s  new {new:6.2f} s  same output: {same}")
    print(
        "total",
        round(sum(r[0] for r in rows.values()), 2),
        "->",
        round(sum(r[1] for r in rows.values()), 2),
    )


if __name__ == "__main__":
    main()
