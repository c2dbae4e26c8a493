"""Parsing by paragraph, each distinct paragraph once per process.

A news stream repeats itself: a wire story is reprinted by outlet after outlet, each copy
with its own chrome, a dropped last paragraph or an added credit line, so after cleaning
the copies are different articles that share most of their paragraphs (in the 10k bench
corpus, 60% of the characters of the stored articles are in a paragraph stored before).
Each paragraph (a line and the line breaks after it) is parsed on its own: storyline's
paragraph component starts a sentence at every line break anyway, so the parser never
joined sentences across one, and a paragraph's parse then depends on nothing outside it
(nor on what it was batched with), so a paragraph parsed before need not be parsed
again. Its token annotations are kept in a bounded per-process cache, as a compact array,
and set on a fresh tokenisation when it comes back; ``Doc.from_docs`` joins an article's
paragraphs, offsets those of the whole text.

The parse is the same whether a paragraph came from the cache or from the parser (a test
compares every token attribute), so what a build finds does not depend on the order
articles arrive in or on which worker parsed them.
"""

from __future__ import annotations

import functools
import re
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, TAG

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# What the pipeline's components set on a token, as ``Doc.to_array`` reads it (sentence
# starts follow from the heads; the tok2vec tensor is not kept: nothing reads it).
ATTRS = (TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE)
# One paragraph: a line and the line breaks after it, or the text's last line.
_PARAGRAPH = re.compile(r"[^\n]*\n+|[^\n]+$")


@dataclass(frozen=True, slots=True)
class ParseCacheConfig:
    """How much a process keeps of the paragraphs it parsed.

    ``max_tokens``: the tokens a worker keeps, least recently used dropped first. A token
    costs about 46 bytes here (its eight attributes as 4-byte codes, the paragraph's text,
    the entry), so the default holds about 46 MB: the paragraphs of a few thousand recent
    articles, where a stream's reprints fall.
    ``shared_tokens``: the same for the process that hands out a build's work
    (:class:`SharedParses`: what every worker parsed).
    ``max_paragraph``: characters; a longer paragraph is parsed in parts and not kept.
    """

    max_tokens: int = 1_000_000
    shared_tokens: int = 2_000_000
    max_paragraph: int = 100_000


def paragraphs(text: str) -> list[str]:
    """``text`` as its paragraphs (a line and the line breaks after it); they join to it."""
    return [m.group() for m in _PARAGRAPH.finditer(text)]


@dataclass(frozen=True, slots=True)
class ParagraphParses:
    """Paragraph parses as one process hands them to another: each paragraph's text and
    token count, their attributes (:data:`ATTRS`) in one array, and the strings behind the
    hashed values (a receiving process may never have seen a lemma or a morph)."""

    texts: tuple[str, ...]
    lengths: tuple[int, ...]
    values: np.ndarray  # (tokens, len(ATTRS)) uint64
    strings: dict[int, str]

    def __iter__(self) -> Iterator[tuple[str, np.ndarray]]:
        start = 0
        for text, length in zip(self.texts, self.lengths, strict=True):
            yield text, self.values[start : start + length]
            start += length


# The columns of ATTRS that hold string hashes (POS and ENT_IOB are small enums, HEAD offsets).
_HASHED = [i for i, attr in enumerate(ATTRS) if attr in (TAG, MORPH, LEMMA, DEP, ENT_TYPE)]


class _Codes:
    """The attribute values (64-bit hashes and offsets) a process has seen, as 4-byte codes."""

    def __init__(self) -> None:
        self._code: dict[int, int] = {}
        self.values = np.zeros(1024, dtype=np.uint64)

    def encode(self, array: np.ndarray) -> np.ndarray:
        unique, inverse = np.unique(array, return_inverse=True)
        codes = np.empty(len(unique), dtype=np.uint32)
        for i, value in enumerate(unique.tolist()):
            code = self._code.get(value)
            if code is None:
                code = self._code[value] = len(self._code)
                if code >= len(self.values):
                    self.values = np.concatenate([self.values, np.zeros_like(self.values)])
                self.values[code] = value
            codes[i] = code
        return codes[inverse.reshape(array.shape)]

    def decode(self, codes: np.ndarray) -> np.ndarray:
        decoded: np.ndarray = self.values[codes]
        return decoded


class _Kept:
    """Paragraph parses as codes, at most ``max_tokens`` tokens, least recently used
    dropped first."""

    def __init__(self, max_tokens: int) -> None:
        self.max_tokens = max_tokens
        self.codes: OrderedDict[str, np.ndarray] = OrderedDict()
        self.tokens = 0
        self._codes = _Codes()

    def __contains__(self, part: str) -> bool:
        return part in self.codes

    def add(self, part: str, values: np.ndarray) -> None:
        if part in self.codes:
            return
        self.codes[part] = self._codes.encode(values)
        self.tokens += len(values)
        while self.tokens > self.max_tokens and self.codes:
            _, dropped = self.codes.popitem(last=False)
            self.tokens -= len(dropped)

    def values(self, part: str) -> np.ndarray:
        self.codes.move_to_end(part)
        return self._codes.decode(self.codes[part])

    def export(self, parts: Iterable[str], string: Callable[[int], str]) -> ParagraphParses:
        """The kept ``parts`` as one process hands them to another."""
        texts = tuple(p for p in dict.fromkeys(parts) if p in self.codes)
        arrays = [self.values(p) for p in texts]
        values = np.concatenate(arrays) if arrays else np.zeros((0, len(ATTRS)), np.uint64)
        hashes = np.unique(values[:, _HASHED]).tolist()
        return ParagraphParses(
            texts, tuple(map(len, arrays)), values, {h: string(h) for h in hashes if h}
        )


