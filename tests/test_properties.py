"""Property tests: the temporal tagger never raises and every span indexes the text exactly."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.model import DateValue
from storyline.stages.time.tagger import tag_times

MODIFIERS = [
    "",
    "last",
    "next",
    "the past",
    "the next",
    "this",
    "the coming",
    "early",
    "late",
    "the end of the",
    "the start of",
    "over the past",
    "earlier this",
    "later this",
]
UNITS = [
    "day",
    "days",
    "week",
    "weekend",
    "month",
    "months",
    "year",
    "years",
    "quarter",
    "half",
    "decade",
    "decades",
    "century",
    "quarter century",
    "fiscal year",
    "morning",
    "night",
    "hour",
    "fortnight",
]
NUMBERS = ["", "a", "one", "two", "three", "ten", "12", "0", "1", "100", "9999", "several", "a few"]
ORDINALS = ["", "first", "second", "third", "fourth", "1st", "2nd", "21st", "final"]
WORDS = [
    "Monday",
    "on Friday",
    "Sunday night",
    "January",
    "in May",
    "December 31",
    "Feb. 29",
    "yesterday",
    "tomorrow morning",
    "today",
    "tonight",
    "the day before yesterday",
    "ago",
    "the 1990s",
    "the 21st century",
    "1",
    "0001",
    "9999",
    "10000",
    "2023-02-30",
    "0000-01-01",
    "31/12/9999",
    "Q1",
    "H2",
    "spring",
    "winter",
    "every week",
    "now",
    ",",
    # issue 11 rules: holidays, spelled years, reported periods, weekday dates, bounds
    "Thanksgiving",
    "last Christmas",
    "next Election Day",
    "nineteen ninety-six",
    "January nineteen eighty",
    "the year two thousand and one",
    "Friday, Oct. 23",
    "Sunday, Feb. 29",
    "the quarter",
    "the latest quarter",
    "the year-ago period",
    "the 1988 third quarter",
    "the corresponding period last year",
    "later that year",
    "the following year",
    "the weekend",
    "the year",
    "year-end",
    "5 p.m. EST, Nov. 6",
    "the past two quarters",
    "the nineties",
    "at least",
    "nearly",
    "more than",
    "more",
    "Year-earlier",
]

_phrase = st.builds(
    lambda parts: " ".join(p for p in parts if p),
    st.lists(
        st.one_of(
            st.sampled_from(MODIFIERS),
            st.sampled_from(UNITS),
            st.sampled_from(NUMBERS),
            st.sampled_from(ORDINALS),
            st.sampled_from(WORDS),
        ),
        min_size=1,
        max_size=6,
    ),
)


def _anchor(day: date | None) -> DateValue | None:
    return None if day is None else DateValue(start=day, end=day, precision="day")


_anchors = st.one_of(
    st.none(),
    st.sampled_from([date(1, 1, 1), date(9999, 12, 31), date(1, 12, 31), date(9999, 1, 1)]),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
)


@settings(max_examples=200, deadline=None)
@given(phrases=st.lists(_phrase, min_size=1, max_size=4), day=_anchors)
def test_tag_times_never_raises_and_spans_index_the_text(
    phrases: list[str], day: date | None
) -> None:
    text = ". ".join(phrases) + "."
    found = tag_times(text, _anchor(day), article_id="a")
    last_end = 0
    for t in found:
        assert 0 <= t.span.start < t.span.end <= len(text)
        assert text[t.span.start : t.span.end] == t.text
        assert t.span.start >= last_end  # in text order, without overlaps
        last_end = t.span.end


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("over the past quarter century", date(2020, 5, 1)),
        ("tomorrow morning", date(9999, 12, 31)),
        ("tomorrow", date(9999, 12, 31)),
        ("yesterday", date(1, 1, 1)),
        ("yesterday morning", date(1, 1, 1)),
        ("last night", date(1, 1, 1)),
        ("last year", date(1, 6, 1)),
        ("next year", date(9999, 6, 1)),
        ("on Friday", date(1, 1, 1)),
        ("next Monday", date(9999, 12, 31)),
        ("Monday to Friday", date(1, 1, 1)),
        ("3 p.m. Saturday", date(1, 1, 1)),
        ("two weeks ago", date(1, 1, 3)),
        ("last Christmas", date(1, 6, 1)),
        ("next Thanksgiving", date(9999, 12, 31)),
        ("Friday, Oct. 23", date(1, 1, 1)),
        ("the year-ago quarter", date(1, 6, 1)),
        ("the quarter", date(1, 2, 1)),
        ("over the weekend", date(1, 1, 2)),
        ("5 p.m. EST, Dec. 31", date(9999, 12, 31)),
        ("the following year", date(9999, 12, 31)),
    ],
)
def test_calendar_limits_give_no_value_instead_of_raising(text: str, day: date) -> None:
    """Known crashes: each used to raise (KeyError, OverflowError, ValueError)."""
    found = tag_times(text, _anchor(day))
    for t in found:
        assert t.when is None or date(1, 1, 1) <= t.when.start <= t.when.end


def test_the_past_quarter_is_a_three_month_stretch() -> None:
    found = tag_times("over the past quarter century", _anchor(date(2020, 5, 1)))
    assert next((t.text, t.value) for t in found) == ("the past quarter", "P3M")
