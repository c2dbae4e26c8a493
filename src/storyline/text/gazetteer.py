"""Gazetteers and name matching shared by entity recognition and linking.

General world knowledge (countries, capitals, demonyms, organisation heads, titles,
role nouns) and script handling (transliteration of Cyrillic names, sound-alike
matching), kept apart from the stages so each stage module stays about one concern.
"""

from __future__ import annotations

import unicodedata

from rapidfuzz import fuzz


def _words(text: str) -> frozenset[str]:
    """A word list written as one whitespace-separated string."""
    return frozenset(text.split())


# Canonical country name -> other names and acronyms it goes by.
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "North Korea": ("DPRK", "D.P.R.K.", "Democratic People's Republic of Korea"),
    "South Korea": ("ROK", "R.O.K.", "Republic of Korea"),
    "Russia": ("Russian Federation", "the Russian Federation"),
    "United States": (
        "US",
        "U.S.",
        "USA",
        "U.S.A.",
        "the United States",
        "United States of America",
        "the United States of America",
        "the US",
        "the U.S.",
        "America",
    ),
    "United Kingdom": (
        "UK",
        "U.K.",
        "Britain",
        "Great Britain",
        "the United Kingdom",
        "the UK",
        "the U.K.",
    ),
    "China": ("PRC", "People's Republic of China", "the People's Republic of China"),
    "Taiwan": ("Republic of China",),
    "Ukraine": ("the Ukraine",),
    "United Arab Emirates": ("UAE", "U.A.E.", "the United Arab Emirates"),
    "Netherlands": ("the Netherlands", "Holland"),
    "Czech Republic": ("Czechia", "the Czech Republic"),
    "Democratic Republic of Congo": ("DRC", "the Democratic Republic of Congo"),
    "Ivory Coast": ("Cote d'Ivoire", "Côte d'Ivoire", "the Ivory Coast"),
    "Myanmar": ("Burma",),
    "Belarus": ("Belorussia", "Byelorussia"),
    "Philippines": ("the Philippines",),
    "Vatican": ("Holy See", "the Vatican"),
}


# Countries (and a few regions) by name, each with its demonym.
COUNTRIES: dict[str, str] = {
    "Afghanistan": "Afghan", "Albania": "Albanian", "Algeria": "Algerian", "Angola": "Angolan",
    "Argentina": "Argentine", "Armenia": "Armenian", "Australia": "Australian", "Austria": "Austrian",
    "Azerbaijan": "Azerbaijani", "Bahrain": "Bahraini", "Bangladesh": "Bangladeshi",
    "Belarus": "Belarusian", "Belgium": "Belgian", "Bolivia": "Bolivian", "Bosnia": "Bosnian",
    "Brazil": "Brazilian", "Bulgaria": "Bulgarian", "Burkina Faso": "Burkinabe",
    "Cambodia": "Cambodian", "Cameroon": "Cameroonian", "Canada": "Canadian", "Chad": "Chadian",
    "Chile": "Chilean", "China": "Chinese", "Colombia": "Colombian", "Croatia": "Croatian",
    "Cuba": "Cuban", "Cyprus": "Cypriot", "Czech Republic": "Czech", "Denmark": "Danish",
    "Ecuador": "Ecuadorian", "Egypt": "Egyptian", "Estonia": "Estonian", "Ethiopia": "Ethiopian",
    "Finland": "Finnish", "France": "French", "Georgia": "Georgian", "Germany": "German",
    "Ghana": "Ghanaian", "Greece": "Greek", "Hungary": "Hungarian", "Iceland": "Icelandic",
    "India": "Indian", "Indonesia": "Indonesian", "Iran": "Iranian", "Iraq": "Iraqi",
    "Ireland": "Irish", "Israel": "Israeli", "Italy": "Italian", "Ivory Coast": "Ivorian",
    "Japan": "Japanese", "Jordan": "Jordanian", "Kazakhstan": "Kazakh", "Kenya": "Kenyan",
    "Kosovo": "Kosovar", "Kuwait": "Kuwaiti", "Kyrgyzstan": "Kyrgyz", "Latvia": "Latvian",
    "Lebanon": "Lebanese", "Libya": "Libyan", "Lithuania": "Lithuanian",
    "Luxembourg": "Luxembourgish", "Macedonia": "Macedonian", "Malaysia": "Malaysian",
    "Mali": "Malian", "Mexico": "Mexican", "Moldova": "Moldovan", "Mongolia": "Mongolian",
    "Montenegro": "Montenegrin", "Morocco": "Moroccan", "Mozambique": "Mozambican",
    "Myanmar": "Burmese", "Nepal": "Nepali", "Netherlands": "Dutch", "New Zealand": "New Zealander",
    "Nicaragua": "Nicaraguan", "Niger": "Nigerien", "Nigeria": "Nigerian",
    "North Korea": "North Korean", "Norway": "Norwegian", "Oman": "Omani", "Pakistan": "Pakistani",
    "Palestine": "Palestinian", "Panama": "Panamanian", "Paraguay": "Paraguayan", "Peru": "Peruvian",
    "Philippines": "Filipino", "Poland": "Polish", "Portugal": "Portuguese", "Qatar": "Qatari",
    "Romania": "Romanian", "Russia": "Russian", "Rwanda": "Rwandan", "Saudi Arabia": "Saudi",
    "Scotland": "Scottish", "Senegal": "Senegalese", "Serbia": "Serbian", "Singapore": "Singaporean",
    "Slovakia": "Slovak", "Slovenia": "Slovenian", "Somalia": "Somali", "South Africa": "South African",
    "South Korea": "South Korean", "Spain": "Spanish", "Sri Lanka": "Sri Lankan", "Sudan": "Sudanese",
    "Sweden": "Swedish", "Switzerland": "Swiss", "Syria": "Syrian", "Taiwan": "Taiwanese",
    "Tajikistan": "Tajik", "Tanzania": "Tanzanian", "Thailand": "Thai", "Tunisia": "Tunisian",
    "Turkey": "Turkish", "Turkmenistan": "Turkmen", "Uganda": "Ugandan", "Ukraine": "Ukrainian",
    "United Arab Emirates": "Emirati", "United Kingdom": "British", "United States": "American",
    "Uruguay": "Uruguayan", "Uzbekistan": "Uzbek", "Venezuela": "Venezuelan",
    "Vietnam": "Vietnamese", "Wales": "Welsh", "England": "English", "Yemen": "Yemeni",
    "Zambia": "Zambian", "Zimbabwe": "Zimbabwean", "Korea": "Korean", "Europe": "European",
    "Africa": "African", "Asia": "Asian", "Latin America": "Latin American",
    "Yugoslavia": "Yugoslav", "Chechnya": "Chechen", "Tibet": "Tibetan",
}  # fmt: skip


