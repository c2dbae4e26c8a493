"""read_inputs: every supported format, and bad input that becomes an InputProblem."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

import storyline.io.readers as readers
from storyline.io.readers import read_inputs
from storyline.io.readers.decode import decode_bytes
from storyline.model import InputProblem, RawDocument

ARTICLE_HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>T</title></head>
<body><article><h1>Headline</h1><p>First paragraph of the article, long enough to count.</p>
</article></body></html>"""


def _all(*paths: Path | str) -> list[RawDocument | InputProblem]:
    """Everything read_inputs yields for the paths."""
    return list(read_inputs(paths))


def _one(path: Path) -> RawDocument | InputProblem:
    """The single item a file yields."""
    items = _all(path)
    assert len(items) == 1, items
    return items[0]


def test_readers_seeds_are_text(seeds_dir: Path) -> None:
    """The two scraper dumps read as text documents, in sorted order."""
    items = _all(seeds_dir)
    assert [Path(i.input).name for i in items] == [
        "000_7ad4c010def9a89b.txt",
        "003_88fbbbda507f7614.txt",
    ]
    assert all(isinstance(i, RawDocument) and i.fmt == "text" for i in items)


@pytest.mark.parametrize("name", ["page.html", "page.htm", "page.bin"])
def test_readers_html_sniffed(tmp_path: Path, name: str) -> None:
    """HTML is recognised by extension or by content."""
    path = tmp_path / name
    path.write_text(ARTICLE_HTML, encoding="utf-8")
    item = _one(path)
    assert isinstance(item, RawDocument) and item.fmt == "html"


def test_readers_jsonl_with_bad_line(tmp_path: Path) -> None:
    """One record per line; a bad line is reported with its line number, the rest goes on."""
    path = tmp_path / "a.jsonl"
    lines = [
        json.dumps({"url": "https://x/1", "html": ARTICLE_HTML, "published": "2023-08-06"}),
        "{not json",
        "",
        json.dumps({"text": "Plain body.", "outlet": "Wire", "title": "T"}),
        json.dumps({"url": "https://x/3"}),
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    items = _all(path)
    assert [i.input.rsplit("#", 1)[1] for i in items] == ["L1", "L2", "L4", "L5"]
    first, bad, plain, empty = items
    assert isinstance(first, RawDocument) and first.fmt == "html"
    assert first.published == "2023-08-06" and first.url == "https://x/1"
    assert isinstance(bad, InputProblem) and bad.reason == "json"
    assert isinstance(plain, RawDocument) and plain.fmt == "text" and plain.outlet == "Wire"
    assert isinstance(empty, InputProblem) and empty.reason == "no_content"


def test_readers_gzip(tmp_path: Path) -> None:
    """A gzipped file is read as what it holds (the inner extension decides)."""
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(ARTICLE_HTML.encode("utf-8")))
    item = _one(path)
    assert isinstance(item, RawDocument) and item.fmt == "html"


def test_readers_broken_gzip(tmp_path: Path) -> None:
    """A truncated gzip is a problem, not an exception."""
    path = tmp_path / "page.txt.gz"
    path.write_bytes(gzip.compress(b"some text " * 200)[:40])
    item = _one(path)
    assert isinstance(item, InputProblem) and item.reason == "gzip"


def test_readers_warc(tmp_path: Path) -> None:
    """HTML response records of a WARC come out with their target URI."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    headers = StatusAndHeaders(
        "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
    )
    record = writer.create_warc_record(
        "https://example.org/a",
        "response",
        payload=io.BytesIO(ARTICLE_HTML.encode("utf-8")),
        http_headers=headers,
    )
    writer.write_record(record)
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(buffer.getvalue())
    item = _one(path)
    assert isinstance(item, RawDocument) and item.url == "https://example.org/a"
    assert item.fmt == "html" and "First paragraph" in item.content


def test_readers_broken_warc(tmp_path: Path) -> None:
    """A file that claims to be WARC but is not yields a problem."""
    path = tmp_path / "x.warc"
    path.write_bytes(b"WARC/1.0\r\nnonsense\r\n\r\n")
    items = _all(path)
    assert items and all(isinstance(i, InputProblem) for i in items)


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Example Wire</title>
<item><title>One</title><link>https://x/1</link><pubDate>Sun, 06 Aug 2023 09:28:00 +0000</pubDate>
<content:encoded><![CDATA[<p>Full body of the first item, with markup.</p>]]></content:encoded></item>
<item><title>Two</title><description>Only a teaser in plain text.</description></item>
<item><title>Empty</title></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Site</title>
<entry><title>A</title><link href="https://x/a"/><published>2023-08-05T10:00:00Z</published>
<content type="html">&lt;p&gt;Atom body text.&lt;/p&gt;</content></entry></feed>"""


def test_readers_rss(tmp_path: Path) -> None:
    """RSS items with content become documents; an item without content is reported."""
    path = tmp_path / "feed.xml"
    path.write_text(RSS, encoding="utf-8")
    one, two, empty = _all(path)
    assert isinstance(one, RawDocument) and one.fmt == "html" and one.published == "2023-08-06"
    assert one.outlet == "Example Wire" and one.url == "https://x/1" and one.title == "One"
    assert isinstance(two, RawDocument) and two.fmt == "text"
    assert isinstance(empty, InputProblem) and empty.reason == "no_content"


