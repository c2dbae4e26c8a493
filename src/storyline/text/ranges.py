"""Character ranges of one text, merged, and asked about by bisection.

Stages ask "is this position inside a quotation?" or "how much of this sentence do the
claims cover?" once per cue or sentence; a scan of every range each time is quadratic in
the length of an article, which a long transcript makes minutes.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable


class Ranges:
    """``[start, end)`` ranges merged into disjoint ones, in order."""

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        merged: list[tuple[int, int]] = []
        for start, end in sorted(r for r in ranges if r[1] > r[0]):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        self.merged = merged
        self.starts = [start for start, _ in merged]

    def contains(self, pos: int) -> bool:
        """Whether ``pos`` lies in one of the ranges."""
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.merged[i][1]

    def share(self, start: int, end: int) -> float:
        """Share of ``[start, end)`` the ranges cover."""
        i = max(0, bisect.bisect_right(self.starts, start) - 1)
        covered = 0
        for r_start, r_end in self.merged[i:]:
            if r_start >= end:
                break
            covered += max(0, min(r_end, end) - max(r_start, start))
        return covered / max(1, end - start)
