"""Temporal tagging and normalisation (stages/time/tagger.py): seed expressions, unresolved cases, purity."""

from __future__ import annotations

import datetime as dt
import os
import time
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.model import DateValue
from storyline.stages.time.tagger import tag_times

SEED_DAY = DateValue(start=date(2023, 8, 6), end=date(2023, 8, 6), precision="day", basis="test")
TE3_DAY = DateValue(start=date(2013, 3, 22), end=date(2013, 3, 22), precision="day", basis="test")


def _only(text: str, anchor: DateValue | None, expression: str):  # type: ignore[no-untyped-def]
    """The one expression of ``text`` whose surface is ``expression``."""
    found = [t for t in tag_times(text, anchor, article_id="a1") if t.text == expression]
    assert len(found) == 1, tag_times(text, anchor)
    return found[0]


@pytest.mark.parametrize(
    ("text", "expression", "value", "start", "end"),
    [
        (
            "North Korea's leader spoke, state media said on Sunday.",
            "Sunday",
            "2023-08-06",
            "2023-08-06",
            "2023-08-06",
        ),
        (
            "Kim's inspections from Thursday to Saturday included engines.",
            "Thursday",
            "2023-08-03",
            "2023-08-03",
            "2023-08-05",
        ),
        (
            "Kim's inspections from Thursday to Saturday included engines.",
            "Saturday",
            "2023-08-05",
            "2023-08-03",
            "2023-08-05",
        ),
        (
            "It tested last month its newest missiles.",
            "last month",
            "2023-07",
            "2023-07-01",
            "2023-07-31",
        ),
        (
            "Shoigu's presence at the July 27 parade added to suspicions.",
            "July 27",
            "2023-07-27",
            "2023-07-27",
            "2023-07-27",
        ),
        (
            "Drills are scheduled for later this month.",
            "later this month",
            "2023-08",
            "2023-08-01",
            "2023-08-31",
        ),
        (
            "Пхеньян, Північна Корея, 25 липня 2023 року. Фото: AP",
            "25 липня 2023 року",
            "2023-07-25",
            "2023-07-25",
            "2023-07-25",
        ),
        (
            "Лідер КНДР на оборонних заводах. Серпень 2023. КНДР.",
            "Серпень 2023",
            "2023-08",
            "2023-08-01",
            "2023-08-31",
        ),
        (
            "Торжества 27 июля 2023 года в Пхеньяне.",
            "27 июля 2023 года",
            "2023-07-27",
            "2023-07-27",
            "2023-07-27",
        ),
        (
            "Published: AUGUST 6, 2023 09:28",
            "AUGUST 6, 2023",
            "2023-08-06",
            "2023-08-06",
            "2023-08-06",
        ),
        ("The file is dated 2023-08-06.", "2023-08-06", "2023-08-06", "2023-08-06", "2023-08-06"),
        (
            "He arrived on 25 July 2023 by plane.",
            "25 July 2023",
            "2023-07-25",
            "2023-07-25",
            "2023-07-25",
        ),
        ("The war ended in 1953 after talks.", "1953", "1953", "1953-01-01", "1953-12-31"),
        (
            "Growth slowed in the third quarter.",
            "the third quarter",
            "2023-Q3",
            "2023-07-01",
            "2023-09-30",
        ),
        ("Prices rose earlier this year.", "earlier this year", "2023", "2023-01-01", "2023-12-31"),
        ("They met last week in Seoul.", "last week", "2023-W30", "2023-07-24", "2023-07-30"),
        ("Rents peaked in the 1990s.", "1990s", "199", "1990-01-01", "1999-12-31"),
        (
            "Marking the 70th anniversary of the end of the Korean War on July 27, Pyongyang held a parade.",
            "the 70th anniversary",
            "2023-07-27",
            "2023-07-27",
            "2023-07-27",
        ),
        (
            "It marks the 70th anniversary of the armistice signed on July 27, 1953.",
            "the 70th anniversary",
            "2023-07-27",
            "2023-07-27",
            "2023-07-27",
        ),
    ],
)
def test_timex_seed_expressions(
    text: str, expression: str, value: str, start: str, end: str
) -> None:
    """Seed expressions against 2023-08-06 get the TIMEX3 value and calendar range of EXPECTED.md."""
    t = _only(text, SEED_DAY, expression)
    assert t.value == value
    assert t.when is not None
    assert (t.when.start.isoformat(), t.when.end.isoformat()) == (start, end)
    assert text[t.span.start : t.span.end] == expression
    assert t.span.article_id == "a1"


