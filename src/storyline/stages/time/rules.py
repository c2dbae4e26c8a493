"""The regular expressions of the temporal tagger, compiled once at import.

Each rule finds one family of expressions (explicit dates, weekdays, relative
units, durations ...); ``timex.py`` turns a match into a TIMEX3 value. The
patterns are HeidelTime-style: a small grammar of lexicon alternations.
"""

from __future__ import annotations

import re

from storyline.stages.time.lexicon import (
    MONTH_ABBR_EN,
    MONTHS_CYR,
    MONTHS_EN,
    NUMBER_WORDS,
    VAGUE_QUANTITIES,
    WEEKDAYS_CYR,
    WEEKDAYS_EN,
    alternation,
)


def _cased(words: list[str]) -> str:
    """An alternation of Title-case and UPPER-case forms: month names are proper nouns.

    Lower-case "may", "march" and "august" are ordinary English words, so only the
    capitalised forms (and headline capitals, "AUGUST 6, 2023") count as months.
    """
    forms = {w.title() for w in words} | {w.upper() for w in words}
    return alternation(forms)


MONTH_FULL = _cased(list(MONTHS_EN))
MONTH_ABBR = _cased(list(MONTH_ABBR_EN))
# "Sept." before "Sep" and full names before abbreviations (alternation sorts by length).
MONTH = rf"(?:{MONTH_FULL}|(?:{MONTH_ABBR})\.?)"
WEEKDAY = _cased(list(WEEKDAYS_EN))
NUM_WORD = alternation(list(NUMBER_WORDS))
NUM = rf"(?:\d+(?:\.\d+)?|(?:{NUM_WORD})(?:-(?:{NUM_WORD}))?)"
VAGUE = alternation(list(VAGUE_QUANTITIES))
UNIT = r"(?:second|minute|hour|day|night|week|fortnight|month|year|decade|century)"
# "early December", "mid-March", "the end of 2012": the modifier is part of the span
# (TimeML puts it in the value's mod attribute, not the value).
MOD = r"(?:(?:early|late|mid|the\s+(?:end|beginning|start|middle)\s+of)[\s-]+|mid-)"
# "nearly two years", "at least the past 18 months", "more than four decades ago": TimeML
# keeps these bounds inside the expression (its mod attribute); "about", "over", "within"
# and "almost" TimeBank mostly leaves outside, so they stay out.
APPROX = (
    r"(?:(?:nearly|more\s+than|less\s+than|fewer\s+than|at\s+least|no\s+more\s+than|up\s+to)\s+)"
)
# "early Tuesday", "late yesterday", "Earlier Sunday": part of the day within the day
DAY_MOD = r"(?:(?i:early|late|earlier|later)\s+)"
YEAR4 = r"(?:1[5-9]\d\d|20\d\d)"
CYR_MONTH = alternation(list(MONTHS_CYR))
CYR_WEEKDAY = alternation(list(WEEKDAYS_CYR))
CYR_YEAR_WORD = r"(?:\s*(?:року|рік|року\.|р\.|года|год|г\.))"

