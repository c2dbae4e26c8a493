"""Latency of the web UI's pages on a store, against re-assembling dossiers per request.

Usage: PYTHONPATH=src python bench/bench_web.py STORE
The store must have been built (`storyline ingest` or `build`, which persist dossiers).
"before" times what the pre-issue-12 web UI did per request (api.dossiers / api.dossier
from cached annotations); "after" times the app's requests in-process (WSGI, no network).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable

from storyline import api
from storyline.web.app import App

db = sys.argv[1]
app = App(db)


def get(path: str, q: str = "") -> bytes:
    """One request through the WSGI app; fails unless it is a 200."""
    status: list[str] = []
    environ = {
        "PATH_INFO": path,
        "QUERY_STRING": q,
        "REQUEST_METHOD": "GET",
        "HTTP_HOST": "127.0.0.1",
    }
    body = b"".join(app(environ, lambda s, h: status.append(s)))
    assert status[0].startswith("200"), (path, status)
    return body


def ms(fn: Callable[[], object], n: int = 20) -> float:
    """Median wall time of ``n`` calls, in milliseconds."""
    times = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


rows = json.loads(get("/api/stories"))["rows"]
big = rows[0]["id"]
rec = json.loads(get(f"/story/{big}.json"))
art = rec["articles"][0]["id"]
ent = rec["entities"][0]["id"]
with api.open_store(db) as store:
    print(
        f"store: {store.article_count()} articles, {len(store.stored_story_ids())} stored dossiers; largest story {rows[0]['size']} articles"
    )
    print(
        f"before (re-assembled per request, annotations cached): index {ms(lambda: api.dossiers(store), 3):.0f} ms, story {ms(lambda: api.dossier(store, big), 5):.0f} ms"
    )
for name, path, q in [
    ("index", "/", ""),
    ("index filtered", "/", "sort=latest&language=en&from=2000-01-01"),
    ("story", f"/story/{big}", ""),
    ("entity", f"/entity/{ent}", ""),
    ("article", f"/article/{art}", "span=0-40"),
    ("search", "/search", "q=police+OR+fire*"),
    ("api story", f"/api/story/{big}", ""),
]:
    print(f"after {name}: {ms(lambda p=path, q=q: get(p, q)):.1f} ms (median of 20)")
