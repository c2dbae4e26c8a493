"""Bytes -> text: BOMs, declared charsets, UTF-8, then a cp1252 fallback; junk is refused."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

# A NUL byte never occurs in real text or HTML; it is the cheapest sign of a binary file.
_NUL = b"\x00"
# Control characters other than tab/newline/carriage return/form feed: a few are tolerated
# (scrapers leave stray ones), a high share means the bytes are not text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_MAX_CONTROL_SHARE = 0.01
# Charset declarations in HTML <meta> or an XML declaration, looked for in the first bytes
# only: a declaration later in the file cannot change how the head was written.
_DECLARED = re.compile(
    rb"""(?:<meta[^>]{0,200}?charset\s*=\s*["']?|<\?xml[^>]{0,100}?encoding\s*=\s*["'])\s*([A-Za-z0-9_.:-]{2,40})""",
    re.IGNORECASE,
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text and the encoding that produced it, or the reason it failed."""

    text: str | None
    encoding: str | None
    reason: str = ""
    detail: str = ""
    note: str = ""  # a warning when the text decoded, but not cleanly (per-line fallback)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML/XML head declares, if Python knows it."""
    match = _DECLARED.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace").lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def looks_binary(text: str) -> bool:
    """True when decoded text is dominated by control characters (not a human document)."""
    sample = text[:20000]
    if not sample:
        return False
    return len(_CONTROL.findall(sample)) / len(sample) > _MAX_CONTROL_SHARE


def decode_bytes(data: bytes, *, hint: str | None = None) -> Decoded:
    """Decode bytes trying BOM, UTF-8, the declared/hinted charset and cp1252, in that order."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data[len(bom) :].decode(encoding), encoding)
            except UnicodeDecodeError as err:
                return Decoded(None, None, "decode", f"{encoding} BOM but {err.reason}")
    # NUL bytes without a UTF-16/32 BOM: an image, archive or executable, not text.
    if _NUL in data[:8192]:
        return Decoded(None, None, "binary", "NUL bytes in the first 8 KB")
    # UTF-8 first: a strict UTF-8 decode that succeeds is almost never wrong, while pages
    # often declare latin-1 and are really UTF-8.
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    candidates = [c for c in (hint, declared_charset(data)) if c]
    mixed = _per_line(data)
    if mixed is not None:
        return mixed
    if _mostly_utf8(data):
        # a UTF-8 page with a few corrupt bytes (a truncated copy, one bad paste) is still
        # UTF-8: any single-byte guess would garble every other non-ASCII letter
        return _checked(data.decode("utf-8", errors="replace"), "utf-8")
    # cp1252 is the usual undeclared legacy encoding of Western pages (and a superset of
    # the latin-1 printable range browsers use for "iso-8859-1").
    candidates.append("cp1252")
    for encoding in candidates:
        try:
            return _checked(data.decode(encoding), encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return Decoded(None, None, "decode", f"not decodable as {', '.join(candidates)}")


# Valid multi-byte UTF-8 sequences; legacy single-byte text almost never forms them.
_UTF8_MULTI = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_HIGH = re.compile(rb"[\x80-\xff]")


def _mostly_utf8(data: bytes) -> bool:
    """True when nearly all non-ASCII bytes form valid UTF-8 sequences."""
    multi = _UTF8_MULTI.findall(data)
    valid_bytes = sum(len(m) for m in multi)
    high = len(_HIGH.findall(data))
    return valid_bytes >= 20 and high - valid_bytes <= 0.02 * high


def _per_line(data: bytes) -> Decoded | None:
    """UTF-8 lines mixed with legacy lines (a pasted latin-1 quote, a few corrupt bytes).

    Each line is decoded on its own: strict UTF-8, else UTF-8 with replacement when the line
    is itself mostly UTF-8, else cp1252. A whole-file guess would garble one kind or the other.
    None when no line is genuine multi-byte UTF-8 (then the file is legacy throughout).
    """
    lines = data.split(b"\n")
    out: list[str] = []
    utf8_lines = 0
    fallback = 0
    for line in lines:
        try:
            text = line.decode("utf-8")
            if _UTF8_MULTI.search(line):
                utf8_lines += 1
        except UnicodeDecodeError:
            fallback += 1
            text = (
                line.decode("utf-8", errors="replace")
                if _mostly_utf8_line(line)
                else line.decode("cp1252", errors="replace")
            )
        out.append(text)
    if utf8_lines == 0 or fallback == 0:
        return None
    decoded = _checked("\n".join(out), "utf-8")
    if decoded.text is None:
        return decoded
    note = f"{fallback} of {len(lines)} lines were not valid UTF-8 (decoded line by line)"
    return Decoded(decoded.text, "utf-8", note=note)


def _mostly_utf8_line(line: bytes) -> bool:
    """One line whose non-ASCII bytes are mostly valid UTF-8 (a few corrupt bytes)."""
    valid = sum(len(m) for m in _UTF8_MULTI.findall(line))
    high = len(_HIGH.findall(line))
    return valid > 0 and high - valid <= max(1, high // 4)


def _checked(text: str, encoding: str) -> Decoded:
    """Refuse decoded text that is still mostly control characters."""
    if looks_binary(text):
        return Decoded(None, None, "binary", "too many control characters")
    return Decoded(text, encoding)
