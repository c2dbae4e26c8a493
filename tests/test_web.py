"""The web UI: read-only, escaped, ids checked before anything is looked up."""

from __future__ import annotations

import html
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import pytest

from storyline import api
from storyline.web.app import App

pytestmark = pytest.mark.slow


HOSTILE = (
    "Payload test <script>alert(1)</script> headline\n\n"
    "The ministry said on Monday that <img src=x onerror=\"document.title='pwned'\"> the payload"
    " <script>document.title='pwned'</script> was found in a report about missiles.\n\n"
    "Officials said the report was false and that nothing had changed in the policy this week.\n"
)


def make_inputs(root: Path, seeds_dir: Path) -> Path:
    """The seed articles plus one article carrying script and onerror payloads."""
    import shutil

    inputs = root / "inputs"
    shutil.copytree(seeds_dir, inputs)
    (inputs / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    return inputs


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Iterator[App]:
    """An app over a store built from the seeds and a hostile article (dossiers persisted)."""
    root = tmp_path_factory.mktemp("web")
    db = root / "s.db"
    with api.open_store(db) as store:
        api.ingest([make_inputs(root, seeds_dir)], store)
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


@pytest.mark.parametrize("query", ["q=%00", "q=a%00b", "q=%01%02%1f", "q=*", "q=U.S.+Kim-Jong"])
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


# -- issue 12: persisted dossiers, list, pages, search syntax, API ------------------------------
def stories_of(app: App, query: str = "") -> list[str]:
    status, body = get(app, "/api/stories", query)
    assert status.startswith("200"), body
    return [r["id"] for r in json.loads(body)["rows"]]


def seed_story(app: App) -> str:
    return stories_of(app, "outlet=militarnyi")[0]


def test_web_reads_persisted_dossiers_only(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    """No page clusters, annotates or assembles: those would fail here."""

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("the web UI assembled a dossier")

    for name in ("cluster", "annotate", "dossiers", "dossier"):
        monkeypatch.setattr(api, name, forbidden)
    story = seed_story(app)
    _, page = get(app, f"/story/{story}")
    article = page.split('href="/article/')[1].split('"')[0].split("?")[0]
    entity = page.split('href="/entity/')[1].split('"')[0]
    for path in ("/", f"/story/{story}", f"/story/{story}.json", f"/article/{article}",
                 f"/entity/{entity}", f"/api/story/{story}", f"/api/entity/{entity}"):  # fmt: skip
        assert get(app, path)[0].startswith("200"), path
    assert get(app, "/search", "q=Shoigu")[0].startswith("200")


def test_web_story_list_sorts_filters_and_pages(app: App) -> None:
    by_size = stories_of(app)
    assert len(by_size) == 2 and by_size[0] == seed_story(app), "largest first"
    assert stories_of(app, "sort=latest")[0] == seed_story(app), "undated stories last"
    assert stories_of(app, "outlet=The+Jerusalem+Post") == [seed_story(app)]
    assert stories_of(app, "outlet=nobody") == []
    assert stories_of(app, "entity=shoigu") == [seed_story(app)]
    assert stories_of(app, "language=en") == by_size
    assert stories_of(app, "from=2023-08-01&to=2023-08-31") == [seed_story(app)]
    assert stories_of(app, "from=2024-01-01") == []
    assert stories_of(app, "since=2999-01-01") == []
    assert stories_of(app, "page=2") == []
    for bad in ("from=yesterday", "page=0", "page=x", "since=soon", "outlet=" + "x" * 300):
        status, body = get(app, "/api/stories", bad)
        assert status.startswith("400") and json.loads(body)["error"], bad
    _, page = get(app, "/", "outlet=militarnyi")
    assert 'value="militarnyi"' in page and "corroborated" in page


def test_web_older_store_without_dossiers_says_what_to_run(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "old.db"
    with api.open_store(db):
        pass
    with sqlite3.connect(db) as raw:
        raw.execute("DROP TABLE dossier_facets")
        raw.execute("DROP TABLE dossiers")
    status, body = get(App(str(db)), "/")
    assert status.startswith("200") and "storyline build" in body
    assert get(App(str(db)), "/story/s000000000000")[0].startswith("404")


def test_web_story_page_links_everything(app: App) -> None:
    status, page = get(app, f"/story/{seed_story(app)}")
    assert status.startswith("200")
    for section in ('id="timeline"', 'id="claims"', 'id="coverage"', 'id="quotes"',
                    'id="entities"', 'id="articles"'):  # fmt: skip
        assert section in page
    assert "status-corroborated" in page and "status-single-source" in page
    assert "?span=" in page and 'href="/entity/e' in page and 'href="/article/a' in page
    assert "Quotes by speaker" in page and "did not report it" in page


def test_web_evidence_link_highlights_the_sentence(app: App) -> None:
    record = json.loads(get(app, f"/story/{seed_story(app)}.json")[1])
    claim = next(c for c in record["claims"] if c["status"] == "corroborated")
    span = claim["evidence"][0]
    text = next(a["text"] for a in record["articles"] if a["id"] == span["article"])
    status, page = get(app, f"/article/{span['article']}", f"span={span['start']}-{span['end']}")
    assert status.startswith("200")
    marked = page.split('<mark id="hl">')[1].split("</mark>")[0]
    assert html.unescape(marked) in text[span["start"] : span["end"]] and len(marked) > 20
    assert "Found in this article" in page and "Removed by clean-up" in page


@pytest.mark.parametrize("span", ["5", "9-3", "0-99999999", "a-b", "1-2-3"])
def test_web_bad_span_is_400(app: App, span: str) -> None:
    record = json.loads(get(app, f"/story/{seed_story(app)}.json")[1])
    article = record["articles"][0]["id"]
    assert get(app, f"/article/{article}", f"span={span}")[0].startswith("400")


def test_web_entity_page_has_quotes_and_claims_across_stories(app: App) -> None:
    record = json.loads(get(app, f"/story/{seed_story(app)}.json")[1])
    speaker = next(q["speaker"] for q in record["quotes"] if q["speaker"])
    status, body = get(app, f"/api/entity/{speaker}")
    view = json.loads(body)
    assert status.startswith("200") and view["stories"][0]["id"] == record["id"]
    assert view["stories"][0]["quotes"], "the speaker's quotes are listed"
    assert get(app, f"/entity/{speaker}")[0].startswith("200")


@pytest.mark.parametrize(
    "path",
    ["/entity/../x", "/entity/e12", "/article/a00", "/article/a0000000000000000", "/api/story/x",
     "/static/../app.py", "/static/other.css", "/api/nothing"],
)  # fmt: skip
def test_web_route_ids_are_checked(app: App, path: str) -> None:
    assert get(app, path)[0].startswith("404")


@pytest.mark.parametrize(
    ("query", "finds"),
    [
        ("Shoigu", True),
        ("shoig*", True),
        ("Wagner OR Shoigu", True),
        ('"arms factories"', True),
        ('"factories arms"', False),
        ("Shoigu NOT Shoigu", False),
        ("Kim NOT Shoigu", True),  # the hostile article has neither; seeds: both mention Shoigu
        ("(Shoigu OR Sejong) AND Kim", True),
        ("zzzunknownword", False),
    ],
)
def test_web_search_fts5_syntax(app: App, query: str, finds: bool) -> None:
    status, body = get(app, "/api/search", "q=" + quote_plus(query))
    assert status.startswith("200"), body
    hits = json.loads(body)["hits"]
    assert bool(hits) == finds or (query.startswith("Kim NOT") and not hits)
    for h in hits:
        assert h["story"] and h["outlet"] and h["title"]


@pytest.mark.parametrize("query", ['"unclosed', "a OR", "NOT", "(Kim", "AND AND"])
def test_web_malformed_search_is_a_clear_400(app: App, query: str) -> None:
    status, body = get(app, "/search", "q=" + quote_plus(query))
    assert status.startswith("400") and "cannot read the search" in body
    assert "OR / NOT / AND" in html.unescape(body)


def test_web_search_results_link_story_and_article(app: App) -> None:
    _, body = get(app, "/search", "q=Shoigu")
    assert 'href="/article/a' in body and 'href="/story/s' in body and "Militarnyi" in body


def test_web_hostile_article_is_text(app: App) -> None:
    (hostile,) = [s for s in stories_of(app) if s != seed_story(app)]
    _, page = get(app, f"/story/{hostile}")
    article = page.split('href="/article/')[1].split('"')[0].split("?")[0]
    for path in ("/", f"/story/{hostile}", f"/article/{article}"):
        _, body = get(app, path)
        assert "<script" not in body.lower() and "<img" not in body.lower(), path
    _, body = get(app, f"/article/{article}")
    assert "&lt;script&gt;" in body and "onerror=" in body


def test_web_pages_use_only_the_packaged_stylesheet(app: App) -> None:
    _, page, headers = request(app, f"/story/{seed_story(app)}")
    csp = headers["Content-Security-Policy"]
    assert "script-src" not in csp and "default-src 'none'" in csp and "unsafe-inline" not in csp
    assert "style-src 'self'" in csp and "<style" not in page and "style=" not in page
    assert 'href="/static/style.css"' in page and "http" not in page.split("<main>")[0]
    status, css, headers = request(app, "/static/style.css")
    assert status.startswith("200") and headers["Content-Type"].startswith("text/css")
    assert "mark{" in css


def test_web_openapi_describes_every_api_route(app: App) -> None:
    doc = json.loads(get(app, "/api/openapi.json")[1])
    assert doc["openapi"].startswith("3.")
    story = seed_story(app)
    record = json.loads(get(app, f"/story/{story}.json")[1])
    ids = {
        "{story_id}": story,
        "{entity_id}": record["entities"][0]["id"],
        "{article_id}": record["articles"][0]["id"],
    }
    for path in doc["paths"]:
        real = path
        for key, value in ids.items():
            real = real.replace(key, value)
        status, body = get(app, real, "q=Kim" if real.endswith("search") else "")
        assert status.startswith("200") and isinstance(json.loads(body), dict), path


@pytest.mark.parametrize(
    ("query", "expression"),
    [
        ("Kim Shoigu", '"Kim" AND "Shoigu"'),
        ("Wagner OR Sejong", '"Wagner" OR "Sejong"'),
        ("shoig*", '"shoig"*'),
        ('"arms factories" NOT Kim', '"arms factories" NOT "Kim"'),
        ("U.S. Kim-Jong", '"U.S." AND "Kim-Jong"'),
        ("or not", '"or" AND "not"'),  # lower case: words, not operators
        ("alert(1)", '"alert(1)"'),  # a parenthesis inside a word is part of it
        ("(Kim OR Shoigu) Seoul", '( "Kim" OR "Shoigu" ) AND "Seoul"'),
        ('say "hi', '"say" AND "hi'),  # unclosed: left for FTS5 to reject
    ],
)
def test_fts_expression_rows(query: str, expression: str) -> None:
    from storyline.io.store.sqlite import fts_expression

    assert fts_expression(query) == expression


def test_ingest_refresh_assembles_only_changed_stories(tmp_path: Path, seeds_dir: Path) -> None:
    db = tmp_path / "r.db"
    with api.open_store(db) as store:
        api.ingest([seeds_dir], store)
        first = api.refresh_dossiers(store)
        assert len(first) == 1 and store.stored_story_ids() == [first[0].id]
        assert api.refresh_dossiers(store) == [], "nothing changed: nothing assembled"
        assert api.stale_stories(store) == []


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_cli_export(app: App, tmp_path: Path, fmt: str) -> None:
    import csv

    from click.testing import CliRunner

    from storyline.cli import cli

    out = tmp_path / "x"
    result = CliRunner().invoke(
        cli, ["export", "--store", app.store_path, "--format", fmt, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    for table in ("articles", "stories", "entities", "mentions", "quotes", "claims"):
        path = out / f"{table}.{fmt}"
        if fmt == "jsonl":
            rows = [json.loads(line) for line in path.read_text().splitlines()]
        elif fmt == "parquet":
            import pyarrow.parquet as pq

            rows = pq.read_table(path).to_pylist()
            assert "id" in rows[0] or "entity" in rows[0]
        else:
            rows = list(csv.DictReader(path.open(encoding="utf-8")))
        assert rows, table
    assert not list(out.glob(".*.tmp"))


def test_cli_search_shows_story_outlet_and_date(app: App) -> None:
    from click.testing import CliRunner

    from storyline.cli import cli

    result = CliRunner().invoke(cli, ["search", "shoig* OR Wagner", "--store", app.store_path])
    header, *rows = result.stdout.splitlines()
    assert header.split("\t")[:4] == ["article", "story", "outlet", "published"]
    assert rows and all(r.split("\t")[1].startswith("s") for r in rows)
    bad = CliRunner().invoke(cli, ["search", '"unclosed', "--store", app.store_path])
    assert bad.exit_code == 1 and len(bad.stderr.strip().splitlines()) == 1
    assert "cannot read the search" in bad.stderr


def test_story_changes_show_what_a_new_article_changed(tmp_path: Path, seeds_dir: Path) -> None:
    """One seed article, then the other: the second version lists it and the new statuses."""
    first, second = sorted(seeds_dir.glob("*.txt"))
    db = tmp_path / "c.db"
    with api.open_store(db) as store:
        api.ingest([first], store)
        (story,) = [d.id for d in api.refresh_dossiers(store)]
        mid = store.stored_dossier(story)["updated"]
        api.ingest([second], store)
        api.refresh_dossiers(store)
        changes = api.story_changes(store, story)
        assert len(changes) == 2 and len(changes[1]["articles_added"]) == 1
        assert any(c["to"] == "corroborated" for c in changes[1]["status_changes"])
        assert api.story_changes(store, story, since="2999-01-01") == []
        assert len(api.story_changes(store, story, since=mid)) == 1
    app = App(str(db))
    status, page = get(app, f"/story/{story}")
    assert status.startswith("200") and "What changed" in page and "→" in page
    assert get(app, f"/story/{story}", "since=yesterday")[0].startswith("400")
    assert json.loads(get(app, f"/api/story/{story}")[1])["changes"]


def test_web_search_marks_matches_not_brackets(app: App) -> None:
    _, body = get(app, "/search", "q=Shoigu")
    assert "<mark>Shoigu</mark>" in body
    hits = json.loads(get(app, "/api/search", "q=Shoigu")[1])["hits"]
    assert "[Shoigu]" in hits[0]["snippet"] and "\x02" not in hits[0]["snippet"]
    assert any(p["mark"] and p["text"] == "Shoigu" for p in hits[0]["parts"])


def test_cli_ingest_persists_dossiers_for_the_web(tmp_path: Path, seeds_dir: Path) -> None:
    from click.testing import CliRunner

    from storyline.cli import cli

    db = str(tmp_path / "i.db")
    runner = CliRunner()
    first = runner.invoke(cli, ["ingest", str(seeds_dir), "--store", db])
    assert first.exit_code == 0 and "1 story dossiers updated" in first.stdout, first.output
    again = runner.invoke(cli, ["ingest", str(seeds_dir), "--store", db])
    assert "0 story dossiers updated" in again.stdout
    status, body = get(App(db), "/api/stories")
    assert status.startswith("200") and json.loads(body)["total"] == 1
    skip = runner.invoke(cli, ["ingest", str(seeds_dir), "--store", str(tmp_path / "n.db"),
                               "--no-dossiers"])  # fmt: skip
    assert skip.exit_code == 0 and "dossiers" not in skip.stdout
    assert json.loads(get(App(str(tmp_path / "n.db")), "/api/stories")[1])["total"] == 0


@pytest.mark.slow
def test_article_page_shows_what_the_clean_up_removed(tmp_path: Path, seeds_dir: Path) -> None:
    """The seed pages' chrome is not in the text but is listed on the article page, escaped."""
    from storyline.io.store.sqlite import SQLiteStore as Store

    with Store(tmp_path / "s.db") as db:
        api.build([seeds_dir], tmp_path / "out", db)
        noisy = max(db.articles(), key=lambda a: len(a.removed))
    assert noisy.removed and all(len(line) <= 300 for _, line in noisy.removed)
    status, body = get(App(str(tmp_path / "s.db")), f"/article/{noisy.id}")
    assert status.startswith("200")
    _why, line = noisy.removed[0]
    assert "Removed by clean-up" in body and html.escape(line[:40]) in body


def test_web_headline_evidence_opens_the_title_marked(app: App) -> None:
    """A claim backed by a headline links to the article with the title's words marked."""
    record = json.loads(get(app, f"/story/{seed_story(app)}.json")[1])
    span = next(s for c in record["claims"] for s in c["evidence"] if s.get("part") == "title")
    title = next(a["title"] for a in record["articles"] if a["id"] == span["article"])
    status, page = get(app, f"/story/{seed_story(app)}")
    href = f"/article/{span['article']}?span={span['start']}-{span['end']}&amp;part=title#hl"
    assert status.startswith("200") and href in page
    query = f"span={span['start']}-{span['end']}&part=title"
    status, page = get(app, f"/article/{span['article']}", query)
    assert status.startswith("200") and "Highlighted in the title" in page
    marked = page.split('<mark id="hl">')[1].split("</mark>")[0]
    assert html.unescape(marked) == title[span["start"] : span["end"]] and marked.strip()
    # a part other than text, title or header, or a span beyond the title, is refused
    assert get(app, f"/article/{span['article']}", "span=0-5&part=menu")[0].startswith("400")
    beyond = f"span=0-{len(title) + 1}&part=title"
    assert get(app, f"/article/{span['article']}", beyond)[0].startswith("400")


def test_web_server_in_several_processes_answers_and_ends_with_its_parent(
    tmp_path: Path,
) -> None:
    """``serve --processes 2``: two processes take turns on one port (threads of one
    process share one interpreter lock); both end when the first gets SIGTERM, and a child
    ends by itself when its parent is killed outright."""
    import os
    import signal
    import subprocess
    import sys
    import time
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    from storyline.io.store.sqlite import SQLiteStore

    db = tmp_path / "empty.db"
    SQLiteStore(db).close()
    code = (
        "import sys\n"
        "from storyline.web.app import make_server, serve_forever\n"
        "server = make_server(sys.argv[1], '127.0.0.1', 0, quiet=True)\n"
        "print(server.server_address[1], flush=True)\n"
        "serve_forever(server, 2)\n"
    )

    def children(pid: int) -> list[int]:
        path = Path(f"/proc/{pid}/task/{pid}/children")
        return [int(c) for c in path.read_text().split()] if path.exists() else []

    def alive(pid: int) -> bool:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
        except FileNotFoundError:
            return False
        return state != "Z"

    for ending in (signal.SIGTERM, signal.SIGKILL):
        server = subprocess.Popen(
            [sys.executable, "-c", code, str(db)], stdout=subprocess.PIPE, text=True
        )
        try:
            assert server.stdout is not None
            port = int(server.stdout.readline())
            url = f"http://127.0.0.1:{port}/"

            def fetch(_: int, url: str = url) -> int:
                with urllib.request.urlopen(url, timeout=30) as response:
                    return int(response.status)

            with ThreadPoolExecutor(8) as pool:
                assert set(pool.map(fetch, range(24))) == {200}
            (child,) = children(server.pid)
            os.kill(server.pid, ending)
            server.wait(timeout=30)
            deadline = time.monotonic() + 10
            while alive(child) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not alive(child), f"the child outlived its parent's {ending.name}"
        finally:
            server.kill()
            server.wait()
