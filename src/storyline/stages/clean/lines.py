"""News clean-up over lines: header metadata, captions, headings, noise, the footer.

Both inputs go through here: scraper text dumps (one line per paragraph) and the blocks an
HTML extractor returns. The rules are general signals: position (header zone before the
first reporting sentence, footer after a share/comments marker), repetition (titles and
captions printed twice), shape (short unpunctuated lines between paragraphs are headings)
and patterns (bylines, credits, card numbers).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from storyline.model import BlockKind
from storyline.stages.clean import rules
from storyline.stages.clean.dates import MonthDays, StatedDate, find_date

# Headings are short: a longer unpunctuated line is a teaser or a flattened list.
_HEADING_MAX_WORDS = 14
_HEADING_MAX_CHARS = 120
# Link-dense blocks: related-article teasers and menus are short and almost all link text,
# while reporting links a few words at most.
_LINKED_SHARE = 0.7
_LINKED_MAX_WORDS = 15
# Captions describe one picture; past this length a "Photo: X" tail ends a paragraph.
_CAPTION_MAX_WORDS = 50
_ADDRESS = re.compile(r"https?://|www\.|\w@\w")
# An inline "Related" box holds a few teaser headlines; more than this is a list (footer).
_TEASER_MAX_LINES = 3
# A date line may carry a word or two beside the date ("at", "Uhr", a zone) and no more.
_DATE_LINE_MAX_EXTRA = 2
# An author box opens with the author's name and a verb of description.
_BIO_VERB = r"\s+(?:is|was|has|covers|reports|writes|joined|works)\b"
# Words that join a person's name to an agency in a byline ("Jane Doe for AFP").
_BYLINE_JOINERS = {"for", "of", "the", "and", "with", "via", "staff", "in"}


@dataclass(slots=True)
class Line:
    """One candidate block: its text and what the markup said it was, if anything."""

    text: str
    hint: BlockKind | None = None
    links: float = 0.0  # share of the text inside links (HTML only)


@dataclass(slots=True)
class Cleaned:
    """What the clean-up found: body blocks and the metadata lines it set aside."""

    blocks: list[tuple[BlockKind, str]] = field(default_factory=list)
    title: str | None = None
    outlet: str | None = None
    byline: str | None = None
    wire: str | None = None
    wire_source: str | None = None
    credits: list[str] = field(default_factory=list)
    published: date | None = None
    published_time: str | None = None
    removed: list[tuple[str, str]] = field(default_factory=list)  # (reason, line)
    caption_keys: list[str] = field(default_factory=list)  # to drop repeated captions
    # (month, day) pairs the page states in words: they settle "12/08/2023" (day or month?)
    date_hints: MonthDays = field(default_factory=MonthDays)


def clean_lines(lines: list[Line], *, title: str | None = None, header: bool = True) -> Cleaned:
    """Clean a document given as lines; ``header`` looks for a site header before the body."""
    out = Cleaned(title=title)
    items = [Line(rules.visible(line.text), line.hint, line.links) for line in lines]
    items = [line for line in items if line.text]
    if header:
        out.date_hints = MonthDays("\n".join(line.text for line in items))
    start = _body_start(items, out) if header else 0
    if header:
        _read_header(items[:start], out, items[start:])
    body = _cut_footer(items[start:], out, plain=header)
    seen: set[str] = set()
    title_key = rules.norm_key(out.title) if out.title else None
    for index, line in enumerate(body):
        text = line.text
        if _metadata_line(text, out):
            continue
        reason = rules.noise_kind(text)
        # a short paragraph that is almost all link text is a teaser or a menu entry
        if (
            reason is None
            and line.links >= _LINKED_SHARE
            and len(rules.words(text)) <= _LINKED_MAX_WORDS
            and not _ADDRESS.search(text)  # a printed URL or e-mail address is information
            # a linked sentence of ten words or more is reporting that links its source
            and not (len(rules.words(text)) >= 10 and rules.is_prose(text))
        ):
            reason = "linked"
        if reason:
            # a wire sign-off ("aja/PAP") is not body text, but it names the origin of the copy
            if reason == "signature" and out.wire is None and rules.wire_of(text):
                out.wire, out.wire_source = rules.wire_of(text), "signoff"
            out.removed.append((reason, text))
            continue
        key = rules.norm_key(text)
        # a repeated title or paragraph is a template echo (title above and below a photo)
        if not key or key == title_key or (key in seen and len(rules.words(text)) < 60):
            out.removed.append(("repeat", text))
            continue
        seen.add(key)
        if _caption(line, out):
            continue
        _wire_dateline(text, out)
        following = body[index + 1].text if index + 1 < len(body) else None
        out.blocks.append((_kind(line, following), text))
    _drop_author_box(out)
    return out


def _date_line(text: str, out: Cleaned) -> StatedDate | None:
    """The date a line states when the line is nothing but that date ("October 4, 2023")."""
    found = find_date(text, out.date_hints)
    if found is None:
        return None
    rest = text[: found.start] + " " + text[found.end :]
    return found if len(rules.words(rest)) <= _DATE_LINE_MAX_EXTRA else None


def _drop_author_box(out: Cleaned) -> None:
    """Drop an author bio closing the article ("Jane Doe is a reporter who covers ...").

    Sites print the author box right under the last paragraph, often with no "About the
    author" head; it opens with a name from the byline (or the surname alone) and a verb
    of description, which reporting at the very end of a story almost never does.
    """
    if not out.byline:
        return
    names: set[str] = set()
    for name in re.split(r",|&|\band\b", out.byline):
        tokens = rules.words(name)
        if tokens:
            names.update({" ".join(tokens), tokens[-1]})
    bio = re.compile(
        r"^(?:"
        + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        + ")"
        + _BIO_VERB,
        re.I,
    )
    while out.blocks and out.blocks[-1][0] == "paragraph" and bio.match(out.blocks[-1][1]):
        out.removed.append(("author", out.blocks.pop()[1]))


def _body_start(items: list[Line], out: Cleaned) -> int:
    """Index of the first reporting paragraph: everything above is the page header."""
    for index, line in enumerate(items):
        if (
            rules.split_credit(line.text) is not None
            or rules.PUBLISHED_LINE.match(line.text)
            or _date_line(line.text, out) is not None
        ):
            continue  # a caption or date line reads like prose but belongs to the header
        # a first line ending on "?", "!" or a quote reads like prose but is the headline
        if index == 0 and len(items) > 1 and _headline_line(line.text, out):
            continue
        if rules.is_prose(line.text) and not rules.is_menu(line.text):
            return index
    return 0


def _read_header(header: list[Line], out: Cleaned, rest: list[Line]) -> None:
    """Take title, outlet, byline, date and captions from the header lines."""
    candidates: list[str] = []
    suffixed: list[tuple[str, str]] = []
    menus: list[str] = []
    for line in header:
        text = line.text
        # "date 2023-08-06 Site - tagline menu": a leading date stamp, then the rest
        stamp = rules.PUBLISHED_LINE.match(text)
        if stamp:
            found = find_date(stamp.group("rest"), out.date_hints)
            if found is not None and found.start < 4:
                _set_published(out, found.value, found.time)
                text = stamp.group("rest")[found.end :].strip()
                if not text:
                    continue
        if _metadata_line(text, out):
            continue
        # a header line holding only a date ("October 4, 2023 at 4:10 p.m.") is the dateline
        # of the page, printed without a "Published:" label
        found = _date_line(text, out)
        if found is not None:
            _set_published(out, found.value, found.time)
            out.removed.append(("published", text))
            continue
        # a bare agency name ("AFP", "ASSOCIATED PRESS") is the byline of wire copy
        agency = rules.agency_only(text)
        if agency is not None:
            if out.wire is None:
                out.wire, out.wire_source = agency, "byline"
            out.removed.append(("byline", text))
            continue
        if rules.split_credit(text) is not None and _caption(Line(text, "caption"), out):
            continue
        if rules.is_menu(text):
            out.removed.append(("menu", text))
            menus.append(text)
            if out.outlet is None:
                out.outlet = rules.site_prefix(text)
            continue
        split = rules.site_suffix(text)
        if split is not None:
            suffixed.append(split)
        candidates.append(split[0] if split is not None else text)
    if out.outlet is None and menus:
        out.outlet = _menu_site(menus[0], [line.text for line in rest])
    out.removed.extend(("header", c) for c in candidates)
    chosen = _headline(candidates, out)
    if chosen is None:
        return
    if out.title is None:
        out.title = chosen
    for head, site in suffixed:
        if rules.norm_key(head) == rules.norm_key(out.title or chosen):
            out.outlet = site


def _headline(candidates: list[str], out: Cleaned) -> str | None:
    """The headline among the header lines left after metadata, menus and captions.

    The line a template repeats is the headline. Else the first line shaped like one
    (``rules.reads_as_headline``). Else the longest line: the other header
    leftovers (the outlet or author printed alone, a section kicker, "4 Comments",
    "2 hours ago") are shorter than a headline. The outlet's and the author's names and
    furniture never qualify.
    """
    names = {rules.norm_key(n) for n in (out.outlet, out.byline) if n}
    usable = [
        c for c in candidates if rules.norm_key(c) not in names and rules.noise_kind(c) is None
    ]
    if not usable:
        return None
    counts = Counter(rules.norm_key(c) for c in usable)
    repeated = [c for c in usable if counts[rules.norm_key(c)] > 1]
    if repeated:
        return repeated[0]
    # the first line shaped like a headline: kickers, dates and names above it are not
    shaped = [c for c in usable if _headline_line(c, out)]
    if shaped:
        return shaped[0]
    longest = max(len(rules.words(c)) for c in usable)
    return [c for c in usable if len(rules.words(c)) == longest][-1]


def _headline_line(text: str, out: Cleaned) -> bool:
    """A line that reads as a headline and is not the page's date line."""
    return rules.reads_as_headline(text) and _date_line(text, out) is None


