"""Crashes, kills and concurrent use never corrupt the store or lose what was committed.

`storyline check` is the judge: SQLite's integrity and foreign-key checks plus storyline's
own invariants (each article stored and indexed exactly once, nothing pointing at a
missing article). `storyline problems` lists what earlier runs skipped or failed on.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline import api
from storyline.cli import cli
from storyline.io.store.sqlite import SQLiteStore

TOWNS = ("Arden", "Bexley", "Crewe", "Dover", "Ely", "Frome", "Goole", "Hythe", "Ilkley")


def write_articles(folder: Path, n: int, first: int = 0) -> None:
    """``n`` distinct plain-text council reports (numbered from ``first``)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(first, first + n):
        town = TOWNS[i % len(TOWNS)]
        (folder / f"a{i:04d}.txt").write_text(
            f"Council vote number {i} in {town}\n\n"
            f"Councillors in {town} voted {i} to {i + 7} on Tuesday to approve plan {i} "
            f"for the harbour.\n\nThe leader said plan {i} would bring {i * 3} jobs to {town}.\n",
            "utf-8",
        )


def ingest_command(folder: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "storyline", "ingest", str(folder), "--store", str(db)]


# -- storyline check -----------------------------------------------------------------------
def test_check_passes_a_sound_store_and_names_each_broken_invariant(tmp_path: Path) -> None:
    write_articles(tmp_path / "in", 3)
    db = tmp_path / "s.db"
    with SQLiteStore(db) as store:
        api.ingest([tmp_path / "in"], store)
        api.cluster(store)
        assert store.check() == []
        first = store.articles()[0].id
        # break three invariants behind storyline's back (as a crash or a hand edit could)
        store._db.execute("PRAGMA foreign_keys=OFF")
        store._db.execute("DELETE FROM articles_fts WHERE article_id = ?", (first,))
        store._db.execute("INSERT INTO inputs(input, article_id) VALUES ('ghost.txt', 'a0')")
        store._db.execute("UPDATE articles SET record = '{' WHERE id = ?", (first,))
        findings = store.check()
    assert any(f"search index: article {first} missing" in f for f in findings)
    assert any("inputs: row for missing article a0" in f for f in findings)
    assert any(f"article {first}: record is not JSON" in f for f in findings)
    result = CliRunner().invoke(cli, ["check", "--store", str(db)])
    assert result.exit_code == 1 and "problem: search index" in result.output


def test_check_command_on_a_sound_store_exits_0(tmp_path: Path) -> None:
    write_articles(tmp_path / "in", 2)
    db = tmp_path / "s.db"
    assert (
        CliRunner().invoke(cli, ["ingest", str(tmp_path / "in"), "--store", str(db)]).exit_code == 0
    )
    result = CliRunner().invoke(cli, ["check", "--store", str(db)])
    assert result.exit_code == 0, result.output
    assert "ok (2 articles" in result.output
    missing = CliRunner().invoke(cli, ["check", "--store", str(tmp_path / "absent.db")])
    assert missing.exit_code != 0 and not (tmp_path / "absent.db").exists()


# -- storyline problems ----------------------------------------------------------------------
def test_problems_lists_skipped_inputs_once_however_often_they_are_seen(tmp_path: Path) -> None:
    write_articles(tmp_path / "in", 2)
    (tmp_path / "in" / "junk.txt").write_bytes(bytes(range(256)) * 40)
    db = str(tmp_path / "s.db")
    for _ in range(2):
        result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "in"), "--store", db])
        assert result.exit_code == 1
    listed = CliRunner().invoke(cli, ["problems", "--store", db, "--json"])
    assert listed.exit_code == 1
    import json

    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(rows) == 1
    assert rows[0]["kind"] == "input" and rows[0]["input"].endswith("junk.txt")
    assert rows[0]["times"] == 2


def test_problems_on_a_clean_store_exits_0(tmp_path: Path) -> None:
    write_articles(tmp_path / "in", 2)
    db = str(tmp_path / "s.db")
    CliRunner().invoke(cli, ["ingest", str(tmp_path / "in"), "--store", db])
    result = CliRunner().invoke(cli, ["problems", "--store", db])
    assert result.exit_code == 0 and "0 problems" in result.stderr


