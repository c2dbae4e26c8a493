"""Language identification of blocks (a Ukrainian caption inside an English article)."""

from __future__ import annotations

import functools
import re

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

# A restricted set: lingua is most accurate on short captions when it only weighs languages
# that news inputs really use, and loading every model costs seconds and a gigabyte.
NEWS_LANGUAGES: tuple[str, ...] = (
    "ENGLISH", "UKRAINIAN", "RUSSIAN", "GERMAN", "FRENCH", "SPANISH", "ITALIAN", "PORTUGUESE",
    "DUTCH", "POLISH", "TURKISH", "ARABIC", "HEBREW", "CHINESE", "JAPANESE", "KOREAN",
)  # fmt: skip

# English prose: these words (none of them common in another language of NEWS_LANGUAGES:
# "to", "is", "of", "a", "on" are left out for Polish, Dutch, French ...) make up well over
# a tenth of its words. A block that plain is English without asking lingua, which costs
# milliseconds a block and dominated cleaning time.
_ENGLISH_MARKERS = frozenset(
    {"the", "and", "that", "with", "was", "were", "said", "from", "have", "has", "which", "this"}
)
_ENGLISH_SHARE = 0.10
_ENGLISH_MIN_WORDS = 20
_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")

# A second, wider test for English prose the first misses (a paragraph of names and
# figures, a shorter one): more English-only function words ("by", "he", "but", "will",
# "also", "over", "as", "at", "we", "not", "her" are left out: Polish, Spanish, French,
# German, Dutch, Portuguese, Turkish use them), at least _WIDE_MIN_DISTINCT different ones
# (one repeated "and" or "the" in a list of names is no proof) over at least
# _WIDE_MIN_WORDS words. Measured with bench/language_identity.py (stop 21) on every real
# text of ../shared/eval and the 1k bench corpus: every block it takes lingua also calls
# English. Looser settings let a block through that lingua labels otherwise: 3 distinct
# words a German-labelled one, 8 words a German-labelled line; 12 words was still clean,
# 15 is kept for margin.
_WIDE_MARKERS = _ENGLISH_MARKERS | frozenset(
    {
        "for", "are", "his", "him", "she", "they", "them", "their", "been", "had", "would",
        "could", "should", "about", "there", "than", "what", "when", "who", "its", "it", "be",
        "you", "our", "out", "into", "says", "told", "because", "these", "those", "while",
        "did", "does", "some", "other", "being",
    }
)  # fmt: skip
_WIDE_MIN_WORDS = 15
_WIDE_MIN_DISTINCT = 4

# Typographic punctuation (curly quotes and apostrophes, dashes, an ellipsis, a no-break
# space) is no letter of any language, yet it made every paragraph of a typeset English
# article fail the ASCII test and cost a lingua call: half the blocks that reached lingua in
# the 1k bench corpus (bench/language_identity.py, stop 21). Read as their ASCII forms, with
# the curly apostrophe as ' so "don’t" is one word as "don't" is. Letters with diacritics
# are not here: they still send a block to lingua.
_TYPOGRAPHIC = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-",
        "\u2026": "...", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": "",
    }
)  # fmt: skip

# Too few letters and any guess is noise (a credit line, a number, an acronym).
_MIN_LETTERS = 12
_LETTER = re.compile(r"[^\W\d_]")
# Matches when a text holds at least _MIN_LETTERS letters, and stops at the twelfth instead
# of listing every letter of a 2,000-character paragraph.
_ENOUGH_LETTERS = re.compile(rf"[^\W\d_](?:[\W\d_]*[^\W\d_]){{{_MIN_LETTERS - 1}}}")

# lingua's low-accuracy mode weighs only trigrams: about 4.7x less CPU a call, and on a
# paragraph it answers as the full mode does; on a short line (a dateline, a caption, a
# credit) it errs more, so only texts of at least this many characters take it. Measured on
# the non-English blocks of the cross-lingual same-story pairs: of 2,436 blocks, the two
# modes differ on 51, every one under 120 characters (bench/language_identity.py checks
# every real text of ../shared/eval against the full mode).
_FAST_CHARS = 200

# Blocks repeat across articles (credit lines, chrome, a syndicated paragraph): a memo of the
# answers for the last texts seen. lingua is deterministic, so the memo changes no answer.
# Bounded: at most 4,096 texts of at most 2,000 characters, some 8 MB.
_MEMO_SIZE = 4096


class BlockLanguage:
    """Detects the language of short texts; build once (see ``detector``) and share."""

    def __init__(self, languages: tuple[str, ...] = NEWS_LANGUAGES) -> None:
        """Build a lingua detector over the given language names."""
        chosen = [getattr(Language, name) for name in languages]
        self._detector: LanguageDetector = LanguageDetectorBuilder.from_languages(*chosen).build()
        self._fast: LanguageDetector = (
            LanguageDetectorBuilder.from_languages(*chosen).with_low_accuracy_mode().build()
        )
        self._memo = functools.lru_cache(maxsize=_MEMO_SIZE)(self._identify)

    def detect(self, text: str) -> str | None:
        """ISO 639-1 code of the text's language, or None when too short to say."""
        return self._memo(text[:2000])

    def _identify(self, text: str) -> str | None:
        if _ENOUGH_LETTERS.search(text) is None:
            return None
        if plainly_english(text):
            return "en"
        detector = self._fast if len(text) >= _FAST_CHARS else self._detector
        found = detector.detect_language_of(text)
        return None if found is None else str(found.iso_code_639_1.name).lower()


def plainly_english(text: str) -> bool:
    """True for ASCII prose of enough words where English-only function words abound.

    Typographic punctuation counts as its ASCII form (see ``_TYPOGRAPHIC``); either the
    narrow marker test or the wide one (``_WIDE_MARKERS``) suffices.
    """
    if not text.isascii():
        text = text.translate(_TYPOGRAPHIC)
        if not text.isascii():
            return False
    words = _WORD.findall(text)
    if len(words) < _WIDE_MIN_WORDS:
        return False
    lowered = list(map(str.lower, words))
    share = _ENGLISH_SHARE * len(words)
    if (
        len(words) >= _ENGLISH_MIN_WORDS
        and sum(map(_ENGLISH_MARKERS.__contains__, lowered)) >= share
    ):
        return True
    wide = [w for w in lowered if w in _WIDE_MARKERS]
    return len(wide) >= share and len(set(wide)) >= _WIDE_MIN_DISTINCT


@functools.cache
def detector() -> BlockLanguage:
    """The process-wide detector (built on first use: lingua models load lazily)."""
    return BlockLanguage()
