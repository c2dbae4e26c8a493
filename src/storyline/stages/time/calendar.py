"""Calendar arithmetic for the temporal tagger: TIMEX3 values <-> calendar ranges.

Everything here is a pure function of its arguments: no clock, no time zone.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from storyline.model import DateValue, Precision
from storyline.stages.time.lexicon import SEASON_START

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})(-WE)?(?:T.*)?$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_HALF = re.compile(r"^(\d{4})-H([12])$")
_SEASON = re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")
_YEAR = re.compile(r"^(\d{4})$")
_DECADE = re.compile(r"^(\d{3})$")
_CENTURY = re.compile(r"^(\d{2})$")


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    """``(year, month)`` moved by ``delta`` months."""
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def iso_week(day: date) -> str:
    """The TIMEX3 week value of a day, e.g. ``2013-W12``."""
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def season_of(day: date) -> tuple[int, str]:
    """The (year, season code) a day falls in; January and February belong to last year's winter."""
    if day.month in (3, 4, 5):
        return day.year, "SP"
    if day.month in (6, 7, 8):
        return day.year, "SU"
    if day.month in (9, 10, 11):
        return day.year, "FA"
    return (day.year if day.month == 12 else day.year - 1), "WI"


def season_range(year: int, code: str) -> tuple[date, date]:
    """First and last day of a season (meteorological, northern hemisphere)."""
    first = SEASON_START[code]
    end_year, end_month = shift_month(year, first, 2)
    return date(year, first, 1), month_end(end_year, end_month)


def safe_date(year: int, month: int, day: int) -> date | None:
    """``date(year, month, day)``, or None when that day does not exist (31 June)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def value_range(value: str) -> tuple[date, date, Precision] | None:
    """The calendar range of a TIMEX3 date value, None when it has none (PXD, PAST_REF, XXXX).

    Values past the ends of the calendar ("last year" of year 1 is year 0) have no range either.
    """
    try:
        return _value_range(value)
    except (ValueError, OverflowError):
        return None


def _value_range(value: str) -> tuple[date, date, Precision] | None:
    if m := _DAY.match(value):
        day = safe_date(int(m[1]), int(m[2]), int(m[3]))
        return None if day is None else (day, day, "day")
    if m := _MONTH.match(value):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            return None
        return date(year, month, 1), month_end(year, month), "month"
    if m := _WEEK.match(value):
        try:
            monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        except ValueError:
            return None
        if m[3]:
            return monday + timedelta(days=5), monday + timedelta(days=6), "day"
        return monday, monday + timedelta(days=6), "day"
    if m := _QUARTER.match(value):
        year, first = int(m[1]), (int(m[2]) - 1) * 3 + 1
        return date(year, first, 1), month_end(year, first + 2), "month"
    if m := _HALF.match(value):
        year, first = int(m[1]), (int(m[2]) - 1) * 6 + 1
        return date(year, first, 1), month_end(year, first + 5), "month"
    if m := _SEASON.match(value):
        start, end = season_range(int(m[1]), m[2])
        return start, end, "month"
    if m := _YEAR.match(value):
        year = int(m[1])
        return date(year, 1, 1), date(year, 12, 31), "year"
    if m := _DECADE.match(value):
        year = int(m[1]) * 10
        return date(max(year, 1), 1, 1), date(year + 9, 12, 31), "year"
    if m := _CENTURY.match(value):
        year = int(m[1]) * 100
        return date(max(year, 1), 1, 1), date(year + 99, 12, 31), "year"
    return None


def when_of(
    value: str | None, *, estimate: bool = False, basis: str | None = None
) -> DateValue | None:
    """The DateValue of a TIMEX3 value, carrying whether it rests on an estimated anchor."""
    if value is None:
        return None
    found = value_range(value)
    if found is None:
        return None
    start, end, precision = found
    return DateValue(start=start, end=end, precision=precision, estimate=estimate, basis=basis)
