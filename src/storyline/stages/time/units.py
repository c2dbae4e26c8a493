"""Handlers for calendar units, durations, sets and references of the temporal tagger.

"last month", "later this month", "six years ago", "a month", "$12 an hour", "now":
the unit arithmetic against the anchor, and the values that need no anchor at all.
"""

from __future__ import annotations

import re
from datetime import timedelta

from storyline.stages.time.calendar import iso_week, shift_month
from storyline.stages.time.handlers import (
    PREV_WORD,
    Ctx,
    Hit,
    day_value,
    month_value,
    tense_of,
)
from storyline.stages.time.lexicon import (
    CLOCK_UNITS,
    DAY_PARTS,
    SEASONS,
    UNITS,
    WEEKDAYS_EN,
    number_value,
)

_RATE_BEFORE = re.compile(
    r"(?:[\d$€£%]|\b(?:percent|dollars|euros|pounds|million|billion|trillion|hours|times|miles|tons|points))[\s\w,.]{0,3}\s$"
)


# A Title-Case phrase right after an opening quote names a show or a work ("This Week").
_TITLE_IN_QUOTES = re.compile(r"[\"“‘'](?:[A-Z][a-z]*\s+)+[A-Z][a-z]*$")

_STRETCHES = {"decade": "10Y", "century": "100Y", "quarter": "3M"}


