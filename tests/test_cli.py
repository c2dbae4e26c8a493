"""The command line: contracts of ingest, extract, pairs, annotate, build, stories, dossier, search."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import cli


@pytest.fixture
def inputs(tmp_path: Path, seeds_dir: Path) -> Path:
    """A folder with the seeds plus broken files of several kinds."""
    folder = tmp_path / "in"
    shutil.copytree(seeds_dir, folder)
    (folder / "junk.bin").write_bytes(bytes(range(256)) * 64)
    (folder / "empty.txt").write_text("")
    (folder / "broken.txt.gz").write_bytes(gzip.compress(b"North Korea said")[:-8] + b"xx")
    return folder


def test_cli_ingest_reports_bad_files_and_keeps_the_rest(inputs: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "s.db")
    result = runner.invoke(cli, ["ingest", str(inputs), "--store", db])
    assert result.exit_code == 1
    for name in ("junk.bin", "empty.txt", "broken.txt.gz"):
        assert name in result.stderr
    assert "ingested 2 new" in result.stdout
    again = runner.invoke(cli, ["ingest", str(inputs), "--store", db])
    assert "ingested 0 new, 2 unchanged" in again.stdout


def test_cli_extract_contract(seeds_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["extract", str(seeds_dir)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    keys = {
        "input",
        "ok",
        "title",
        "text",
        "outlet",
        "published",
        "byline",
        "wire",
        "language",
        "captions",
        "error",
    }
    assert len(records) == 2 and all(keys <= r.keys() for r in records)
    assert all(r["ok"] and r["text"] for r in records)


def test_cli_extract_bad_file_is_not_ok(tmp_path: Path) -> None:
    bad = tmp_path / "junk.bin"
    bad.write_bytes(b"\x00\xff\xfe" * 500)
    result = CliRunner().invoke(cli, ["extract", str(bad)])
    assert result.exit_code == 1
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["ok"] is False and record["error"] and record["input"] == str(bad)


def test_cli_pairs_contract(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    rows = [
        {
            "id": "1",
            "text1": "Rebels seized the port of Hodeidah on Monday.",
            "text2": "The port of Hodeidah fell to rebels on Monday, residents said.",
        },
        {
            "id": "2",
            "text1": "Rebels seized the port of Hodeidah on Monday.",
            "text2": "Apple unveiled a new phone with a faster chip.",
        },
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows))
    result = CliRunner().invoke(cli, ["pairs", "--jsonl", str(path)])
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["1", "2"]
    assert out[0]["score"] > out[1]["score"] and out[0]["same_story"] and not out[1]["same_story"]


@pytest.mark.slow
def test_cli_annotate_contract(tmp_path: Path) -> None:
    text = 'Koo Byoungsam said on Friday that talks had failed.\n\n"We regret it," Koo said.'
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "d1", "text": text, "published": "2023-08-06"}) + "\n")
    result = CliRunner().invoke(cli, ["annotate", "--jsonl", str(path)])
    assert result.exit_code == 0, result.output
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["id"] == "d1"
    assert {"entities", "quotes", "times", "claims"} <= record.keys()
    for item in record["entities"] + record["quotes"] + record["times"]:
        assert 0 <= item["start"] < item["end"] <= len(text)
    assert any(text[e["start"] : e["end"]] == "Koo Byoungsam" for e in record["entities"])
    assert any(t["value"] == "2023-08-04" for t in record["times"])  # "on Friday" before 2023-08-06
    assert any(
        text[q["start"] : q["end"]] == "We regret it,"
        or text[q["start"] : q["end"]] == "We regret it"
        for q in record["quotes"]
    )


@pytest.mark.slow
def test_cli_build_stories_dossier_search(seeds_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    db, out = str(tmp_path / "s.db"), tmp_path / "out"
    result = runner.invoke(cli, ["build", str(seeds_dir), "--out", str(out), "--store", db])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("index.html") and Path(result.stdout.strip()).exists()
    listing = runner.invoke(cli, ["stories", "--store", db, "--json"])
    (story,) = [json.loads(line) for line in listing.stdout.splitlines()]
    md = runner.invoke(cli, ["dossier", story["id"], "--store", db, "--format", "md"])
    assert md.exit_code == 0 and md.stdout.startswith("# ")
    missing = runner.invoke(cli, ["dossier", "s000000000000", "--store", db])
    assert missing.exit_code != 0 and "E003" in missing.output
    hits = runner.invoke(cli, ["search", "arms factories", "--store", db, "--json"])
    assert len(hits.stdout.splitlines()) == 2


@pytest.mark.parametrize(
    "args",
    [
        ["stories"],
        ["dossier", "s0123456789ab"],
        ["search", "factories"],
        ["serve", "--port", "1"],
    ],
)
def test_cli_read_commands_refuse_a_missing_store(tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "no" / "such" / "s.db"
    result = CliRunner().invoke(cli, [*args, "--store", str(db)])
    assert result.exit_code in (1, 2)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1, message
    assert str(db) in message and "storyline ingest" in message
    assert not db.exists() and not db.parent.exists() and not (tmp_path / "no").exists()


def test_cli_read_commands_open_an_existing_store(seeds_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(seeds_dir), "--store", db]).exit_code == 0
    listed = runner.invoke(cli, ["stories", "--store", db])
    assert listed.exit_code == 0, listed.output
    header, row = listed.stdout.splitlines()
    assert header.split("\t") == ["id", "articles", "outlets", "dates", "title"]
    assert row.startswith("s") and row.split("\t")[1:3] == ["2", "2"]
    found = runner.invoke(cli, ["search", "Kim", "--store", db])
    assert found.exit_code == 0 and found.stdout.strip(), found.output


def test_cli_dask_unreachable_scheduler_is_one_line(
    seeds_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storyline.backends.dask as dask_backend

    monkeypatch.setattr(dask_backend, "CONNECT_TIMEOUT_S", 1.0)
    args = ["build", str(seeds_dir), "--out", str(tmp_path / "out")]
    args += ["--store", str(tmp_path / "s.db"), "--backend", "dask"]
    result = CliRunner().invoke(cli, [*args, "--scheduler", "tcp://127.0.0.1:1"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    message = result.stderr.strip().splitlines()[-1]
    assert "tcp://127.0.0.1:1" in message and "--scheduler" in message
    assert "Traceback" not in result.output
    assert not (tmp_path / "s.db").exists(), "a wrong address fails before the ingest"


def test_cli_serve_busy_port_is_one_line(seeds_dir: Path, tmp_path: Path) -> None:
    import socket

    db = str(tmp_path / "s.db")
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(seeds_dir), "--store", db]).exit_code == 0
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(cli, ["serve", "--store", db, "--port", str(port)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    message = result.stderr.strip().splitlines()[-1]
    assert f"127.0.0.1:{port}" in message and "--port" in message


def test_cli_story_rows_largest_then_latest_first() -> None:
    from storyline.cli import story_rows
    from storyline.model import Story
    from tests.util import make_article

    old = make_article("Old story.", published="2023-01-02", outlet="A", title="Old")
    new = make_article("New story.", published="2023-05-01", outlet="B", title="New\x1b[31m")
    undated = make_article("Undated story.", outlet=None, title="Undated")
    big = [make_article(f"Big story {i}.", published="2022-01-0" + str(i + 1)) for i in range(2)]
    articles = {a.id: a for a in [old, new, undated, *big]}
    found = [
        Story(id="s000000000001", article_ids=(undated.id,)),
        Story(id="s000000000002", article_ids=(old.id,)),
        Story(id="s000000000003", article_ids=tuple(a.id for a in big)),
        Story(id="s000000000004", article_ids=(new.id,)),
    ]
    rows = story_rows(found, articles)
    assert [r["id"] for r in rows] == [
        "s000000000003",  # two articles, however old
        "s000000000004",  # then the latest
        "s000000000002",
        "s000000000001",  # an undated story comes last
    ]
    assert (rows[0]["first"], rows[0]["last"]) == ("2022-01-01", "2022-01-02")
    assert rows[3]["first"] is None and rows[3]["outlets"] == []


def test_cli_printable_drops_terminal_escapes() -> None:
    from storyline.cli import _printable

    assert _printable("New\x1b[31m title\r") == "New [31m title "
    assert _printable("Кім: «заводи»") == "Кім: «заводи»"


def test_cli_pairs_answers_the_good_lines_around_bad_ones(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    good = {"id": "g", "text1": "Rebels seized the port.", "text2": "The port fell to rebels."}
    path.write_text(
        json.dumps(good) + "\n{not json\n" + json.dumps({"id": "n", "text1": 5}) + "\n[1, 2]\n"
    )
    result = CliRunner().invoke(cli, ["pairs", "--jsonl", str(path)])
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert out[0]["id"] == "g" and "score" in out[0]
    assert [(o["line"], o["id"]) for o in out[1:]] == [(2, None), (3, "n"), (4, None)]
    assert all(o["error"] for o in out[1:])
    assert "4 records, 3 errors" in result.stderr


@pytest.mark.slow
def test_cli_annotate_answers_the_good_lines_around_a_bad_one(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "It rained on Monday.", "published": "2023-08-09"}),
        '{"id": "broken", "text": ',
        json.dumps({"id": "c", "text": "It rained yesterday.", "published": "2023-08-09"}),
    ]
    path.write_text("\n".join(lines) + "\n")
    result = CliRunner().invoke(cli, ["annotate", "--jsonl", str(path)])
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", None, "c"]
    assert out[1]["line"] == 2 and "not JSON" in out[1]["error"]
    assert out[2]["times"][0]["value"] == "2023-08-08"
    assert "3 records, 1 errors" in result.stderr


@pytest.mark.slow
def test_annotate_and_build_run_the_same_stage_code(tmp_path: Path) -> None:
    """A text built into a store and the same text through `storyline annotate` give the
    same quotes, times and entity mentions at the same offsets."""
    from storyline import api
    from storyline.annotate import annotate_records
    from storyline.io.store.sqlite import SQLiteStore

    body = (
        '"We will not give up," Mayor Jane Roe said on Friday in Arden.\n\n'
        "The council approved the harbour plan last month, officials said."
    )
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_text(
        json.dumps({"title": "Harbour", "text": body, "published": "2023-08-06"}) + "\n"
    )
    with SQLiteStore(tmp_path / "s.db") as store:
        api.ingest([tmp_path / "in"], store)
        (article,) = store.articles()
        (built,) = api.annotate(store, [article])
    published = article.published.start.isoformat() if article.published else None
    (answer,) = annotate_records([{"id": "x", "text": article.text, "published": published}])
    assert answer["times"] and answer["quotes"]
    assert [(t["start"], t["end"], t["value"]) for t in answer["times"]] == [
        (t.span.start, t.span.end, t.value) for t in built.times
    ]
    assert [(q["start"], q["end"]) for q in answer["quotes"]] == [
        (q.span.start, q.span.end) for q in built.quotes
    ]
    assert [(e["start"], e["end"], e["label"]) for e in answer["entities"]] == [
        (m.span.start, m.span.end, m.label) for m in built.mentions if not m.role
    ]