# -- SIGKILL at random moments ---------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_ingest_killed_at_20_random_moments_keeps_a_sound_store_and_resumes(
    tmp_path: Path,
) -> None:
    """Each round starts the same ingest and SIGKILLs it at a random moment; the store
    must then pass check, hold no duplicate and never lose a committed article; the
    last, uninterrupted run finishes the job and a further run changes nothing."""
    total = 360
    write_articles(tmp_path / "in", total)
    db = tmp_path / "s.db"
    rng = random.Random(20261202)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    committed = 0
    kills = 0
    for _ in range(20):
        proc = subprocess.Popen(
            ingest_command(tmp_path / "in", db),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.05, 2.5))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(timeout=60)
        if not db.exists():
            continue  # killed before the store was created
        with SQLiteStore(db) as store:
            assert store.check() == []
            now = store.article_count()
        assert committed <= now <= total  # nothing committed is ever lost
        committed = now
    assert kills >= 10  # the rounds really interrupted ingests
    done = subprocess.run(ingest_command(tmp_path / "in", db), env=env, capture_output=True)
    assert done.returncode == 0, done.stderr
    with SQLiteStore(db) as store:
        assert store.check() == []
        assert store.article_count() == total
        before = store.digest()
    again = subprocess.run(ingest_command(tmp_path / "in", db), env=env, capture_output=True)
    assert again.returncode == 0 and b"0 new" in again.stdout
    with SQLiteStore(db) as store:
        assert store.digest() == before


# -- concurrent use ----------------------------------------------------------------------------
@pytest.mark.slow
def test_two_ingest_commands_at_once_store_each_article_exactly_once(tmp_path: Path) -> None:
    """Two processes ingest overlapping folders into one new store at the same moment."""
    write_articles(tmp_path / "a", 150)
    write_articles(tmp_path / "b", 150)  # the same texts under other paths: same ids
    db = tmp_path / "s.db"
    procs = [
        subprocess.Popen(ingest_command(tmp_path / f, db), stderr=subprocess.PIPE)
        for f in ("a", "b")
    ]
    errors = [p.communicate(timeout=120)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    with SQLiteStore(db) as store:
        assert store.check() == []
        assert store.article_count() == 150
        assert store.counts()["inputs"] == 300  # both paths recorded for each article


@pytest.mark.slow
def test_the_web_ui_keeps_answering_while_an_ingest_writes(tmp_path: Path) -> None:
    from storyline.web.app import App

    write_articles(tmp_path / "first", 5)
    write_articles(tmp_path / "more", 300, first=5)
    db = tmp_path / "s.db"
    with SQLiteStore(db) as store:
        api.ingest([tmp_path / "first"], store)
    app = App(str(db))
    statuses: list[str] = []

    def get(path: str) -> str:
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "q=harbour"}
        environ["HTTP_HOST"] = "127.0.0.1"
        seen: list[str] = []
        b"".join(app(environ, lambda status, headers: seen.append(status)))
        return seen[0]

    writer = subprocess.Popen(ingest_command(tmp_path / "more", db), stderr=subprocess.PIPE)
    while writer.poll() is None:
        statuses += [get("/search")]
        time.sleep(0.05)
    assert writer.returncode == 0, writer.stderr.read() if writer.stderr else ""
    assert len(statuses) >= 3
    assert all(s.startswith("200") for s in statuses), statuses
    with SQLiteStore(db) as store:
        assert store.check() == [] and store.article_count() == 305


def test_the_threaded_server_answers_while_another_client_stalls(tmp_path: Path) -> None:
    """A real socket: one client sends half a request and waits; another is still served."""
    from wsgiref.simple_server import make_server

    from storyline.web.app import App, _ThreadingServer

    write_articles(tmp_path / "in", 2)
    db = tmp_path / "s.db"
    with SQLiteStore(db) as store:
        api.ingest([tmp_path / "in"], store)
    server = make_server("127.0.0.1", 0, App(str(db)), server_class=_ThreadingServer)
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        stalled = socket.create_connection(("127.0.0.1", port), timeout=5)
        stalled.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # no blank line: never ends
        time.sleep(0.2)
        with socket.create_connection(("127.0.0.1", port), timeout=5) as other:
            other.settimeout(5)
            other.sendall(b"GET /search?q=harbour HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
            reply = b""
            while chunk := other.recv(65536):
                reply += chunk
        assert reply.startswith(b"HTTP/1.0 200") or reply.startswith(b"HTTP/1.1 200"), reply[:200]
        stalled.close()
    finally:
        server.shutdown()
        server.server_close()
