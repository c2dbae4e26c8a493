"""Handlers of the temporal tagger: each turns one regex match into TIMEX3 candidates.

Dates, weekdays, times, seasons and the Cyrillic forms live here, with the news
conventions (the nearest past weekday unless the sentence speaks of the future) and
the tense heuristic for months without a year; units and durations are in ``timex_units``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from storyline.model import DateValue, TimexType
from storyline.stages.time import rules as R
from storyline.stages.time.calendar import (
    month_end,
    safe_date,
    season_of,
)
from storyline.stages.time.lexicon import (
    DAY_PARTS,
    HOLIDAYS_FIXED,
    HOLIDAYS_FLOATING,
    MONTH_ABBR_EN,
    MONTHS_CYR,
    MONTHS_EN,
    ORDINALS,
    SEASONS,
    SPELLED_NUMBERS,
    WEEKDAY_NAME_WORDS,
    WEEKDAYS_CYR,
    WEEKDAYS_EN,
)

Tense = str | None  # "past", "future" or None when the sentence gives no cue

# "May" is a modal verb and a name as often as a month: it counts alone only after these.
_MONTH_PREPS = frozenset(
    [
        "in",
        "since",
        "until",
        "till",
        "by",
        "from",
        "through",
        "of",
        "during",
        "before",
        "after",
        "early",
        "late",
        "mid",
        "last",
        "next",
        "this",
        "between",
        "and",
        "to",
        "or",
        "end",
        "beginning",
        "start",
        "middle",
    ]
)
# A quantity right before "a year"/"an hour" makes it a rate ("$25,000 a year").
_CAPITALISED_NEXT = re.compile(r"\s+[A-Z][a-z]")
PREV_WORD = re.compile(r"([A-Za-z]+)[\s-]*$")


@dataclass(frozen=True, slots=True)
class Ctx:
    """The text being tagged and what is known of its anchor date."""

    text: str
    anchor: DateValue | None

    @property
    def day(self) -> date | None:
        """The anchor day, when the anchor is known to the day."""
        a = self.anchor
        return a.start if a is not None and a.precision == "day" and a.start == a.end else None

    @property
    def month(self) -> tuple[int, int] | None:
        """The anchor (year, month), when the anchor is known to the month."""
        a = self.anchor
        if (
            a is None
            or a.precision == "year"
            or (a.start.year, a.start.month) != (a.end.year, a.end.month)
        ):
            return None
        return a.start.year, a.start.month

    @property
    def year(self) -> int | None:
        """The anchor year, when known."""
        a = self.anchor
        return a.start.year if a is not None and a.start.year == a.end.year else None

    def ref_day(self) -> date | None:
        """A representative day of the anchor, for choosing the year of "July 27"."""
        if self.day is not None:
            return self.day
        if self.month is not None:
            return date(self.month[0], self.month[1], 15)
        return None

    def missing(self, need: str) -> str:
        """Why a relative expression could not be resolved."""
        if self.anchor is None:
            return (
                f"relative expression: no publication date to resolve it against (needs the {need})"
            )
        return f"relative expression needs the anchor's {need}; the anchor is known only to the {self.anchor.precision}"


@dataclass(frozen=True, slots=True)
class Hit:
    """A candidate expression before overlap resolution."""

    start: int
    end: int
    type: TimexType
    value: str | None
    relative: bool = False
    reason: str | None = None
    range_: tuple[date, date] | None = None


Handler = Callable[[re.Match[str], Ctx], list[Hit]]


# --- helpers -------------------------------------------------------------------------------


def tense_of(text: str, start: int, end: int) -> Tense:
    """The tense cue nearest to ``[start, end)`` inside its sentence (HeidelTime's heuristic)."""
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
    stops = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    right = min(stops) if stops else len(text)
    best: Tense = None
    best_distance = len(text) + 1
    for m in R.TENSE.finditer(text, left, right):
        if m.start() < end and m.end() > start:
            continue  # the expression's own "last"/"next" is not a tense cue
        distance = start - m.end() if m.end() <= start else m.start() - end
        if distance < best_distance:
            best_distance = distance
            best = "past" if m.group("past") else "future"
    return best


_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”(\n]\s*|\n)$")
_CAPITALISED_PREV = re.compile(r"([A-Z][\w.&'’-]*)[ \t]+$")