def test_readers_atom(tmp_path: Path) -> None:
    """Atom entries are sniffed by content (no feed extension needed)."""
    path = tmp_path / "atom.txt"
    path.write_text(ATOM, encoding="utf-8")
    item = _one(path)
    assert isinstance(item, RawDocument) and item.url == "https://x/a"
    assert item.published == "2023-08-05" and "Atom body" in item.content


def test_readers_folder_recursive_sorted_skips_hidden(tmp_path: Path) -> None:
    """Folders are walked recursively in sorted order; hidden files are skipped."""
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("zeta text", encoding="utf-8")
    (tmp_path / "a.txt").write_text("alpha text", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("secret", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("vcs", encoding="utf-8")
    names = [Path(i.input).name for i in _all(tmp_path)]
    assert names == ["a.txt", "z.txt"]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\t  ", "empty"),
        (bytes(range(256)) * 40, "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 100, "binary"),
        (b"\x81\x8d\x8f\x90\x9d" * 50, "decode"),
    ],
)
def test_readers_bad_bytes(tmp_path: Path, data: bytes, reason: str) -> None:
    """Empty files, binary junk and undecodable bytes are problems with a reason."""
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    item = _one(path)
    assert isinstance(item, InputProblem) and item.reason == reason


def test_readers_missing_path(tmp_path: Path) -> None:
    """A path that does not exist is reported and the next one is still read."""
    good = tmp_path / "good.txt"
    good.write_text("fine", encoding="utf-8")
    missing, found = _all(tmp_path / "nope.txt", good)
    assert isinstance(missing, InputProblem) and missing.reason == "missing"
    assert isinstance(found, RawDocument)


def test_readers_huge_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files over the size limit are refused before they are read."""
    monkeypatch.setattr(readers, "MAX_BYTES", 1000)
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 1000)
    item = _one(path)
    assert isinstance(item, InputProblem) and item.reason == "too_large"


def test_readers_gzip_bomb_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Decompressed size is limited too."""
    monkeypatch.setattr(readers, "MAX_BYTES", 1000)
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"a" * 100_000))
    item = _one(path)
    assert isinstance(item, InputProblem) and item.reason == "too_large"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Größe und Café".encode("cp1252"), "Größe und Café"),  # undeclared legacy bytes
        ("Größe".encode("utf-8-sig"), "Größe"),  # UTF-8 BOM
        ("Größe".encode("utf-16"), "Größe"),  # UTF-16 with BOM
        (
            b'<html><head><meta charset="iso-8859-2"></head><body>'
            + "Łódź".encode("iso-8859-2")
            + b"</body></html>",
            "Łódź",
        ),
        # a UTF-8 page with one corrupt byte stays UTF-8
        (("Привіт, світ! " * 20).encode("utf-8") + b"\xff", "Привіт, світ!"),
    ],
)
def test_readers_decoding(data: bytes, expected: str) -> None:
    """BOMs, declared charsets and fallbacks decode the text right."""
    decoded = decode_bytes(data)
    assert decoded.text is not None and expected in decoded.text


def test_readers_wrong_encoding_file_is_read(tmp_path: Path) -> None:
    """A cp1252 file without a declaration is decoded, not rejected."""
    path = tmp_path / "legacy.txt"
    path.write_bytes("Zürich – naïve “quotes”".encode("cp1252"))
    item = _one(path)
    assert isinstance(item, RawDocument) and item.content == "Zürich – naïve “quotes”"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("000_story.txt", True),
        ("page.html", True),
        ("feed.jsonl.gz", True),
        ("crawl.warc.gz", True),
        ("noextension", True),
        ("EXPECTED.md", False),
        ("README.rst", False),
        ("index.json", False),
        ("storyline.db", False),
        ("storyline.db-wal", False),
        ("photo.JPG", False),
        (".hidden.txt", False),
    ],
)
def test_readers_folder_walk_passes_over_non_articles(name: str, expected: bool) -> None:
    from storyline.io.readers import is_article_candidate

    assert is_article_candidate(Path(name)) is expected


def test_readers_folder_skips_docs_but_a_named_file_is_read(tmp_path: Path) -> None:
    from storyline.io.readers import read_inputs

    (tmp_path / "a.txt").write_text(
        "Officials said the bridge opened on Monday after years of work.\n"
    )
    (tmp_path / "EXPECTED.md").write_text("# What the dossier must say\n\nThe bridge opened.\n")
    assert [Path(r.input).name for r in read_inputs([tmp_path])] == ["a.txt"]
    assert [Path(r.input).name for r in read_inputs([tmp_path / "EXPECTED.md"])] == ["EXPECTED.md"]


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz"])
def test_readers_a_feed_over_the_size_limit_is_read_line_by_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    """A JSONL feed of many articles is larger than one article may be: it is streamed,
    each line bounded; an oversized line is reported alone."""
    import json

    monkeypatch.setattr(readers, "MAX_BYTES", 1000)
    lines = [
        json.dumps({"title": f"Vote {i}", "text": f"Councillors voted on plan {i} on Tuesday."})
        for i in range(60)
    ]
    lines.insert(30, json.dumps({"title": "Huge", "text": "word " * 400}))
    data = ("\n".join(lines) + "\n").encode()
    path = tmp_path / f"feed{suffix}"
    path.write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
    assert len(data) > 1000
    items = list(read_inputs([path]))
    docs = [i for i in items if isinstance(i, RawDocument)]
    problems = [i for i in items if isinstance(i, InputProblem)]
    assert len(docs) == 60
    assert [(p.input.split("#")[1], p.reason) for p in problems] == [("L31", "too_large")]
    assert docs[0].title == "Vote 0" and docs[-1].title == "Vote 59"
