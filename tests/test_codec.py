"""Records survive a JSON round trip through the codec."""

from __future__ import annotations

import json
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from storyline.io.codec import from_dict, to_dict
from storyline.model import AnnotatedArticle, Article, Block, DateValue, Quote, Span
from tests.util import make_article


def test_codec_round_trips_an_annotated_article() -> None:
    article = make_article("Kim visited.", "He said “more”.", published="2023-08-06")
    quote = Quote(id="q1", span=Span(article.id, 18, 22), text="more", kind="direct", cue="said")
    doc = AnnotatedArticle(article=article, quotes=(quote,))
    data = json.loads(json.dumps(to_dict(doc)))
    assert from_dict(AnnotatedArticle, data) == doc


@given(
    st.text(min_size=1, max_size=200),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
    st.booleans(),
)
def test_codec_round_trips_any_article(text: str, day: date, estimate: bool) -> None:
    article = Article(
        id="a1",
        input="x",
        text=text,
        published=DateValue(start=day, end=day, precision="day", estimate=estimate),
        blocks=(Block(kind="caption", start=0, end=len(text), language="uk"),),
        meta_sources=(("published", "header"),),
    )
    assert from_dict(Article, json.loads(json.dumps(to_dict(article)))) == article


def test_codec_span_part_round_trips_and_defaults_to_the_text() -> None:
    """A title span keeps its part; a span stored before parts existed indexes the text."""
    span = Span("a1", 0, 12, "title")
    assert from_dict(Span, json.loads(json.dumps(to_dict(span)))) == span
    old = from_dict(Span, {"article_id": "a1", "start": 3, "end": 9})
    assert old == Span("a1", 3, 9) and old.part == "text"
    # a body span is stored as before (no "part"): spans are stored by the million
    assert to_dict(Span("a1", 3, 9)) == {"article_id": "a1", "start": 3, "end": 9}
    assert to_dict(span)["part"] == "title"
