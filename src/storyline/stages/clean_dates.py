"""Publication dates and times as sources state them ("AUGUST 6, 2023 09:28", ISO stamps)."""

from __future__ import annotations

import re
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
_TIME = r"(?:[T,\s]+(?:at\s+)?(?P<hour>[01]?\d|2[0-3])[:.h](?P<minute>[0-5]\d)(?::[0-5]\d)?\s*(?P<ampm>[ap]\.?m\.?)?)?"
# The date shapes news pages print: ISO stamps, "August 6, 2023", "6 August 2023", "06.08.2023".
_PATTERNS = (
    re.compile(r"(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)" + _TIME, re.I),
    re.compile(_MONTH + r"\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)" + _TIME, re.I),
    re.compile(r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\.?\s+" + _MONTH + r",?\s+(?P<year>(?:19|20)\d\d)" + _TIME, re.I),
    re.compile(r"\b(?P<day>[0-3]?\d)\.(?P<mnum>[01]?\d)\.(?P<year>(?:19|20)\d\d)" + _TIME),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class StatedDate:
    """A date found in a string, with the clock time when the source gives one."""

    value: date
    time: str | None
    start: int
    end: int


def find_date(text: str) -> StatedDate | None:
    """The first full calendar date (day precision) stated in the text, if any."""
    best: StatedDate | None = None
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            found = _to_date(match)
            if found is not None and (best is None or found.start < best.start):
                best = found
                break
    return best


def _to_date(match: re.Match[str]) -> StatedDate | None:
    """Turn one regex match into a StatedDate, refusing impossible calendar dates."""
    groups = match.groupdict()
    month = int(groups["mnum"]) if groups.get("mnum") else _MONTHS[groups["month"].lower()]
    try:
        value = date(int(groups["year"]), month, int(groups["day"]))
    except ValueError:
        return None
    time = None
    if groups.get("hour") is not None:
        hour = int(groups["hour"])
        ampm = (groups.get("ampm") or "").lower()
        if ampm.startswith("p") and hour < 12:
            hour += 12
        elif ampm.startswith("a") and hour == 12:
            hour = 0
        time = f"{hour:02d}:{groups['minute']}"
    return StatedDate(value, time, match.start(), match.end())


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
