"""The analyst's workbench: a read-only web UI and JSON API over a store (WSGI, stdlib server).

Pages read only what ``storyline build`` / ``ingest`` persisted (the ``dossiers`` table):
nothing is clustered, annotated or assembled per request. No path from a request reaches
the file system: every route takes ids that must match their pattern, the one stylesheet
is read from the package, and pages are rendered through autoescaped templates with a
strict Content-Security-Policy (no scripts at all).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs, urlencode
from wsgiref.simple_server import WSGIServer

from storyline import api
from storyline.errors import NotFoundError, StoreError
from storyline.io.store.sqlite import SearchSyntaxError, SQLiteStore, StoryQuery
from storyline.model import SpanPart, part_text
from storyline.web import pages, views
from storyline.web.openapi import OPENAPI
from storyline.web.pages import render

StartResponse = Callable[[str, list[tuple[str, str]]], Any]

# Every route, its id checked by pattern before anything is looked up.
_ROUTES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("stories", re.compile(r"^/(?:index\.html)?$")),
    ("story", re.compile(r"^/story/(s[0-9a-f]{12})$")),
    ("story_json", re.compile(r"^/story/(s[0-9a-f]{12})\.json$")),
    ("entity", re.compile(r"^/entity/(e[0-9a-f]{12})$")),
    ("article", re.compile(r"^/article/(a[0-9a-f]{14})$")),
    ("search", re.compile(r"^/search$")),
    ("style", re.compile(r"^/static/style\.css$")),
    ("openapi", re.compile(r"^/api/openapi\.json$")),
    ("api_stories", re.compile(r"^/api/stories$")),
    ("api_story", re.compile(r"^/api/story/(s[0-9a-f]{12})$")),
    ("api_entity", re.compile(r"^/api/entity/(e[0-9a-f]{12})$")),
    ("api_article", re.compile(r"^/api/article/(a[0-9a-f]{14})$")),
    ("api_search", re.compile(r"^/api/search$")),
)
_SPAN = re.compile(r"^(\d{1,9})-(\d{1,9})$")
# The texts of an article a span may index (``Span.part``): body, title, header lines.
_PARTS: dict[str, SpanPart] = {"text": "text", "title": "title", "header": "header"}
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:[+-]\d{2}:\d{2}|Z)?)?$")
_HEADERS = [
    ("X-Content-Type-Options", "nosniff"),
    (
        "Content-Security-Policy",
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self';"
        " base-uri 'none'; frame-ancestors 'none'",
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
# Filter values longer than this are not names of outlets or entities.
MAX_FILTER_CHARS = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_STYLE = resources.files("storyline.web").joinpath("static/style.css").read_text("utf-8")


@dataclass(frozen=True, slots=True)
class Response:
    """What a route answers."""

    status: str
    ctype: str
    body: str
    location: str | None = None  # a redirect's target


class BadRequest(Exception):
    """A request the user can fix (a malformed query or filter): 400 with the reason."""


def _json(data: Any, status: str = "200 OK") -> Response:
    return Response(status, "application/json", json.dumps(data, ensure_ascii=False))


def _clean(value: str) -> str:
    """A query parameter without control characters (NULs would fail FTS5) or runs of space."""
    return " ".join(_CONTROL.sub(" ", value).split())


class App:
    """WSGI application: story list, story, entity, article and search pages, and /api/..."""

    def __init__(self, store_path: str, bound_host: str | None = None) -> None:
        self.store_path = store_path
        self.hosts = _LOCAL_HOSTS | ({bound_host.lower()} if bound_host else set())

    def _host_ok(self, environ: dict[str, Any]) -> bool:
        """Whether the Host header names this server (see _LOCAL_HOSTS)."""
        host = str(environ.get("HTTP_HOST") or environ.get("SERVER_NAME") or "")
        match = _HOST.match(host.strip())
        return match is not None and match.group(1).lower() in self.hosts

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        response = self._respond(environ)
        data = response.body.encode("utf-8")
        headers = [("Content-Type", f"{response.ctype}; charset=utf-8")]
        headers += [("Content-Length", str(len(data))), *_HEADERS]
        if response.location:
            headers.append(("Location", response.location))
        if response.ctype == "text/css":
            headers.append(("Cache-Control", "max-age=3600"))
        start_response(response.status, headers)
        # HEAD: the same headers (Content-Length included), no body
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [data]

    def _respond(self, environ: dict[str, Any]) -> Response:
        path = str(environ.get("PATH_INFO") or "/")
        if environ.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD"):
            return Response("405 Method Not Allowed", "text/plain", "read-only")
        if not self._host_ok(environ):
            return Response("400 Bad Request", "text/plain", "unknown Host")
        params = {
            k: _clean(v[0])
            for k, v in parse_qs(str(environ.get("QUERY_STRING", ""))).items()
            if v and len(k) < 32
        }
        wants_json = path.startswith("/api/") or path.endswith(".json")
        for name, pattern in _ROUTES:
            match = pattern.match(path)
            if match is None:
                continue
            if name == "style":
                return Response("200 OK", "text/css", _STYLE)
            if name == "openapi":
                return _json(OPENAPI)
            try:
                with SQLiteStore(self.store_path, read_only=True) as store:
                    moved = self._moved(store, name, path, match.groups())
                    if moved is not None:
                        return moved
                    handler: Callable[..., Response] = getattr(self, f"_{name}")
                    return handler(store, params, *match.groups())
            except BadRequest as exc:
                return self._error("400 Bad Request", str(exc), wants_json)
            except NotFoundError:
                break
            except StoreError as exc:  # no store yet, or another schema: say so
                return self._error("503 Service Unavailable", str(exc), wants_json, plain=True)
        return self._error("404 Not Found", "not found", wants_json)

    @staticmethod
    def _moved(
        store: SQLiteStore, name: str, path: str, groups: tuple[Any, ...]
    ) -> Response | None:
        """A permanent redirect when a story id was merged into another story (its alias)."""
        if not name.startswith(("story", "api_story")) or not groups:
            return None
        old = str(groups[0])
        new = store.resolve_story(old)
        if new == old:
            return None
        target = path.replace(old, new)
        return Response("301 Moved Permanently", "text/plain", f"moved to {target}", target)

    @staticmethod
    def _error(status: str, message: str, as_json: bool, *, plain: bool = False) -> Response:
        if as_json:
            return _json({"error": message}, status)
        if plain:
            return Response(status, "text/plain", message)
        return Response(status, "text/html", render("error.html", status=status, message=message))

    # -- story list ------------------------------------------------------------------------
    @staticmethod
    def _story_query(params: dict[str, str]) -> StoryQuery:
        """The list's sort, page and filters from the query string (checked, never trusted)."""
        for key in ("outlet", "entity", "language"):
            if len(params.get(key, "")) > MAX_FILTER_CHARS:
                raise BadRequest(f"{key}: at most {MAX_FILTER_CHARS} characters")
        for key in ("from", "to"):
            if params.get(key) and not _DAY.match(params[key]):
                raise BadRequest(f"{key}: a day as YYYY-MM-DD")
        if params.get("since") and not _TIME.match(params["since"]):
            raise BadRequest("since: a time as YYYY-MM-DD or YYYY-MM-DDTHH:MM")
        page = params.get("page", "1")
        if not page.isdigit() or not 1 <= int(page) <= 100_000:
            raise BadRequest("page: a number from 1")
        size = views.CONFIG.stories_per_page
        return StoryQuery(
            sort="latest" if params.get("sort") == "latest" else "size",
            offset=(int(page) - 1) * size,
            limit=size,
            outlet=params.get("outlet") or None,
            entity=params.get("entity") or None,
            language=params.get("language") or None,
            start=params.get("from") or None,
            end=params.get("to") or None,
            changed_since=params.get("since") or None,
        )

    def _list(self, store: SQLiteStore, params: dict[str, str]) -> dict[str, Any]:
        query = self._story_query(params)
        total, rows = store.story_list(query)
        page = query.offset // query.limit + 1
        kept = {k: v for k, v in params.items() if k != "page" and v}

        def href(number: int) -> str:
            return "/?" + urlencode({**kept, "page": str(number)})

        return {
            "total": total,
            "page": page,
            "rows": rows,
            "prev_href": href(page - 1) if page > 1 else None,
            "next_href": href(page + 1) if query.offset + len(rows) < total else None,
            "first": query.offset + 1 if rows else 0,
            "last": query.offset + len(rows),
            "q": query,
        }

    def _stories(self, store: SQLiteStore, params: dict[str, str]) -> Response:
        listing = self._list(store, params)
        page = render(
            "stories.html",
            **listing,
            outlets=store.facet_values("outlet"),
            languages=store.facet_values("language"),
            stored=store.has_stored_dossiers(),
        )
        return Response("200 OK", "text/html", page)

    def _api_stories(self, store: SQLiteStore, params: dict[str, str]) -> Response:
        listing = self._list(store, params)
        return _json({k: listing[k] for k in ("total", "page", "rows", "next_href", "prev_href")})

    # -- story, entity, article ---------------------------------------------------------------
    @staticmethod
    def _changes(store: SQLiteStore, params: dict[str, str], story_id: str) -> Any:
        since = params.get("since") or None
        if since and not _TIME.match(since):
            raise BadRequest("since: a time as YYYY-MM-DD or YYYY-MM-DDTHH:MM")
        return api.story_changes(store, story_id, since, last=views.CONFIG.changes_shown)

    @staticmethod
    def _page(params: dict[str, str]) -> int:
        page = params.get("page", "1")
        if not page.isdigit() or not 1 <= int(page) <= 100_000:
            raise BadRequest("page: a number from 1")
        return int(page)

    def _story_view(self, store: SQLiteStore, params: dict[str, str], story_id: str) -> Any:
        page = self._page(params)
        if page == 1:
            stored = store.stored_story_page(story_id)
            if stored is not None and stored.get("view_version") == views.VIEW_VERSION:
                return stored  # the first page, made when the dossier was stored
        else:
            stored = store.stored_story_page(story_id, page)
            if stored is not None and pages.current_sections(stored):
                return stored  # a later claims page, made with the first
        return views.story_view(api.stored_dossier(store, story_id), page)

    def _story(self, store: SQLiteStore, params: dict[str, str], story_id: str) -> Response:
        view = self._story_view(store, params, story_id)
        changes = self._changes(store, params, story_id)
        page = pages.story_page(view, changes, params.get("since", ""))
        return Response("200 OK", "text/html", page)

    def _story_json(self, store: SQLiteStore, params: dict[str, str], story_id: str) -> Response:
        return _json(api.stored_dossier(store, story_id))

    def _api_story(self, store: SQLiteStore, params: dict[str, str], story_id: str) -> Response:
        record = api.stored_dossier(store, story_id)
        changes = self._changes(store, params, story_id)
        view = views.story_view(record, self._page(params))
        return _json({"dossier": record, "view": view, "changes": changes})

    def _entity_view(self, store: SQLiteStore, params: dict[str, str], entity_id: str) -> Any:
        page, size = self._page(params), views.CONFIG.entity_stories
        total, shown = store.stories_with_entity(entity_id, size, (page - 1) * size)
        stored = store.entity_pages(entity_id, shown)
        parts = []
        for story in shown:
            part = stored.get(story)
            if part is None:  # a store written before entity pages were kept
                part = views.entity_parts(api.stored_dossier(store, story)).get(entity_id)
            if part is not None:
                parts.append(part)
        view = views.entity_view(entity_id, parts)
        if view is None:
            raise NotFoundError(f"no entity {entity_id}")
        view["story_total"], view["page"] = total, page
        view["next_href"] = f"/entity/{entity_id}?page={page + 1}" if page * size < total else None
        return view

    def _entity(self, store: SQLiteStore, params: dict[str, str], entity_id: str) -> Response:
        view = self._entity_view(store, params, entity_id)
        return Response("200 OK", "text/html", render("entity.html", v=view))

    def _api_entity(self, store: SQLiteStore, params: dict[str, str], entity_id: str) -> Response:
        return _json(self._entity_view(store, params, entity_id))

    @staticmethod
    def _article_view(store: SQLiteStore, params: dict[str, str], article_id: str) -> Any:
        article = store.article(article_id)
        part = _PARTS.get(params.get("part") or "text")
        if part is None:
            raise BadRequest(f"part: one of {', '.join(_PARTS)}")
        span = None
        if params.get("span"):
            match = _SPAN.match(params["span"])
            if match is None:
                raise BadRequest("span: START-END, character offsets")
            start, end = int(match.group(1)), int(match.group(2))
            size = len(part_text(article, part))
            if not 0 <= start < end <= size:
                raise BadRequest(f"span: outside the article's {size} characters ({part})")
            span = (start, end)
        story_id = store.story_of_article(article_id)
        story = None
        if story_id is not None:
            with contextlib.suppress(NotFoundError):
                story = api.stored_dossier(store, story_id)
        return views.article_view(article, span, story, part)

    def _article(self, store: SQLiteStore, params: dict[str, str], article_id: str) -> Response:
        view = self._article_view(store, params, article_id)
        return Response("200 OK", "text/html", render("article.html", v=view))

    def _api_article(self, store: SQLiteStore, params: dict[str, str], article_id: str) -> Response:
        return _json(self._article_view(store, params, article_id))

    # -- search -----------------------------------------------------------------------------------
    @staticmethod
    def _hits(store: SQLiteStore, query: str) -> list[dict[str, Any]]:
        if len(query) > MAX_QUERY_CHARS or len(query.split()) > MAX_QUERY_TERMS:
            raise BadRequest(
                f"query too long: at most {MAX_QUERY_CHARS} characters and {MAX_QUERY_TERMS} words"
            )
        if not query:
            return []
        hits = api.search(store, query, views.CONFIG.hits_per_page)
        titles = store.story_titles(sorted({h["story"] for h in hits if h["story"]}))
        for hit in hits:
            hit["story_title"] = titles.get(hit["story"] or "", "")
        return hits

    def _search(self, store: SQLiteStore, params: dict[str, str]) -> Response:
        query = params.get("q", "")
        context = {"query": query, "limit": views.CONFIG.hits_per_page}
        try:
            hits = self._hits(store, query)
        except (BadRequest, SearchSyntaxError) as exc:
            page = render("search.html", hits=[], error=str(exc), **context)
            return Response("400 Bad Request", "text/html", page)
        return Response("200 OK", "text/html", render("search.html", hits=hits, **context))

    def _api_search(self, store: SQLiteStore, params: dict[str, str]) -> Response:
        query = params.get("q", "")
        try:
            return _json({"query": query, "hits": self._hits(store, query)})
        except SearchSyntaxError as exc:
            raise BadRequest(str(exc)) from exc


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    """One thread per request: a slow page does not hold up the others."""

    daemon_threads = True


