"""Word lists and regex fragments of the temporal tagger (English, Ukrainian, Russian).

Kept apart from the rules so a new language is a new table, not new code.
"""

from __future__ import annotations

import re

MONTHS_EN: dict[str, int] = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
# Abbreviations take an optional period; "May" and "June" are never abbreviated.
MONTH_ABBR_EN: dict[str, int] = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}

# Ukrainian and Russian month names in every case a date uses: nominative
# ("Серпень 2023"), genitive ("25 липня 2023 року") and locative ("у серпні").
MONTHS_CYR: dict[str, int] = {}
for _number, _forms in enumerate(
    (
        "січень січня січні январь января январе",
        "лютий лютого лютому февраль февраля феврале",
        "березень березня березні март марта марте",
        "квітень квітня квітні апрель апреля апреле",
        "травень травня травні май мая мае",
        "червень червня червні июнь июня июне",
        "липень липня липні июль июля июле",
        "серпень серпня серпні август августа августе",
        "вересень вересня вересні сентябрь сентября сентябре",
        "жовтень жовтня жовтні октябрь октября октябре",
        "листопад листопада листопаді ноябрь ноября ноябре",
        "грудень грудня грудні декабрь декабря декабре",
    ),
    start=1,
):
    for _form in _forms.split():
        MONTHS_CYR[_form] = _number

WEEKDAYS_EN: dict[str, int] = {
    "monday": 1,
    "tuesday": 2,
    "wednesday": 3,
    "thursday": 4,
    "friday": 5,
    "saturday": 6,
    "sunday": 7,
}
# Capitalised words that make a weekday part of a name (a show, a feast, a market day).
WEEKDAY_NAME_WORDS = frozenset(
    [
        "news",
        "nation",
        "press",
        "good",
        "black",
        "bloody",
        "super",
        "ash",
        "holy",
        "palm",
        "easter",
        "maundy",
        "cyber",
        "fat",
        "shrove",
        "whit",
        "plough",
        "low",
    ]
)
WEEKDAYS_CYR: dict[str, int] = {}
for _number, _forms in enumerate(
    (
        "понеділок понеділка понедельник",
        "вівторок вівторка вторник",
        "середа середу среда среду",
        "четвер четверга четверг",
        "п'ятниця п'ятницю п’ятниця п’ятницю пятница пятницу",
        "субота суботу суббота субботу",
        "неділя неділю воскресенье",
    ),
    start=1,
):
    for _form in _forms.split():
        WEEKDAYS_CYR[_form] = _number

NUMBER_WORDS: dict[str, int] = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "a hundred": 100,
    "a dozen": 12,
    "dozen": 12,
    "a couple of": 2,
    "couple of": 2,
    "a couple": 2,
}
VAGUE_QUANTITIES = ("several", "a few", "few", "many", "some", "numerous", "multiple")

# Holidays on a fixed (month, day), and those on the n-th weekday of a month:
# (month, ISO weekday, n), n = -1 for the last one; Election Day is the Tuesday after
# the first Monday of November, i.e. the first Tuesday on or after November 2.
HOLIDAYS_FIXED: dict[str, tuple[int, int]] = {
    "christmas": (12, 25),
    "christmas day": (12, 25),
    "christmas eve": (12, 24),
    "new year's day": (1, 1),
    "new year's eve": (12, 31),
    "independence day": (7, 4),
    "halloween": (10, 31),
    "valentine's day": (2, 14),
}
HOLIDAYS_FLOATING: dict[str, tuple[int, int, int]] = {
    "thanksgiving": (11, 4, 4),
    "thanksgiving day": (11, 4, 4),
    "labor day": (9, 1, 1),
    "memorial day": (5, 1, -1),
    "election day": (11, 2, 1),
}
# Number words of a spelled-out year ("nineteen ninety-six"): the cardinals one to ninety,
# taken from NUMBER_WORDS (one lexicon), without articles, "dozen", "couple" and "hundred".
SPELLED_NUMBERS: dict[str, int] = {
    word: n
    for word, n in NUMBER_WORDS.items()
    if word.isalpha() and word not in ("a", "an", "dozen", "couple") and n < 100
}

ORDINALS: dict[str, int] = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "final": 4,
}

# TIMEX3 unit letters; the value of a duration is P<n><letter> (PT<n><letter> for clock units).
UNITS: dict[str, str] = {
    "second": "S",
    "minute": "M",
    "hour": "H",
    "day": "D",
    "night": "D",
    "week": "W",
    "fortnight": "W",
    "month": "M",
    "year": "Y",
    "decade": "DE",
    "century": "CE",
}
CLOCK_UNITS = frozenset({"second", "minute", "hour"})

SEASONS: dict[str, str] = {
    "spring": "SP",
    "summer": "SU",
    "autumn": "FA",
    "fall": "FA",
    "winter": "WI",
}
# Month of a season's start: winter starts in December of the season's year.
SEASON_START: dict[str, int] = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}

DAY_PARTS: dict[str, str] = {
    "morning": "MO",
    "afternoon": "AF",
    "evening": "EV",
    "night": "NI",
    "overnight": "NI",
}


def alternation(words: list[str] | tuple[str, ...] | set[str] | dict[str, object]) -> str:
    """A regex alternation of ``words``, longest first so a prefix never wins."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def number_value(word: str) -> int | None:
    """The integer a number word or numeral stands for, None if it is none."""
    word = word.lower().replace(",", "").strip()
    if word.isdigit():
        return int(word)
    if word in NUMBER_WORDS:
        return NUMBER_WORDS[word]
    parts = word.replace(" ", "-").split("-")
    if len(parts) == 2 and parts[0] in NUMBER_WORDS and parts[1] in NUMBER_WORDS:
        return NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]]
    return None