@pytest.mark.parametrize(
    ("text", "expression", "type_", "value"),
    [
        (
            "It was reported in the last week, said Dr. Jhung said Friday.",
            "the last week",
            "DATE",
            "2013-W11",
        ),
        (
            "It was reported in the last week, said Dr. Jhung said Friday.",
            "Friday",
            "DATE",
            "2013-03-22",
        ),
        ("She went there last summer with friends.", "last summer", "DATE", "2012-SU"),
        ("The season started about a month earlier than usual.", "a month", "DURATION", "P1M"),
        ("Hospitalized in the past several months.", "the past several months", "DURATION", "PXM"),
        ("The flu season started in early December.", "early December", "DATE", "2012-12"),
        ("She was elected six years ago.", "six years ago", "DATE", "2007"),
        (
            "Flights resume at 15:00 GMT Saturday, officials will say.",
            "15:00 GMT Saturday",
            "TIME",
            "2013-03-23T15:00",
        ),
        ("Banks are currently closed.", "currently", "DATE", "PRESENT_REF"),
        ("A four-week course begins.", "four-week", "DURATION", "P4W"),
        ("The book is due to be published in May.", "May", "DATE", "2013-05"),
        ("The program will run through June.", "June", "DATE", "2013-06"),
        ("He ran the plant in the 20th century.", "20th century", "DATE", "19"),
        ("The 1957-58 expedition.", "58", "DATE", "1958"),
        ("They vote every week.", "every week", "SET", "P1W"),
        ("Workers make $12 an hour.", "an hour", "SET", "PT1H"),
        ("Charities that raise $25,000 a year.", "a year", "SET", "P1Y"),
        ("Monday’s trip to Hofstra wasn’t her first.", "Monday", "DATE", "2013-03-18"),
        ("Losses in the 1980’s hurt.", "1980’s", "DATE", "198"),
    ],
)
def test_timex_tempeval_conventions(text: str, expression: str, type_: str, value: str) -> None:
    """TimeML conventions against a DCT of 2013-03-22 (a Friday), as TempEval-3 annotates them."""
    t = _only(text, TE3_DAY, expression)
    assert (t.type, t.value) == (type_, value)


@pytest.mark.parametrize(
    "text",
    [
        "You may go. Our March Madness pool.",
        "Ages 6 months and older; his 22-year-old son.",
        "Clocks change before British Summer Time.",
        "Prices fall in a second round.",
        "He told USA TODAY and “Fox News Sunday,” then CBS This Morning.",
        "Unemployment is in the mid-30s; the couple, 27 and 29 years old.",
    ],
)
def test_timex_no_false_alarms(text: str) -> None:
    """Modal "may", a noun "March", ages, names and ordinals are not time expressions."""
    assert tag_times(text, SEED_DAY) == ()


@pytest.mark.parametrize(
    ("text", "expression", "value"),
    [
        ("Koo said Friday that the visits were aimed at exports.", "Friday", "XXXX-WXX-5"),
        ("The drills are scheduled for later this month.", "later this month", None),
        ("A parade last month in Pyongyang.", "last month", None),
        ("At the July 27 parade.", "July 27", "XXXX-07-27"),
        ("They spoke yesterday.", "yesterday", None),
    ],
)
def test_timex_unresolved_without_anchor(text: str, expression: str, value: str | None) -> None:
    """With no publication date a relative expression keeps no calendar date and says why."""
    t = _only(text, None, expression)
    assert t.value == value
    assert t.when is None
    assert t.reason and "relative" in t.reason


@pytest.mark.parametrize(
    ("text", "value"),
    [("Пхеньян, 25 липня 2023 року.", "2023-07-25"), ("Serpen: August 6, 2023.", "2023-08-06")],
)
def test_timex_absolute_resolves_without_anchor(text: str, value: str) -> None:
    """An absolute date needs no anchor."""
    (t,) = tag_times(text, None)
    assert t.value == value and t.when is not None and not t.when.estimate


