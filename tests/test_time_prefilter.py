"""The time tagger's prefilter: one scan for where rules can begin, the same output as
scanning every rule over the whole text."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.model import DateValue
from storyline.stages.time import tagger
from storyline.stages.time.prefilter import (
    _NORMALISE,
    _ODD,
    _ODD_CASE,
    Prefilter,
    PrefilterConfig,
    beginnings,
)
from tests import test_timex

DAY = DateValue(start=date(2023, 8, 6), end=date(2023, 8, 6), precision="day", basis="test")
PATTERNS = [pattern for pattern, _, _ in tagger._RULES]


def _example_texts() -> list[str]:
    """Every example sentence of the rule tables in test_timex.py (positive and negative)."""
    texts: list[str] = []
    for name in dir(test_timex):
        for mark in getattr(getattr(test_timex, name), "pytestmark", []):
            if mark.name != "parametrize":
                continue
            for row in mark.args[1]:
                values = row.values if hasattr(row, "values") else row
                values = values if isinstance(values, tuple) else (values,)
                texts.extend(v for v in values if isinstance(v, str) and " " in v)
    return texts


EXAMPLES = _example_texts()


def test_the_rule_tables_give_examples() -> None:
    """The tables are found (a test over no examples would pass vacuously)."""
    assert len(EXAMPLES) > 150


@pytest.mark.parametrize("text", EXAMPLES)
def test_prefilter_never_skips_a_rule_that_matches(text: str) -> None:
    """Every match of every rule, scanned whole, begins at a candidate of that rule."""
    found = tagger._prefilter().candidates(text)
    assert found is not None
    for i, pattern in enumerate(PATTERNS):
        for m in pattern.finditer(text):
            assert m.start() in found[i], (i, pattern.pattern[:60], m.group())
    fast = [(i, m.span(), m.groupdict()) for i, m in tagger._prefilter().matches(text)]
    whole = [(i, m.span(), m.groupdict()) for i, m in tagger._prefilter().matches(text, whole=True)]
    assert fast == whole
    assert tagger.tag_times(text, DAY) == tagger._tag(text, DAY, "", whole=True)


@pytest.mark.parametrize(
    ("pattern", "width", "expected"),
    [
        # optional prefix: both the prefix and the word are beginnings; "\s" reads as " "
        (r"\b(?:[Tt]he\s+)?weekend", 4, {"the ", "week"}),
        # a digit class reads as "0"; a short match is a beginning of its own
        (r"(?<!\d)[0-3]?\d(?:st|th)", 3, {"0st", "0th", "00s", "00t"}),
        # case-insensitive or not, beginnings are lower case
        (r"(?i:Q)[1-4]", 4, {"q0"}),
        # a class too wide to list ends the beginning there
        (r"ago\w+", 5, {"ago"}),
    ],
)
def test_beginnings_of_a_pattern(pattern: str, width: int, expected: set[str]) -> None:
    assert beginnings(re.compile(pattern), PrefilterConfig(width=width)) == expected


@pytest.mark.parametrize(
    "pattern",
    [r"\w+day", r"(?:a|b?)*c", r".week", r"[^x]day"],
)
def test_beginnings_unbounded_means_scan_whole(pattern: str) -> None:
    """A pattern that can begin with any character is scanned whole: its set is {""}."""
    assert beginnings(re.compile(pattern)) == {""}
    assert Prefilter([re.compile(pattern)]).whole == (0,)


def test_prefilter_positive_and_negative() -> None:
    """A rule is tried only where its beginning occurs, and still finds what finditer finds."""
    prefilter = Prefilter([re.compile(r"\blast\s+week\b"), re.compile(r"\b\d{4}\b")])
    text = "Last week, not lastweek; in 2023 and 12345 at last  week"
    found = prefilter.candidates(text)
    assert found is not None
    # "last" and a space begins rule 0 (any case: the table is lower case); "lastweek" not
    assert found[0] == [0, text.index("last  week")]
    # four digits begin rule 1, at the start of "12345" too (the regex then says no)
    assert found[1] == [text.index("2023"), text.index("12345"), text.index("2345")]
    matches = [(i, m.group()) for i, m in prefilter.matches(text)]
    assert matches == [(0, "last  week"), (1, "2023")]  # rule by rule, as the tagger scans
    assert matches == [(i, m.group()) for i, m in prefilter.matches(text, whole=True)]


def test_odd_case_characters_scan_whole() -> None:
    """re matches "ſ" to "s" case-insensitively while str.lower keeps it: such a text is
    scanned whole, so the prefilter's lower-cased table cannot miss "laſt week"."""
    text = "Prices rose laſt week, officials said."
    assert _ODD.search(text)
    assert tagger._prefilter().candidates(text) is None
    found = tagger.tag_times(text, DAY)
    assert [(t.text, t.value) for t in found] == [("laſt week", "2023-W31")]
    assert found == tagger._tag(text, DAY, "", whole=True)
    # a non-ASCII digit: \d matches it, the table's "0" does not
    assert tagger._prefilter().candidates("on ٢٠٢٣") is None
    assert tagger._prefilter().candidates("on 2023 at noon") is not None


