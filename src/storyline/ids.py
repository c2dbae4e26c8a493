"""Content-addressed ids: one place, so the same content always gets the same id."""

from __future__ import annotations

import hashlib
import unicodedata


def digest(*parts: str, size: int = 8) -> str:
    """Hex blake2b digest of the parts (separated so ("ab","c") != ("a","bc"))."""
    h = hashlib.blake2b(digest_size=size)
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


def normalise_for_id(text: str) -> str:
    """Whitespace- and Unicode-normalised text, so cosmetic changes keep the id."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def article_id(text: str) -> str:
    """Id of an article: a hash of its cleaned body text."""
    return "a" + digest(normalise_for_id(text), size=7)


def item_id(prefix: str, article: str, start: int, end: int, *extra: str) -> str:
    """Id of an item extracted from an article at a span (quote, claim, event ...)."""
    return prefix + digest(article, str(start), str(end), *extra, size=6)


def group_id(prefix: str, members: list[str] | tuple[str, ...]) -> str:
    """Id of a group (story, entity, claim group) from its sorted member ids."""
    return prefix + digest(*sorted(members), size=6)