# --- explicit dates -------------------------------------------------------------------
ISO_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d])")
NUMERIC_DATE = re.compile(r"(?<![\d./])(\d{1,2})([./])(\d{1,2})\2(\d{4})(?!\d)")
MONTH_DAY = re.compile(
    rf"(?P<mod>{MOD})?\b(?P<month>{MONTH})\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b"
    rf"(?:\s*(?:-|–|to|through|and)\s*(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?\b)?"
    rf"(?:,?\s+(?P<year>{YEAR4})\b)?"
)
DAY_MONTH = re.compile(
    rf"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{MONTH})(?![\w])"
    rf"(?:,?\s+(?P<year>{YEAR4})\b)?"
)
MONTH_YEAR = re.compile(rf"(?P<mod>{MOD})?\b(?P<month>{MONTH}),?\s+(?:of\s+)?(?P<year>{YEAR4})\b")
MONTH_ALONE = re.compile(
    rf"(?P<mod>{MOD})?\b(?:(?P<rel>(?i:last|next|this|past|coming))\s+)?(?P<month>{MONTH_FULL})\b(?!-)"
)
YEAR_RANGE = re.compile(
    rf"(?<![\w$€£.,])(?P<y1>{YEAR4})\s*(?:-|–|/|to)\s*(?P<y2>{YEAR4}|\d\d)(?![\w%])"
)
YEAR = re.compile(rf"(?<![\w$€£.,:/-])(?P<mod>{MOD})?(?P<year>{YEAR4})(?![\w%]|[.,]\d)")
# A four-digit number followed by a unit is a quantity ("2000 troops", "1500 GMT"), not a year.
NOT_A_YEAR = re.compile(
    r"\s*(?:%|percent\b|per\s+cent\b|GMT\b|UTC\b|hours\b|hrs\b)"
    r"|\s+(?:people|persons|troops|soldiers|men|women|children|km|kilometres|kilometers|miles|metres|meters|feet|tons|tonnes|units|votes|cases|deaths|points|dollars|euros|yuan|won|rubles|hryvnias|pounds|times)\b"
)
FISCAL_YEAR = re.compile(
    rf"\b(?:fiscal|financial|budget)\s+(?:year\s+)?(?P<year>{YEAR4})\b|\bFY\s?(?P<fy>{YEAR4}|\d\d)\b"
)
# "the 1990s", "the mid-1990s", "the '80s", "the nineties" ("the" stays out: TimeBank is split
# on it, and the seed conventions leave it out)
DECADE = re.compile(
    r"\b(?:(?P<mod>early|late|mid)[\s-]+)?(?P<dec>(?:1[5-9]|20)\d0)['’]?s\b"
    r"|\b[Tt]he\s+(?:(?:early|late|mid)[\s-]+)?(?P<short>['’][1-9]0)['’]?s\b"
    r"|\b[Tt]he\s+(?P<bare>[1-9]0)['’]?s\b(?!\s*(?:%|percent|per\s+cent|degrees))"
)
# "the nineties": a rule apart, since it needs no digit (digit-free text skips DECADE)
DECADE_WORD = re.compile(
    r"\b[Tt]he\s+(?:(?:early|late|mid)[\s-]+)?(?P<word>twenties|thirties|forties|fifties"
    r"|sixties|seventies|eighties|nineties)\b"
)
CENTURY = re.compile(
    r"\b(?P<n>\d{1,2})(?:st|nd|rd|th)[\s-]+[Cc]entury\b"
    r"|\b(?P<word>nineteenth|twentieth|twenty-first|eighteenth)[\s-]+[Cc]entury\b",
)
QUARTER = re.compile(
    # "third-quarter earnings": the hyphenated adjective is the same period (TimeBank tags it)
    # ("the" belongs to the noun phrase only before the noun: "the third quarter", not
    # "the third-quarter results")
    # ("the fiscal first quarter", "its fourth quarter": the determiner and "fiscal" belong to it)
    r"\b(?:(?:[Tt]he|[Ii]ts|[Tt]heir)\s+(?:fiscal[\s-]+)?(?=(?i:first|second|third|fourth|final|1st|2nd|3rd|4th)\s)"
    # "this year's third quarter", "next year's first quarter": the year said before it
    r"|(?P<prel>[Tt]his|[Ll]ast|[Nn]ext)\s+year's\s+)?"
    r"(?P<ord>(?i:first|second|third|fourth|final|1st|2nd|3rd|4th))[\s-]+"
    r"(?:fiscal\s+)?quarter\b"
    rf"(?:\s+of\s+(?:(?P<year>{YEAR4})|(?P<rel>this|last|next)\s+year))?"
    rf"|\bQ(?P<q>[1-4])(?:\s+(?P<qyear>{YEAR4}))?\b"
)
# "a year earlier", "the year-ago period": a POINT one year before the period being reported
# (TimeML tags it a DATE, not the duration "a year"); ``a year ago`` alone is left to AGO.
YEAR_EARLIER = re.compile(
    r"\b(?P<point>[Aa]\s+year\s+(?:earlier|before|ago))\b"
    r"|\b(?:[Tt]he\s+(?:comparable\s+)?)?year-(?:earlier|ago)\s+(?:quarter|period)\b"
    r"|\b(?i:year)-(?:earlier|ago)\b"
)
# "the quarter", "the latest quarter", "the year-ago period", "the 1988 third quarter": the
# quarter a results story reports on, named before it (or the last one completed at the
# anchor); "the period" alone is too vague, so a period needs a qualifier or a year.
PERIOD_REF = re.compile(
    r"\b(?:[Tt]he\s+(?:(?P<adj>latest|same|comparable|corresponding|most\s+recent"
    r"|year-earlier|year-ago)\s+)?"
    rf"(?:(?P<year>{YEAR4})\s+)?(?:(?P<ord>first|second|third|fourth)\s+)?"
    r"|(?P<that>[Tt]hat)\s+|(?P<lastyears>[Ll]ast\s+year['’]s)\s+)"
    r"(?P<unit>quarter|period)\b(?![-\w]|\s+of\b)"
    # "the corresponding period last year", "the quarter a year ago": a year back
    r"(?P<back>\s+(?:last\s+year|a\s+year\s+(?:ago|earlier)))?"
)
HALF = re.compile(
    r"\b(?:the\s+)?(?P<ord>first|second|last)\s+half\s+of\s+"
    rf"(?:(?P<year>{YEAR4})|(?P<rel>this|last|next)\s+year)\b"
)
SEASON = re.compile(
    r"\b(?:(?P<mod>early|late|mid)[\s-]+)?(?:(?P<rel>last|next|this|past|coming)\s+)?"
    rf"(?P<season>spring|summer|autumn|winter|fall|Spring|Summer|Autumn|Winter)\b(?!\s+of\s+(?!{YEAR4}))"
    rf"(?:\s+(?:of\s+)?(?P<year>{YEAR4})\b)?"
)

