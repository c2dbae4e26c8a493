"""Property tests on the pure stages: clean-up, entity linking, quotes and claims.

Generated inputs (shuffled real lines of scraper dumps with junk spliced in, generated
name sets, spliced real sentences) must never raise, and every span must lie inside its
text. Budgets are bounded so CI stays fast; bench/crashcheck.py runs the real corpora.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.model import (
    AnnotatedArticle,
    Article,
    InputProblem,
    Mention,
    RawDocument,
    Span,
    part_text,
)
from storyline.stages.clean.document import clean
from storyline.stages.corpus.link import link_entities
from tests.util import make_article

ROOT = Path(__file__).resolve().parent.parent
REAL_FILES = sorted((ROOT / "examples" / "seeds").glob("*.txt")) + sorted(
    (ROOT / "tests" / "fixtures" / "dumps").glob("*.txt")
)
REAL_LINES = [
    line for path in REAL_FILES for line in path.read_text("utf-8").splitlines() if line.strip()
]
_SENTENCE = re.compile(r"[^.!?]+[.!?]")
REAL_SENTENCES = [
    s.strip() for line in REAL_LINES for s in _SENTENCE.findall(line) if 20 < len(s.strip()) < 300
]

JUNK = st.sampled_from(
    [
        "",
        "\x00\x01\x02",
        "<script>alert(1)</script>",
        "&nbsp;&amp;&#0;&#xD800;",
        "\ufeff\u200b\u202e",
        "Photo: AP",
        "Share this article",
        "© 2023",
        "=" * 80,
        "\ud7ff\ue000",
        "Серпень 2023",
        "2023-13-45",
        "Monday, 31 February 2023",
        '"""',
        "»«",
    ]
)
LINE = st.one_of(st.sampled_from(REAL_LINES), JUNK, st.text(max_size=80))


def _spans_inside(article: Article) -> None:
    assert article.text
    for block in article.blocks:
        assert 0 <= block.start <= block.end <= len(article.text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(LINE, min_size=0, max_size=40), published=st.none() | st.dates().map(str))
def test_clean_never_raises_on_shuffled_real_lines_and_junk(
    lines: list[str], published: str | None
) -> None:
    raw = RawDocument(input="gen.txt", content="\n".join(lines), fmt="text", published=published)
    result = clean(raw)
    if isinstance(result, InputProblem):
        assert result.input == "gen.txt" and result.reason
    else:
        _spans_inside(result)


TAGS = st.sampled_from(
    ["p", "div", "h1", "h2", "figcaption", "script", "style", "nav", "footer", "li", "a"]
)


@st.composite
def html_pages(draw: st.DrawFn) -> str:
    parts = ["<html><head><title>", draw(LINE), "</title></head><body>"]
    for _ in range(draw(st.integers(0, 25))):
        tag = draw(TAGS)
        closed = draw(st.booleans())
        parts.append(f"<{tag}>{draw(LINE)}" + (f"</{tag}>" if closed else ""))
    parts.append("</body></html>" if draw(st.booleans()) else "")
    return "".join(parts)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page=html_pages())
def test_clean_never_raises_on_generated_html(page: str) -> None:
    result = clean(RawDocument(input="gen.html", content=page, fmt="html"))
    if not isinstance(result, InputProblem):
        _spans_inside(result)


# -- linking -------------------------------------------------------------------------------
FIRST = ["Kim", "Jong", "Sergei", "Cheong", "Anna", "Lee", "Maria", "John"]
LAST = ["Jong Un", "Shoigu", "Seong-chang", "Chang", "Smith", "Lee", "Kim", "Shoygu"]
ORGS = [
    "Korean Central News Agency",
    "KCNA",
    "Sejong Institute",
    "Federal Bureau of Investigation",
    "FBI",
    "Central Intelligence Agency",
    "CIA",
    "Democratic Party",
    "DP",
    "D.C.",
    "AI",
]


@st.composite
def names(draw: st.DrawFn) -> tuple[str, str]:
    kind = draw(st.sampled_from(["person", "initial", "last", "org", "acronym", "typo"]))
    first, last = draw(st.sampled_from(FIRST)), draw(st.sampled_from(LAST))
    if kind == "person":
        return f"{first} {last}", "PERSON"
    if kind == "initial":
        return f"{first[0]}. {last}", "PERSON"
    if kind == "last":
        return last, "PERSON"
    org = draw(st.sampled_from(ORGS))
    if kind == "acronym":
        return "".join(w[0] for w in org.split() if w[0].isupper()) or org, "ORG"
    if kind == "typo" and len(org) > 3:
        i = draw(st.integers(1, len(org) - 2))
        return org[:i] + org[i + 1 :], "ORG"
    return org, "ORG"


@settings(max_examples=150, deadline=None)
@given(groups=st.lists(st.lists(names(), min_size=1, max_size=8), min_size=1, max_size=4))
def test_linking_never_raises_and_every_mention_points_at_a_returned_entity(
    groups: list[list[tuple[str, str]]],
) -> None:
    docs: list[AnnotatedArticle] = []
    for n, group in enumerate(groups):
        text = " ".join(f"{name} said so." for name, _ in group) + f" ({n})"
        article = make_article(text)
        mentions, pos = [], 0
        for name, label in group:
            start = text.index(name, pos)
            mentions.append(
                Mention(span=Span(article.id, start, start + len(name)), text=name, label=label)
            )
            pos = start + len(name)
        docs.append(AnnotatedArticle(article=article, mentions=tuple(mentions)))
    linked, entities = link_entities(docs)
    ids = {e.id for e in entities}
    for doc in linked:
        for m in doc.mentions:
            assert m.entity_id is None or m.entity_id in ids
            assert doc.article.text[m.span.start : m.span.end] == m.text


# -- quotes and claims ------------------------------------------------------------------------
QUOTE_MARKS = st.sampled_from(['"', "“", "”", "'", "«", "»", ""])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sentences=st.lists(
        st.tuples(QUOTE_MARKS, st.sampled_from(REAL_SENTENCES), QUOTE_MARKS), min_size=1, max_size=6
    ),
    paragraphs=st.integers(1, 3),
)
def test_quotes_and_claims_never_raise_on_spliced_real_sentences(
    sentences: list[tuple[str, str, str]], paragraphs: int
) -> None:
    from storyline.nlp import english
    from storyline.pipeline import annotate_article

    pieces = [f"{a}{s}{b}" for a, s, b in sentences]
    size = max(1, len(pieces) // paragraphs)
    text_paragraphs = [" ".join(pieces[i : i + size]) for i in range(0, len(pieces), size)]
    # the first piece is the title too: a headline is read for claims like the body
    article = make_article(*text_paragraphs, published="2023-08-06", title=pieces[0])
    doc = annotate_article(article, english(), strict=True)
    n = len(article.text)
    for q in doc.quotes:
        for span in (q.span, q.speaker_span, q.cue_span):
            if span is not None:
                assert 0 <= span.start <= span.end <= n
    for c in doc.claims:
        assert 0 <= c.span.start <= c.span.end <= len(part_text(article, c.span.part))