@pytest.mark.parametrize("expression", ["later this month", "last month"])
def test_timex_estimated_anchor_marks_estimate(expression: str) -> None:
    """Relative dates resolved against an estimated anchor are estimates; a weekday needs the day."""
    month = DateValue(
        start=date(2023, 8, 1),
        end=date(2023, 8, 31),
        precision="month",
        estimate=True,
        basis="story",
    )
    text = f"Drills came {expression}, Koo said Friday."
    times = {t.text: t for t in tag_times(text, month)}
    assert times[expression].when is not None and times[expression].when.estimate
    assert times["Friday"].when is None and times["Friday"].value == "XXXX-WXX-5"


_WORDS = st.sampled_from(
    [
        "said",
        "on",
        "Sunday",
        "Friday",
        "last",
        "next",
        "month",
        "week",
        "year",
        "July",
        "27",
        "2023",
        "later",
        "this",
        "ago",
        "two",
        "days",
        "will",
        "in",
        "March",
        "May",
        "the",
        "from",
        "Thursday",
        "to",
        "Saturday",
        "липня",
        "25",
        "Серпень",
        ",",
        ".",
        "3",
        "p.m.",
        "every",
        "summer",
        "1990s",
        "now",
        "recently",
        "Q3",
        "early",
        "December",
        "9:28",
    ]
)
_ANCHORS = st.builds(
    lambda d, p, e: DateValue(
        start=d if p == "day" else d.replace(day=1),
        end=d if p == "day" else d.replace(day=28),
        precision=p,
        estimate=e,
    ),
    st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)),
    st.sampled_from(["day", "month"]),
    st.booleans(),
)


@settings(max_examples=150, deadline=None)
@given(words=st.lists(_WORDS, max_size=14), anchor=st.one_of(st.none(), _ANCHORS))
def test_timex_spans_inside_text(words: list[str], anchor: DateValue | None) -> None:
    """Every span lies inside the text, indexes it exactly, and spans never overlap."""
    text = " ".join(words)
    times = tag_times(text, anchor, article_id="x")
    last_end = 0
    for t in times:
        assert 0 <= t.span.start < t.span.end <= len(text)
        assert text[t.span.start : t.span.end] == t.text
        assert t.span.start >= last_end
        last_end = t.span.end
        if t.when is not None:
            assert t.when.start <= t.when.end


class _FrozenDate(dt.date):
    """A date class whose today() lies, to catch any reading of the clock."""

    @classmethod
    def today(cls) -> _FrozenDate:
        """A day long past: results must not move with it."""
        return cls(1999, 1, 1)


@settings(max_examples=60, deadline=None)
@given(words=st.lists(_WORDS, max_size=12), anchor=st.one_of(st.none(), _ANCHORS))
def test_timex_pure_of_clock_and_zone(words: list[str], anchor: DateValue | None) -> None:
    """Results depend only on (text, anchor): a different clock or time zone changes nothing."""
    text = " ".join(words)
    before = tag_times(text, anchor)
    mp = pytest.MonkeyPatch()
    old_tz = os.environ.get("TZ")
    try:
        os.environ["TZ"] = "Pacific/Kiritimati"
        time.tzset()
        mp.setattr(time, "time", lambda: 0.0)
        mp.setattr(dt, "date", _FrozenDate)
        after = tag_times(text, anchor)
    finally:
        mp.undo()
        if old_tz is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old_tz
        time.tzset()
    assert before == after


@pytest.mark.parametrize(
    ("markup", "plain", "spans"),
    [
        (
            'Flu &amp; colds: <EVENT eid="e1">said</EVENT> <TIMEX3 tid="t1" type="DATE" '
            'value="2013-03-22">Friday</TIMEX3> and <TIMEX3 tid="t2" type="DURATION" '
            'value="P1M">a month</TIMEX3>.',
            "Flu & colds: said Friday and a month.",
            [("Friday", "2013-03-22"), ("a month", "P1M")],
        )
    ],
)
def test_timex_evaluation_strips_markup_keeping_offsets(
    markup: str, plain: str, spans: list[tuple[str, str]]
) -> None:
    """The TempEval reader's offsets index the stripped, unescaped text exactly."""
    from storyline.evaluation.time import strip_timeml

    text, found = strip_timeml(markup)
    assert text == plain
    assert [(text[t.start : t.end], t.value) for t in found] == spans