def rel_unit(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "last month", "later this month", "earlier this year", "next week", "the past year" (a duration)."""
    if _TITLE_IN_QUOTES.match(ctx.text[max(0, m.start() - 1) : m.end()]):
        return []  # ABC's "This Week": a programme title, not a week
    rel = m["rel"].lower()
    unit = " ".join(m["unit"].lower().split()).replace("fiscal year", "year")
    step = {"last": -1, "past": -1, "next": 1, "coming": 1}.get(rel, 0)
    start = m.start()
    if rel == "past" or (rel in ("next", "coming") and m.group(0).lower().startswith("the")):
        # "the past year", "the next month": a stretch of time, not a calendar unit
        if unit in ("weekend",):
            return []
        # a lookup, not ``.get(unit, default)``: the default would index UNITS with "quarter"
        letter = _STRETCHES.get(unit) or "1" + UNITS[unit]
        return [Hit(start, m.end(), "DURATION", "P" + letter)]
    if unit in ("week", "weekend"):
        if ctx.day is None:
            return [Hit(start, m.end(), "DATE", None, True, ctx.missing("day"))]
        value = iso_week(ctx.day + timedelta(days=7 * step)) + ("-WE" if unit == "weekend" else "")
        return [Hit(start, m.end(), "DATE", value, True)]
    if unit in ("month", "quarter"):
        if ctx.month is None:
            return [Hit(start, m.end(), "DATE", None, True, ctx.missing("month"))]
        year, month = ctx.month
        if unit == "month":
            year, month = shift_month(year, month, step)
            return [Hit(start, m.end(), "DATE", month_value(year, month), True)]
        year, month = shift_month(year, month, 3 * step)
        return [Hit(start, m.end(), "DATE", f"{year:04d}-Q{(month - 1) // 3 + 1}", True)]
    if ctx.year is None:
        return [Hit(start, m.end(), "DATE", None, True, ctx.missing("year"))]
    if unit == "year":
        return [Hit(start, m.end(), "DATE", f"{ctx.year + step:04d}", True)]
    if unit == "decade":
        return [Hit(start, m.end(), "DATE", f"{ctx.year // 10 + step:03d}", True)]
    return [Hit(start, m.end(), "DATE", f"{ctx.year // 100 + step:02d}", True)]


def the_year(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """ "the year", "the fiscal year": the anchor's year; a year to a date ("the year ended
    Sept. 30") is a stretch of a year."""
    if m["ended"] is not None:  # the lookahead group matches the empty string
        return [Hit(m.start(), m.end(), "DURATION", "P1Y")]
    if ctx.year is None:
        return [Hit(m.start(), m.end(), "DATE", None, True, ctx.missing("year"))]
    return [Hit(m.start(), m.end(), "DATE", f"{ctx.year:04d}", True)]


def the_weekend(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """ "the weekend": the last one before the anchor, or the next one when the sentence is future."""
    if ctx.day is None:
        return [Hit(m.start(), m.end(), "DATE", None, True, ctx.missing("day"))]
    future = tense_of(ctx.text, m.start(), m.end()) == "future"
    weekday = ctx.day.isoweekday()
    # this week's weekend is the coming one, or the one the anchor is in; else last week's
    day = ctx.day if future or weekday >= 6 else ctx.day - timedelta(days=7)
    return [Hit(m.start(), m.end(), "DATE", iso_week(day) + "-WE", True)]


def year_end(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """ "year-end", "by year's end": the end of the anchor's year (TimeML: the year, mod END)."""
    if ctx.year is None:
        return [Hit(m.start(), m.end(), "DATE", None, True, ctx.missing("year"))]
    return [Hit(m.start(), m.end(), "DATE", f"{ctx.year:04d}", True)]


def end_of(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "the end of the year": this year's, unless the tense puts it in the other half."""
    unit, mod = m["unit"].lower(), m["mod"].lower()
    tense = tense_of(ctx.text, m.start(), m.end())
    if unit == "week":
        if ctx.day is None:
            return [Hit(m.start(), m.end(), "DATE", None, True, ctx.missing("day"))]
        return [Hit(m.start(), m.end(), "DATE", iso_week(ctx.day), True)]
    if unit == "month":
        if ctx.month is None:
            return [Hit(m.start(), m.end(), "DATE", None, True, ctx.missing("month"))]
        return [Hit(m.start(), m.end(), "DATE", month_value(*ctx.month), True)]
    if ctx.year is None:
        return [Hit(m.start(), m.end(), "DATE", None, True, ctx.missing("year"))]
    year = ctx.year
    month = ctx.month[1] if ctx.month else 6
    # the end of the year is behind us only as last year's, early in a year
    if mod == "end" and tense == "past" and month <= 6:
        year -= 1
    elif mod in ("beginning", "start") and tense == "future" and month >= 7:
        year += 1
    return [Hit(m.start(), m.end(), "DATE", f"{year:04d}", True)]


def ago(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "six years ago" -> 2007, "two weeks ago" -> a week value."""
    unit = m["unit"].lower()
    n = number_value(m["num"])
    if n is None:
        return [Hit(m.start(), m.end(), "DATE", "PAST_REF")]
    if unit == "day" or unit == "week":
        if ctx.day is None:
            return [Hit(m.start(), m.end(), "DATE", None, True, ctx.missing("day"))]
        back = ctx.day - timedelta(days=n * (7 if unit == "week" else 1))
        return [
            Hit(
                m.start(),
                m.end(),
                "DATE",
                iso_week(back) if unit == "week" else day_value(back),
                True,
            )
        ]
    if unit == "month":
        if ctx.month is None:
            return [Hit(m.start(), m.end(), "DATE", None, True, ctx.missing("month"))]
        return [Hit(m.start(), m.end(), "DATE", month_value(*shift_month(*ctx.month, -n)), True)]
    if ctx.year is None:
        return [Hit(m.start(), m.end(), "DATE", None, True, ctx.missing("year"))]
    if unit == "year":
        return [Hit(m.start(), m.end(), "DATE", f"{ctx.year - n:04d}", True)]
    return [Hit(m.start(), m.end(), "DATE", f"{(ctx.year - 10 * n) // 10:03d}", True)]


def _duration_value(amount: str, unit: str) -> str:
    """P<n><unit> (PT for clock units); decades and centuries in years."""
    if unit in CLOCK_UNITS:
        return f"PT{amount}{UNITS[unit]}"
    if amount == "X":
        return "PX" + UNITS[unit]
    n = float(amount)
    scale, letter = {"decade": (10, "Y"), "century": (100, "Y"), "fortnight": (2, "W")}.get(
        unit, (1, UNITS[unit])
    )
    total = n * scale
    text = str(int(total)) if total == int(total) else f"{total:g}"
    return f"P{text}{letter}"


def duration(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "a month", "the past two years", "four-week", "several days"."""
    raw, unit = m["num"].lower(), m["unit"].lower()
    n = number_value(raw)
    if unit == "second" and raw in ("a", "an", "one"):
        return []  # "a second round" is an ordinal
    prev = PREV_WORD.search(ctx.text, max(0, m.start() - 12), m.start())
    if prev and prev[1].lower() in ("age", "ages", "aged"):
        return []  # an age ("children ages 6 months and older") is not a time expression
    start = m.start()
    hyphenated = ctx.text[m.end("num") : m.start("unit")] == "-"
    if raw in ("a", "an") and start == m.start("num"):
        if hyphenated or ctx.text[start - 1 : start] == "-":
            return []  # "$400-million-a-year": part of a compound adjective
        if _RATE_BEFORE.search(ctx.text, max(0, start - 30), start):
            # "$12 an hour", "60 hours a week": a rate, so a set of times
            return [Hit(start, m.end(), "SET", _duration_value("1", unit))]
    if hyphenated and start < m.start("num"):
        # "a four-week course": the adjective is the expression, not the article
        start = m.start("num")
    amount = "X" if n is None else str(n)
    return [Hit(start, m.end(), "DURATION", _duration_value(amount, unit))]


def quarters(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "the past two quarters" -> P2Q, "several quarters" -> PXQ."""
    n = number_value(m["num"])
    return [Hit(m.start(), m.end(), "DURATION", f"P{'X' if n is None else n}Q")]


def half_hour(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "half an hour" -> PT30M."""
    minutes = 30 if m.group(0).lower().startswith("half") else 90
    return [Hit(m.start(), m.end(), "DURATION", f"PT{minutes}M")]


def vague_plural(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "recent weeks" -> PXW, "for years" -> PXY."""
    raw = (m["unit"] or m["bare"] or m["bare2"] or m["ahead"]).lower()
    unit = "century" if raw == "centuries" else raw.rstrip("s")
    return [Hit(m.start(), m.end(), "DURATION", _duration_value("X", unit))]


_SET_UNITS = {"day": "P1D", "week": "P1W", "month": "P1M", "year": "P1Y", "weekend": "P1WE"}
_SET_ADVERBS = {
    "daily": "P1D",
    "weekly": "P1W",
    "monthly": "P1M",
    "annually": "P1Y",
    "yearly": "P1Y",
    "hourly": "PT1H",
    "nightly": "P1D",
    "quarterly": "P3M",
}


def set(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "every week", "daily", "twice a year", "on Sundays"."""
    if m["adv"]:
        return [Hit(m.start(), m.end(), "SET", _SET_ADVERBS[m["adv"].lower()])]
    if m["per"]:
        return [Hit(m.start(), m.end(), "SET", _SET_UNITS[m["per"].lower()])]
    if m["wds"]:
        return [Hit(m.start(), m.end(), "SET", f"XXXX-WXX-{WEEKDAYS_EN[m['wds'].lower()]}")]
    unit = m["unit"].lower()
    if unit in _SET_UNITS:
        value = _SET_UNITS[unit]
    elif unit in WEEKDAYS_EN:
        value = f"XXXX-WXX-{WEEKDAYS_EN[unit]}"
    elif unit in SEASONS:
        value = f"XXXX-{SEASONS[unit]}"
    else:
        value = f"XXXX-XX-XXT{DAY_PARTS[unit]}"
    return [Hit(m.start(), m.end(), "SET", value)]


def reference(m: re.Match[str], ctx: Ctx) -> list[Hit]:
    """Expressions such as "now" -> PRESENT_REF, "in the past"/"recently" -> PAST_REF, "in the future" -> FUTURE_REF."""
    value = "PRESENT_REF" if m["present"] else "FUTURE_REF" if m["future"] else "PAST_REF"
    return [Hit(m.start(), m.end(), "DATE", value)]