# "nineteen ninety-six", "January nineteen ninety-seven", "the year two thousand": broadcast
# transcripts spell years out
_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_ONES = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_TEENS = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
SPELLED_YEAR = re.compile(
    rf"\b(?:(?P<month>{MONTH_FULL})\s+)?(?P<century>[Nn]ineteen|[Ee]ighteen)\s+"
    rf"(?:(?P<tens>{_TENS})(?:[\s-](?P<ones>{_ONES}))?|(?P<teen>{_TEENS}))\b"
    rf"(?!\s+(?:{_TENS}|{_ONES}|hundred|thousand|million|percent|people|years)\b)"
    rf"|\b[Tt]he\s+year\s+two\s+thousand(?:\s+and\s+(?P<y2k>{_ONES}|{_TEENS}))?\b"
)
# "Thanksgiving Day", "last Christmas", "Election Day": the holiday's date in the year the
# tense and the anchor imply
HOLIDAY = re.compile(
    r"\b(?:(?P<rel>[Ll]ast|[Nn]ext|[Tt]his)\s+)?(?P<name>Thanksgiving(?:\s+Day)?"
    r"|Christmas(?:\s+(?:Day|Eve))?|New\s+Year['’]s\s+(?:Day|Eve)|Election\s+Day"
    r"|Independence\s+Day|Labor\s+Day|Memorial\s+Day|Halloween|Valentine['’]s\s+Day)\b"
)

# "later that year", "the following year": the year written last before it
ANAPHORIC_YEAR = re.compile(
    r"\b(?:(?i:later|earlier)\s+)?(?:[Tt]hat|[Tt]he\s+(?P<rel>following|previous))\s+year\b(?![-\w’'])"
)

# --- weekdays and times ---------------------------------------------------------------
WEEKDAY_RANGE = re.compile(
    rf"\b(?P<wd1>{WEEKDAY})\s*(?:to|through|until|till|thru|and|-|–)\s*(?P<wd2>{WEEKDAY})\b"
)
# "Friday, Oct. 23", "Saturday, April 25, 1998": the weekday and the date are one expression
WEEKDAY_MONTH_DAY = re.compile(
    rf"\b(?P<wd>{WEEKDAY}),?\s+(?P<month>{MONTH})\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b"
    rf"(?:,?\s+(?P<year>{YEAR4})\b)?"
)
WEEKDAY_ONE = re.compile(
    # "early Tuesday", "Earlier Sunday", "Last Friday": the modifier is part of the expression
    rf"\b(?:{DAY_MOD})?(?:(?P<rel>(?i:last|next|this|coming|past))\s+)?(?P<wd>{WEEKDAY})"
    r"(?:\s+(?P<part>morning|afternoon|evening|night))?\b"
)
CLOCK = re.compile(
    r"(?<![\d:.,$])(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d))?\s*"
    r"(?P<ampm>a\.m\.|p\.m\.|am\b|pm\b|AM\b|PM\b)"
    r"|(?<![\d:.,$])(?P<h2>[01]?\d|2[0-3]):(?P<mi2>[0-5]\d)(?![\d:])"
    r"|\b(?P<word>noon|midnight|midday)\b"
)
ZONE = re.compile(r"\s*(?:GMT|UTC|BST|CET|CEST|EST|EDT|ET|PST|PDT|PT|KST|JST|local time)\b")
AFTER_WEEKDAY = re.compile(rf",?\s+(?:on\s+)?(?P<wd>{WEEKDAY})\b")
AFTER_MONTH_DAY = re.compile(
    rf",?\s+(?:on\s+)?(?P<month>{MONTH})\s+(?P<day>[0-3]?\d)\b(?:,?\s+(?P<year>{YEAR4})\b)?"
)
REL_DAY = re.compile(
    rf"\b(?:{DAY_MOD})?(?P<word>today|tonight|yesterday|tomorrow|the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow)"
    r"(?:\s+(?P<part>morning|afternoon|evening|night))?\b",
    re.IGNORECASE,
)
PART_OF_DAY = re.compile(
    r"\b(?P<rel>this|last|tomorrow|yesterday)\s+(?P<part>morning|afternoon|evening|night)\b",
    re.IGNORECASE,
)