def test_odd_case_list_covers_the_regex_engines_extra_cases() -> None:
    """Every character re equates case-insensitively with a letter of a beginning, but whose
    lower case differs from that letter's, is in the odd list."""
    casefix = pytest.importorskip("re._casefix")
    letters = {c for strings in tagger._prefilter().starts for s in strings for c in s}
    missing = {
        chr(other)
        for key, others in casefix._EXTRA_CASES.items()
        if chr(key) in letters
        for other in others
        if chr(other).lower() not in letters and chr(other) not in _ODD_CASE
    }
    assert not missing


def test_normalisation_keeps_length_and_covers_every_space() -> None:
    """Lower-casing keeps a text's length but for U+0130 (odd list); every space is mapped."""
    assert [c for c in range(0x110000) if len(chr(c).lower()) != 1] == [0x130]
    spaces = {c for c in range(0x110000) if chr(c).isspace()}
    assert spaces <= set(_NORMALISE)
    assert "\u0130" in _ODD_CASE


_WORDS = st.sampled_from(
    [
        *["Last", "LAST", "the", "The", "a", "an", "of", "on", "in", "for", "every", "nearly"],
        *["week", "weekend", "year", "years", "quarter", "quarters", "day", "days", "ago"],
        *["Sunday", "FRIDAY", "May", "Sept.", "December", "noon", "today", "Yesterday"],
        *["2023", "1990s", "27", "3", "9:28", "p.m.", "10/12/2020", "2021-05-04", "Q3", "FY22"],
        *["липня", "25", "вчора", "у", "понеділок", "2023 року"],
        *["mid-", "early", "later", "that", "year-end", "half", "two", "three", "twenty"],
        *[",", ".", "-", "\u00a0", "\n", "’s", "'80s", "the nineties", "fiscal"],
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(_WORDS, max_size=16),
    seps=st.lists(st.sampled_from([" ", "", "  ", "\u00a0", "-"]), min_size=16, max_size=16),
)
def test_prefilter_same_output_as_whole_scan(words: list[str], seps: list[str]) -> None:
    """On random mixes of time words, digits, scripts and spaces the output is unchanged."""
    text = "".join(w + s for w, s in zip(words, seps, strict=False))
    assert tagger.tag_times(text, DAY) == tagger._tag(text, DAY, "", whole=True)
    assert tagger.tag_times(text, None) == tagger._tag(text, None, "", whole=True)


def test_a_word_only_re_reads_as_a_time_word_costs_that_match_not_the_text() -> None:
    # "yeſterday" (long s) matches the relative-day rule case-insensitively, but the
    # handler's lexicon has no such key: the match is dropped, the date beside it stays
    day = DateValue(start=date(2023, 8, 6), end=date(2023, 8, 6), precision="day")
    found = tagger.tag_times("Kim spoke yeſterday and again on July 27, 2023.", day)
    assert [t.value for t in found] == ["2023-07-27"]
    # the plain spelling is still read
    found = tagger.tag_times("Kim spoke yesterday and again on July 27, 2023.", day)
    assert [t.value for t in found] == ["2023-08-05", "2023-07-27"]