class ParseCache:
    """The parses of the paragraphs a process has seen, least recently used dropped first."""

    def __init__(self, nlp: Language, config: ParseCacheConfig | None = None) -> None:
        self.nlp = nlp
        self.config = config or ParseCacheConfig()
        self._kept = _Kept(self.config.max_tokens)
        # a worker of a build hands on what it parses (take_fresh): noted only then, so a
        # process that never hands on holds no list of every paragraph it parsed
        self.hand_on = False
        self._fresh: list[str] = []
        self.hits = 0
        self.misses = 0

    def parse(self, texts: Sequence[str]) -> list[Doc]:
        """Each text's parse; the paragraphs not seen before are parsed together, in one
        ``nlp.pipe``."""
        split = [paragraphs(text) for text in texts]
        ready = self._paragraph_docs([p for parts in split for p in parts])
        return [self._join(text, parts, ready) for text, parts in zip(texts, split, strict=True)]

    def adopt(self, parses: ParagraphParses) -> None:
        """Keep paragraph parses another process made (its strings added to this vocab)."""
        for string in parses.strings.values():
            self.nlp.vocab.strings.add(string)
        for part, values in parses:
            self._kept.add(part, values)

    def take_fresh(self) -> ParagraphParses:
        """The paragraphs parsed here since the last call (those still kept), to hand on."""
        fresh, self._fresh = self._fresh, []
        return self._kept.export(fresh, self.nlp.vocab.strings.__getitem__)

    def _join(self, text: str, parts: list[str], ready: dict[str, Doc]) -> Doc:
        from spacy.tokens import Doc

        if not parts:  # the empty text
            return self.nlp(text)
        if len(parts) == 1:  # a paragraph may serve several texts: each gets its own
            return ready[parts[0]].copy()
        docs = [ready[p] for p in parts]
        # (``exclude`` is in spaCy 3.8's from_docs, not in its type stub)
        return Doc.from_docs(docs, ensure_whitespace=False, exclude=["tensor"])  # type: ignore[call-arg]

    def _paragraph_docs(self, parts: list[str]) -> dict[str, Doc]:
        """A parse of each distinct paragraph: those kept restored first (keeping the new
        ones may drop them), the others parsed together and kept."""
        distinct = list(dict.fromkeys(parts))
        ready = {p: self._restore(p) for p in distinct if p in self._kept}
        wanted = [p for p in distinct if p not in ready]
        self.hits += len(parts) - len(wanted)
        self.misses += len(wanted)
        short = [p for p in wanted if len(p) <= self.config.max_paragraph]
        fresh = dict(zip(short, self.nlp.pipe(short), strict=True))
        for part in wanted:
            doc = fresh.get(part)
            if doc is None:  # too long to parse in one call or to keep
                ready[part] = _parse_in_parts(self.nlp, part, self.config.max_paragraph)
                continue
            doc.tensor = np.zeros((0,), dtype=np.float32)  # as a restored one has
            self._kept.add(part, doc.to_array(list(ATTRS)))
            if self.hand_on:
                self._fresh.append(part)
            ready[part] = doc
        return ready

    def _restore(self, part: str) -> Doc:
        doc = self.nlp.make_doc(part)
        doc.from_array(list(ATTRS), self._kept.values(part))  # type: ignore[arg-type]
        return doc


class SharedParses:
    """What a build's workers parsed, kept by the process that hands out the work and sent
    with each batch whose articles hold a paragraph of it: a reprint's paragraphs are then
    parsed once in the whole build, whichever worker gets which copy (each worker's own
    cache alone sees only the copies that come to it)."""

    def __init__(self, config: ParseCacheConfig | None = None) -> None:
        self._kept = _Kept((config or ParseCacheConfig()).shared_tokens)
        self._strings: dict[int, str] = {}

    def add(self, parses: ParagraphParses) -> None:
        self._strings.update(parses.strings)
        for part, values in parses:
            self._kept.add(part, values)

    def known(self, texts: Iterable[str]) -> ParagraphParses | None:
        """The kept parses of the paragraphs of ``texts`` (None when there are none)."""
        parts = [p for text in texts for p in paragraphs(text) if p in self._kept]
        return self._kept.export(parts, self._strings.__getitem__) if parts else None


def _parse_in_parts(nlp: Language, text: str, max_part: int) -> Doc:
    """``nlp(text)`` in parts of at most ``max_part`` characters, joined by ``Doc.from_docs``
    (offsets those of the whole text). Parts end at a space where the text has one, so no
    word is cut; a paragraph this long is rare (a table or a feed dumped as one line)."""
    from spacy.tokens import Doc

    parts: list[str] = []
    start = 0
    while start < len(text):
        end = min(start + max_part, len(text))
        if end < len(text):
            cut = text.rfind(" ", start + max_part // 2, end)
            if cut > start:
                end = cut + 1
        parts.append(text[start:end])
        start = end
    # from_docs re-adds whitespace between docs unless told not to; parts keep their own
    docs = list(nlp.pipe(parts))
    return Doc.from_docs(docs, ensure_whitespace=False, exclude=["tensor"])  # type: ignore[call-arg]


_CACHES: weakref.WeakKeyDictionary[Language, ParseCache] = weakref.WeakKeyDictionary()


@functools.cache
def shared_parses() -> SharedParses:
    """This process's :class:`SharedParses` (what the workers it handed work to parsed)."""
    return SharedParses()


def parse_cache(nlp: Language) -> ParseCache:
    """This process's cache for the pipeline ``nlp`` (made on first use)."""
    cache = _CACHES.get(nlp)
    if cache is None:
        cache = _CACHES[nlp] = ParseCache(nlp)
    return cache
