"""Read input files and folders into RawDocuments; bad input becomes an InputProblem.

``read_inputs`` sniffs each file by extension and content: plain text (scraper dumps), HTML,
JSONL, gzip of any of these, WARC and RSS/Atom feeds. Folders are walked recursively in
sorted order. Nothing here raises for bad input: a reader that cannot use a file says why.
"""

from __future__ import annotations

import os
import re
import stat
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from storyline.io.readers.containers import (
    is_markup,
    read_feed,
    read_jsonl,
    read_jsonl_bytes,
    read_warc,
)
from storyline.io.readers.decode import decode_bytes
from storyline.model import InputProblem, RawDocument

__all__ = ["MAX_BYTES", "is_article_candidate", "read_bytes", "read_inputs", "safe_name"]

# Larger files are not news articles (a 20 MB page is a dump or an attack); refusing them
# keeps memory bounded. Applied to decompressed sizes too (gzip bombs).
MAX_BYTES = 20 * 1024 * 1024

_GZIP_MAGIC = b"\x1f\x8b"
_HTML_EXT = {".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx"}
_JSONL_EXT = {".jsonl", ".ndjson"}
_FEED_EXT = {".rss", ".atom"}
_WARC_EXT = {".warc", ".arc"}
# Roots of RSS 2.0, RSS 1.0 (RDF) and Atom: feeds are often served as plain .xml.
_FEED_ROOT = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.S)
# Inside a folder, files of these types are documentation, data, code or media that sits
# beside articles (a README, an EXPECTED.md, a store file), not articles: walking the folder
# passes over them. A file named on the command line is always read.
_NOT_ARTICLES = {
    ".md", ".markdown", ".rst", ".adoc", ".json", ".csv", ".tsv", ".yaml", ".yml", ".toml",
    ".ini", ".cfg", ".py", ".js", ".css", ".sh", ".pdf", ".png", ".jpg", ".jpeg", ".gif",
    ".webp", ".svg", ".ico", ".mp3", ".mp4", ".zip", ".tar", ".xz", ".bz2", ".7z", ".db",
    ".sqlite", ".db-wal", ".db-shm", ".wal", ".shm", ".lock", ".log", ".pyc",
}  # fmt: skip
_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)


def read_inputs(paths: Iterable[str | Path]) -> Iterator[RawDocument | InputProblem]:
    """Yield a RawDocument for every article found in the paths, or an InputProblem.

    Example:
        >>> for item in read_inputs(["examples/seeds"]):
        ...     print(item.input)
    """
    for path in paths:
        yield from _read_path(Path(path))


def is_article_candidate(path: Path) -> bool:
    """Whether a file found inside a folder may hold articles (by its name alone)."""
    if path.name.startswith("."):
        return False  # hidden files are editor/VCS state, never articles
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return not suffixes or suffixes[-1] not in _NOT_ARTICLES


def safe_name(path: str | Path) -> str:
    """A path as printable, storable text: undecodable name bytes become ``\\xff`` escapes.

    POSIX file names are bytes; Python keeps undecodable ones as lone surrogates, which
    SQLite (and any UTF-8 writer) refuses, so one odd name would roll back a whole batch.
    """
    raw = os.fsencode(str(path))
    return raw.decode("utf-8", errors="backslashreplace")


def _read_path(path: Path, visited: set[str] | None = None) -> Iterator[RawDocument | InputProblem]:
    """A file, or every article candidate under a folder in sorted order."""
    name = safe_name(path)
    try:
        if path.is_dir():
            # A folder reached twice (``self -> .``, ``up -> ..``) is a loop: the walk would
            # never end, so each real folder is walked once.
            visited = set() if visited is None else visited
            real = os.path.realpath(path)
            if real in visited:
                yield InputProblem(
                    input=name, reason="symlink-loop", detail=f"-> {safe_name(real)}"
                )
                return
            visited.add(real)
            # sorted, so runs are reproducible whatever the file system returns
            for child in sorted(path.iterdir(), key=lambda p: p.name):
                wanted = (
                    not child.name.startswith(".")
                    if child.is_dir()
                    else is_article_candidate(child)
                )
                if wanted:
                    yield from _read_path(child, visited)
            return
        if not path.exists():
            yield InputProblem(input=name, reason="missing", detail="no such file")
            return
        # stat follows symlinks: a FIFO would block open() forever, /dev/zero never ends
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            yield InputProblem(input=name, reason="not-a-regular-file", detail="skipped")
            return
        lower = path.name.lower()
        if _is_jsonl(lower) and (info.st_size > MAX_BYTES or lower.endswith(".gz")):
            # a feed of many articles (a gzip one can unpack to any size): read line by
            # line, each line bounded, never whole
            yield from _stream_jsonl(path, name)
            return
        if info.st_size > MAX_BYTES:
            yield InputProblem(input=name, reason="too_large", detail=f"{info.st_size} bytes")
            return
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)  # the size may grow between stat and read
        if len(data) > MAX_BYTES:
            yield InputProblem(input=name, reason="too_large", detail="grew while read")
            return
    except OSError as err:
        yield InputProblem(input=name, reason="unreadable", detail=str(err))
        return
    yield from read_bytes(name, data)


