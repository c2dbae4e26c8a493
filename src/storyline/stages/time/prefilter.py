"""Where in a text each rule of the time tagger can start: one scan instead of one per rule.

Scanning each of the tagger's rule regexes over a whole article tries every rule at every
character (Python's ``re`` has no prefix optimisation for a pattern that opens with ``\\b``
or an optional group), which cost about 8 ms of CPU per text of ../shared/eval (stop 21).
Nearly all of those attempts fail at the first word.

So each rule's regex is read (its parse tree, ``re._parser``) for the strings a match can
begin with: up to ``PrefilterConfig.width`` characters, lower-cased, every decimal digit
read as ``0`` and every space as `` ``. One combined scan over the text finds the positions
where any rule's beginning occurs, a table says which rules, and only those rules are tried,
with ``pattern.match(text, pos)`` at exactly those positions, in order, skipping positions
inside the rule's previous match: the same matches ``pattern.finditer(text)`` returns, since
a match can begin nowhere else (``match`` at ``pos`` sees the text before it, so ``\\b`` and
look-behinds judge as in a scan).

The derivation is conservative: where it cannot bound a rule's beginning (a class it does
not enumerate, a back-reference) that rule's set holds ``""`` and the rule is scanned whole,
as before. Texts with a character that ``re``'s case-insensitive matching equates with a
letter of the beginnings although ``str.lower`` does not (the dotless ``ı`` matches ``i``,
the long ``ſ`` matches ``s``), with a non-ASCII decimal digit or with ``İ`` (whose
``lower()`` is two characters) are scanned whole too.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

# the parser behind re.compile (private, untyped: its parse tree is read as Any)
sre: Any = importlib.import_module("re._parser")

_SPACE = " "
_DIGIT = "0"


@dataclass(frozen=True, slots=True)
class PrefilterConfig:
    """How far into each rule the beginnings are read.

    ``width`` 5: long enough that "the " or "a " is a beginning of its own (no candidate
    inside "then" or "data") and few positions are tried in vain. Measured over every text
    of ../shared/eval (stop 21, ms CPU per text of ``tag_times``): width 3 1.34, 4 1.12,
    5 0.93-1.01, 6 0.84 but its 2,675 beginnings take 0.33 s to derive and compile at
    import (width 5: 0.16 s), 8 2.90 (five rules over ``max_strings``, scanned whole).
    """

    width: int = 5
    max_strings: int = 5000  # a rule with more beginnings than this is scanned whole


CONFIG = PrefilterConfig()

# Characters ``re`` matches case-insensitively to another letter although ``str.lower`` maps
# them elsewhere (``re._casefix._EXTRA_CASES`` for Latin and Cyrillic), and ``İ``, whose
# lower case is two characters long: a text holding one is scanned whole.
_ODD_CASE = "\u0130\u0131\u017f\u1c80\u1c81\u1c82\u1c83\u1c84\u1c85\u1c86\u1c87\u00b5\u03bc"
_ODD = re.compile(rf"[{_ODD_CASE}]|(?![0-9])\d")
# Every space ``\s`` matches is below U+3001 (U+3000 is the last); the test checks it.
_NORMALISE = {c: _SPACE for c in range(0x3001) if chr(c).isspace()} | dict.fromkeys(
    range(ord("0"), ord("9") + 1), _DIGIT
)

_Items = Sequence[tuple[Any, Any]]


def _norm_char(ch: str) -> str:
    return ch.lower().translate(_NORMALISE)


class _Unbounded(Exception):
    """The beginnings of a pattern could not be bounded: scan it whole."""


def _class_chars(items: list[tuple[Any, Any]]) -> set[str] | None:
    """The normalised characters of a character class, or None if it is not a short list."""
    out: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            out.add(_norm_char(chr(av)))
        elif op is sre.RANGE:
            lo, hi = av
            if hi - lo > 40:
                return None
            out.update(_norm_char(chr(c)) for c in range(lo, hi + 1))
        elif op is sre.CATEGORY and av is sre.CATEGORY_DIGIT:
            out.add(_DIGIT)  # every other decimal digit sends the text to a whole scan
        elif op is sre.CATEGORY and av is sre.CATEGORY_SPACE:
            out.add(_SPACE)
        else:
            return None  # \w, a negated class, ...: too many characters to list
    return out


def _beginnings(items: _Items, width: int, budget: list[int], depth: int = 0) -> set[str]:
    """Strings of at most ``width`` normalised characters, one of which begins every match.

    A string shorter than ``width`` means that the match goes on with something not
    listed (a ``\\w``, the pattern's end): it is a beginning of any continuation.
    """
    if width == 0 or not items:
        return {""}
    if depth > 60:
        raise _Unbounded
    op, av = items[0]
    rest = list(items[1:])
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return _beginnings(rest, width, budget, depth + 1)  # zero width: judged by the regex
    if op is sre.SUBPATTERN:
        return _beginnings(list(av[-1]) + rest, width, budget, depth + 1)
    if op is sre.ATOMIC_GROUP:
        return _beginnings(list(av) + rest, width, budget, depth + 1)
    if op is sre.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            out |= _beginnings(list(branch) + rest, width, budget, depth + 1)
        return _spend(out, budget)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        lo, hi, body = av
        if hi == 0:
            return _beginnings(rest, width, budget, depth + 1)
        again = [(op, (max(lo - 1, 0), hi if hi == sre.MAXREPEAT else hi - 1, body))]
        once = _beginnings(list(body) + again + rest, width, budget, depth + 1)
        if lo == 0:
            once |= _beginnings(rest, width, budget, depth + 1)
        return _spend(once, budget)
    if op is sre.LITERAL:
        chars: set[str] | None = {_norm_char(chr(av))}
    elif op is sre.IN:
        chars = _class_chars(list(av))
    else:
        chars = None  # any character, a back-reference, ...
    if chars is None:
        return {""}
    if any(len(c) != 1 for c in chars):
        raise _Unbounded
    tails = _beginnings(rest, width - 1, budget, depth + 1)
    return _spend({c + t for c in chars for t in tails}, budget)


def _spend(strings: set[str], budget: list[int]) -> set[str]:
    budget[0] -= len(strings)
    if budget[0] < 0:
        raise _Unbounded
    return strings


def beginnings(pattern: re.Pattern[str], config: PrefilterConfig = CONFIG) -> frozenset[str]:
    """The normalised strings one of which begins every match of ``pattern``.

    ``{""}`` when they cannot be bounded: the rule can begin anywhere.

    Example:
        >>> sorted(beginnings(re.compile(r"\\b(?:[Tt]he\\s+)?weekend"), PrefilterConfig(width=4)))
        ['the ', 'week']
    """
    budget = [config.max_strings * 4]
    try:
        found = _beginnings(list(sre.parse(pattern.pattern, pattern.flags)), config.width, budget)
    except _Unbounded:
        return frozenset({""})
    if len(found) > config.max_strings:
        return frozenset({""})
    # a beginning that another one begins with adds nothing: keep the shortest
    kept = {s for s in found if not any(s != t and s.startswith(t) for t in found)}
    return frozenset(kept)


class Prefilter:
    """The combined scan and the table of beginnings for a list of patterns."""

    def __init__(self, patterns: Sequence[re.Pattern[str]], config: PrefilterConfig = CONFIG):
        self.patterns = tuple(patterns)
        self.starts = tuple(beginnings(p, config) for p in self.patterns)
        # rules that can begin anywhere are scanned whole
        self.whole = tuple(i for i, s in enumerate(self.starts) if "" in s)
        table: dict[str, int] = {}
        for i, strings in enumerate(self.starts):
            if i in self.whole:
                continue
            for s in strings:
                table[s] = table.get(s, 0) | (1 << i)
        self.table = table
        self.lengths = tuple(sorted({len(s) for s in table}))
        self.width = max(self.lengths, default=0)
        # over the lower-cased text, so without IGNORECASE: a pattern that opens with a
        # choice of literals lets ``re`` skip in C to the characters that can begin one
        self.scan = re.compile(_trie(table)) if table else None
        self._known: dict[str, tuple[int, ...]] = {}  # memo: a text's key -> its patterns

    def candidates(self, text: str) -> list[list[int]] | None:
        """For each pattern the positions where it may begin, in order; None: scan all whole."""
        if self.scan is None or (not text.isascii() and _ODD.search(text)):
            return None
        found: list[list[int]] = [[] for _ in self.patterns]
        width, rules_of, known = self.width, self._rules_of, self._known
        if len(known) > 200_000:  # a bound on the memo over a long stream
            known.clear()
        low = text.lower()  # as long as the text: no İ here
        for m in self.scan.finditer(low):
            pos = m.start()
            key = low[pos : pos + width]
            rules = known.get(key)
            if rules is None:
                rules = known[key] = rules_of(key.translate(_NORMALISE))
            for i in rules:
                found[i].append(pos)
        return found

    def _rules_of(self, key: str) -> tuple[int, ...]:
        """The patterns one of whose beginnings ``key`` (``width`` characters) begins with."""
        mask = 0
        for n in self.lengths:
            mask |= self.table.get(key[:n], 0)
        return tuple(i for i in range(len(self.patterns)) if mask >> i & 1)

    def matches(
        self, text: str, *, skip: Sequence[bool] = (), whole: bool = False
    ) -> Iterator[tuple[int, re.Match[str]]]:
        """(pattern index, match) for every match ``finditer`` would give, pattern by pattern.

        ``skip[i]`` true leaves pattern ``i`` out; ``whole`` scans every pattern over the
        whole text (the reference the tests and bench/bench_time.py compare with).
        """
        found = None if whole else self.candidates(text)
        for i, pattern in enumerate(self.patterns):
            if i < len(skip) and skip[i]:
                continue
            if found is None or i in self.whole:
                yield from ((i, m) for m in pattern.finditer(text))
                continue
            end = 0
            for pos in found[i]:
                if pos < end:
                    continue
                hit = pattern.match(text, pos)
                if hit is None:
                    continue
                if hit.end() == pos:  # an empty match: finditer's stepping rule applies
                    yield from ((i, m) for m in pattern.finditer(text, pos))
                    break
                yield i, hit
                end = hit.end()


def _trie(strings: Iterable[str]) -> str:
    """A regex over lower-cased text that matches the first character of any of ``strings``
    where the whole string follows (one character consumed, so ``finditer`` reports every
    position); a ``0`` of a string is any digit, its space any space.

    Each choice at the top opens with a literal character (a digit spelled out as ten), so
    ``re`` skips in C over the characters that begin nothing."""
    root: dict[str, Any] = {}
    for s in strings:
        node = root
        for ch in s:
            node = node.setdefault(ch, {})
        node[""] = {}  # a string ends here: what follows it need not be scanned for

    def char(ch: str) -> str:
        return r"\d" if ch == _DIGIT else r"\s" if ch == _SPACE else re.escape(ch)

    def emit(node: dict[str, Any]) -> str:
        if not node or "" in node:
            return ""
        parts = [char(ch) + emit(child) for ch, child in sorted(node.items())]
        return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"

    tops: list[str] = []
    for ch, child in sorted(root.items()):
        rest = emit(child)
        for first in "0123456789" if ch == _DIGIT else [ch]:
            tops.append(re.escape(first) + (f"(?={rest})" if rest else ""))
    return "|".join(tops)
