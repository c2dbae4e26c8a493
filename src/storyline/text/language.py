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

# Too few letters and any guess is noise (a credit line, a number, an acronym).
_MIN_LETTERS = 12
_LETTER = re.compile(r"[^\W\d_]")


class BlockLanguage:
    """Detects the language of short texts; build once (see ``detector``) and share."""

    def __init__(self, languages: tuple[str, ...] = NEWS_LANGUAGES) -> None:
        """Build a lingua detector over the given language names."""
        chosen = [getattr(Language, name) for name in languages]
        self._detector: LanguageDetector = LanguageDetectorBuilder.from_languages(*chosen).build()

    def detect(self, text: str) -> str | None:
        """ISO 639-1 code of the text's language, or None when too short to say."""
        if len(_LETTER.findall(text[:2000])) < _MIN_LETTERS:
            return None
        if plainly_english(text[:2000]):
            return "en"
        found = self._detector.detect_language_of(text[:2000])
        return None if found is None else str(found.iso_code_639_1.name).lower()


def plainly_english(text: str) -> bool:
    """True for ASCII prose of enough words where English-only function words abound."""
    if not text.isascii():
        return False
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < _ENGLISH_MIN_WORDS:
        return False
    return sum(w in _ENGLISH_MARKERS for w in words) >= _ENGLISH_SHARE * len(words)


@functools.cache
def detector() -> BlockLanguage:
    """The process-wide detector (built on first use: lingua models load lazily)."""
    return BlockLanguage()
