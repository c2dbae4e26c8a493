"""Events and the story timeline: dated clauses, merged across the articles of a story.

``extract_events`` is an article stage: each resolved date expression gives the
clause it dates. ``story_timeline`` is a corpus stage: it estimates publication
dates for undated articles from their captions, their own dates and the other
articles of the story, re-resolves their relative expressions against that
estimate (marked as estimates), and merges the same event told by several
articles. Nothing is dated by the day the pipeline runs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from storyline.ids import group_id, item_id
from storyline.model import (
    UNRESOLVED_BASIS,
    AnnotatedArticle,
    Article,
    DateValue,
    Event,
    Sentence,
    Span,
    TimeExpression,
    TimelineItem,
)
from storyline.stages.time.calendar import month_end
from storyline.stages.time.tagger import tag_times

# Expressions that name no point in time an event could sit at.
_NOT_EVENT_VALUES = frozenset({"PRESENT_REF", "PAST_REF", "FUTURE_REF"})
# A publication header or dateline ("Published: AUGUST 6, 2023 09:28", "date 2023-08-06").
_HEADER = re.compile(r"^\s*(?:published|updated|posted|date|first published|last updated)\b", re.I)
_WORD = re.compile(r"[^\W\d_]{3,}")
_CAPTION_MAX = 400  # characters; a longer "caption" is prose the cleaner mislabelled
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+|\n")
# Function words and calendar names: they say nothing about which event a clause tells.
_STOPWORDS = frozenset(
    re.findall(
        r"\w+",
        """
        the and for that with from this have has had was were are been its his her their they them
        which who whom what when where will would could should said says say also about after
        before into over than then there these those while more most other some such only very
        just not but all any can may one two new last next this year years month months week day
        days time monday tuesday wednesday thursday friday saturday sunday january february march
        april june july august september october november december
        """,
    )
)


def _inside_blocks(article: Article, start: int, end: int) -> bool:
    """True when ``[start, end)`` lies in a block of the body (or the article has no blocks)."""
    if not article.blocks:
        return True
    return any(b.start <= start and end <= b.end for b in article.blocks)


def _sentence_of(article: Article, sentences: Sequence[Sentence], start: int, end: int) -> Span:
    """The sentence holding ``[start, end)``; without sentences, one found by punctuation.

    A caption is one unit of meaning however the segmenter cut it ("Shoigu (right) meets
    ... 25 July 2023"), so a short caption is taken whole.
    """
    for block in article.blocks:
        inside = block.start <= start and end <= block.end
        if inside and block.kind == "caption" and block.end - block.start <= _CAPTION_MAX:
            return Span(article.id, block.start, block.end)
    for sentence in sentences:
        if sentence.span.start <= start and end <= sentence.span.end:
            return sentence.span
    text = article.text
    left = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        left = m.end()
    stop = _SENTENCE_END.search(text, end)
    if stop is None:
        right = len(text)
    else:
        right = stop.start() + 1 if text[stop.start()] in ".!?" else stop.start()
    while left < right and text[left].isspace():
        left += 1
    return Span(article.id, left, max(right, end))


def _is_dateline(text: str, time_text: str) -> bool:
    """True for a header line that only states a date, not an event."""
    if _HEADER.match(text):
        return True
    rest = text.replace(time_text, " ")
    return len(_WORD.findall(rest)) < 3


def extract_events(
    article: Article, sentences: Sequence[Sentence], times: Sequence[TimeExpression]
) -> tuple[Event, ...]:
    """The event each resolved date expression belongs to: the sentence around it.

    Two parts of one range ("from Thursday to Saturday") in one sentence make one
    event whose ``time_span`` covers both. Publication headers, durations, sets and
    "now"-like references are not events.
    """
    grouped: dict[tuple[Span, DateValue], list[TimeExpression]] = {}
    for t in times:
        if t.when is None or t.type not in ("DATE", "TIME") or t.value in _NOT_EVENT_VALUES:
            continue
        if not _inside_blocks(article, t.span.start, t.span.end):
            continue
        span = _sentence_of(article, sentences, t.span.start, t.span.end)
        text = article.text[span.start : span.end]
        if _is_dateline(text, t.text):
            continue
        grouped.setdefault((span, t.when), []).append(t)
    events: list[Event] = []
    for (span, when), parts in grouped.items():
        start = min(p.span.start for p in parts)
        end = max(p.span.end for p in parts)
        value = "/".join(sorted({p.value or "" for p in parts}))
        events.append(
            Event(
                id=item_id("ev", article.id, span.start, span.end, value),
                when=when,
                expression=article.text[start:end],
                text=article.text[span.start : span.end],
                span=span,
                time_span=Span(article.id, start, end),
            )
        )
    return tuple(sorted(events, key=lambda e: (e.span.start, e.time_span.start)))


# --- publication estimates ---------------------------------------------------------------


def _month_estimate(day: date, basis: str) -> DateValue:
    """The calendar month of ``day`` as an estimated publication date."""
    return DateValue(
        start=day.replace(day=1),
        end=month_end(day.year, day.month),
        precision="month",
        estimate=True,
        basis=basis,
    )


def _in_caption(article: Article, span: Span) -> bool:
    """True when the span lies in a caption block."""
    return any(
        b.kind == "caption" and b.start <= span.start and span.end <= b.end for b in article.blocks
    )


def _own_dates(doc: AnnotatedArticle) -> list[tuple[bool, TimeExpression]]:
    """The absolute day- or month-precise dates of an article, flagged when in a caption."""
    times = doc.times or tag_times(doc.article.text, None, article_id=doc.article.id)
    return [
        (_in_caption(doc.article, t.span), t)
        for t in times
        if t.when is not None
        and t.type == "DATE"
        and t.when.precision in ("day", "month")
        and not t.when.estimate
    ]


def publication_estimate(
    doc: AnnotatedArticle, peers: Sequence[AnnotatedArticle]
) -> DateValue | None:
    """Estimate the month an undated article was published, or None with nothing to go on.

    The other articles of the story were published around the same time, so the
    month of their median date is the first guess; a photo cannot be captioned
    before it was taken, so a later caption date moves the guess forward. With no
    dated peers, the latest caption date (else the latest date of the text) stands in.
    """
    dated = sorted(
        p.article.published.start
        for p in peers
        if p.article.id != doc.article.id
        and p.article.published is not None
        and not p.article.published.estimate
    )
    own = _own_dates(doc)
    captions = sorted((t for in_caption, t in own if in_caption), key=lambda t: t.when.start)  # type: ignore[union-attr]
    latest_caption = captions[-1] if captions else None
    if dated:
        median = dated[len(dated) // 2]
        noun = "article" if len(dated) == 1 else "articles"
        basis = f"story: {len(dated)} dated {noun} ({median.isoformat()})"
        if latest_caption is not None and latest_caption.when is not None:
            cap = latest_caption.when.start
            if (cap.year, cap.month) > (median.year, median.month):
                return _month_estimate(cap, f"caption date {latest_caption.text!r}; {basis}")
            if (cap.year, cap.month) == (median.year, median.month):
                basis += f"; caption date {latest_caption.text!r} agrees"
        return _month_estimate(median, basis)
    if latest_caption is not None and latest_caption.when is not None:
        return _month_estimate(latest_caption.when.start, f"caption date {latest_caption.text!r}")
    if own:
        latest = max((t for _, t in own), key=lambda t: t.when.start)  # type: ignore[union-attr]
        if latest.when is not None:
            return _month_estimate(latest.when.start, f"latest date in its text {latest.text!r}")
    return None


# --- merging events across articles ------------------------------------------------------


@dataclass(slots=True)
class _Group:
    """Events believed to be one, while the timeline is being built."""

    when: DateValue
    expression: str
    text: str
    ids: list[str] = field(default_factory=list)
    evidence: list[Span] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)


def _words(text: str) -> set[str]:
    """Content words of a clause, for comparing two tellings of one event."""
    return {w for w in (m.lower() for m in _WORD.findall(text)) if w not in _STOPWORDS}


def _contains(outer: DateValue, inner: DateValue) -> bool:
    """True when ``inner`` lies within ``outer``."""
    return outer.start <= inner.start and inner.end <= outer.end


def _finer(a: DateValue, b: DateValue) -> DateValue:
    """The more informative of two compatible dates: stated over estimated, then narrower."""
    return min((a, b), key=lambda v: (v.estimate, (v.end - v.start).days))


def _same_event(group: _Group, when: DateValue, words: set[str], article: str) -> bool:
    """Whether an event joins a group: compatible dates and enough shared content words.

    Distinct events rarely share a date *and* their key words; a month-level date
    ("last month") joins a day inside it only on stronger overlap. Within one article
    two sentences on one date are two events unless they are near copies (a caption
    printed twice).
    """
    exact = (group.when.start, group.when.end) == (when.start, when.end)
    nested = _contains(group.when, when) or _contains(when, group.when)
    if not (exact or nested):
        return False
    shared = len(group.words & words)
    ratio = shared / max(1, min(len(group.words), len(words)))
    if article in group.articles:
        # one article tells one event twice only as a near copy, or at a coarser date
        return ratio >= 0.8 if exact else shared >= 3 and ratio >= 0.3
    if exact:
        return shared >= 2 and ratio >= 0.15
    return shared >= 3 and ratio >= 0.3


def _source(article: Article) -> str:
    """How a timeline item names an article's origin (outlet, wire, else its input)."""
    return article.outlet or article.wire or article.input or article.id


def _flagged(
    doc: AnnotatedArticle, times: Sequence[TimeExpression], estimate: DateValue
) -> list[Event]:
    """Weekdays of an undated article: kept at its estimated month, flagged, never given a day."""
    events: list[Event] = []
    for t in times:
        if t.when is not None or not (t.value or "").startswith("XXXX-WXX-"):
            continue
        span = _sentence_of(doc.article, doc.sentences, t.span.start, t.span.end)
        flag = replace(
            estimate,
            basis=f"{UNRESOLVED_BASIS}: {t.text!r} is a weekday of an undated article; shown at its estimated month",
        )
        events.append(
            Event(
                id=item_id("ev", doc.article.id, span.start, span.end, t.value or ""),
                when=flag,
                expression=f"{t.text} (weekday unresolved)",
                text=doc.article.text[span.start : span.end],
                span=span,
                time_span=t.span,
            )
        )
    return events


def story_timeline(
    docs: Sequence[AnnotatedArticle],
) -> tuple[tuple[TimelineItem, ...], dict[str, DateValue]]:
    """The dated events of one story, merged across articles, with publication estimates.

    Returns the items sorted by date and, for each undated article that could be
    estimated, its estimated publication month (``estimate=True``, ``basis`` says why).
    """
    estimates: dict[str, DateValue] = {}
    tagged: list[tuple[AnnotatedArticle, list[Event]]] = []
    for doc in docs:
        article = doc.article
        if article.published is None:
            estimate = publication_estimate(doc, docs)
            if estimate is not None:
                estimates[article.id] = estimate
                times = tag_times(article.text, estimate, article_id=article.id)
                events = list(extract_events(article, doc.sentences, times))
                events += _flagged(doc, times, estimate)
                tagged.append((doc, events))
                continue
        events = list(doc.events) or list(extract_events(article, doc.sentences, doc.times))
        tagged.append((doc, events))
    # words that most events of this story share ("North", "Korea") say nothing about which event
    counts: Counter[str] = Counter(w for _, evs in tagged for e in evs for w in _words(e.text))
    total = sum(len(evs) for _, evs in tagged)
    common = {w for w, c in counts.items() if total >= 4 and c > total / 2}
    ordered = sorted(
        ((doc, e) for doc, evs in tagged for e in evs),
        key=lambda de: (
            de[1].when.estimate,
            (de[1].when.end - de[1].when.start).days,
            de[0].article.id,
            de[1].span.start,
        ),
    )
    groups: list[_Group] = []
    for doc, event in ordered:
        words = _words(event.text) - common
        article_id = doc.article.id
        target = next((g for g in groups if _same_event(g, event.when, words, article_id)), None)
        if target is None:
            target = _Group(when=event.when, expression=event.expression, text=event.text)
            groups.append(target)
        target.when = _finer(target.when, event.when)
        target.ids.append(event.id)
        target.evidence.append(event.span)
        target.sources.add(_source(doc.article))
        target.articles.add(article_id)
        target.words |= words
    items = [
        TimelineItem(
            id=group_id("tl", g.ids),
            when=g.when,
            expression=g.expression,
            text=g.text,
            evidence=tuple(sorted(set(g.evidence), key=lambda s: (s.article_id, s.start))),
            sources=tuple(sorted(g.sources)),
        )
        for g in groups
    ]
    items.sort(key=lambda i: (i.when.start, i.when.end, i.id))
    return tuple(items), estimates