def _menu_site(menu: str, others: list[str]) -> str | None:
    """The site name opening a menu line with no separator ("Andes Today Chile News Politics").

    The name cannot be told from the section words by shape, but the page repeats it
    elsewhere ("a reporter for Andes Today"); the longest opening run of capitalised words
    found again in the rest of the page is taken.
    """
    tokens = menu.split()
    text = "\n".join(others)
    for size in range(min(5, len(tokens) - 1), 0, -1):
        head = tokens[:size]
        if not all(t[:1].isupper() for t in head) or len(" ".join(head)) < 4:
            continue
        name = " ".join(head)
        if re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
            return name
    return None


def _cut_footer(body: list[Line], out: Cleaned, *, plain: bool = False) -> list[Line]:
    """Drop everything from a share/comments/related marker on, if the reporting is above it.

    ``plain`` (a text dump): a copyright line also marks the end, and a "Related" head with
    a few teaser headlines followed by more reporting is an inline box, dropped alone.
    """
    skip: set[int] = set()
    for index, line in enumerate(body):
        if index == 0 or index in skip:
            continue
        if plain and rules.is_related_head(line.text):
            box = _inline_box(body, index)
            if box:
                skip.update(box)
                continue
        # HTML keeps copyright lines as noise only: its footers are found by markup
        if not (rules.starts_footer(line.text) or (plain and rules.is_copyright(line.text))):
            continue
        before = sum(len(x.text) for x in body[:index] if rules.is_prose(x.text))
        after = sum(len(x.text) for x in body[index + 1 :] if rules.is_prose(x.text))
        # a marker with more reporting below it is a menu or an inline teaser, not the footer
        if after > before:
            continue
        out.removed.extend(("footer", later.text) for later in body[index:])
        return [x for i, x in enumerate(body[:index]) if i not in skip]
    return [x for i, x in enumerate(body) if i not in skip]


