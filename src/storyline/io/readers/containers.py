"""Container formats holding many articles: JSONL, WARC and RSS/Atom feeds."""

from __future__ import annotations

import codecs
import io
import json
import re
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from typing import Any

from lxml import etree

from storyline.io.readers.decode import decode_bytes
from storyline.model import InputProblem, RawDocument

# An HTML fragment is recognised by a tag: feeds and JSONL mix plain text and markup.
_TAG = re.compile(
    r"<(?:p|div|br|span|a|img|h[1-6]|ul|ol|li|figure|article|section|html|body|table|strong|em|b|i)\b",
    re.I,
)


def is_markup(text: str) -> bool:
    """True when a string carries HTML markup rather than plain text."""
    return _TAG.search(text[:5000]) is not None


# Lone UTF-16 surrogates: JSON may spell them ("\\ud800") but no UTF-8 writer accepts them.
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _str_or_none(value: Any) -> str | None:
    """A non-empty string field of a JSON record (lone surrogates replaced), else None."""
    if not isinstance(value, str):
        return None
    return _LONE_SURROGATE.sub("\ufffd", value).strip() or None


def read_jsonl_bytes(name: str, data: bytes) -> Iterator[RawDocument | InputProblem]:
    """JSONL bytes decoded line by line: a line's bad bytes spoil only that line."""
    lines = data.split(b"\n")
    if lines and lines[0].startswith(codecs.BOM_UTF8):
        lines[0] = lines[0][len(codecs.BOM_UTF8) :]
    for number, raw in enumerate(lines, start=1):
        yield from jsonl_line_bytes(f"{name}#L{number}", raw)


def jsonl_line_bytes(where: str, raw: bytes) -> Iterator[RawDocument | InputProblem]:
    """The article of one JSONL line's bytes (a NUL or bad bytes spoil only this line)."""
    if not raw.strip():
        return
    if b"\x00" in raw:
        yield InputProblem(input=where, reason="binary", detail="NUL byte")
        return
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        line = raw.decode("cp1252", errors="replace")
    yield from _jsonl_line(where, line.rstrip("\r\n"))


def read_jsonl(name: str, text: str) -> Iterator[RawDocument | InputProblem]:
    """One article per JSON line (url, html or text, published, outlet, title)."""
    for number, line in enumerate(text.splitlines(), start=1):
        yield from _jsonl_line(f"{name}#L{number}", line)


def _jsonl_line(where: str, line: str) -> Iterator[RawDocument | InputProblem]:
    """The article of one JSON line, or why there is none."""
    if not line.strip():
        return  # blank lines are layout, not records
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        yield InputProblem(input=where, reason="json", detail=err.msg)
        return
    except RecursionError:
        # a line nested 100,000 deep is an attack, not a record
        yield InputProblem(input=where, reason="json", detail="nested too deep")
        return
    if not isinstance(record, dict):
        yield InputProblem(input=where, reason="json", detail="a line is not a JSON object")
        return
    html, plain = _str_or_none(record.get("html")), _str_or_none(record.get("text"))
    if html is None and plain is None:
        yield InputProblem(input=where, reason="no_content", detail="neither html nor text")
        return
    yield RawDocument(
        input=where,
        content=html if html is not None else plain or "",
        fmt="html" if html is not None else "text",
        url=_str_or_none(record.get("url")),
        published=_str_or_none(record.get("published")),
        outlet=_str_or_none(record.get("outlet")),
        title=_str_or_none(record.get("title")),
    )


def read_warc(name: str, data: bytes) -> Iterator[RawDocument | InputProblem]:
    """HTML response records of a WARC file (plain or per-record gzip)."""
    from warcio.archiveiterator import ArchiveIterator  # lazy: only WARC inputs need it

    found = 0
    try:
        for index, record in enumerate(ArchiveIterator(io.BytesIO(data))):
            if record.rec_type != "response" or record.http_headers is None:
                continue  # requests, metadata, warcinfo carry no article
            ctype = record.http_headers.get_header("Content-Type") or ""
            if "html" not in ctype.lower():
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            where = f"{name}#{url or index}"
            charset = re.search(r"charset=([\w.:-]+)", ctype, re.I)
            content = record.content_stream().read()
            found += 1
            # warcio hands back what is there: bytes still owed by the record's
            # Content-Length mean the file was cut inside it (a half article is no article)
            if getattr(record.raw_stream, "limit", 0):
                yield InputProblem(input=where, reason="truncated", detail="record cut short")
                continue
            decoded = decode_bytes(content, hint=charset.group(1) if charset else None)
            if decoded.text is None:
                yield InputProblem(input=where, reason=decoded.reason, detail=decoded.detail)
                continue
            # WARC-Date is the crawl time, not the publication date, so it is not passed on.
            yield RawDocument(input=where, content=decoded.text, fmt="html", url=url)
    except Exception as err:  # warcio raises many types on truncated archives
        # a file cut inside a record header makes warcio fail with AttributeError & co.
        reason = "truncated" if isinstance(err, (AttributeError, EOFError)) else "bad-warc"
        yield InputProblem(input=name, reason=reason, detail=f"{type(err).__name__}: {err}")
        return
    if found == 0:
        yield InputProblem(input=name, reason="no_content", detail="no HTML response records")


def _feed_date(value: str | None) -> str | None:
    """RFC 822 (RSS) or ISO 8601 (Atom) date -> 'YYYY-MM-DD', else None."""
    if not value:
        return None
    value = value.strip()
    iso = re.match(r"(\d{4}-\d{2}-\d{2})", value)
    if iso:
        return iso.group(1)
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _child_text(item: etree._Element, *names: str) -> str | None:
    """Text of the first child whose local name is in names (namespace-agnostic)."""
    for name in names:
        for child in item:
            if isinstance(child.tag, str) and etree.QName(child).localname == name:
                text = "".join(child.itertext()).strip()
                if name == "link" and not text:
                    text = child.get("href", "")  # Atom links live in an attribute
                if text:
                    return text
    return None


def read_feed(name: str, text: str) -> Iterator[RawDocument | InputProblem]:
    """Items of an RSS 2.0, RSS 1.0 (RDF) or Atom feed that carry content."""
    # no_network/resolve_entities off: a feed must never make us fetch or expand anything.
    parser = etree.XMLParser(recover=True, no_network=True, resolve_entities=False, huge_tree=False)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as err:
        yield InputProblem(input=name, reason="feed", detail=str(err))
        return
    if root is None:
        yield InputProblem(input=name, reason="feed", detail="no XML root")
        return
    channel_title = None
    for element in root.iter():
        if isinstance(element.tag, str) and etree.QName(element).localname in ("channel", "feed"):
            channel_title = _child_text(element, "title")
            break
    items = [
        el
        for el in root.iter()
        if isinstance(el.tag, str) and etree.QName(el).localname in ("item", "entry")
    ]
    if not items:
        yield InputProblem(input=name, reason="no_content", detail="feed without items")
        return
    for index, item in enumerate(items, start=1):
        where = f"{name}#item{index}"
        # content:encoded / Atom content is the full article; description/summary a teaser.
        body = _child_text(item, "encoded", "content", "description", "summary")
        if not body:
            yield InputProblem(input=where, reason="no_content", detail="item without content")
            continue
        yield RawDocument(
            input=where,
            content=body,
            fmt="html" if is_markup(body) else "text",
            url=_child_text(item, "link"),
            published=_feed_date(_child_text(item, "pubDate", "published", "date", "updated")),
            outlet=channel_title,
            title=_child_text(item, "title"),
        )