def _in_name(text: str, start: int, matched: str) -> bool:
    """True when a capitalised time word is part of a proper name.

    "USA Today", "Fox News Sunday", "CBS This Morning": mid-sentence, a time word
    written with capitals after a capitalised word names a paper or a show.
    """
    head = text[max(0, start - 40) : start]
    prev = _CAPITALISED_PREV.search(head)
    if prev is None or _SENTENCE_START.search(head[: prev.start()]):
        return False
    word = prev[1].rstrip(".,")
    if word.lower() in _NAME_OK_BEFORE or _month_number(word):
        return False
    if prev[1].endswith(".") and len(word) > 3 and not word.isupper():
        return False  # "... on Wednesday. Yesterday, ...": the word before ends a sentence
    return matched[:1].isupper()


def _weekday_in_name(text: str, start: int) -> bool:
    """True when a weekday is part of a name: "Fox News Sunday", "Good Friday", "Super Tuesday".

    News writes "Kenya and Tanzania Friday" and "the World Court Friday rejected": after a
    subject the weekday is the date, so only the words that make weekday names count.
    """
    prev = _CAPITALISED_PREV.search(text, max(0, start - 40), start)
    return prev is not None and prev[1].lower().rstrip(".,") in WEEKDAY_NAME_WORDS


# Capitalised words that may stand before a date word without making it a name.
_NAME_OK_BEFORE = frozenset(
    [
        "on",
        "last",
        "next",
        "this",
        "late",
        "early",
        "by",
        "since",
        "until",
        "from",
        "and",
        "or",
        "to",
        "through",
        "before",
        "after",
        "i",
        "a.m.",
        "p.m.",
        "gmt",
        "utc",
        "edt",
        "est",
        "et",
    ]
)


def _month_number(name: str) -> int:
    """Month number of an English or Cyrillic month name or abbreviation."""
    key = name.lower().rstrip(".")
    return MONTHS_EN.get(key) or MONTH_ABBR_EN.get(key) or MONTHS_CYR.get(key, 0)


def _year_of_day(ctx: Ctx, month: int, day: int, tense: Tense) -> int | None:
    """The year of a "July 27" without a year: the nearest, unless the tense says otherwise."""
    ref = ctx.ref_day()
    if ref is None:
        return ctx.year
    year = ref.year
    candidate = safe_date(year, month, min(day, 28)) or date(year, month, 1)
    return _shift_year(year, (candidate - ref).days, tense, 183)


def _year_of_month(ctx: Ctx, month: int, tense: Tense) -> int | None:
    """The year of a month named alone ("in June"), by tense, else the nearest."""
    if ctx.month is None:
        return ctx.year
    year, current = ctx.month
    return _shift_year(year, month - current, tense, 6)


# A tense cue moves a date into another year only when the date lies more than a third of
# half a year (two months) on the wrong side of the anchor: "extended the offer to Nov. 16"
# in late October is this November, the reporting verb's past tense notwithstanding.
_TENSE_SLACK_DIV = 3


def _shift_year(year: int, diff: int, tense: Tense, half: int) -> int:
    """The year of a date ``diff`` units after the anchor in ``year``, moved by tense.

    A past-tense mention well after the anchor is last year's, a future one well before it
    next year's (near the anchor the tense more often belongs to the reporting verb); with
    no tense cue the nearest reading wins (more than half a year away flips).
    """
    slack = half // _TENSE_SLACK_DIV
    if tense == "past" and diff > slack:
        return year - 1
    if tense == "future" and diff < -slack:
        return year + 1
    if tense is None and diff > half:
        return year - 1
    if tense is None and diff < -half:
        return year + 1
    return year


def _weekday_date(anchor: date, weekday: int, rel: str | None, tense: Tense) -> date:
    """The date of a weekday by the news convention: the nearest past one, the next one if future."""
    back = (anchor.isoweekday() - weekday) % 7
    ahead = (weekday - anchor.isoweekday()) % 7
    if rel in ("last", "past"):
        return anchor - timedelta(days=back or 7)
    if rel == "next":
        return anchor + timedelta(days=ahead or 7)
    if rel in ("this", "coming") or tense == "future":
        return anchor + timedelta(days=ahead)
    # "on Sunday" in an article of that Sunday is that very day
    return anchor - timedelta(days=back)


