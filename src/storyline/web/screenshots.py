"""Screenshots of every page type (``make screenshots``), taken with Debian's headless chromium.

Builds a store from the given inputs, serves it on 127.0.0.1 (a free port) and writes
one PNG per page type: story list, story, entity, article with a highlighted span,
and search. Playwright drives the system chromium (no browser download).

Example: python -m storyline.web.screenshots examples/seeds --out docs/screenshots
"""

from __future__ import annotations

import argparse
import json
import os
import re
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("STORYLINE_CHROMIUM", "/usr/bin/chromium")
# No sandbox (containers run as root), no GPU, and no call home: the browser reaches
# nothing but the server on 127.0.0.1.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
VIEWPORT = {"width": 1400, "height": 900}


@contextmanager
def served(store_path: str) -> Iterator[str]:
    """The web UI over ``store_path`` on 127.0.0.1 (a free port); yields its base URL."""
    from storyline.web.app import make_server

    server = make_server(store_path, "127.0.0.1", 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def browser() -> Iterator[Any]:
    """A headless chromium driven by Playwright (the system binary at CHROMIUM)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
        try:
            yield instance
        finally:
            instance.close()


def page_paths(base: str, fetch: Any) -> dict[str, str]:
    """One URL path per page type, found by following the API (nothing hard-coded)."""
    rows = json.loads(fetch(f"{base}/api/stories"))["rows"]
    story = rows[0]["id"]
    record = json.loads(fetch(f"{base}/story/{story}.json"))
    speakers = [q["speaker"] for q in record["quotes"] if q.get("speaker")]
    entity = speakers[0] if speakers else record["entities"][0]["id"]
    evidence = next(
        (e for c in record["claims"] for e in c["evidence"]), record["claims"][0]["evidence"][0]
    )
    word = re.findall(r"[A-Z][a-z]{3,}", record["title"] or "") or ["news"]
    return {
        "stories": "/",
        "story": f"/story/{story}",
        "entity": f"/entity/{entity}",
        "article": f"/article/{evidence['article']}?span={evidence['start']}-{evidence['end']}#hl",
        "search": f"/search?q={word[-1]}*",
    }


def take(store_path: str, out: Path) -> list[Path]:
    """Write a PNG of every page type under ``out``; returns the files written."""
    from urllib.request import urlopen

    def fetch(url: str) -> str:
        with urlopen(url, timeout=30) as response:  # our own server on 127.0.0.1
            return str(response.read().decode("utf-8"))

    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with served(store_path) as base, browser() as chromium:
        page = chromium.new_page(viewport=VIEWPORT)
        for name, path in page_paths(base, fetch).items():
            page.goto(base + path)
            target = out / f"{name}.png"
            page.screenshot(path=str(target), full_page=False)
            written.append(target)
    return written


def main() -> None:
    """Build a store from the inputs and photograph its pages."""
    from storyline import api

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*", default=["examples/seeds"])
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--store", default=None, help="an existing store instead of inputs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store or str(Path(tmp) / "screens.db")
        if args.store is None:
            with api.open_store(store) as db:
                api.ingest(args.inputs, db)
                api.refresh_dossiers(db)
        for path in take(store, Path(args.out)):
            print(path)


if __name__ == "__main__":
    main()