# Capitals, kept as places of their own; linking may read one as its government (metonymy).
CAPITALS: dict[str, str] = {
    "Moscow": "Russia", "Pyongyang": "North Korea", "Seoul": "South Korea",
    "Washington": "United States", "Beijing": "China", "Kyiv": "Ukraine", "Kiev": "Ukraine",
    "Tokyo": "Japan", "London": "United Kingdom", "Paris": "France", "Berlin": "Germany",
    "Tehran": "Iran", "Ankara": "Turkey", "Taipei": "Taiwan", "Minsk": "Belarus",
    "Warsaw": "Poland", "Rome": "Italy", "Madrid": "Spain", "New Delhi": "India",
    "Islamabad": "Pakistan", "Kabul": "Afghanistan", "Baghdad": "Iraq", "Damascus": "Syria",
    "Cairo": "Egypt", "Riyadh": "Saudi Arabia", "Ottawa": "Canada", "Canberra": "Australia",
    "Havana": "Cuba", "Caracas": "Venezuela",
}  # fmt: skip


# Words that end the name of an organisation ("Unification Ministry", "Sejong Institute").
ORG_HEADS = _words(
    """agency ministry institute institution group party council committee commission bank corp
    corporation inc ltd plc company association union university college federation foundation
    organisation organization office department service army navy police court parliament
    assembly congress senate club league authority board bureau airlines airways motors holdings
    fund exchange trust network television radio press church society academy guard forces
    administration government cabinet secretariat directorate command"""
)


# Words of a title or function that precede a name and are not part of it.
TITLE_WORDS = _words(
    """president vice prime minister secretary general gen lt col maj capt captain mr mrs ms dr
    sen rep gov governor king queen prince princess pope chancellor premier chairman chairwoman
    chair judge justice coach sergeant sgt lord lady archbishop bishop rev reverend sheikh
    ayatollah mayor ambassador commissioner director chief deputy leader spokesman spokeswoman
    spokesperson analyst defense defence foreign finance interior economy trade health home
    senator congressman congresswoman officer commander admiral marshal colonel lieutenant
    midfielder striker goalkeeper defender forward manager skipper emperor empress sultan emir
    dictator envoy"""
)