def shift_day(day: date, days: int) -> date | None:
    """``day`` moved by ``days``, or None past the ends of the calendar (years 1 and 9999)."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return None


def day_value(day: date) -> str:
    """TIMEX3 value of a day."""
    return day.isoformat()


def month_value(year: int, month: int) -> str:
    """TIMEX3 value of a month."""
    return f"{year:04d}-{month:02d}"


def _is_quantity(text: str, end: int) -> bool:
    """True when a four-digit number is followed by a unit, so it is a quantity, not a year."""
    return R.NOT_A_YEAR.match(text, end) is not None


# --- handlers: each turns one match into hits ----------------------------------------------


def iso(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """2023-08-06."""
    day = safe_date(int(m[1]), int(m[2]), int(m[3]))
    return [] if day is None else [Hit(m.start(), m.end(), "DATE", day_value(day))]


def numeric(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """06.08.2023 (day first) and 8/6/2023 (US month first unless the first part exceeds 12)."""
    a, sep, b, year = int(m[1]), m[2], int(m[3]), int(m[4])
    day, month = (a, b) if sep == "." or a > 12 else (b, a)
    found = safe_date(year, month, day)
    return [] if found is None else [Hit(m.start(), m.end(), "DATE", day_value(found))]


def month_day(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "July 27", "August 6, 2023", "July 27-29"; the year from the anchor when absent."""
    month, day = _month_number(m["month"]), int(m["day"])
    if not 1 <= day <= 31 or month == 0:
        return []
    if m["year"]:
        year: int | None = int(m["year"])
        relative = False
    else:
        year = _year_of_day(ctx, month, day, tense_of(ctx.text, m.start(), m.end()))
        relative = True
    if year is None:
        return [
            Hit(
                m.start(), m.end(), "DATE", f"XXXX-{month:02d}-{day:02d}", True, ctx.missing("year")
            )
        ]
    first = safe_date(year, month, day)
    if first is None:
        return []
    range_ = None
    if m["day2"]:
        last = safe_date(year, month, int(m["day2"]))
        if last is not None and last > first:
            range_ = (first, last)
    return [Hit(m.start(), m.end(), "DATE", day_value(first), relative, None, range_)]


