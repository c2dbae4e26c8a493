"""Events and the story timeline (stages/time/events.py), over records built by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

import pytest

from storyline.model import AnnotatedArticle, Article, Block, Sentence, Span
from storyline.stages.time.events import extract_events, publication_estimate, story_timeline
from storyline.stages.time.tagger import tag_times
from tests.util import make_article

# Condensed from the two seed articles (../shared/seeds): 003 is dated, 000 is not.
P003 = (
    "North Korean leader Kim Jong Un has instructed factories to boost capacity, state media said on Sunday.",
    "Kim's inspections from Thursday to Saturday included the production of engines, said state news agency KCNA.",
    "North Korea has tested rocket launchers and last month its newest ballistic missiles, including a solid-fuel ICBM.",
    "Marking the 70th anniversary of the end of the Korean War on July 27, Pyongyang held a major military parade, with Russian Defence Minister Sergei Shoigu and a senior Chinese official joining Kim.",
)
P000 = (
    "Kim's inspections came as the United States and South Korea prepared for joint military exercises scheduled for later this month.",
    "Koo Byoungsam, spokesperson of the Unification Ministry, said Friday that the visits are possibly aimed at exports.",
    "Лідер КНДР Кім Чен Ин на оборонних заводах. Серпень 2023. КНДР.",
    "His tour comes after a giant military parade last month in Pyongyang, where Kim was joined by Russian Defense Minister Sergei Shoigu and a Chinese ruling party official.",
    "Shoigu's presence at the July 27 parade added to suspicions that North Korea was willing to supply arms.",
    "Міністр оборони Росії Сергій Шойгу зустрічається з міністром оборони Північної Кореї, 25 липня 2023 року.",
)


def _sentences(article: Article) -> tuple[Sentence, ...]:
    """One sentence per block, as the segmenter gives for these one-sentence paragraphs."""
    return tuple(
        Sentence(span=Span(article.id, b.start, b.end), block=i)
        for i, b in enumerate(article.blocks)
    )


def _captions(article: Article) -> Article:
    """Mark Cyrillic paragraphs as Ukrainian captions, as the cleaner does."""
    blocks = tuple(
        replace(b, kind="caption", language="uk")
        if any("\u0400" <= c <= "\u04ff" for c in article.text[b.start : b.end])
        else b
        for b in article.blocks
    )
    return replace(article, blocks=blocks)


def _annotated(article: Article) -> AnnotatedArticle:
    """Run the two article stages this module owns."""
    sents = _sentences(article)
    times = tag_times(article.text, article.published, article_id=article.id)
    return AnnotatedArticle(
        article=article, sentences=sents, times=times, events=extract_events(article, sents, times)
    )


@pytest.fixture
def seed_docs() -> list[AnnotatedArticle]:
    """The condensed seed story: 003 (2023-08-06) and 000 (undated, captions in Ukrainian)."""
    a003 = make_article(*P003, published="2023-08-06", outlet="The Jerusalem Post", input="003.txt")
    a000 = _captions(make_article(*P000, outlet="Militarnyi", input="000.txt"))
    return [_annotated(a003), _annotated(a000)]


@pytest.mark.parametrize("published", ["2023-08-06"])
def test_dates_range_is_one_event(published: str) -> None:
    """Both parts of "Thursday to Saturday" make one event covering 2023-08-03..05."""
    article = make_article(P003[1], published=published)
    (event,) = _annotated(article).events
    assert (event.when.start, event.when.end) == (date(2023, 8, 3), date(2023, 8, 5))
    assert event.expression == "Thursday to Saturday"
    assert article.text[event.time_span.start : event.time_span.end] == event.expression
    assert article.text[event.span.start : event.span.end] == event.text


@pytest.mark.parametrize(
    "paragraphs",
    [("Published: AUGUST 6, 2023 09:28", "Kim spoke on Sunday about factories and shells.")],
)
def test_dates_header_is_not_an_event(paragraphs: tuple[str, ...]) -> None:
    """A publication header states a date but no event; "now"-like values are skipped too."""
    article = make_article(*paragraphs, published="2023-08-06")
    events = _annotated(article).events
    assert [e.expression for e in events] == ["Sunday"]


@pytest.mark.parametrize("expected_month", [(2023, 8)])
def test_dates_publication_estimate(
    seed_docs: list[AnnotatedArticle], expected_month: tuple[int, int]
) -> None:
    """The undated article is estimated to the month of its story and caption, flagged as an estimate."""
    doc000 = seed_docs[1]
    estimate = publication_estimate(doc000, seed_docs)
    assert estimate is not None and estimate.estimate and estimate.precision == "month"
    assert (estimate.start.year, estimate.start.month) == expected_month
    assert estimate.basis and "caption" in estimate.basis


@pytest.mark.parametrize(
    ("start", "end", "sources", "estimate"),
    [
        ("2023-07-01", "2023-07-31", ("The Jerusalem Post",), False),  # tests "last month" (003)
        ("2023-07-25", "2023-07-25", ("Militarnyi",), False),  # Shoigu caption
        ("2023-07-27", "2023-07-27", ("Militarnyi", "The Jerusalem Post"), False),  # parade
        ("2023-08-03", "2023-08-05", ("The Jerusalem Post",), False),  # inspections
        ("2023-08-06", "2023-08-06", ("The Jerusalem Post",), False),  # KCNA report
    ],
)
def test_dates_seed_timeline_rows(
    seed_docs: list[AnnotatedArticle],
    start: str,
    end: str,
    sources: tuple[str, ...],
    estimate: bool,
) -> None:
    """The timeline rows of EXPECTED.md, each from the right articles."""
    items, _ = story_timeline(seed_docs)
    rows = [i for i in items if (i.when.start.isoformat(), i.when.end.isoformat()) == (start, end)]
    assert rows, [(i.when, i.expression) for i in items]
    assert any(i.sources == sources and i.when.estimate == estimate for i in rows)


def test_dates_seed_timeline_undated_rows(seed_docs: list[AnnotatedArticle]) -> None:
    """000's "later this month" rests on the estimate; its "said Friday" stays unresolved, never a day."""
    items, estimates = story_timeline(seed_docs)
    a000 = seed_docs[1].article.id
    assert set(estimates) == {a000}
    later = [i for i in items if i.expression == "later this month"]
    assert len(later) == 1 and later[0].when.estimate and later[0].when.precision == "month"
    friday = [i for i in items if i.expression.startswith("Friday")]
    assert len(friday) == 1
    assert friday[0].when.precision != "day" and friday[0].when.estimate
    assert friday[0].when.basis and friday[0].when.basis.startswith("unresolved")
    # the parade "last month" in 000 joins the dated parade rather than making a row of its own
    assert not any(i.when.estimate and i.expression == "last month" for i in items)
    assert [i.when.start for i in items] == sorted(i.when.start for i in items)