def _inline_box(body: list[Line], index: int) -> range | None:
    """The lines of a "Related" box inside the article: its head and teaser headlines.

    Teasers are headlines (no sentence punctuation); when reporting resumes right after
    a few of them the box sat between paragraphs, and the article goes on below it.
    """
    end = index + 1
    while (
        end < len(body) and end - index <= _TEASER_MAX_LINES and not rules.is_prose(body[end].text)
    ):
        end += 1
    if end == index + 1 or end >= len(body) or not rules.is_prose(body[end].text):
        return None
    if rules.noise_kind(body[end].text) is not None:
        return None
    return range(index, end)


def _set_published(out: Cleaned, value: date, time: str | None) -> None:
    """Keep the first stated publication date; a later line may add the clock time."""
    if out.published is None:
        out.published = value
    if out.published == value and out.published_time is None and time is not None:
        out.published_time = time


def _metadata_line(text: str, out: Cleaned) -> bool:
    """Bylines and "Published:" lines become metadata, not body text."""
    stamp = rules.PUBLISHED_LINE.match(text)
    if stamp and len(rules.words(text)) <= 14:
        found = find_date(stamp.group("rest"), out.date_hints)
        if found is not None:
            _set_published(out, found.value, found.time)
            out.removed.append(("published", text))
            return True
    byline = rules.BYLINE.match(text)
    if (
        byline
        and len(rules.words(byline.group("who"))) <= 8
        and not rules.ends_sentence(text.rstrip("."))
    ):
        who = byline.group("who").strip()
        wire = rules.wire_of(who)
        if wire is not None and out.wire is None:
            out.wire, out.wire_source = wire, "byline"
        # a byline that only names the agency has no human author; "Jane Doe, Associated
        # Press" names the author and the agency she writes for
        person = who if wire is None else _without_agency(who)
        if person:
            out.byline = out.byline or person
        out.removed.append(("byline", text))
        return True
    return False