# --- relative units, ago, durations, sets, references -----------------------------------
REL_UNIT = re.compile(
    r"\b(?:(?P<mod>earlier|later|early|late|mid|the\s+(?:end|beginning|start|middle|rest)\s+of)[\s-]+)?"
    r"(?:the\s+)?(?P<rel>last|next|this|past|coming|current)\s+"
    r"(?P<unit>week|weekend|month|year|fiscal\s+year|quarter|decade|century)\b",
    re.IGNORECASE,
)
# "the year": in results stories the year being reported ("For the year, volume was flat"),
# a stretch of a year when it ends on a date ("the year ended Sept. 30")
THE_YEAR = re.compile(
    r"\b(?:(?i:earlier|later)\s+in\s+)?[Tt]he\s+(?:(?P<fiscal>fiscal|full)\s+)?year\b(?![-\w’']|\s+(?:before|after|earlier|later|ago|of|in|when|that|which|two|nineteen|\d))"
    r"(?P<ended>(?=\s+(?:ended|ending|through|to)\b))?"
)
# "the weekend": the last one in a past-tense sentence, the next one in a future one
THE_WEEKEND = re.compile(r"\b[Tt]he\s+weekend\b(?!-)")
# "by year end", "year-end", "by year's end": the end of the anchor's year
YEAR_END = re.compile(r"(?<![-\w])(?:year[- ]end|year['’]s\s+end)\b(?!-)", re.IGNORECASE)
END_OF = re.compile(
    r"\bthe\s+(?P<mod>end|beginning|start|middle)\s+of\s+(?:the\s+)?(?P<unit>year|month|week)\b",
    re.IGNORECASE,
)
AGO = re.compile(
    rf"\b(?:{APPROX})?(?P<num>{NUM}|{VAGUE})\s+(?P<unit>day|week|month|year|decade)s?\s+ago\b",
    re.IGNORECASE,
)
DURATION = re.compile(
    rf"\b(?:{APPROX})?(?:(?:the|a|an)\s+)?(?:(?:past|last|next|first|coming|previous|following|recent|mere|full|whole|entire)\s+)?"
    # "20 more years", "an additional year": the extra stretch is the expression
    rf"(?P<num>{NUM}|{VAGUE})(?:\s+(?:more|additional|extra|further))?(?:\s+|-)(?P<unit>{UNIT})"
    r"(?:s'(?!\w)|s\b|\b)(?!-old|\s+old\b)",
    re.IGNORECASE,
)
# "the past two quarters", "several quarters of losses": quarters counted are a duration;
# "a quarter of the market", "three-quarters of its food" are shares, so only a plural after
# a number word or a vague quantity, not before "of the".
QUARTERS = re.compile(
    r"\b(?:(?:the\s+)?(?:past|last|next|coming|previous|following)\s+)?"
    rf"(?P<num>(?!an?\b){NUM}|{VAGUE})\s+quarters\b(?!\s+of\s+(?:a|an|the|its|their|his|her)\b)",
    re.IGNORECASE,
)
HALF_HOUR = re.compile(r"\bhalf\s+an\s+hour\b|\ban\s+hour\s+and\s+a\s+half\b", re.IGNORECASE)
VAGUE_PLURAL = re.compile(
    r"\b(?:the\s+)?(?P<rel>recent|past|coming|next|last|previous)\s+(?P<unit>days|weeks|months|years|decades)\b"
    # "for years", "the first time in years", "within weeks", "the weeks ahead"
    r"|(?<=\bfor\s)(?P<bare>days|weeks|months|years|decades|centuries)\b"
    r"|(?:(?<=\bin\s)|(?<=\bwithin\s))(?P<bare2>weeks|months|years|decades)\b(?!\s+(?:of|to|past|before|after|ago))"
    r"|\bthe\s+(?P<ahead>days|weeks|months|years)\s+ahead\b",
    re.IGNORECASE,
)
SET = re.compile(
    rf"\b(?:every|each)\s+(?:other\s+)?(?P<unit>day|week|month|year|morning|evening|night|weekend|summer|winter|spring|autumn|{WEEKDAY})\b"
    # "quarterly" after a determiner or possessive is an adjective of a report, not the
    # frequency of an event: "its quarterly dividend" (TimeBank leaves it out; "a daily
    # basis" it tags, so only this word)
    r"|\b(?P<adv>daily|weekly|monthly|annually|yearly|hourly|nightly"
    r"|(?<!\b[Ii]ts\s)(?<!\b[Tt]he\s)(?<!\b[Aa]\s)(?<!\b[Tt]heir\s)(?<!\b[Ff]irst\s)quarterly)\b"
    r"|\b(?P<times>once|twice|thrice|\d+\s+times|three\s+times|four\s+times)\s+(?:a|per|each|every)\s+(?P<per>day|week|month|year)\b"
    rf"|(?<=\bon\s)(?P<wds>{WEEKDAY})s\b"
)
REFERENCE = re.compile(
    r"\b(?P<present>now|currently|nowadays|at\s+present|presently|these\s+days|right\s+now|at\s+the\s+moment)\b"
    r"|(?<=\bin\s)(?P<past>the\s+past)\b(?!\s+(?:\w+\s+)?(?:day|week|month|quarter|year|decade|century|several|few)s?\b)"
    r"|\b(?P<recent>recently|lately)\b"
    r"|(?<=\bin\s)(?P<future>the\s+(?:near\s+|distant\s+)?future)\b",
    re.IGNORECASE,
)

