"""Web latency on a store scaled to N articles by copying a built store's rows.

Building 100,000 articles end to end takes hours on two cores; the web's cost per
request depends on what it reads (the story list's index, one stored page, the FTS
index), not on how the rows were computed. So this takes a store that `storyline build`
made from a real corpus (bench/corpus.py) and copies everything the web reads (articles,
the full-text index, story members, stored dossiers, their first pages, facets, entity
parts, history) under new ids until the store holds N articles, then times requests
through the WSGI app and over HTTP on 127.0.0.1 with concurrent clients.

Copies keep their originals' inner links (a copied dossier's evidence points at the
original articles), which the pages render the same way. Annotations and the build's
Dossier records are not copied: the web never reads them.

Usage:
    .venv/bin/python bench/web_scale.py BUILT_STORE --articles 100000 --out /tmp/web100k.db
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from storyline.io.store.sqlite import story_id
from storyline.web.app import App, make_server, serve_forever

# (table, columns, the columns that carry an article id or a story id)
_ARTICLE = "'a' || printf('%03x', :k) || substr({c}, 5)"
_STORY = "shift_story(:k, {c})"  # a story id is a digest of its founding article's id
COPIED: tuple[tuple[str, dict[str, str]], ...] = (
    ("articles", {"id": _ARTICLE}),
    ("articles_fts", {"article_id": _ARTICLE}),
    ("story_members", {"article_id": _ARTICLE, "story_key": _ARTICLE}),
    ("dossiers", {"story_id": _STORY}),
    ("dossier_pages", {"story_id": _STORY}),
    ("dossier_claim_pages", {"story_id": _STORY}),
    ("dossier_facets", {"story_id": _STORY}),
    ("entity_pages", {"story_id": _STORY}),
    ("dossier_history", {"story_id": _STORY}),
)


def scale(source: Path, out: Path, articles: int) -> dict[str, Any]:
    """Copy ``source`` to ``out`` and add id-shifted copies of its rows up to ``articles``."""
    shutil.copy(source, out)
    db = sqlite3.connect(out)
    db.execute("PRAGMA journal_mode=WAL")
    keys = {story_id(str(k)): str(k) for (k,) in db.execute("SELECT story_key FROM story_members")}

    def shift_story(k: int, old: str) -> str:
        key = keys.get(old)
        return story_id(f"a{k:03x}{key[4:]}") if key else f"s{k:03x}{old[4:]}"

    db.create_function("shift_story", 2, shift_story, deterministic=True)
    base = int(db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    copies = -(-articles // base)
    # copies are appended after the original rows: each copy reads only those
    originals = {
        t: int(db.execute(f"SELECT MAX(rowid) FROM {t}").fetchone()[0] or 0) for t, _ in COPIED
    }
    started = time.perf_counter()
    for k in range(1, copies):
        with db:
            for table, shifted in COPIED:
                columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
                select = [shifted[c].format(c=c) if c in shifted else c for c in columns]
                db.execute(
                    f"INSERT OR IGNORE INTO {table}({', '.join(columns)})"
                    f" SELECT {', '.join(select)} FROM {table} WHERE rowid <= :n",
                    {"k": k, "n": originals[table]},
                )
    db.execute("ANALYZE")
    db.close()
    return {
        "copies": copies,
        "seconds": round(time.perf_counter() - started, 1),
        "bytes": out.stat().st_size,
    }


def _wsgi_latency(app: App, pages: dict[str, tuple[str, str]], n: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, (path, query) in pages.items():
        times = []
        for _ in range(n):
            seen: list[str] = []
            environ = {
                "REQUEST_METHOD": "GET",
                "PATH_INFO": path,
                "QUERY_STRING": query,
                "HTTP_HOST": "127.0.0.1",
            }
            t0 = time.perf_counter()
            b"".join(app(environ, lambda status, headers, seen=seen: seen.append(status)))
            times.append((time.perf_counter() - t0) * 1000)
            assert seen[0].startswith("200"), (path, seen)
        out[name] = _percentiles(times)
    return out


def _serve(db: str, ports: Any, processes: int) -> None:
    """The server's process: as `storyline serve --processes N` runs, apart from the clients."""
    server = make_server(db, "127.0.0.1", 0, quiet=True)
    ports.put(server.server_address[1])
    serve_forever(server, processes)


def _http_latency(
    db: Path, pages: dict[str, tuple[str, str]], n: int, clients: int, processes: int
) -> Any:
    """The same pages over HTTP on 127.0.0.1, ``clients`` threads requesting at once.

    The server runs in its own process, as `storyline serve` does: clients in the same
    process would share its interpreter lock and count their own reading of the replies
    (megabytes for a large story's page) in the server's latency."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    ports = context.Queue()
    process = context.Process(target=_serve, args=(str(db), ports, processes), daemon=True)
    process.start()
    port = ports.get(timeout=60)
    out: dict[str, Any] = {}
    try:
        for name, (path, query) in pages.items():
            url = f"http://127.0.0.1:{port}{path}" + (f"?{query}" if query else "")
            times: list[float] = []

            def client(url: str = url, times: list[float] = times) -> None:
                for _ in range(n // clients):
                    t0 = time.perf_counter()
                    with urllib.request.urlopen(url, timeout=30) as response:
                        response.read()
                    times.append((time.perf_counter() - t0) * 1000)

            workers = [threading.Thread(target=client) for _ in range(clients)]
            for w in workers:
                w.start()
            for w in workers:
                w.join()
            out[name] = _percentiles(times)
    finally:
        process.terminate()
        process.join()
    return out


def _percentiles(times: list[float]) -> dict[str, float]:
    times = sorted(times)
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument(
        "--processes", type=int, default=1, help="server processes (serve --processes)"
    )
    parser.add_argument("--reuse", action="store_true", help="measure --out as it is")
    args = parser.parse_args()
    if not args.reuse:
        print("scaled:", scale(args.store, args.out, args.articles), flush=True)
    db = sqlite3.connect(f"file:{args.out}?mode=ro", uri=True)
    counts = {
        t: int(db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0])
        for t in ("articles", "dossiers", "entity_pages")
    }
    big, size = db.execute(
        "SELECT story_id, size FROM dossiers ORDER BY size DESC, story_id LIMIT 1"
    ).fetchone()
    entity = db.execute(
        "SELECT value FROM dossier_facets WHERE kind = 'entity'"
        " GROUP BY value ORDER BY COUNT(*) DESC LIMIT 1"
    ).fetchone()[0]
    stories_of_entity = db.execute(
        "SELECT COUNT(*) FROM dossier_facets WHERE kind = 'entity' AND value = ?", (entity,)
    ).fetchone()[0]
    db.close()
    print("store:", counts, f"largest story {big} ({size} articles);", end=" ")
    print(f"most common entity {entity} in {stories_of_entity} stories", flush=True)
    pages = {
        "story list": ("/", ""),
        "story list, latest first, page 40": ("/", "sort=latest&page=40"),
        "story page (largest)": (f"/story/{big}", ""),
        "story page (largest), claims page 2": (f"/story/{big}", "page=2"),
        "entity page (most common)": (f"/entity/{entity}", ""),
        "search": ("/search", "q=president+OR+minister"),
    }
    app = App(str(args.out))
    print("in-process WSGI:", _wsgi_latency(app, pages, args.requests), flush=True)
    print(
        f"HTTP, {args.clients} concurrent clients, {args.processes} server processes:",
        _http_latency(args.out, pages, args.requests, args.clients, args.processes),
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
