"""The short-cuts in front of lingua: each answers as lingua would, or leaves the text to it.

Examples written for these tests (no corpus text). bench/language_identity.py checks the
same on every real text of ../shared/eval and a bench corpus.
"""

from __future__ import annotations

from typing import Any

import pytest

from storyline.text.language import (
    _ENGLISH_MARKERS,
    _ENOUGH_LETTERS,
    _LETTER,
    _MIN_LETTERS,
    _WORD,
    BlockLanguage,
    detector,
    plainly_english,
)

# Typeset English: curly quotes and apostrophes, an em dash, an ellipsis.
TYPESET = (
    "The mayor said on Monday that the “harbour plan” was approved — and that the "
    "council’s vote, which had been delayed twice, was final… Work will start in spring."
)
# French typeset with guillemets: the punctuation is read as ASCII, the accents are not.
FRENCH = (
    "Le maire a déclaré lundi que le « plan du port » était approuvé — et que le vote du "
    "conseil, deux fois reporté, était définitif… Les travaux commenceront au printemps."
)


@pytest.mark.parametrize(("text", "english"), [(TYPESET, True), (FRENCH, False)])
def test_typographic_punctuation_reads_as_ascii(text: str, english: bool) -> None:
    assert not text.isascii()
    assert plainly_english(text) is english
    assert detector().detect(text) == ("en" if english else "fr")


# English too thin in the narrow markers for the first test (names and figures), with four
# different words of the wide set ("for", "his", "been", "would").
WIDE = (
    "Governor Mills, 64, would run for Senate after his deputy Tom Reyes, "
    "long the favourite, has been ruled out by doctors in Boston."
)
# Fewer than 20 words, so only the wide test could take it: a list of names joined by one
# repeated "and" is no proof of English.
NAMES = (
    "Anna Kowalska and Piotr Nowak and Marta Wisniewska and Jan Zielinski and Ewa Lewandowska "
    "and Tomasz Wojcik"
)


def test_wide_english_test_takes_prose_the_narrow_one_misses() -> None:
    words = [w.lower() for w in _WORD.findall(WIDE)]
    narrow = sum(w in _ENGLISH_MARKERS for w in words)
    assert not (len(words) >= 20 and narrow >= 0.1 * len(words))  # the narrow test misses it
    assert plainly_english(WIDE)
    assert detector().detect(WIDE) == "en"


def test_wide_english_test_wants_several_different_words() -> None:
    assert NAMES.isascii() and 15 <= len(_WORD.findall(NAMES)) < 20
    assert not plainly_english(NAMES)


@pytest.mark.parametrize(
    ("text", "enough"),
    [
        ("abcdefghijkl", True),  # twelve letters
        ("ab-cd 12 ef.gh_ij ÄÖ", True),  # letters of any script count, separators do not
        ("abcdefghijk 123456789", False),  # eleven letters
        ("A.B. 1,234 -- C.", False),
    ],
)
def test_enough_letters_matches_counting_every_letter(text: str, enough: bool) -> None:
    assert (_ENOUGH_LETTERS.search(text) is not None) is enough
    assert (len(_LETTER.findall(text)) >= _MIN_LETTERS) is enough


class _Counting:
    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls = 0

    def detect_language_of(self, text: str) -> Any:
        self.calls += 1
        return self.inner.detect_language_of(text)


def test_memo_asks_lingua_once_per_text() -> None:
    found = BlockLanguage(("ENGLISH", "GERMAN", "DUTCH"))
    counting = _Counting(found._detector)
    found._detector = counting  # type: ignore[assignment]
    caption = "Reporting by staff of Harbour Post."
    assert found.detect(caption) == found.detect(caption)
    assert counting.calls == 1
    found.detect("Der Hafen wurde am Montag eröffnet.")  # another text: asked again
    assert counting.calls == 2
