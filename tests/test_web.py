"""The web UI: read-only, escaped, ids checked before anything is looked up."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storyline import api
from storyline.web.app import App

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Iterator[App]:
    """An app over a store built from the seeds."""
    db = tmp_path_factory.mktemp("web") / "s.db"
    with api.open_store(db) as store:
        api.ingest([seeds_dir], store)
        api.dossiers(store)
    yield App(str(db))


def get(app: App, path: str, query: str = "", method: str = "GET") -> tuple[str, str]:
    status: list[str] = []

    def start(s: str, headers: list[tuple[str, str]]) -> Any:
        status.append(s)

    environ = {
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "REQUEST_METHOD": method,
        "wsgi.input": io.BytesIO(),
    }
    body = b"".join(app(environ, start)).decode()
    return status[0], body


def test_web_index_lists_the_story(app: App) -> None:
    status, body = get(app, "/")
    assert status.startswith("200") and 'href="/story/s' in body and 'action="/search"' in body


def test_web_story_page_and_json(app: App) -> None:
    _, index = get(app, "/")
    story = index.split('href="/story/')[1].split('"')[0]
    assert get(app, f"/story/{story}")[0].startswith("200")
    status, body = get(app, f"/story/{story}.json")
    assert status.startswith("200") and '"claims"' in body


@pytest.mark.parametrize(
    "path", ["/story/../../etc/passwd", "/story/s0000000000000", "/etc/passwd", "/story/%2e%2e"]
)
def test_web_unknown_or_hostile_paths_are_404(app: App, path: str) -> None:
    assert get(app, path)[0].startswith("404")


def test_web_is_read_only(app: App) -> None:
    assert get(app, "/", method="POST")[0].startswith("405")


def test_web_search_escapes_the_query(app: App) -> None:
    status, body = get(app, "/search", "q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert status.startswith("200") and "<script>" not in body
