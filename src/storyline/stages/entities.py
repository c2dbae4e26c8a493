"""Entity mentions: spaCy's named entities, repaired by general rules, plus role nouns.

en_core_web_sm is weak in predictable ways, and each rule below fixes one class of error:

* spans carry determiners, possessive "'s", titles ("Defense Minister Sergei Shoigu"),
  trailing numbers and punctuation, or run across a line break or a " - " separator;
* labels go wrong where the form tells the type: "X Ministry/Agency/Institute" is an ORG,
  a country name or an acronym of one is a GPE, a demonym is a NORP, a multi-word name
  that "said" something is a PERSON;
* text in another script or language produces junk: mentions there are kept only when
  they transliterate to a name found in the English text.

Role nouns ("North Korean leader", "the agency", "state news agency") are returned as
mentions with ``role=True`` so that linking can tie them to a named entity. Named
mentions never overlap each other; a role mention may contain a named modifier
("North Korean" in "North Korean leader").

Everything here is plain Python over the parsed ``Doc``: no matcher objects, so nothing
has to be built or cached per model.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.attrs import IDX, IS_ALPHA, LENGTH, LOWER

from storyline.model import Article, Mention, Span
from storyline.text.gazetteer import (
    COUNTRY_NAMES,
    COUNTRY_NAMES_CASED,
    DEFINITE,
    DEMONYMS,
    DEMONYMS_CASED,
    INDEFINITE,
    ORG_HEADS,
    ORG_ROLES,
    PERSON_ROLES,
    SPEECH_VERBS,
    TITLE_WORDS,
    country_of,
    demonym_country,
    fold,
    is_latin,
    sounds_like,
    transliterate,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Labels that name something a dossier tracks; numbers, dates and amounts are not entities here.
ENTITY_LABELS = frozenset(
    {
        "PERSON",
        "ORG",
        "GPE",
        "LOC",
        "NORP",
        "FAC",
        "EVENT",
        "PRODUCT",
        "WORK_OF_ART",
        "LAW",
        "LANGUAGE",
    }
)

_BREAK_TOKENS = frozenset(
    {"-", "--", "—", "–", "|", ":", ";", "(", ")", "[", "]", '"', "“", "”", "•"}
)


_POSSESSIVE = frozenset({"'s", "’s", "'", "’", "'S", "’S"})


_LEADING_DROP = frozenset({"the", "a", "an", "this", "these", "those", "that"})


# Labels whose names may contain numbers ("World War 2", "Windows 95").
_NUMBERED_LABELS = frozenset({"EVENT", "PRODUCT", "LAW", "WORK_OF_ART"})


_NUMBER = re.compile(r"^[\d.,:/-]+$")


_PIECE_SPLIT = re.compile(r"[/()]")


_FOREIGN_RUN = re.compile(r"[^\W\d_A-Za-z]{2,}(?:[\s\w'ʼ’.,-]*[^\W\d_A-Za-z])?")


_GLUE = re.compile(r"[()\[\]/]")


# A plural acronym ("ICBMs", "SUVs") names a kind of thing, not an entity.
_PLURAL_ACRONYM = re.compile(r"^[A-Z]{2,}s$")


# "SEOUL (Reuters) -", "LONDON 1996-12-06", "WASHINGTON, Aug 6": the place opens the line.
_DATELINE = re.compile(
    r"(?m)^([A-Z][A-Z'.-]+(?: [A-Z][A-Z'.-]+){0,2})(?:, [A-Z][A-Za-z.]+)?"
    r"(?= \d{4}-\d{2}-\d{2}| \([A-Z][A-Za-z]+\)| -- |, [A-Z][a-z]{2}[a-z]*\.? \d{1,2}\b)"
)


_WORD = re.compile(r"[^\W\d_][\w'ʼ’-]*")


# --- named mentions ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Cand:
    """A candidate named mention: token range (end exclusive) and label."""

    start: int
    end: int
    label: str


CharSpan = tuple[int, int, str]  # start, end, label over the article text


def _with_lower(doc: Doc, words: frozenset[str]) -> list[int]:
    """The tokens whose lower-cased form is one of ``words``, read from the doc's arrays (one
    string look-up per distinct word): a loop that makes a Token object per token of a long
    article only to skip almost all of them cost more than the rules it runs."""
    lowers = doc.to_array(LOWER).tolist()
    strings = doc.vocab.strings
    wanted = {h for h in set(lowers) if strings[h] in words}
    return [i for i, h in enumerate(lowers) if h in wanted]


def _is_number(token: Token) -> bool:
    """A token that is only a number, score or date ("55", "2-1", "1996-12-06")."""
    return bool(_NUMBER.match(token.text)) and any(c.isdigit() for c in token.text)


def _is_break(token: Token) -> bool:
    """A token that cannot sit inside a name: a line break, or a separator standing alone."""
    if "\n" in token.text:
        return True
    if token.text in _BREAK_TOKENS:
        # "Guinea-Bissau" keeps its hyphen; the " - " between headline parts does not.
        return bool(token.whitespace_) or (token.i > 0 and bool(token.doc[token.i - 1].whitespace_))
    return False


def _is_title(token: Token) -> bool:
    """A title or role word that precedes a name ("President", "Defense", "Gen.")."""
    return token.lower_.rstrip(".") in TITLE_WORDS


def _split(doc: Doc, cand: _Cand) -> list[_Cand]:
    """Split a span at line breaks, separators and (for most labels) bare numbers."""
    pieces: list[_Cand] = []
    start = cand.start
    for i in range(cand.start, cand.end):
        token = doc[i]
        if _is_break(token) or (cand.label not in _NUMBERED_LABELS and _is_number(token)):
            if i > start:
                pieces.append(_Cand(start, i, cand.label))
            start = i + 1
    if cand.end > start:
        pieces.append(_Cand(start, cand.end, cand.label))
    return pieces


def _trim(doc: Doc, cand: _Cand) -> _Cand | None:
    """Drop determiners, titles, possessives and punctuation at the edges of a span."""
    start, end = cand.start, cand.end
    while start < end and (
        doc[start].lower_ in _LEADING_DROP
        or doc[start].is_punct
        or doc[start].is_space
        or (cand.label == "PERSON" and end - start > 1 and _is_title(doc[start]))
    ):
        start += 1
    while end > start and (
        doc[end - 1].text in _POSSESSIVE or doc[end - 1].is_punct or doc[end - 1].is_space
    ):
        # Keep the period of an abbreviation ("U.S.", "Corp."): it is part of the name.
        if doc[end - 1].text == "." and end - start > 1 and not doc[end - 2].whitespace_:
            break
        end -= 1
    if end <= start or not any(any(c.isalpha() for c in doc[i].text) for i in range(start, end)):
        return None
    return _Cand(start, end, cand.label)


def _relabel(doc: Doc, cand: _Cand) -> str | None:
    """The label of a span corrected by general rules, or None to drop it."""
    span = doc[cand.start : cand.end]
    words = [t for t in span if not t.is_punct]
    last = words[-1].lower_ if words else ""
    if _PLURAL_ACRONYM.match(span.text):
        return None
    if country_of(span.text) is not None:
        return "GPE"
    if demonym_country(span.text) is not None:
        return "NORP"
    if (
        last in ORG_HEADS
        and len(words) >= 2
        and cand.label in {"PERSON", "GPE", "LOC", "NORP", "FAC"}
    ):
        return "ORG"
    nxt = doc[cand.end] if cand.end < len(doc) else None
    if (
        nxt is not None
        and cand.label == "ORG"
        and _is_title(nxt)
        and all(_is_title(t) for t in words)
    ):
        # "Defense" in "Defense Minister Sergei Shoigu" is a portfolio, not an organisation.
        return None
    if (
        cand.label in {"ORG", "GPE", "LOC", "NORP", "FAC"}
        and len(words) >= 2
        and all(t.pos_ == "PROPN" and t.is_title for t in words)
        and last not in ORG_HEADS
        and nxt is not None
        and nxt.lower_ in SPEECH_VERBS
    ):
        # Organisations and places "say" things too, but a run of plain capitalised
        # names right before "said" is far more often a person.
        return "PERSON"
    return cand.label


def _extend_left(doc: Doc, cand: _Cand, taken: set[int]) -> _Cand:
    """Take in capitalised name words the model left out ("Cheong" of "Cheong Seong Chang")."""
    start = cand.start
    while start > 0:
        prev = doc[start - 1]
        if (
            prev.i in taken
            or prev.pos_ != "PROPN"
            or not prev.is_title
            or _is_title(prev)
            or not prev.whitespace_
            or prev.ent_type_ not in {"", cand.label}
            or country_of(prev.text) is not None
        ):
            break
        start -= 1
    return _Cand(start, cand.end, cand.label)


def _org_runs(doc: Doc, taken: set[int]) -> list[_Cand]:
    """Capitalised runs ending in an organisation word that the model missed."""
    out: list[_Cand] = []
    for i in _with_lower(doc, ORG_HEADS):
        token = doc[i]
        if token.i in taken or token.lower_ not in ORG_HEADS or not token.is_title:
            continue
        start = token.i
        while start > 0:
            prev = doc[start - 1]
            if (
                prev.i in taken
                or not prev.is_title
                or prev.pos_ not in {"PROPN", "ADJ"}
                or _is_title(prev)
            ):
                break
            start -= 1
        if start < token.i and any(doc[i].pos_ == "PROPN" for i in range(start, token.i)):
            out.append(_Cand(start, token.i + 1, "ORG"))
    return out


def _gazetteer_runs(doc: Doc, whole: str, taken: set[int]) -> list[_Cand]:
    """Country names and demonyms the model missed (often in all-caps headlines)."""
    out: list[_Cand] = []
    # one pass over the tokens (each Token made is a cost): where each starts and ends in
    # the text, and whether a country name can start there; a window's text is then a slice
    size = len(doc)  # ``whole`` is the text ``doc`` parses (doc.text joins every token again)
    starts, ends, opens = [0] * size, [0] * size, [False] * size
    # one attribute per to_array call: a list of a two-dimensional array is ten times slower
    columns = zip(*(doc.to_array(a).tolist() for a in (IDX, LENGTH, IS_ALPHA)), strict=True)
    for i, (idx, length, alpha) in enumerate(columns):
        starts[i], ends[i] = idx, idx + length
        opens[i] = i not in taken and bool(alpha) and whole[idx : idx + 1].isupper()
    i = 0
    while i < size:
        found: _Cand | None = None
        if opens[i]:
            # Longest match first, up to five words ("United States of America").
            for n in range(min(5, size - i), 0, -1):
                if any(j in taken for j in range(i, i + n)):
                    continue
                text = whole[starts[i] : ends[i + n - 1]]  # the span's text
                caps = text.isupper()
                if text in COUNTRY_NAMES_CASED or (caps and fold(text) in COUNTRY_NAMES):
                    found = _Cand(i, i + n, "GPE")
                elif text in DEMONYMS_CASED or (caps and fold(text) in DEMONYMS):
                    found = _Cand(i, i + n, "NORP")
                if found:
                    break
        if found:
            out.append(found)
            i = found.end
        else:
            i += 1
    return out


def _char_pieces(text: str, start: int, end: int, label: str) -> list[CharSpan]:
    """Split a span inside tokens at "/" and parentheses ("KNCA/REUTERS" is two names)."""
    piece = text[start:end]
    if not _PIECE_SPLIT.search(piece):
        return [(start, end, label)]
    out: list[CharSpan] = []
    pos = start
    after_paren = False
    for match in [*_PIECE_SPLIT.finditer(piece), None]:
        stop = start + match.start() if match else end
        s, e = pos, stop
        while s < e and not text[s].isalnum():
            s += 1
        while e > s and not (text[e - 1].isalnum() or text[e - 1] == "."):
            e -= 1
        # A word glued after a closing parenthesis starts the next sentence, not this name.
        if e > s and not after_paren and any(c.isalpha() for c in text[s:e]):
            out.append((s, e, label))
        if match:
            after_paren = match.group() == ")"
            pos = start + match.end()
    return out


def _split_person(doc: Doc, cand: _Cand) -> list[_Cand]:
    """Split a demonym, a country or an "of <country>" off a person's name.

    "Montenegrin Dejan Savicevic", "Dmitri Dashinski Belarus" and "Simon Parke of England"
    each hold a person and a place or nationality that the model ran together.
    """
    start, end = cand.start, cand.end
    pieces: list[_Cand] = []
    if end - start > 1 and demonym_country(doc[start].text) is not None:
        pieces.append(_Cand(start, start + 1, "NORP"))
        start += 1
    for i in range(start + 1, end - 1):
        if doc[i].lower_ == "of" and country_of(doc[i + 1 : end].text) is not None:
            pieces.append(_Cand(i + 1, end, "GPE"))
            end = i
            break
    for n in (2, 1):
        if end - start > n and country_of(doc[end - n : end].text) is not None:
            pieces.append(_Cand(end - n, end, "GPE"))
            end -= n
            break
    pieces.append(_Cand(start, end, "PERSON"))
    return pieces


def _strip_lowercase_tail(doc: Doc, cand: _Cand) -> _Cand:
    """Drop trailing lower-case words: names are capitalised ("Xinhua news agency")."""
    if cand.label in _NUMBERED_LABELS:
        return cand
    end = cand.end
    while end - cand.start > 1 and doc[end - 1].is_lower and doc[end - 1].is_alpha:
        if not doc[end - 2].whitespace_:
            break  # glued to the name: the "chang" of "Cheong Seong-chang"
        end -= 1
    return _Cand(cand.start, end, cand.label)


def _datelines(doc: Doc, text: str, taken: set[int]) -> list[_Cand]:
    """The place of a dateline: capitals at a line start before a date or "(Agency)"."""
    out: list[_Cand] = []
    for match in _DATELINE.finditer(text):
        span = doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
        if span is None or any(i in taken for i in range(span.start, span.end)):
            continue
        out.append(_Cand(span.start, span.end, "GPE"))
    return out


def _consistent(doc: Doc, whole: str, cands: list[_Cand]) -> list[_Cand]:
    """One label per name within a document, and every occurrence of a name tagged.

    The model often tags a name right in one sentence and wrong or not at all in another
    ("Warne" as PERSON, then as ORG, then missed). A name keeps one sense per document:
    the majority label of its tagged occurrences; a word of a person's full name standing
    alone is that person; an untagged proper-noun occurrence of a tagged name is tagged.
    ``whole`` is the text ``doc`` parses.
    """
    votes: dict[str, Counter[str]] = {}
    for cand in cands:
        votes.setdefault(doc[cand.start : cand.end].text, Counter())[cand.label] += 1
    name_parts = {
        t.text
        for c in cands
        if c.label == "PERSON" and c.end - c.start > 1
        for t in doc[c.start : c.end]
        if t.is_alpha and t.is_title and len(t.text) > 2
    }
    person_words = {
        doc[c.start].text
        for c in cands
        if c.label == "PERSON" and c.end - c.start == 1 and doc[c.start].is_title
    }
    fixed: list[_Cand] = []
    for cand in cands:
        text = doc[cand.start : cand.end].text
        label = cand.label
        fixed_label = country_of(text) is not None or demonym_country(text) is not None
        if not fixed_label:
            top, count = votes[text].most_common(1)[0]
            if count * 2 > sum(votes[text].values()):
                label = top
            if (
                cand.end - cand.start == 1
                and text in name_parts
                and label in {"ORG", "GPE", "LOC", "NORP"}
            ):
                label = "PERSON"
            elif (
                cand.end - cand.start in (2, 3)
                and label in {"ORG", "GPE", "LOC"}
                and doc[cand.end - 1].text in person_words
                and doc[cand.end - 1].lower_ not in ORG_HEADS
                and all(t.is_title for t in doc[cand.start : cand.end])
            ):
                # "Davor Suker" tagged ORG while "Suker" alone is a person: a full name.
                label = "PERSON"
        fixed.append(_Cand(cand.start, cand.end, label))
    taken = {i for c in fixed for i in range(c.start, c.end)}
    # Tagged names by their lower-cased words, so "REAL MADRID" in a headline finds "Real Madrid".
    known: dict[tuple[str, ...], str] = {}
    for text, v in votes.items():
        words = tuple(w.lower() for w in text.split())
        if len(text) > 2 and len(words) <= 4:
            known[words] = v.most_common(1)[0][0]
    for part in name_parts:
        known.setdefault((part.lower(),), "PERSON")
    # Token attributes read in one pass over the doc (each Token made is a cost): whether a
    # token is capitalised and not yet taken, and its lower-cased form where it is.
    size = len(doc)
    free = [False] * size
    lower: list[str] = [""] * size
    strings = doc.vocab.strings
    lower_ids = doc.to_array(LOWER).tolist()
    for i, idx in enumerate(doc.to_array(IDX).tolist()):
        if whole[idx : idx + 1].isupper() and i not in taken:
            free[i] = True
            lower[i] = strings[lower_ids[i]]
    # run[i]: how many free tokens in a row start at i (at most 4, the longest name looked
    # up), so a window [i, i + n) is all free exactly when n <= run[i]
    run = [0] * (size + 1)
    for j in range(size - 1, -1, -1):
        run[j] = min(4, run[j + 1] + 1) if free[j] else 0
    i = 0
    while i < size:
        hit = None
        for n in range(run[i], 0, -1):
            seen = known.get(tuple(lower[i : i + n]))
            # One word alone must look like a name (the parser says so, or it is in capitals).
            if seen is not None and (n > 1 or doc[i].pos_ == "PROPN" or doc[i].is_upper):
                hit = _Cand(i, i + n, seen)
                break
        if hit is not None:
            fixed.append(hit)
            i = hit.end
        else:
            i += 1
    return fixed


def _join_persons(doc: Doc, cands: list[_Cand]) -> list[_Cand]:
    """Join person names the model cut in two ("Ian" + "Jones") and take in a missed surname."""
    ordered = sorted(cands, key=lambda c: (c.start, c.end))
    taken = {i for c in ordered for i in range(c.start, c.end)}
    out: list[_Cand] = []
    for cand in ordered:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.label == "PERSON"
            and cand.start == prev.end
            and cand.end - cand.start == 1
            and cand.label in {"PERSON", "GPE", "LOC", "ORG"}
            and doc[cand.start].is_title
            and country_of(doc[cand.start].text) is None
            and doc[prev.end - 1].whitespace_ == " "
        ):
            out[-1] = _Cand(prev.start, cand.end, "PERSON")
            continue
        if cand.label == "PERSON":
            end = cand.end
            while (
                end < len(doc)
                and end not in taken
                and doc[end].pos_ == "PROPN"
                and doc[end].is_title
                and doc[end - 1].whitespace_ == " "
                and doc[end].ent_type_ in {"", "PERSON"}
                and not _is_title(doc[end])
                and end - cand.start < 4
            ):
                end += 1
            cand = _Cand(cand.start, end, cand.label)
            taken |= set(range(cand.start, cand.end))
        out.append(cand)
    return out


def _noise(doc: Doc, cand: _Cand) -> bool:
    """Capitalised text that is not a name: wire slugs ("SOCCER -") and table headers ("W L T")."""
    span = doc[cand.start : cand.end]
    if len(span) >= 3 and all(len(t.text) <= 3 and t.is_upper for t in span):
        return True
    nxt = doc[cand.end] if cand.end < len(doc) else None
    line_start = cand.start == 0 or "\n" in doc[cand.start - 1].text
    return (
        len(span) == 1
        and span[0].is_upper
        and line_start
        and nxt is not None
        and nxt.text == "-"
        and country_of(span.text) is None
        and demonym_country(span.text) is None
    )


def _named(article: Article, doc: Doc) -> list[CharSpan]:
    """Named mentions as character spans, after every repair rule."""
    cands: list[_Cand] = []
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        for piece in _split(doc, _Cand(ent.start, ent.end, ent.label_)):
            trimmed = _trim(doc, piece)
            if trimmed is None:
                continue
            trimmed = _strip_lowercase_tail(doc, trimmed)
            label = _relabel(doc, trimmed)
            if label is None:
                continue
            trimmed = _Cand(trimmed.start, trimmed.end, label)
            cands.extend(_split_person(doc, trimmed) if label == "PERSON" else [trimmed])
    taken = {i for c in cands for i in range(c.start, c.end)}
    fixed: list[_Cand] = []
    for cand in cands:
        if cand.label == "PERSON" or (
            cand.label == "ORG" and doc[cand.end - 1].lower_ in ORG_HEADS
        ):
            cand = _extend_left(doc, cand, taken - set(range(cand.start, cand.end)))
        fixed.append(cand)
    taken = {i for c in fixed for i in range(c.start, c.end)}
    extra = _org_runs(doc, taken)
    taken |= {i for c in extra for i in range(c.start, c.end)}
    extra += _datelines(doc, article.text, taken)
    taken |= {i for c in extra for i in range(c.start, c.end)}
    extra += _gazetteer_runs(doc, article.text, taken)
    kept = [c for c in fixed + extra if not _noise(doc, c)]
    final = _join_persons(doc, _consistent(doc, article.text, kept))
    out: list[CharSpan] = []
    for cand in sorted(final, key=lambda c: (c.start, c.end)):
        start = doc[cand.start].idx
        end = doc[cand.end - 1].idx + len(doc[cand.end - 1].text)
        out.extend(_char_pieces(article.text, start, end, cand.label))
    return out


# --- other scripts -----------------------------------------------------------------------------


def _foreign_ranges(article: Article) -> list[tuple[int, int]]:
    """Character ranges in another language: non-English blocks and runs of non-Latin script."""
    ranges = [(b.start, b.end) for b in article.blocks if not _is_english(b.language)]
    # A caption in another script may still be tagged "en" (or untagged): trust the script.
    ranges += [
        (m.start(), m.end()) for m in _FOREIGN_RUN.finditer(article.text) if not is_latin(m.group())
    ]
    return _merge_ranges(ranges)


def _is_english(language: str | None) -> bool:
    """True for English or unknown language tags."""
    return language is None or language.lower().split("-")[0] == "en"


def _foreign_matches(
    article: Article, latin: Sequence[CharSpan], ranges: Sequence[tuple[int, int]]
) -> list[CharSpan]:
    """Names in another script that transliterate to a person named in the English text."""
    targets = sorted(
        {" ".join(article.text[s:e].split()) for s, e, label in latin if label == "PERSON"}
    )
    if not targets:
        return []
    out: list[CharSpan] = []
    for r_start, r_end in ranges:
        words = [m for m in _WORD.finditer(article.text, r_start, r_end) if not is_latin(m.group())]
        i = 0
        while i < len(words):
            found: tuple[int, int, int] | None = None
            for n in range(min(4, len(words) - i), 0, -1):
                group = words[i : i + n]
                if not all(m.group()[:1].isupper() for m in group):
                    continue
                # Only spaces may stand between the words of one name.
                if any(
                    article.text[a.end() : b.start()].strip() for a, b in itertools.pairwise(group)
                ):
                    continue
                raw = " ".join(m.group() for m in group)
                forms = (transliterate(raw), transliterate(raw, russian_g=True))
                if any(sounds_like(form, name) for name in targets for form in forms):
                    found = (group[0].start(), group[-1].end(), n)
                    break
            if found:
                out.append((found[0], found[1], "PERSON"))
                i += found[2]
            else:
                i += 1
    return out


# --- role nouns --------------------------------------------------------------------------------

_ROLE_MODIFIER_POS = frozenset({"ADJ", "PROPN", "NOUN"})
_ROLE_WORDS = PERSON_ROLES | ORG_ROLES


def _after_comma(text: str, pos: int) -> bool:
    """Whether the last non-space character before ``pos`` is a comma (read backwards:
    slicing the text before each role would copy a long article once per role)."""
    i = pos - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return i >= 0 and text[i] == ","


def _roles(article: Article, doc: Doc, named: Sequence[CharSpan]) -> list[CharSpan]:
    """Role-noun mentions: "North Korean leader", "the agency", "state news agency"."""
    in_named = [False] * (len(article.text) + 1)
    for s, e, _ in named:
        for i in range(s, e):
            in_named[i] = True
    starts = {s for s, _, _ in named}
    out: list[CharSpan] = []
    for i in _with_lower(doc, _ROLE_WORDS):
        token = doc[i]
        lower = token.lower_
        if lower in PERSON_ROLES:
            label = "PERSON"
        elif lower in ORG_ROLES:
            label = "ORG"
        else:
            continue
        if (
            token.tag_ in {"NNS", "NNPS"}
            or token.pos_ not in {"NOUN", "PROPN"}
            or in_named[token.idx]
        ):
            continue
        # Walk left over the role's modifiers ("North Korean", "state news", "Defense").
        first = token.i
        definite = False
        indefinite = False
        while first > 0:
            prev = doc[first - 1]
            if (
                prev.is_space
                or prev.is_punct
                or prev.text in _POSSESSIVE
                or _GLUE.search(prev.text)
            ):
                break
            if prev.lower_ in INDEFINITE:
                indefinite = True
                break
            if prev.lower_ in DEFINITE and prev.pos_ in {"DET", "PRON"}:
                first -= 1
                definite = True
                break
            if prev.pos_ in _ROLE_MODIFIER_POS or in_named[prev.idx]:
                first -= 1
                continue
            break
        if indefinite or any(c.dep_ == "det" and c.lower_ in INDEFINITE for c in token.children):
            continue  # "a Chinese official" introduces someone; it does not refer back
        if first > 0 and doc[first - 1].text in _POSSESSIVE:
            continue  # "Russia's defence minister" is owned by a name: left to the name
        nxt = token.i + 1
        while nxt < len(doc) and doc[nxt].is_space and "\n" not in doc[nxt].text:
            nxt += 1
        titled = nxt < len(doc) and doc[nxt].idx in starts  # "leader Kim Jong Un"
        modified = any(doc[i].pos_ != "DET" for i in range(first, token.i))
        appositive = _after_comma(article.text, doc[first].idx)  # "Koo, spokesperson of"
        if definite or titled or modified or appositive:
            out.append((doc[first].idx, token.idx + len(token.text), label))
    return out


# --- assembly ----------------------------------------------------------------------------------


def find_mentions(article: Article, doc: Doc) -> tuple[Mention, ...]:
    """Named and role-noun mentions of ``article`` (``doc`` is the parse of ``article.text``)."""
    text = article.text
    ranges = _foreign_ranges(article)
    # In another language the English model's guesses are junk, except Latin-script names
    # (credits such as "Korean Central News Agency via AP" inside a Ukrainian caption).
    named = [m for m in _named(article, doc) if is_latin(text[m[0] : m[1]])]
    named += [m for m in _foreign_matches(article, named, ranges) if not _overlaps(m, named)]
    named = _dedupe(named)
    roles = _roles(article, doc, named)
    mentions = [
        Mention(span=Span(article.id, s, e), text=text[s:e], label=label) for s, e, label in named
    ]
    mentions += [
        Mention(span=Span(article.id, s, e), text=text[s:e], label=label, role=True)
        for s, e, label in roles
    ]
    mentions.sort(key=lambda m: (m.span.start, m.span.end, m.role))
    return tuple(mentions)


def _merge_ranges(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of character ranges, sorted."""
    merged: list[tuple[int, int]] = []
    for s, e in sorted(ranges):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _overlaps(span: CharSpan, others: Iterable[CharSpan]) -> bool:
    """True when ``span`` overlaps any of ``others``."""
    return any(span[0] < e and s < span[1] for s, e, _ in others)


def _dedupe(spans: Iterable[CharSpan]) -> list[CharSpan]:
    """Non-overlapping spans, preferring the longer where two overlap."""
    out: list[CharSpan] = []
    # the kept spans are disjoint: in start order their ends rise too, so a span overlaps
    # one of them exactly when the last kept span starting before its end ends after its
    # start (one bisection, not a scan of every kept span)
    starts: list[int] = []
    ends: list[int] = []
    for span in sorted(set(spans), key=lambda m: (-(m[1] - m[0]), m[0], m[2])):
        at = bisect.bisect_left(starts, span[1])
        if span[1] > span[0] and (at == 0 or ends[at - 1] <= span[0]):
            starts.insert(at, span[0])
            ends.insert(at, span[1])
            out.append(span)
        elif span[1] <= span[0] and not _overlaps(span, out):
            out.append(span)  # an empty span (none is made): the plain test
    return sorted(out)