def _timeml(docid: str, dct: str, body: str) -> str:
    """A minimal TimeML file: document creation time and a body."""
    return (
        f'<?xml version="1.0" ?>\n<TimeML>\n<DOCID>{docid}</DOCID>\n'
        f'<DCT><TIMEX3 tid="t0" type="DATE" value="{dct}" functionInDocument="CREATION_TIME">'
        f"{dct}</TIMEX3></DCT>\n<TEXT>{body}</TEXT>\n</TimeML>\n"
    )


def test_timex_evaluation_matches_within_each_document(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Two hand-made documents scored by hand: spans never match across documents.

    Doc a (gold: Monday only); the system finds Friday (not gold) and Monday (right value).
    Doc b (gold: Friday at the SAME offsets as a's Friday); the system finds nothing.
    Per document: 1 strict/relaxed/value match of 2 system and 2 gold -> 0.5 everywhere.
    Pooling the documents would wrongly pair b's gold Friday with a's system Friday (1.0).
    """
    from storyline.evaluation.time import Timex, _score, load_documents

    (tmp_path / "input").mkdir()
    (tmp_path / "gold").mkdir()
    plain = "It rained on Friday and on Monday."
    gold_a = 'It rained on Friday and on <TIMEX3 tid="t1" type="DATE" value="1990-08-13">Monday</TIMEX3>.'
    gold_b = 'It rained on <TIMEX3 tid="t1" type="DATE" value="1990-08-10">Friday</TIMEX3>.'
    for name, body, gold in (("a", plain, gold_a), ("b", "It rained on Friday.", gold_b)):
        (tmp_path / "input" / f"{name}.tml.TE3input").write_text(_timeml(name, "1990-08-15", body))
        (tmp_path / "gold" / f"{name}.tml").write_text(_timeml(name, "1990-08-15", gold))
    docs = load_documents(tmp_path)
    assert [(d.id, d.dct, len(d.gold)) for d in docs] == [
        ("a", "1990-08-15", 1),
        ("b", "1990-08-15", 1),
    ]
    # the DCT is the anchor, not an expression of the body
    assert docs[0].text == plain
    system_a = [
        Timex(13, 19, "DATE", "1990-08-10", "Friday"),
        Timex(27, 33, "DATE", "1990-08-13", "Monday"),
    ]
    scores = _score([(docs[0].gold, system_a), (docs[1].gold, [])])
    assert (scores["system"], scores["gold"], scores["strict_match"]) == (2, 2, 1)
    assert scores["strict_f1"] == scores["relaxed_f1"] == scores["value_f1"] == 0.5
    assert scores["value_accuracy"] == 1.0


def test_timex_evaluation_value_f1_counts_relaxed_matches_with_the_right_value() -> None:
    """Relaxed overlap finds the expression; value F1 needs it AND the right value (TempEval-3)."""
    from storyline.evaluation.time import Timex, _score

    gold = [
        Timex(0, 10, "DATE", "1990-08-10", "last Friday"),
        Timex(20, 25, "DATE", "1990", "1990"),
    ]
    system = [Timex(5, 10, "DATE", "1990-08-10", "Friday"), Timex(20, 25, "DATE", "1991", "1990")]
    scores = _score([(gold, system)])
    # strict 1 of 2; relaxed 2 of 2; right value 1 of 2 -> value F1 0.5, value accuracy 0.5
    assert (scores["strict_f1"], scores["relaxed_f1"]) == (0.5, 1.0)
    assert (scores["value_f1"], scores["value_accuracy"]) == (0.5, 0.5)


WSJ_DAY = DateValue(start=date(1989, 10, 26), end=date(1989, 10, 26), precision="day", basis="test")


@pytest.mark.parametrize(
    ("rule", "text", "expression", "value"),
    [
        # QUARTER: the hyphenated adjective and a capitalised ordinal are the same period
        ("quarter", "Third-quarter profit rose.", "Third-quarter", "1989-Q3"),
        ("quarter", "It posted the third-quarter results.", "third-quarter", "1989-Q3"),
        ("quarter", "Sales fell in the fourth quarter.", "the fourth quarter", "1989-Q4"),
        (
            "quarter",
            "Sales rose in next year's first quarter.",
            "next year's first quarter",
            "1990-Q1",
        ),
        # YEAR_EARLIER: the reported quarter a year back, else the year before
        (
            "year_earlier",
            "Third-quarter net rose 5%, from $3 million a year earlier.",
            "a year earlier",
            "1988-Q3",
        ),
        ("year_earlier", "Net rose from the year-ago period.", "the year-ago period", "1988"),
        ("year_earlier", "The firm was sold a year earlier.", "a year earlier", "1988"),
        # SET: "quarterly" as a frequency of an event
        ("set", "The reserve will be adjusted quarterly.", "quarterly", "P3M"),
        (
            "year_earlier",
            "In the third quarter net beat the year-earlier level.",
            "year-earlier",
            "1988-Q3",
        ),
        # TENSE: near the anchor the past tense is the reporting verb's; far after it, last year's
        ("tense", "Dow Jones extended its offer to Nov. 16.", "Nov. 16", "1989-11-16"),
        ("tense", "The plant was closed on Dec. 28.", "Dec. 28", "1988-12-28"),
        # TENSE: "effective" looks ahead; an adverb inside a future verb group keeps it future
        ("tense", "The labor pact is effective June 1.", "June 1", "1990-06-01"),
        ("tense", "The summit would still be held on Dec. 28.", "Dec. 28", "1989-12-28"),
        # TENSE: irregular past forms are past-tense cues ("met ... Wednesday" is behind us)
        ("tense", "He will argue that the king met Bush Wednesday.", "Wednesday", "1989-10-25"),
        # WEEKDAY: after a capitalised subject the weekday is the date ("Tanzania Friday")
        (
            "weekday",
            "Bombs exploded in Kenya and Tanzania Friday, killing 81.",
            "Friday",
            "1989-10-20",
        ),
        # APPROX: bounds are inside the expression; DAY_MOD: so is the part of the day
        (
            "approx",
            "Prices fell for at least the past 18 months.",
            "at least the past 18 months",
            "P18M",
        ),
        ("approx", "Talks were cut off for nearly two years.", "nearly two years", "P2Y"),
        ("day_mod", "Officials spoke late yesterday.", "late yesterday", "1989-10-25"),
        ("day_mod", "Closed Wednesday. Later yesterday it rose.", "Later yesterday", "1989-10-25"),
        ("day_mod", "Last Friday's talks failed.", "Last Friday", "1989-10-20"),
        # THE_YEAR: the year being reported; to a date it is a stretch of a year
        ("the_year", "For the year, volume was flat.", "the year", "1989"),
        ("the_year", "For the year ended Sept. 30, it earned $4 million.", "the year", "P1Y"),
        ("the_year", "Use was delayed earlier in the year.", "earlier in the year", "1989"),
        # THE_WEEKEND: the last one in a past sentence, the coming one in a future sentence
        ("the_weekend", "Over the weekend, officials confirmed it.", "the weekend", "1989-W42-WE"),
        (
            "the_weekend",
            "Traders will square positions ahead of the weekend.",
            "the weekend",
            "1989-W43-WE",
        ),
        ("year_end", "The sale should close by year-end.", "year-end", "1989"),
        # QUARTERS: quarters counted are a duration
        ("quarters", "It had losses in the past two quarters.", "the past two quarters", "P2Q"),
        ("half", "Earnings fall in the last half of 1989.", "the last half of 1989", "1989-H2"),
        ("decade", "Hate groups dropped through the nineties.", "nineties", "199"),
        # SPELLED_YEAR: broadcast transcripts spell years out
        ("spelled_year", "In nineteen ninety-one he was convicted.", "nineteen ninety-one", "1991"),
        (
            "spelled_year",
            "January nineteen ninety-seven. Atlanta.",
            "January nineteen ninety-seven",
            "1997-01",
        ),
        ("spelled_year", "A promise for the year two thousand.", "the year two thousand", "2000"),
        # HOLIDAY: the holiday's date in the year the words and the tense imply
        ("holiday", "He was found last Thanksgiving.", "last Thanksgiving", "1988-11-24"),
        ("holiday", "It will be a theme from now to Election Day.", "Election Day", "1989-11-07"),
        # ANAPHORIC_YEAR: the year written last before it
        (
            "anaphoric_year",
            "He fled in June 1998 and returned later that year.",
            "later that year",
            "1998",
        ),
        (
            "anaphoric_year",
            "He rose in 1995, and the following year he left.",
            "the following year",
            "1996",
        ),
        # a sentence that ends on a capitalised word does not make the next time word a name
        (
            "rel_day",
            "It closed lower on Wednesday. Yesterday, it plunged.",
            "Yesterday",
            "1989-10-25",
        ),
        ("year_earlier", "Year-earlier results included a gain.", "Year-earlier", "1988"),
        # DURATION: "more"/"additional" inside the stretch; "couple of" as a number
        (
            "duration",
            "The base may be used for at least 20 more years.",
            "at least 20 more years",
            "P20Y",
        ),
        (
            "duration",
            "Over the next couple of years sales will rise.",
            "the next couple of years",
            "P2Y",
        ),
        # VAGUE_PLURAL: "in years", "within weeks", "the weeks ahead"
        ("vague_plural", "It grew for the first time in years.", "years", "PXY"),
        ("vague_plural", "Funds may sell in the weeks ahead.", "the weeks ahead", "PXW"),
        ("vague_plural", "The mosque stood for centuries.", "centuries", "PXCE"),
        # WEEKDAY_MONTH_DAY: one expression, in the year whose calendar fits the weekday
        (
            "weekday_month_day",
            "The Times said on Monday, Oct. 23:",
            "Monday, Oct. 23",
            "1989-10-23",
        ),
        (
            "weekday_month_day",
            "He returned home on Sunday, Oct. 23.",
            "Sunday, Oct. 23",
            "1988-10-23",
        ),
        # CLOCK: an hour alone is written with its minutes, as "noon" is T12:00
        (
            "clock",
            "The offer runs until 10 p.m. Wednesday.",
            "10 p.m. Wednesday",
            "1989-10-25T22:00",
        ),
        ("rel_unit", 'He said "this week is decisive" to aides.', "this week", "1989-W43"),
        (
            "clock",
            "The offer expires at 5 p.m. EST, Nov. 6.",
            "5 p.m. EST, Nov. 6",
            "1989-11-06T17:00",
        ),
        ("clock", "It ends at 5 p.m. Nov. 9, 1990.", "5 p.m. Nov. 9, 1990", "1990-11-09T17:00"),
        # TENSE: a future cue under a past auxiliary is past
        (
            "tense",
            "The offer had been due to expire Friday evening.",
            "Friday evening",
            "1989-10-20TEV",
        ),
        # PERIOD_REF: the quarter under discussion, named before or just completed
        ("period_ref", "Net fell 5% in the quarter.", "the quarter", "1989-Q3"),
        (
            "period_ref",
            "Second-quarter net fell. Sales in the latest quarter rose.",
            "the latest quarter",
            "1989-Q2",
        ),
        (
            "period_ref",
            "In the 1988 third quarter, it lost money.",
            "the 1988 third quarter",
            "1988-Q3",
        ),
        (
            "period_ref",
            "Losses will last through the third quarter of 1990. In the year-ago period it earned.",
            "the year-ago period",
            "1988-Q3",
        ),
        (
            "quarter",
            "It earned $5 million in the fiscal first quarter.",
            "the fiscal first quarter",
            "1989-Q1",
        ),
    ],
)
def test_timex_financial_period_rules(rule: str, text: str, expression: str, value: str) -> None:
    """Positive examples of the rule rows tuned on TempEval-3 train (financial periods and the issue-11 rules)."""
    assert _only(text, WSJ_DAY, expression).value == value, rule


@pytest.mark.parametrize(
    ("rule", "text", "absent"),
    [
        # a quarter of something is a share, not a period; a quarterback is a player
        ("quarter", "A quarter of the voters stayed home.", "quarter"),
        ("quarter", "The third quarterback was hurt.", "quarter"),
        # a year's quarter needs the ordinal: "this year's quarter" is no possessive period
        ("quarter", "Sales rose in this year's quarter.", "this year's quarter"),
        # "the" stays out of the hyphenated adjective's span
        ("quarter", "It posted the third-quarter results.", "the third-quarter"),
        # no year-earlier point without the word: "a year" alone is still a duration
        ("year_earlier", "The work took a year to finish.", "a year earlier"),
        ("year_earlier", "Net beat the year-ago level.", "The year-ago"),
        # "its quarterly dividend" is a kind of dividend, not a frequency
        ("set", "Du Pont raised its quarterly dividend.", "quarterly"),
        # WEEKDAY: a feast or a show named with the weekday is no date
        ("weekday", "Shops close on Good Friday.", "Friday"),
        # APPROX: "about" and "over" TimeBank leaves outside
        ("approx", "It took about two years.", "about two years"),
        ("approx", "Sales rose over the past decade.", "over the past decade"),
        # THE_YEAR: "the year before", "the year of his death" point elsewhere
        ("the_year", "He had left the year before.", "the year"),
        ("the_year", "It was the year of his death.", "the year"),
        ("the_weekend", "It was a weekend-long rally.", "weekend"),
        ("year_end", "Year-ender sales.", "Year-end"),
        # QUARTERS: shares are no periods
        ("quarters", "Iraq imports three-quarters of its food.", "three-quarters"),
        ("quarters", "Funds hold more than a quarter of the market.", "a quarter"),
        ("decade", "Highs reached the upper nineties.", "nineties"),
        ("spelled_year", "Nineteen fifty people came.", "Nineteen fifty"),
        ("holiday", "He made a New Year's resolution.", "New Year's"),
        ("anaphoric_year", "The report that year-end brought was bad.", "that year"),
        ("rel_day", "He told USA Today it was over.", "Today"),
        ("vague_plural", "It was common in years past.", "years"),
        ("duration", "He bought two more shares a day later.", "two more shares"),
        ("weekday_month_day", "Sales were strong Friday. Oct. 23 was calm.", "Friday. Oct. 23"),
        # REL_UNIT: a Title-Case phrase after an opening quote is a programme's title
        ("rel_unit", 'Baker said on ABC\'s "This Week" that it would not.', "This Week"),
        ("clock", "Trading closed at 4 p.m. Prices rose.", "4 p.m. Prices"),
        # a period needs a qualifier; a quarter of a town or a share is no period
        ("period_ref", "The period of mourning ended.", "The period"),
        ("period_ref", "He grew up in the quarter of the old city.", "the quarter"),
        ("period_ref", "They won the quarter-final.", "the quarter"),
    ],
)
def test_timex_financial_period_rules_negative(rule: str, text: str, absent: str) -> None:
    """Negative examples: the rule rows do not fire (or do not widen the span) here."""
    found = [t.text for t in tag_times(text, WSJ_DAY, article_id="a1")]
    assert absent not in found and all(absent.lower() != f.lower() for f in found), (rule, found)


def test_timex_eval_cli_skips_the_peer(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """``storyline eval time --no-peer`` scores storyline alone (HeidelTime is minutes)."""
    import json

    from click.testing import CliRunner

    from storyline.cli import cli

    (tmp_path / "input").mkdir()
    (tmp_path / "gold").mkdir()
    gold = 'Rain fell on <TIMEX3 tid="t1" type="DATE" value="1990-08-10">Friday</TIMEX3>.'
    (tmp_path / "input" / "a.tml.TE3input").write_text(
        _timeml("a", "1990-08-15", "Rain fell on Friday.")
    )
    (tmp_path / "gold" / "a.tml").write_text(_timeml("a", "1990-08-15", gold))
    result = CliRunner().invoke(
        cli, ["eval", "time", "--data", str(tmp_path), "--no-peer", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert list(report["systems"]) == ["storyline"]
    assert (report["documents"], report["gold_timex"]) == (1, 1)
