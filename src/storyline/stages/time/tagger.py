"""Temporal tagging and normalisation: find time expressions and give them TIMEX3 values.

A pure-Python, rule-based tagger in the spirit of HeidelTime: regular grammars
(``timex_rules``) find candidates, the longest non-overlapping ones win, and each
is normalised against the anchor (the article's publication date) by news
conventions: a bare weekday is the nearest past one unless the sentence speaks
of the future; a month without a year is the nearest one the tense allows.

``tag_times`` never reads the clock or the time zone: with no anchor, relative
expressions stay unresolved and say why.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from storyline.model import DateValue, Precision, Span, TimeExpression
from storyline.stages.time import handlers as H
from storyline.stages.time import rules as R
from storyline.stages.time import units as U
from storyline.stages.time.calendar import month_end, when_of
from storyline.stages.time.handlers import Ctx, Handler, Hit
from storyline.stages.time.prefilter import Prefilter

# What a rule needs in the text to match at all: most sentences have no digit and no
# Cyrillic, so skipping those rules' scans is the cheapest speed-up there is.
_DIGIT, _CYRILLIC = 1, 2
_HAS_DIGIT = re.compile(r"\d")
_HAS_CYRILLIC = re.compile(r"[\u0400-\u04ff]")

# Order is priority on ties: of two equally long overlapping candidates, the earlier rule wins.
_RULES: tuple[tuple[re.Pattern[str], Handler, int], ...] = (
    (R.ISO_DATE, H.iso, _DIGIT),
    (R.NUMERIC_DATE, H.numeric, _DIGIT),
    (R.CYR_DAY_MONTH, H.cyr_day_month, _DIGIT | _CYRILLIC),
    (R.CYR_MONTH_YEAR, H.cyr_month_year, _DIGIT | _CYRILLIC),
    (R.CYR_YEAR, H.cyr_year, _DIGIT | _CYRILLIC),
    (R.WEEKDAY_MONTH_DAY, H.weekday_month_day, _DIGIT),
    (R.MONTH_DAY, H.month_day, _DIGIT),
    (R.DAY_MONTH, H.day_month, _DIGIT),
    (R.MONTH_YEAR, H.month_year, _DIGIT),
    (R.SPELLED_YEAR, H.spelled_year, 0),
    (R.HOLIDAY, H.holiday, 0),
    (R.ANAPHORIC_YEAR, H.anaphoric_year, 0),
    (R.WEEKDAY_RANGE, H.weekday_range, 0),
    (R.CLOCK, H.clock, 0),
    (R.PART_OF_DAY, H.part_of_day, 0),
    (R.REL_DAY, H.rel_day, 0),
    (R.CYR_REL_DAY, H.rel_day, _CYRILLIC),
    (R.WEEKDAY_ONE, H.weekday, 0),
    (R.CYR_WEEKDAY_ONE, H.cyr_weekday, _CYRILLIC),
    (R.QUARTER, H.quarter, 0),
    (R.HALF, H.half, 0),
    (R.YEAR_EARLIER, H.year_earlier, 0),
    (R.PERIOD_REF, H.period_ref, 0),
    (R.AGO, U.ago, 0),
    (R.REL_UNIT, U.rel_unit, 0),
    (R.END_OF, U.end_of, 0),
    (R.THE_YEAR, U.the_year, 0),
    (R.THE_WEEKEND, U.the_weekend, 0),
    (R.YEAR_END, U.year_end, 0),
    (R.SET, U.set, 0),
    (R.QUARTERS, U.quarters, 0),
    (R.HALF_HOUR, U.half_hour, 0),
    (R.DURATION, U.duration, 0),
    (R.VAGUE_PLURAL, U.vague_plural, 0),
    (R.SEASON, H.season, 0),
    (R.DECADE, H.decade, _DIGIT),
    (R.DECADE_WORD, H.decade_word, 0),
    (R.CENTURY, H.century, 0),
    (R.FISCAL_YEAR, H.fiscal_year, _DIGIT),
    (R.YEAR_RANGE, H.year_range, _DIGIT),
    (R.YEAR, H.year, _DIGIT),
    (R.MONTH_ALONE, H.month_alone, 0),
    (R.CYR_MONTH_ALONE, H.cyr_month_alone, _CYRILLIC),
    (R.REFERENCE, U.reference, 0),
)


@cache
def _prefilter() -> Prefilter:
    """One scan for the places where any rule can begin, then each rule tried only there:
    the same matches as scanning every rule over the whole text, at an eighth of the CPU
    (bench/bench_time.py --identity). Built on first use (about 0.1 s), not at import."""
    return Prefilter([pattern for pattern, _, _ in _RULES])


def _select(hits: list[tuple[int, Hit]]) -> list[Hit]:
    """Longest candidates first, then rule priority; drop any that overlap an accepted one."""
    ordered = sorted(hits, key=lambda ph: (-(ph[1].end - ph[1].start), ph[0], ph[1].start))
    taken: list[Hit] = []
    for _, hit in ordered:
        if hit.end <= hit.start:
            continue
        if all(hit.end <= t.start or hit.start >= t.end for t in taken):
            taken.append(hit)
    return sorted(taken, key=lambda h: (h.start, h.end))


def _range_precision(first: date, last: date) -> Precision:
    """The coarsest precision that describes ``first..last`` exactly (2009..2010 is years)."""
    if first.day == 1 and last == month_end(last.year, last.month):
        return "year" if first.month == 1 and last.month == 12 else "month"
    return "day"


def _to_expression(hit: Hit, ctx: Ctx, article_id: str) -> TimeExpression:
    """Turn a hit into the record, with the calendar range (``when``) of DATE/TIME values."""
    anchor = ctx.anchor
    estimate = bool(hit.relative and anchor is not None and anchor.estimate)
    if hit.relative and anchor is not None:
        basis = (
            "relative to "
            + (anchor.basis or "the publication date")
            + (" (estimate)" if estimate else "")
        )
    else:
        basis = "text"
    when: DateValue | None = None
    if hit.type in ("DATE", "TIME") and hit.value is not None:
        if hit.range_ is not None:
            first, last = hit.range_
            when = DateValue(
                start=first,
                end=last,
                precision=_range_precision(first, last),
                estimate=estimate,
                basis=basis,
            )
        else:
            when = when_of(hit.value, estimate=estimate, basis=basis)
    reason = hit.reason
    if reason is None and hit.relative and when is not None and anchor is not None:
        reason = f"resolved against the anchor {anchor.start.isoformat()}" + (
            " (an estimate)" if estimate else ""
        )
    return TimeExpression(
        span=Span(article_id, hit.start, hit.end),
        text=ctx.text[hit.start : hit.end],
        type=hit.type,
        value=hit.value,
        when=when,
        reason=reason,
    )


def _resolve(handler: Handler, match: re.Match[str], ctx: Ctx) -> list[Hit]:
    """The handler's hits; an expression whose date falls past the ends of the calendar
    (before year 1 or after 9999, e.g. "last Friday" in an article dated 0001-01-01) has no
    date to give and stays unresolved, like any expression without an anchor."""
    try:
        return handler(match, ctx)
    except OverflowError:
        return [Hit(match.start(), match.end(), "DATE", None, True, "beyond the calendar")]
    except KeyError:
        # ``re`` matches case-insensitively a few letters that ``str.lower`` keeps apart
        # (the long s of "yeſterday", the dotless i of "tonıght"): the handler's lexicon
        # has no such word, so the match is no expression, and the text's others stand
        return []


def tag_times(
    text: str, anchor: DateValue | None, *, article_id: str = ""
) -> tuple[TimeExpression, ...]:
    """Find the time expressions of ``text`` and normalise them against ``anchor``.

    Args:
        text: the article text; every span indexes it exactly.
        anchor: the publication date (None when unknown: relative expressions stay unresolved).
        article_id: the id written into each span.

    Returns:
        The expressions in text order, without overlaps.

    Example:
        >>> from datetime import date
        >>> day = DateValue(start=date(2023, 8, 6), end=date(2023, 8, 6), precision="day")
        >>> [t.value for t in tag_times("Kim spoke on Sunday.", day)]
        ['2023-08-06']
    """
    return _tag(text, anchor, article_id, whole=False)


def _tag(
    text: str, anchor: DateValue | None, article_id: str, *, whole: bool
) -> tuple[TimeExpression, ...]:
    """``tag_times``; ``whole`` scans every rule over the whole text (the tests' reference)."""
    ctx = Ctx(text, anchor)
    hits: list[tuple[int, Hit]] = []
    present = (_DIGIT if _HAS_DIGIT.search(text) else 0) | (
        _CYRILLIC if _HAS_CYRILLIC.search(text) else 0
    )
    skipped = [needs & present != needs for _, _, needs in _RULES]
    for priority, match in _prefilter().matches(text, skip=skipped, whole=whole):
        hits.extend((priority, hit) for hit in _resolve(_RULES[priority][1], match, ctx))
    chosen = _select(hits)
    chosen = sorted(chosen + _anniversaries(ctx, chosen), key=lambda h: (h.start, h.end))
    return tuple(_to_expression(hit, ctx, article_id) for hit in chosen)


def _anniversaries(ctx: Ctx, chosen: list[Hit]) -> list[Hit]:
    """ "The 70th anniversary" dated by the clause that states it, never guessed.

    The date in the same clause ("... of the end of the Korean War on July 27") is the
    anniversary's own date; a date N years before the anchor ("the armistice of July
    27, 1953") is the original event, so the anniversary is N years later.
    """
    found: list[Hit] = []
    for m in R.ANNIVERSARY.finditer(ctx.text):
        n = int(m["n"])
        clause_end = R.CLAUSE_END.search(ctx.text, m.end())
        stop = clause_end.start() if clause_end else len(ctx.text)
        stated = next(
            (
                h
                for h in chosen
                if m.end() <= h.start < stop
                and h.type == "DATE"
                and h.value
                and h.value[:4].isdigit()
            ),
            None,
        )
        if stated is None or stated.value is None:
            continue
        value = stated.value
        year = int(value[:4])
        if ctx.year is None or year + n <= ctx.year + 1:
            value = f"{year + n:04d}{value[4:]}"
            if (when := when_of(value)) is None or (when.start.month == 2 and when.start.day == 29):
                continue
        reason = f"anniversary dated by {ctx.text[stated.start : stated.end]!r} in the same clause"
        found.append(Hit(m.start(), m.end(), "DATE", value, stated.relative, reason, stated.range_))
    return found
