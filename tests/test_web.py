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


def get(
    app: App, path: str, query: str = "", method: str = "GET", host: str = "127.0.0.1:8001"
) -> tuple[str, str]:
    status, body, _ = request(app, path, query, method, host)
    return status, body


def request(
    app: App, path: str, query: str = "", method: str = "GET", host: str = "127.0.0.1:8001"
) -> tuple[str, str, dict[str, str]]:
    status: list[str] = []
    headers: dict[str, str] = {}

    def start(s: str, hs: list[tuple[str, str]]) -> Any:
        status.append(s)
        headers.update(hs)

    environ = {
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "REQUEST_METHOD": method,
        "wsgi.input": io.BytesIO(),
        "HTTP_HOST": host,
    }
    body = b"".join(app(environ, start)).decode()
    return status[0], body, headers


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


@pytest.mark.parametrize("host", ["127.0.0.1:8001", "localhost", "localhost:9", "[::1]:8001"])
def test_web_accepts_loopback_hosts(app: App, host: str) -> None:
    assert get(app, "/", host=host)[0].startswith("200")


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8001", "127.0.0.1.evil.io", ""])
def test_web_refuses_other_hosts_dns_rebinding(app: App, host: str) -> None:
    assert get(app, "/", host=host)[0].startswith("400")


def test_web_accepts_the_bound_host(app: App) -> None:
    bound = App(app.store_path, "news.lan")
    assert get(bound, "/", host="news.lan:8001")[0].startswith("200")
    assert get(bound, "/", host="other.lan:8001")[0].startswith("400")


def test_web_security_headers(app: App) -> None:
    _, _, headers = request(app, "/")
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("query", ["q=%00", "q=a%00b", "q=%01%02%1f", "q=%22", "q=*"])
def test_web_search_control_characters_do_not_500(app: App, query: str) -> None:
    assert get(app, "/search", query)[0].startswith("200")


def test_web_search_bounds_query_length_and_terms(app: App) -> None:
    status, body = get(app, "/search", "q=" + "a" * 501)
    assert status.startswith("400") and "at most 500 characters" in body
    assert get(app, "/search", "q=" + "+".join(["w"] * 33))[0].startswith("400")
    assert get(app, "/search", "q=" + "+".join(["w"] * 32))[0].startswith("200")


def test_web_head_has_headers_and_no_body(app: App) -> None:
    status, body, headers = request(app, "/", method="HEAD")
    assert status.startswith("200") and body == "" and int(headers["Content-Length"]) > 0


def test_web_opens_the_store_read_only(app: App, tmp_path: Path) -> None:
    from storyline.errors import StoreError
    from storyline.io.store.sqlite import SQLiteStore

    with SQLiteStore(app.store_path, read_only=True) as store:
        assert store.article_count() > 0
        with pytest.raises(StoreError):
            store.add_articles([])
    with pytest.raises(StoreError):
        SQLiteStore(tmp_path / "absent.db", read_only=True)
    assert not (tmp_path / "absent.db").exists()


def test_web_server_is_threaded() -> None:
    from socketserver import ThreadingMixIn

    from storyline.web.app import _ThreadingServer

    assert issubclass(_ThreadingServer, ThreadingMixIn)


def test_web_without_a_store_is_503_not_a_traceback(tmp_path: Path) -> None:
    status, body = get(App(str(tmp_path / "none.db")), "/")
    assert status.startswith("503") and "storyline ingest" in body
    assert not (tmp_path / "none.db").exists()