# "the 70th anniversary": dated by a date in the rest of its clause.
ANNIVERSARY = re.compile(r"\bthe\s+(?P<n>\d{1,3})(?:st|nd|rd|th)\s+anniversary\b", re.IGNORECASE)
CLAUSE_END = re.compile(r"[;:.!?]\s|\n|,\s+(?:and|but|while|which|who)\b")

# --- Ukrainian and Russian (captions) ----------------------------------------------------
CYR_DAY_MONTH = re.compile(
    rf"(?<!\d)(?P<day>[0-3]?\d)\s+(?P<month>{CYR_MONTH})\b(?:\s+(?P<year>\d{{4}}){CYR_YEAR_WORD}?)?",
    re.IGNORECASE,
)
CYR_MONTH_YEAR = re.compile(
    rf"\b(?P<month>{CYR_MONTH})\s+(?P<year>\d{{4}}){CYR_YEAR_WORD}?", re.IGNORECASE
)
CYR_MONTH_ALONE = re.compile(rf"(?<=\b[увз]\s)(?P<month>{CYR_MONTH})\b", re.IGNORECASE)
CYR_YEAR = re.compile(
    r"(?<!\d)(?P<year>\d{4})\s*(?:року|рік|році|года|году|г\.|р\.)", re.IGNORECASE
)
CYR_WEEKDAY_ONE = re.compile(rf"(?<=\b[ув]\s)(?P<wd>{CYR_WEEKDAY})\b", re.IGNORECASE)
CYR_REL_DAY = re.compile(r"\b(?P<word>сьогодні|сегодня|вчора|вчера|завтра)\b", re.IGNORECASE)

# --- tense cues, for weekdays and months without a year -------------------------------
# A future cue swallows the verb it governs ("will be published", "due to be held",
# "to run through June"), so that verb's "-ed" is not read as a past-tense cue; the
# nearest cue wins, so a reporting verb ("said") counts only where nothing is closer.
TENSE = re.compile(
    r"\b(?P<fut>(?:will|won't|shall|would|going\s+to|due\s+to|set\s+to|expected\s+to|plans?\s+to|"
    r"planning\s+to|is\s+to|are\s+to|to)(?:\s+(?:not|be|have|also|then|still|only|soon|now|never))*"
    r"\s+(?!(?:the|a|an|this|that|these|those|his|her|its|their|our|my|your|some|any|all|him|them|us|me)\b)"
    r"(?-i:[a-z]+)\b|upcoming|scheduled|slated|next|effective)\b|’ll\b|'ll\b"
    # the regular "-ed" and the irregular past forms common in news reports
    # a future cue under a past auxiliary is past: "had been due to expire Friday"
    r"|\b(?P<past>(?:was|were|had\s+been)\s+(?:due|expected|scheduled|set|supposed|planned|slated)"
    r"\s+to\s+[a-z]+"
    r"|was|were|had|did|said|told|ago|last|\w{3,}ed|met|began|brought|came|took|made"
    r"|gave|went|fell|rose|held|won|lost|left|sent|spent|paid|sold|bought|built|led|struck"
    r"|found|got|saw|became|ran|wrote|spoke|broke|chose|drove|flew|fought|knew|meant|shot"
    r"|stood|swept|thought|threw|wore)(?:n[’']t)?\b",
    re.IGNORECASE,
)