def _is_jsonl(lower: str) -> bool:
    stem = lower[:-3] if lower.endswith(".gz") else lower
    return Path(stem).suffix in _JSONL_EXT


def _stream_jsonl(path: Path, name: str) -> Iterator[RawDocument | InputProblem]:
    """The articles of a JSONL file too large to read whole (plain or gzip), line by line.

    Memory stays bounded: a line over MAX_BYTES is reported and skipped without being kept.
    """
    import gzip

    from storyline.io.readers.containers import jsonl_line_bytes

    opener = gzip.open if path.name.lower().endswith(".gz") else open
    number = 0
    try:
        with opener(path, "rb") as handle:
            while line := handle.readline(MAX_BYTES + 1):
                number += 1
                if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                    line = line[3:]
                if len(line) > MAX_BYTES and not line.endswith(b"\n"):
                    while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                        pass  # the rest of an oversized line, dropped as it is read
                    yield InputProblem(
                        input=f"{name}#L{number}", reason="too_large", detail="line over limit"
                    )
                    continue
                yield from jsonl_line_bytes(f"{name}#L{number}", line)
    except (OSError, EOFError, zlib.error) as err:
        yield InputProblem(input=f"{name}#L{number + 1}", reason="gzip", detail=str(err))


def _gunzip(data: bytes) -> bytes:
    """Decompress gzip data, at most MAX_BYTES + 1 bytes (a bomb stops there)."""
    decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    out = decompressor.decompress(data, MAX_BYTES + 1)
    # concatenated gzip members (as `cat a.gz b.gz`) are one valid stream for gzip(1)
    while decompressor.unused_data and len(out) <= MAX_BYTES:
        rest = decompressor.unused_data
        decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        out += decompressor.decompress(rest, MAX_BYTES + 1 - len(out))
    if not decompressor.eof and len(out) <= MAX_BYTES:
        raise EOFError("truncated gzip stream")
    return out


def read_bytes(name: str, data: bytes) -> Iterator[RawDocument | InputProblem]:
    """Sniff the format of one file's bytes and yield what it holds."""
    lower = name.lower()
    if not data.strip():
        yield InputProblem(input=name, reason="empty", detail="no content")
        return
    if data.startswith(_GZIP_MAGIC):
        # WARC files are gzipped per record; warcio reads them directly.
        if ".warc" in lower or ".arc" in lower:
            yield from read_warc(name, data)
            return
        try:
            inner = _gunzip(data)
        except (OSError, EOFError, zlib.error) as err:
            yield InputProblem(input=name, reason="gzip", detail=str(err))
            return
        if len(inner) > MAX_BYTES:
            yield InputProblem(input=name, reason="too_large", detail="decompressed over limit")
            return
        inner_name = name[:-3] if lower.endswith(".gz") else name
        if inner.startswith(_GZIP_MAGIC):
            yield InputProblem(input=name, reason="gzip", detail="nested gzip")
            return
        yield from _read_plain(name, inner_name.lower(), inner)
        return
    yield from _read_plain(name, lower, data)


def _read_plain(name: str, lower: str, data: bytes) -> Iterator[RawDocument | InputProblem]:
    """Yield the documents of uncompressed bytes, by extension first, then content."""
    suffix = Path(lower).suffix
    if suffix in _WARC_EXT or data.startswith(b"WARC/"):
        yield from read_warc(name, data)
        return
    if suffix in _JSONL_EXT:
        # one bad line (a NUL, a latin-1 title) must not refuse the other records
        yield from read_jsonl_bytes(name, data)
        return
    decoded = decode_bytes(data)
    if decoded.text is None:
        yield InputProblem(input=name, reason=decoded.reason, detail=decoded.detail)
        return
    if decoded.note:
        # the text is kept; the warning says which file to look at
        yield InputProblem(input=name, reason="decode-fallback", detail=decoded.note)
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        yield InputProblem(input=name, reason="empty", detail="only whitespace")
        return
    head = text[:2000]
    if suffix in _JSONL_EXT or (suffix == ".json" and head.lstrip().startswith("{")):
        yield from read_jsonl(name, text)
    elif suffix in _FEED_EXT or _FEED_ROOT.match(head):
        yield from read_feed(name, text)
    elif suffix in _HTML_EXT or _HTML_START.match(head) or (suffix != ".txt" and is_markup(head)):
        yield RawDocument(input=name, content=text, fmt="html")
    else:
        yield RawDocument(input=name, content=text, fmt="text")