def weekday_month_day(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "Friday, Oct. 23", "Monday, Oct. 26": the date, in the year whose
    calendar puts it on that weekday (else the year the anchor and tense imply)."""
    month, day = _month_number(m["month"]), int(m["day"])
    if not 1 <= day <= 31 or month == 0:
        return []
    if m["year"]:
        found = safe_date(int(m["year"]), month, day)
        return [] if found is None else [Hit(m.start(), m.end(), "DATE", day_value(found))]
    year = _year_of_day(ctx, month, day, tense_of(ctx.text, m.start(), m.end()))
    if year is None:
        return [
            Hit(
                m.start(), m.end(), "DATE", f"XXXX-{month:02d}-{day:02d}", True, ctx.missing("year")
            )
        ]
    weekday = WEEKDAYS_EN[m["wd"].lower()]
    for candidate in (year, year - 1, year + 1):
        found = safe_date(candidate, month, day)
        if found is not None and found.isoweekday() == weekday:
            return [Hit(m.start(), m.end(), "DATE", day_value(found), True)]
    found = safe_date(year, month, day)
    return [] if found is None else [Hit(m.start(), m.end(), "DATE", day_value(found), True)]


def day_month(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "25 July 2023", "6 August"."""
    month, day = _month_number(m["month"]), int(m["day"])
    if not 1 <= day <= 31 or month == 0:
        return []
    return _day_of_month(m, ctx, month, day, tense_of(ctx.text, m.start(), m.end()))


def _day_of_month(m: re.Match[str], ctx: Ctx, month: int, day: int, tense: Tense) -> list[Hit]:
    """A day and month, with the stated year or the one the anchor and tense imply."""
    if m["year"]:
        found = safe_date(int(m["year"]), month, day)
        return [] if found is None else [Hit(m.start(), m.end(), "DATE", day_value(found))]
    year = _year_of_day(ctx, month, day, tense)
    if year is None:
        return [
            Hit(
                m.start(), m.end(), "DATE", f"XXXX-{month:02d}-{day:02d}", True, ctx.missing("year")
            )
        ]
    found = safe_date(year, month, day)
    return [] if found is None else [Hit(m.start(), m.end(), "DATE", day_value(found), True)]


def month_year(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "May 2010", "early December 2012"."""
    month = _month_number(m["month"])
    return [Hit(m.start(), m.end(), "DATE", month_value(int(m["year"]), month))] if month else []


def month_alone(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "in June", "early December", "last July": the year by the tense and the anchor."""
    month = _month_number(m["month"])
    if month == 0:
        return []
    text = ctx.text
    prev = PREV_WORD.search(text, max(0, m.start() - 20), m.start())
    prev_word = prev[1].lower() if prev else ""
    guarded = bool(m["mod"] or m["rel"]) or prev_word in _MONTH_PREPS
    # "May" alone is a verb; "June Smith" is a person: only a preposition makes them months
    if not guarded and (month == 5 or _CAPITALISED_NEXT.match(text, m.end())):
        return []
    rel = (m["rel"] or "").lower()
    if ctx.month is None:
        if ctx.year is not None and not rel:
            return [Hit(m.start(), m.end(), "DATE", month_value(ctx.year, month), True)]
        return [Hit(m.start(), m.end(), "DATE", f"XXXX-{month:02d}", True, ctx.missing("month"))]
    year, current = ctx.month
    if rel in ("last", "past"):
        year = year if month < current else year - 1
    elif rel in ("next", "coming"):
        year = year if month > current else year + 1
    elif rel != "this":
        year = _year_of_month(ctx, month, tense_of(text, m.start(), m.end())) or year
    return [Hit(m.start(), m.end(), "DATE", month_value(year, month), True)]


def year_range(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "2009-2010", "1957-58": TimeML tags each year; the two-digit one takes the first's century."""
    if _is_quantity(ctx.text, m.end()):
        return []
    y1 = int(m["y1"])
    raw = m["y2"]
    y2 = int(raw) if len(raw) == 4 else (y1 // 100) * 100 + int(raw)
    if y2 <= y1 or y2 - y1 > 50:
        return []
    span = (date(y1, 1, 1), date(y2, 12, 31))
    return [
        Hit(m.start("y1"), m.end("y1"), "DATE", f"{y1:04d}", range_=span),
        Hit(m.start("y2"), m.end("y2"), "DATE", f"{y2:04d}", range_=span),
    ]


def year(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "2009", "late 2012"."""
    if _is_quantity(ctx.text, m.end()):
        return []
    return [Hit(m.start(), m.end(), "DATE", m["year"])]


def spelled_year(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "nineteen ninety-six" -> 1996, "January nineteen ninety-seven" -> 1997-01."""
    if m["y2k"] is not None or m["century"] is None:
        year = 2000 + (SPELLED_NUMBERS[m["y2k"].lower()] if m["y2k"] else 0)
    else:
        rest = (
            SPELLED_NUMBERS[m["teen"].lower()]
            if m["teen"]
            else SPELLED_NUMBERS[m["tens"].lower()]
            + SPELLED_NUMBERS.get((m["ones"] or "").lower(), 0)
        )
        year = (19 if m["century"].lower() == "nineteen" else 18) * 100 + rest
    if m["month"]:
        return [Hit(m.start(), m.end(), "DATE", month_value(year, _month_number(m["month"])))]
    return [Hit(m.start(), m.end(), "DATE", f"{year:04d}")]


def _holiday_date(name: str, year: int) -> date:
    """The date of a holiday in ``year``."""
    if name in HOLIDAYS_FIXED:
        month, day = HOLIDAYS_FIXED[name]
        return date(year, month, day)
    month, weekday, n = HOLIDAYS_FLOATING[name]
    if name == "election day":
        first = date(year, 11, 2)  # the Tuesday after the first Monday
        return first + timedelta(days=(weekday - first.isoweekday()) % 7)
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (n - 1))
    last = month_end(year, month)
    return last - timedelta(days=(last.isoweekday() - weekday) % 7)


def holiday(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "Thanksgiving Day", "last Christmas": the nearest one the tense allows."""
    name = " ".join(m["name"].lower().replace("’", "'").split())
    ref = ctx.ref_day()
    if ref is None:
        return [Hit(m.start(), m.end(), "DATE", None, True, ctx.missing("day"))]
    this_year = _holiday_date(name, ref.year)
    rel = (m["rel"] or "").lower()
    if rel == "last":
        year = ref.year if this_year < ref else ref.year - 1
    elif rel == "next":
        year = ref.year if this_year > ref else ref.year + 1
    elif rel == "this":
        year = ref.year
    else:
        tense = tense_of(ctx.text, m.start(), m.end())
        year = _shift_year(ref.year, (this_year - ref).days, tense, 183)
    if not 1 <= year <= 9999:
        return [Hit(m.start(), m.end(), "DATE", None, True, "beyond the calendar")]
    return [Hit(m.start(), m.end(), "DATE", day_value(_holiday_date(name, year)), True)]


def anaphoric_year(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """ "later that year", "the following year": the year last written before, moved by the word."""
    last = None
    for y in R.YEAR.finditer(ctx.text, 0, m.start()):
        if not _is_quantity(ctx.text, y.end()):
            last = y
    if last is None:
        return [Hit(m.start(), m.end(), "DATE", None, True, "no year written before it")]
    shift = {"following": 1, "next": 1, "previous": -1}.get((m["rel"] or "").lower(), 0)
    return [Hit(m.start(), m.end(), "DATE", f"{int(last['year']) + shift:04d}", True)]


def fiscal_year(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "fiscal year 2013", "FY2013", "FY13"."""
    raw = m["year"] or m["fy"]
    year = int(raw) if len(raw) == 4 else 2000 + int(raw)
    return [Hit(m.start(), m.end(), "DATE", f"{year:04d}")]


_DECADE_WORDS = {
    "twenties": 2,
    "thirties": 3,
    "forties": 4,
    "fifties": 5,
    "sixties": 6,
    "seventies": 7,
    "eighties": 8,
    "nineties": 9,
}


def decade(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "the 1990s" -> 199; "the '90s" -> 199 (the twentieth century unless
    that is in the future)."""
    if m["dec"]:
        return [Hit(m.start(), m.end(), "DATE", m["dec"][:3])]
    first = "short" if m["short"] else "bare"
    return [Hit(m.start(first), m.end(), "DATE", _decade_value(int(m[first].strip("'’")), ctx))]


def decade_word(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "the nineties" -> 199, as "the '90s"."""
    short = _DECADE_WORDS[m["word"].lower()] * 10
    return [Hit(m.start("word"), m.end(), "DATE", _decade_value(short, ctx))]


def _decade_value(short: int, ctx: Ctx) -> str:
    """The decade of a two-digit "'90s": the twentieth century unless that is in the future."""
    century = 19 if ctx.year is None or 1900 + short <= ctx.year - 10 or short >= 30 else 20
    return f"{century}{short // 10}"


_CENTURY_WORDS = {"eighteenth": 18, "nineteenth": 19, "twentieth": 20, "twenty-first": 21}


def century(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "the 20th century" -> 19."""
    number = int(m["n"]) if m["n"] else _CENTURY_WORDS[m["word"].lower()]
    return [Hit(m.start(), m.end(), "DATE", f"{number - 1:02d}")] if number > 1 else []


def quarter(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "the third quarter", "Q3 2023", "the first quarter of last year"."""
    number = int(m["q"]) if m["q"] else ORDINALS[m["ord"].lower()]
    explicit = m["year"] or m["qyear"]
    if explicit:
        return [Hit(m.start(), m.end(), "DATE", f"{explicit}-Q{number}")]
    if ctx.year is None:
        return [Hit(m.start(), m.end(), "DATE", f"XXXX-Q{number}", True, ctx.missing("year"))]
    shift = {"last": -1, "next": 1}.get((m["rel"] or m["prel"] or "").lower(), 0)
    return [Hit(m.start(), m.end(), "DATE", f"{ctx.year + shift:04d}-Q{number}", True)]


def _named_quarter(ctx: Ctx, before: int) -> tuple[int, int] | None:
    """(year, number) of the last quarter named before ``before``: the one a results story reports.

    The whole text before counts: a results story names its quarter once, in the lead.
    """
    last = None
    for q in R.QUARTER.finditer(ctx.text, 0, before):
        last = q
    if last is None or ctx.year is None:
        return None
    number = int(last["q"]) if last["q"] else ORDINALS.get(last["ord"].lower())
    if number is None:
        return None
    explicit = last["year"] or last["qyear"]
    shift = {"last": -1, "next": 1}.get((last["rel"] or last["prel"] or "").lower(), 0)
    named = (int(explicit) if explicit else ctx.year + shift), number
    # a quarter still to come ("losses through the third quarter of 1990") is a forecast,
    # not the period being reported: results are for the last quarter completed
    completed = _completed_quarter(ctx)
    return completed if completed is not None and named > completed else named


def _completed_quarter(ctx: Ctx) -> tuple[int, int] | None:
    """(year, number) of the last quarter completed before the anchor: what results report on."""
    if ctx.month is None:
        return None
    year, month = ctx.month
    current = (month - 1) // 3 + 1
    return (year, current - 1) if current > 1 else (year - 1, 4)


def year_earlier(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """ "a year earlier", "the year-ago quarter": the reported quarter a year back, else last year.

    Results reporting compares a quarter with the same quarter a year before, so a quarter
    named before sets the value ("third-quarter ... a year earlier" -> 1988-Q3 in 1989).
    """
    if ctx.year is None:
        return [Hit(m.start(), m.end(), "DATE", None, True, ctx.missing("year"))]
    named = _named_quarter(ctx, m.start())
    if named is not None:
        return [Hit(m.start(), m.end(), "DATE", f"{named[0] - 1:04d}-Q{named[1]}", True)]
    if m["point"] and m["point"].lower().endswith("ago"):
        return []  # no quarter in view: the ordinary "a year ago" rule resolves it
    return [Hit(m.start(), m.end(), "DATE", f"{ctx.year - 1:04d}", True)]


def period_ref(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """ "the quarter", "the latest quarter", "the year-ago third quarter", "the 1988 period".

    The quarter a results story is about: the last one named before (anywhere earlier in the
    text), else the last one completed at the anchor; "year-ago" and a stated year move it.
    """
    adj = " ".join((m["adj"] or "").lower().split())
    if m["unit"] == "period" and not (adj or m["year"] or m["ord"]):
        return []  # "the period", "that period": no telling which
    if m["year"] and m["ord"]:  # "the 1988 third quarter" needs no anchor
        return [Hit(m.start(), m.end(), "DATE", f"{m['year']}-Q{ORDINALS[m['ord'].lower()]}")]
    reported = _named_quarter(ctx, m.start()) or _completed_quarter(ctx)
    if m["ord"] and ctx.year is not None:
        reported = (ctx.year, ORDINALS[m["ord"].lower()])
    if reported is None:
        return [Hit(m.start(), m.end(), "DATE", None, True, ctx.missing("month"))]
    year, number = reported
    if m["ord"]:
        number = ORDINALS[m["ord"].lower()]
    if m["year"]:
        year = int(m["year"])
    elif adj in ("year-earlier", "year-ago") or m["back"] or m["lastyears"]:
        year -= 1
    return [Hit(m.start(), m.end(), "DATE", f"{year:04d}-Q{number}", not m["year"])]


def half(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "the first half of 2013" -> 2013-H1."""
    number = 1 if m["ord"].lower() == "first" else 2  # "second" or "last"
    if m["year"]:
        return [Hit(m.start(), m.end(), "DATE", f"{m['year']}-H{number}")]
    if ctx.year is None:
        return [Hit(m.start(), m.end(), "DATE", None, True, ctx.missing("year"))]
    shift = {"last": -1, "next": 1}.get(m["rel"].lower(), 0)
    return [Hit(m.start(), m.end(), "DATE", f"{ctx.year + shift:04d}-H{number}", True)]


def season(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "last summer" -> 2012-SU, "winter 2022"; bare "spring"/"fall" need a cue (the verbs)."""
    word = m["season"].lower()
    code = SEASONS[word]
    rel = (m["rel"] or "").lower()
    if m["year"]:
        return [Hit(m.start(), m.end(), "DATE", f"{m['year']}-{code}")]
    prev = PREV_WORD.search(ctx.text, max(0, m.start() - 12), m.start())
    prev_word = prev[1].lower() if prev else ""
    if word in ("spring", "fall") and not (rel or m["mod"] or prev_word in ("the", "in", "this")):
        return []
    if m["season"][0].isupper() and _CAPITALISED_NEXT.match(ctx.text, m.end()):
        return []  # "British Summer Time", "Winter Olympics": part of a name
    ref = ctx.ref_day()
    if ref is None:
        return [Hit(m.start(), m.end(), "DATE", f"XXXX-{code}", True, ctx.missing("month"))]
    year, current = season_of(ref)
    order = ["SP", "SU", "FA", "WI"]
    index = year * 4 + order.index(current)
    target = order.index(code)
    if rel in ("last", "past"):
        index -= 1
        while index % 4 != target:
            index -= 1
    elif rel in ("next", "coming"):
        index += 1
        while index % 4 != target:
            index += 1
    else:
        # the season of this year; in a past-tense sentence, the latest one not after now
        base = year * 4 + target
        tense = tense_of(ctx.text, m.start(), m.end())
        if tense == "past" and base > index:
            base -= 4
        elif tense == "future" and base < index:
            base += 4
        index = base
    return [Hit(m.start(), m.end(), "DATE", f"{index // 4:04d}-{order[index % 4]}", True)]


def weekday_range(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "from Thursday to Saturday": each weekday gets its value, both carry the whole range."""
    wd1, wd2 = WEEKDAYS_EN[m["wd1"].lower()], WEEKDAYS_EN[m["wd2"].lower()]
    anchor = ctx.day
    if anchor is None:
        reason = ctx.missing("day")
        return [
            Hit(m.start("wd1"), m.end("wd1"), "DATE", f"XXXX-WXX-{wd1}", True, reason),
            Hit(m.start("wd2"), m.end("wd2"), "DATE", f"XXXX-WXX-{wd2}", True, reason),
        ]
    end = _weekday_date(anchor, wd2, None, tense_of(ctx.text, m.start(), m.end()))
    start = end - timedelta(days=(wd2 - wd1) % 7)
    reason = f"range {m['wd1']} to {m['wd2']}"
    return [
        Hit(m.start("wd1"), m.end("wd1"), "DATE", day_value(start), True, reason, (start, end)),
        Hit(m.start("wd2"), m.end("wd2"), "DATE", day_value(end), True, reason, (start, end)),
    ]


def weekday(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "Friday", "last Friday", "Sunday night" (a TIME)."""
    weekday = WEEKDAYS_EN[m["wd"].lower()]
    if not m["rel"] and _weekday_in_name(ctx.text, m.start()):
        return []
    part = DAY_PARTS.get((m["part"] or "").lower())
    kind: TimexType = "TIME" if part else "DATE"
    suffix = f"T{part}" if part else ""
    anchor = ctx.day
    if anchor is None:
        return [
            Hit(m.start(), m.end(), kind, f"XXXX-WXX-{weekday}{suffix}", True, ctx.missing("day"))
        ]
    rel = (m["rel"] or "").lower() or None
    day = _weekday_date(anchor, weekday, rel, tense_of(ctx.text, m.start(), m.end()))
    return [Hit(m.start(), m.end(), kind, day_value(day) + suffix, True)]


def clock(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "3 p.m.", "09:28", "15:00 GMT Saturday", "noon": a TIME on the anchor day or the named weekday."""
    if m["word"]:
        hour = 24 if m["word"].lower() == "midnight" else 12
        clock = f"T{hour:02d}:00"
    else:
        hour = int(m["h"] or m["h2"])
        raw_minute = m["mi"] or m["mi2"]
        ampm = (m["ampm"] or "").lower().replace(".", "")
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        # "10 p.m." is T22:00, as TimeBank writes it (and as "noon" is T12:00)
        clock = f"T{hour:02d}:{raw_minute or '00'}"
    end = m.end()
    if zone := R.ZONE.match(ctx.text, end):
        end = zone.end()
    weekday = None
    if after := R.AFTER_WEEKDAY.match(ctx.text, end):
        weekday = WEEKDAYS_EN[after["wd"].lower()]
        end = after.end()
    elif (on := R.AFTER_MONTH_DAY.match(ctx.text, end)) and 1 <= int(on["day"]) <= 31:
        # "5 p.m. EST, Nov. 6": the time of that date
        month, day_of_month = _month_number(on["month"]), int(on["day"])
        year = (
            int(on["year"])
            if on["year"]
            else _year_of_day(ctx, month, day_of_month, tense_of(ctx.text, m.start(), on.end()))
        )
        found = safe_date(year, month, day_of_month) if year is not None else None
        if found is not None:
            return [Hit(m.start(), on.end(), "TIME", day_value(found) + clock, True)]
    anchor = ctx.day
    if anchor is None:
        base = f"XXXX-WXX-{weekday}" if weekday else "XXXX-XX-XX"
        return [Hit(m.start(), end, "TIME", base + clock, True, ctx.missing("day"))]
    day = (
        anchor
        if weekday is None
        else _weekday_date(anchor, weekday, None, tense_of(ctx.text, m.start(), end))
    )
    return [Hit(m.start(), end, "TIME", day_value(day) + clock, True)]


def rel_day(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "today", "yesterday morning", "tonight"."""
    word = " ".join(m["word"].lower().split())
    if _in_name(ctx.text, m.start("word"), m["word"]):
        return []
    offset = {
        "today": 0,
        "tonight": 0,
        "yesterday": -1,
        "tomorrow": 1,
        "the day before yesterday": -2,
        "the day after tomorrow": 2,
        "сьогодні": 0,
        "сегодня": 0,
        "вчора": -1,
        "вчера": -1,
        "завтра": 1,
    }[word]
    part = DAY_PARTS.get(((m.groupdict().get("part")) or "").lower())
    if word == "tonight":
        part = "NI"
    kind: TimexType = "TIME" if part else "DATE"
    suffix = f"T{part}" if part else ""
    if ctx.day is None:
        return [Hit(m.start(), m.end(), kind, None, True, ctx.missing("day"))]
    day = shift_day(ctx.day, offset)
    if day is None:
        return []  # "yesterday" of 0001-01-01 has no date
    return [Hit(m.start(), m.end(), kind, day_value(day) + suffix, True)]


def part_of_day(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "this morning", "last night"."""
    if _in_name(ctx.text, m.start(), m.group(0)):
        return []
    rel, part = m["rel"].lower(), DAY_PARTS[m["part"].lower()]
    offset = {"this": 0, "last": -1, "yesterday": -1, "tomorrow": 1}[rel]
    if ctx.day is None:
        return [Hit(m.start(), m.end(), "TIME", None, True, ctx.missing("day"))]
    day = shift_day(ctx.day, offset)
    if day is None:
        return []  # "tomorrow morning" of 9999-12-31 has no date
    return [Hit(m.start(), m.end(), "TIME", f"{day}T{part}", True)]


def cyr_day_month(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "25 липня 2023 року", "25 июля"."""
    month, day = _month_number(m["month"]), int(m["day"])
    if not 1 <= day <= 31:
        return []
    return _day_of_month(m, ctx, month, day, None)


def cyr_month_year(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "Серпень 2023", "в августе 2023 года"."""
    return [Hit(m.start(), m.end(), "DATE", month_value(int(m["year"]), _month_number(m["month"])))]


def cyr_month_alone(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "у серпні": the month of the anchor's year (nearest)."""
    month = _month_number(m["month"])
    year = _year_of_month(ctx, month, None)
    if year is None:
        return [Hit(m.start(), m.end(), "DATE", f"XXXX-{month:02d}", True, ctx.missing("year"))]
    return [Hit(m.start(), m.end(), "DATE", month_value(year, month), True)]


def cyr_year(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "2023 року"."""
    return [Hit(m.start(), m.end(), "DATE", m["year"])]


def cyr_weekday(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "у п'ятницю" -> the nearest past Friday."""
    weekday = WEEKDAYS_CYR[m["wd"].lower()]
    if ctx.day is None:
        return [Hit(m.start(), m.end(), "DATE", f"XXXX-WXX-{weekday}", True, ctx.missing("day"))]
    return [
        Hit(
            m.start(),
            m.end(),
            "DATE",
            day_value(_weekday_date(ctx.day, weekday, None, None)),
            True,
        )
    ]
