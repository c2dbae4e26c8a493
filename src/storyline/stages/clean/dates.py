"""Publication dates and times as sources state them ("AUGUST 6, 2023 09:28", ISO stamps)."""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from datetime import date

from storyline.model import DateValue

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
# The clock time after a date: "2023-08-06T09:28", "AUGUST 6, 2023 09:28", "3 October 2023 -
# 18:20", "September 14, 2023 at 4:10 p.m.", "15.09.2023 um 09:20 Uhr": sites join the two with
# a space, a comma, a dash or a bar, sometimes with a word for "at".
_TIME = r"(?:(?:\s*[-–—|·,]\s*|T|\s+)(?:(?:at|um|à|a las|alle)\s+)?(?P<hour>[01]?\d|2[0-3])[:.h](?P<minute>[0-5]\d)(?::[0-5]\d)?\s*(?P<ampm>[ap]\.?m\.?)?)?"
# The date shapes news pages print: ISO stamps, "August 6, 2023", "6 August 2023", "06.08.2023".
_PATTERNS = (
    re.compile(r"(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)" + _TIME, re.I),
    re.compile(_MONTH + r"\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)" + _TIME, re.I),
    re.compile(r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\.?\s+" + _MONTH + r",?\s+(?P<year>(?:19|20)\d\d)" + _TIME, re.I),
    re.compile(r"\b(?P<day>[0-3]?\d)\.(?P<mnum>[01]?\d)\.(?P<year>(?:19|20)\d\d)" + _TIME),
    # "12/08/2023": day or month first depending on the site; resolved in _slash_order
    re.compile(r"(?<![\d/])(?P<first>[0-3]?\d)/(?P<second>[0-3]?\d)/(?P<year>(?:19|20)\d\d)(?![\d/])" + _TIME),
)  # fmt: skip
# A clock time printed before the date ("Updated 3:42 PM GMT+2, September 14, 2023"), with an
# optional zone; anchored at the end of the text that precedes the date.
_LEADING_TIME = re.compile(
    r"(?<!\d)(?P<hour>[01]?\d|2[0-3])[:.h](?P<minute>[0-5]\d)\s*(?P<ampm>[ap]\.?m\.?)?"
    r"(?:\s*(?:[A-Z]{2,5}(?:\s?[+-]\d{1,2}(?::?\d\d)?)?|uhr))?\s*[,|·-]?\s*(?:on\s+)?$",
    re.I,
)
# Dates written with a month word ("Aug 12", "12 August"): they settle which way round a
# numeric "12/08/2023" on the same page is meant.
_MONTH_DAY = re.compile(
    r"\b(?:" + _MONTH.replace("?P<month>", "?P<m1>") + r"\s+(?P<d1>[0-3]?\d)(?!\d)"
    r"|(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\.?\s+" + _MONTH.replace("?P<month>", "?P<m2>") + r")\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class StatedDate:
    """A date found in a string, with the clock time when the source gives one."""

    value: date
    time: str | None
    start: int
    end: int


class MonthDays:
    """The (month, day) pairs a page states in words, read only when a numeric date asks.

    Only an ambiguous "12/08/2023" consults them, and most pages have none: scanning every
    page's whole text for month words up front cost about 1.3 ms a page.
    """

    def __init__(self, text: str = "") -> None:
        self._text = text
        self._pairs: frozenset[tuple[int, int]] | None = None if text else frozenset()

    def __contains__(self, pair: object) -> bool:
        if self._pairs is None:
            self._pairs = month_days(self._text)
        return pair in self._pairs


def month_days(text: str) -> frozenset[tuple[int, int]]:
    """(month, day) pairs a text states with a month word ("Aug 12", "12 August")."""
    pairs: set[tuple[int, int]] = set()
    for match in _MONTH_DAY.finditer(text):
        name, day = match.group("m1") or match.group("m2"), match.group("d1") or match.group("d2")
        if 1 <= int(day) <= 31:
            pairs.add((_MONTHS[name.lower().rstrip(".")], int(day)))
    return frozenset(pairs)


def find_date(text: str, hints: Container[tuple[int, int]] = frozenset()) -> StatedDate | None:
    """The first full calendar date (day precision) stated in the text, if any.

    ``hints`` are (month, day) pairs stated elsewhere on the page in words; they decide
    an ambiguous numeric date such as "12/08/2023".
    """
    best: StatedDate | None = None
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            found = _to_date(match, hints)
            if found is not None and found.time is None:
                found = _with_leading_time(found, text)
            if found is not None and (best is None or found.start < best.start):
                best = found
                break
    return best


def _slash_order(first: int, second: int, hints: Container[tuple[int, int]]) -> tuple[int, int]:
    """(month, day) of a numeric "first/second/year" date.

    A part over 12 can only be the day. When both could be months, a month-word date on the
    same page ("Aug 12") decides; failing that, day first, the order of most of the world's
    sites (US sites, which put the month first, mostly spell the month out).
    """
    if first > 12:
        return second, first
    if second > 12:
        return first, second
    if (first, second) in hints and (second, first) not in hints:
        return first, second
    return second, first


def _to_date(match: re.Match[str], hints: Container[tuple[int, int]]) -> StatedDate | None:
    """Turn one regex match into a StatedDate, refusing impossible calendar dates."""
    groups = match.groupdict()
    if groups.get("first") is not None:
        month, day = _slash_order(int(groups["first"]), int(groups["second"]), hints)
    else:
        month = int(groups["mnum"]) if groups.get("mnum") else _MONTHS[groups["month"].lower()]
        day = int(groups["day"])
    try:
        value = date(int(groups["year"]), month, day)
    except ValueError:
        return None
    time = None
    if groups.get("hour") is not None:
        time = _clock(groups["hour"], groups["minute"], groups.get("ampm"))
    return StatedDate(value, time, match.start(), match.end())


def _clock(hour_text: str, minute: str, ampm_text: str | None) -> str:
    """ "4", "10", "p.m." -> "16:10"."""
    hour = int(hour_text)
    ampm = (ampm_text or "").lower()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute}"


def _with_leading_time(found: StatedDate, text: str) -> StatedDate:
    """Add a clock time printed just before the date ("3:42 PM GMT+2, September 14, 2023")."""
    match = _LEADING_TIME.search(text[: found.start])
    if match is None:
        return found
    time = _clock(match.group("hour"), match.group("minute"), match.group("ampm"))
    return StatedDate(found.value, time, match.start(), found.end)


def day_value(value: date, basis: str) -> DateValue:
    """A single-day DateValue with where it came from."""
    return DateValue(start=value, end=value, precision="day", basis=basis)


def parse_given(text: str | None) -> tuple[DateValue, str | None] | None:
    """A container-given publication date ("2023-08-06", RFC 822 already normalised)."""
    if not text:
        return None
    found = find_date(text)
    if found is not None:
        return day_value(found.value, "container"), found.time
    month = re.fullmatch(r"\s*((?:19|20)\d\d)-([01]\d)\s*", text)
    if month:
        year, number = int(month.group(1)), int(month.group(2))
        if 1 <= number <= 12:
            last = date(year + number // 12, number % 12 + 1, 1) - date.resolution
            start = date(year, number, 1)
            return DateValue(start=start, end=last, precision="month", basis="container"), None
    return None