# Head nouns of role mentions, by the label of what they refer to.
PERSON_ROLES = _words(
    """leader president minister spokesperson spokesman spokeswoman analyst expert official
    secretary chairman chairwoman chief premier chancellor ambassador envoy governor mayor general
    commander director head king queen prince ruler dictator prosecutor judge lawmaker senator
    diplomat negotiator researcher professor economist ceo founder emperor"""
)


ORG_ROLES = _words(
    """agency ministry government institute regime administration military army party council
    committee court police newspaper broadcaster company"""
)


INDEFINITE = frozenset({"a", "an", "another", "some", "any", "no", "each", "every", "one", "many"})


DEFINITE = frozenset({"the", "this", "that", "its", "his", "her", "their", "our"})


SPEECH_VERBS = frozenset(
    {"said", "says", "told", "added", "stated", "declared", "insisted", "noted"}
)


def fold(text: str) -> str:
    """Lower-case, accent-free, whitespace-collapsed form for look-ups and comparisons."""
    if text.isascii():  # nothing to decompose or strip (the common case, called per window)
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


def _build_country_index() -> tuple[dict[str, str], dict[str, str]]:
    """(folded country name or alias -> canonical country, folded demonym -> country)."""
    names: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    for country, demonym in COUNTRIES.items():
        names[fold(country)] = country
        demonyms[fold(demonym)] = country
    for country, aliases in COUNTRY_ALIASES.items():
        names[fold(country)] = country
        for alias in aliases:
            names[fold(alias)] = country
    return names, demonyms


# Built once at import from the constants above and never mutated: a table, not a cache.
COUNTRY_NAMES, DEMONYMS = _build_country_index()


# Exact-case forms for spotting names in running text (case-blind only in all-caps text).
COUNTRY_NAMES_CASED = frozenset(
    [
        *COUNTRIES,
        *(a for aliases in COUNTRY_ALIASES.values() for a in aliases if not a.startswith("the ")),
    ]
)


DEMONYMS_CASED = frozenset(COUNTRIES.values())


def country_of(text: str) -> str | None:
    """The canonical country a name, alias or acronym stands for ("DPRK" -> "North Korea")."""
    return COUNTRY_NAMES.get(fold(text))


def demonym_country(text: str) -> str | None:
    """The country of a demonym ("North Korean" -> "North Korea")."""
    return DEMONYMS.get(fold(text))


_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ye", "ё": "yo",
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "ʼ": "", "'": "", "’": "",
}  # fmt: skip


def transliterate(text: str, *, russian_g: bool = False) -> str:
    """Latin form of Cyrillic text (Ukrainian national system; ``russian_g`` reads г as g)."""
    out: list[str] = []
    for char in text:
        low = char.lower()
        latin = "g" if low == "г" and russian_g else _CYRILLIC.get(low, char)
        out.append(latin.capitalize() if char.isupper() and latin else latin)
    return "".join(out)


def is_latin(text: str) -> bool:
    """True when every letter of ``text`` is Latin script."""
    if text.isascii():  # every ASCII letter is Latin: no name look-up per character
        return True
    return all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in text)


_SOUND_CLASSES = {
    **dict.fromkeys("bfpv", "1"),
    **dict.fromkeys("cgjkqsxz", "2"),
    **dict.fromkeys("dt", "3"),
    "l": "4",
    **dict.fromkeys("mn", "5"),
    "r": "6",
}


def _skeleton(word: str) -> str:
    """Consonant-class skeleton of a Latin word (Soundex classes; vowels, h, w, y dropped)."""
    codes: list[str] = []
    for char in fold(word):
        code = _SOUND_CLASSES.get(char, "")
        if code and (not codes or codes[-1] != code):
            codes.append(code)
    return "".join(codes)


def sounds_like(foreign: str, latin: str) -> bool:
    """True when a transliterated name plausibly writes the same name as ``latin``.

    Word by word the consonant skeletons must agree (one may be a prefix of the other:
    "Chen" and "Jong" differ by the final g), and the whole strings must be close.
    """
    a, b = foreign.split(), latin.split()
    if len(a) != len(b) or not a:
        return False
    for x, y in zip(a, b, strict=True):
        sx, sy = _skeleton(x), _skeleton(y)
        if not sx or not sy or not (sx.startswith(sy) or sy.startswith(sx)):
            return False
    # One word needs a closer spelling than a full name, whose skeletons already agree.
    need = 75 if len(a) == 1 else 50
    return fuzz.ratio(fold(foreign), fold(latin)) >= need