def test_dates_no_estimate_without_evidence() -> None:
    """An undated article with no dated peer and no absolute date gets no estimate and no dates."""
    article = make_article("Koo said Friday that exercises come later this month.")
    items, estimates = story_timeline([_annotated(article)])
    assert estimates == {} and items == ()


@pytest.mark.parametrize("kind", ["paragraph", "caption"])
def test_dates_spans_index_text(seed_docs: list[AnnotatedArticle], kind: str) -> None:
    """Every evidence span of every item indexes its article's text."""
    texts = {d.article.id: d.article.text for d in seed_docs}
    items, _ = story_timeline(seed_docs)
    for item in items:
        for span in item.evidence:
            assert 0 <= span.start < span.end <= len(texts[span.article_id])
    blocks: dict[str, tuple[Block, ...]] = {d.article.id: d.article.blocks for d in seed_docs}
    assert any(b.kind == kind for bs in blocks.values() for b in bs)


def test_dates_timeline_independent_of_input_order(seed_docs: list[AnnotatedArticle]) -> None:
    """The same articles in another order give the same timeline and estimates."""
    assert story_timeline(seed_docs) == story_timeline(list(reversed(seed_docs)))


class _AnyDatetime(type):
    """Metaclass: every real datetime counts as an instance of the stand-in class."""

    def __instancecheck__(cls, obj: object) -> bool:
        return isinstance(obj, datetime)


def _clock(today: datetime) -> type[datetime]:
    """htmldate's ``datetime`` with ``now`` stuck on ``today`` (isinstance checks still hold)."""

    class Clock(datetime, metaclass=_AnyDatetime):
        @classmethod
        def now(cls, tz: Any = None) -> Clock:
            """The chosen day, whatever the machine's clock says."""
            return cls(today.year, today.month, today.day)

    return Clock


@pytest.mark.parametrize(
    "today", [datetime(2020, 1, 1), datetime(2031, 1, 1), datetime(2099, 6, 1)]
)
def test_dates_published_date_does_not_depend_on_the_clock(
    monkeypatch: pytest.MonkeyPatch, today: datetime
) -> None:
    """A page's stated date is kept whether the machine's clock is before or after it."""
    import htmldate.validators

    from storyline.stages.clean.html import extract_html

    paragraphs = "".join(
        f"<p>Paragraph {i}: the river rose over its banks on Sunday, officials of district {i} "
        f"said, and {i * 7} families left their homes.</p>"
        for i in range(8)
    )
    page = (
        "<html><head><title>Flood</title>"
        '<meta property="article:published_time" content="2030-06-01T10:00:00+00:00">'
        f"</head><body><article><h1>Flood</h1>{paragraphs}</article></body></html>"
    )
    monkeypatch.setattr(htmldate.validators, "datetime", _clock(today))
    assert extract_html(page).date == "2030-06-01"