def make_server(
    store_path: str, host: str = "127.0.0.1", port: int = 8001, *, quiet: bool = False
) -> WSGIServer:
    """A threaded server for the app (port 0 picks a free one), not yet serving."""
    from wsgiref.simple_server import WSGIRequestHandler
    from wsgiref.simple_server import make_server as wsgi_server

    class _QuietHandler(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            """No line per request on stderr."""

    return wsgi_server(
        host,
        port,
        App(store_path, host),
        server_class=_ThreadingServer,
        handler_class=_QuietHandler if quiet else WSGIRequestHandler,
    )


def serve(store_path: str, host: str = "127.0.0.1", port: int = 8001, processes: int = 1) -> None:
    """Serve until interrupted (see :func:`serve_forever` for ``processes``)."""
    with make_server(store_path, host, port) as server:
        serve_forever(server, processes)


def serve_forever(server: WSGIServer, processes: int = 1) -> None:
    """Run ``server`` until interrupted, in ``processes`` processes that take turns on its
    socket: threads share one interpreter lock, so one process answers one request at a
    time however many cores there are; each process opens the store read-only per request
    (nothing is shared between them). The other processes end with this one (Ctrl-C,
    SIGTERM) or, should it be killed outright, within a second of it."""
    children: list[int] = []
    if processes > 1:
        server.socket.setblocking(False)  # another process may have taken the connection
        parent = os.getpid()
        for _ in range(processes - 1):
            pid = os.fork()
            if pid == 0:  # a child: serve until the parent is gone
                _end_with(server, parent)
                with contextlib.suppress(KeyboardInterrupt):
                    server.serve_forever()
                os._exit(0)
            children.append(pid)
    # SIGTERM ends the serving by the way Ctrl-C does, so the other processes end too (a
    # handler can be set from the main thread only: a server run in a thread has none)
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(0)) if main else None
    try:
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        for pid in children:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


def _end_with(server: WSGIServer, parent: int) -> None:
    """In a child server process: stop serving on SIGTERM, or when ``parent`` is gone."""
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        server.shutdown()

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
