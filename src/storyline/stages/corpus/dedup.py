"""Syndication and near-duplicate groups: copies of one text count as one source.

Word 5-gram shingles catch a wire story reprinted with a new headline, a cut
paragraph or a site footer: the shared run of text is long even where the copies
differ. Containment (not only Jaccard) catches a shortened copy.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

from storyline.model import Article

_WORD = re.compile(r"\w+", re.UNICODE)
SHINGLE = 5
MIN_OVERLAP = 0.5


def shingles(text: str, size: int = SHINGLE) -> frozenset[int]:
    """Hashed word n-grams of a text."""
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < size:
        return frozenset({_stable_hash(" ".join(words))}) if words else frozenset()
    return frozenset(
        _stable_hash(" ".join(words[i : i + size])) for i in range(len(words) - size + 1)
    )


def _stable_hash(text: str) -> int:
    """A hash that is the same in every process (Python's hash() is salted per process)."""
    return zlib.crc32(text.encode("utf-8"))


def overlap(a: frozenset[int], b: frozenset[int]) -> float:
    """Containment of the smaller set in the larger one."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def syndication_groups(
    articles: Sequence[Article], threshold: float = MIN_OVERLAP
) -> tuple[tuple[str, ...], ...]:
    """Groups (sorted ids, sorted groups) of articles whose texts are copies of each other."""
    texts = {a.id: a.text for a in articles}  # an id given twice: its last text, as before
    parent = {a.id: a.id for a in articles}
    # shingled when first compared: a story of one article (most of them) compares nothing,
    # and reprints already grouped are not compared again
    sets: dict[str, frozenset[int]] = {}

    def shingled(article_id: str) -> frozenset[int]:
        found = sets.get(article_id)
        if found is None:
            found = sets[article_id] = shingles(texts[article_id])
        return found

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    ids = sorted(texts)
    for i, first in enumerate(ids):
        for second in ids[i + 1 :]:
            if find(first) == find(second):
                continue  # already one group (a story's reprints): the test could add nothing
            if overlap(shingled(first), shingled(second)) >= threshold:
                parent[find(second)] = find(first)
    groups: dict[str, list[str]] = {}
    for article_id in ids:
        groups.setdefault(find(article_id), []).append(article_id)
    return tuple(sorted(tuple(sorted(g)) for g in groups.values()))