def _without_agency(who: str) -> str | None:
    """The person in a byline that also names an agency, or None when only the agency is named."""
    tokens = rules.strip_agencies(who).replace(",", " ").split()
    while tokens and tokens[-1].casefold().strip(".-—|") in _BYLINE_JOINERS | {""}:
        tokens.pop()
    while tokens and tokens[0].casefold().strip(".-—|") in _BYLINE_JOINERS | {""}:
        tokens.pop(0)
    return " ".join(tokens) if tokens else None


def _caption(line: Line, out: Cleaned) -> bool:
    """Record a photo caption (credit split off, duplicates dropped); True if it was one."""
    text = rules.halve_repeat(line.text)
    split = rules.split_credit(text)
    if split is None and line.hint != "caption":
        return False
    caption, credit = split if split is not None else (text, "")
    if line.hint != "caption" and len(rules.words(caption)) > _CAPTION_MAX_WORDS:
        return False  # a long paragraph with a trailing source note is reporting, not a caption
    if credit and credit not in out.credits:
        out.credits.append(credit)
    key = rules.norm_key(caption)
    # the same caption printed again (gallery + inline, or glued to its credit) adds nothing
    if not key or any(key == old or key in old or old in key for old in out.caption_keys):
        out.removed.append(("caption-repeat", line.text))
        return True
    out.caption_keys.append(key)
    out.blocks.append(("caption", caption))
    return True


def _wire_dateline(text: str, out: Cleaned) -> None:
    """ "SEOUL (Reuters) -" opening a paragraph marks wire copy."""
    match = rules.DATELINE.match(text)
    if match and out.wire is None:
        out.wire, out.wire_source = rules.wire_of(match.group("agency")), "dateline"


def _kind(line: Line, following: str | None) -> BlockKind:
    """Paragraph or heading: markup decides when it can, else shape and position."""
    if line.hint is not None:
        return line.hint
    text = line.text
    short = len(rules.words(text)) <= _HEADING_MAX_WORDS and len(text) <= _HEADING_MAX_CHARS
    # a subheading is short, unpunctuated, capitalised and followed by more reporting
    if short and not rules.ends_sentence(text) and text[:1].isupper() and following is not None:
        return "heading"
    return "paragraph"
