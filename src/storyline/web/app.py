"""A small read-only web UI over a store (WSGI, stdlib server, binds 127.0.0.1 by default).

No path from a request reaches the file system: routes take ids that must match
the id pattern, and pages are rendered from the store through autoescaped templates.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIServer

from storyline import api
from storyline.errors import NotFoundError, StoreError
from storyline.io.store.sqlite import SQLiteStore
from storyline.io.writers import dossier_dict, render_dossier_html, render_index_html

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
_STORY = re.compile(r"^/story/(s[0-9a-f]{12})(\.json)?$")
_HEADERS = [
    ("X-Content-Type-Options", "nosniff"),
    (
        "Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    ),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
]
# Loopback names a browser may send as Host; anything else is a DNS-rebinding page
# (evil.example resolving to 127.0.0.1) reading the store through the victim's browser.
_LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]"})
_HOST = re.compile(r"^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$")
# Search bounds: longer queries are not searches but attempts to make FTS work hard.
MAX_QUERY_CHARS = 500
MAX_QUERY_TERMS = 32
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class App:
    """WSGI application: index, story pages (HTML/JSON) and search."""

    def __init__(self, store_path: str, bound_host: str | None = None) -> None:
        self.store_path = store_path
        self.hosts = _LOCAL_HOSTS | ({bound_host.lower()} if bound_host else set())

    def _host_ok(self, environ: dict[str, Any]) -> bool:
        """Whether the Host header names this server (see _LOCAL_HOSTS)."""
        host = str(environ.get("HTTP_HOST") or environ.get("SERVER_NAME") or "")
        match = _HOST.match(host.strip())
        return match is not None and match.group(1).lower() in self.hosts

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        body = self._respond(environ, start_response)
        # HEAD: the same headers (Content-Length included), no body
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else body

    def _respond(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        path = str(environ.get("PATH_INFO") or "/")
        if environ.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD"):
            return self._send(start_response, "405 Method Not Allowed", "text/plain", "read-only")
        if not self._host_ok(environ):
            return self._send(start_response, "400 Bad Request", "text/plain", "unknown Host")
        query = ""
        if path == "/search":
            raw = parse_qs(str(environ.get("QUERY_STRING", ""))).get("q", [""])[0]
            query = " ".join(_CONTROL.sub(" ", raw).split())  # NULs would fail FTS5
            if len(query) > MAX_QUERY_CHARS or len(query.split()) > MAX_QUERY_TERMS:
                return self._send(
                    start_response,
                    "400 Bad Request",
                    "text/plain",
                    f"query too long: at most {MAX_QUERY_CHARS} characters"
                    f" and {MAX_QUERY_TERMS} words",
                )
        try:
            with SQLiteStore(self.store_path, read_only=True) as store:
                if path in ("/", "/index.html"):
                    page = render_index_html(
                        api.dossiers(store), story_href="/story/{id}", search=True
                    )
                    return self._send(start_response, "200 OK", "text/html", page)
                match = _STORY.match(path)
                if match:
                    d = api.dossier(store, match.group(1))
                    if match.group(2):
                        return self._send(
                            start_response,
                            "200 OK",
                            "application/json",
                            json.dumps(dossier_dict(d), ensure_ascii=False),
                        )
                    page = render_dossier_html(d, index_href="/")
                    return self._send(start_response, "200 OK", "text/html", page)
                if path == "/search":
                    hits = api.search(store, query) if query else []
                    return self._send(
                        start_response, "200 OK", "text/html", _search_page(query, hits)
                    )
        except NotFoundError:
            pass
        except StoreError as exc:  # no store yet, or another schema: say so, not a traceback
            return self._send(start_response, "503 Service Unavailable", "text/plain", str(exc))
        return self._send(start_response, "404 Not Found", "text/plain", "not found")

    @staticmethod
    def _send(start_response: StartResponse, status: str, ctype: str, body: str) -> list[bytes]:
        data = body.encode("utf-8")
        start_response(
            status,
            [
                ("Content-Type", f"{ctype}; charset=utf-8"),
                ("Content-Length", str(len(data))),
                *_HEADERS,
            ],
        )
        return [data]


def _search_page(query: str, hits: list[dict[str, str]]) -> str:
    """Search results; every value escaped (titles and snippets are article text)."""
    rows = "".join(
        f"<li><b>{html.escape(h['title'])}</b> <code>{html.escape(h['article'])}</code><br>{html.escape(h['snippet'])}</li>"
        for h in hits
    )
    return (
        "<!doctype html><meta charset=utf-8><title>search</title>"
        f'<form action=/search><input name=q value="{html.escape(query, quote=True)}"><button>search</button></form>'
        f"<ol>{rows}</ol><p><a href=/>stories</a></p>"
    )


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    """One thread per request: a slow page does not hold up the others."""

    daemon_threads = True


def serve(store_path: str, host: str = "127.0.0.1", port: int = 8001) -> None:
    """Serve until interrupted."""
    from wsgiref.simple_server import make_server

    with (
        make_server(host, port, App(store_path, host), server_class=_ThreadingServer) as server,
        contextlib.suppress(KeyboardInterrupt),
    ):
        server.serve_forever()
