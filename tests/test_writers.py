"""Writers: JSON contract, Markdown and HTML escaping of untrusted article text."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.io.writers import dossier_dict, render_dossier_html, render_markdown, write_all
from storyline.model import (
    Claim,
    ClaimGroup,
    DateValue,
    Dossier,
    Entity,
    Quote,
    Span,
    TimelineItem,
)
from storyline.stages.corpus.dossier import outlet_label
from tests.util import make_article

ROOT = Path(__file__).resolve().parent.parent
EVIL = '<script>alert("x")</script> <img src=x onerror=alert(1)>'


def evil_dossier() -> Dossier:
    a = make_article(
        EVIL, "He said “<b>bold</b>”.", title=EVIL, outlet=EVIL, published="2023-08-06"
    )
    span = Span(a.id, 0, len(EVIL))
    day = DateValue(start=date(2023, 8, 6), end=date(2023, 8, 6), precision="day")
    return Dossier(
        id="s0123456789ab",
        title=EVIL,
        summary=EVIL,
        articles=(a,),
        entities=(Entity(id="e1", name=EVIL, label="PERSON", aliases=(EVIL,), mentions=(span,)),),
        quotes=(
            Quote(id="q1", span=span, text=EVIL, kind="direct", speaker_name=EVIL, cue="said"),
        ),
        claims=(
            ClaimGroup(
                id="g1",
                text=EVIL,
                claims=(),
                attributed_to=(EVIL,),
                hedges=(),
                stance="fact",
                status="single-source",
                independent_sources=1,
                sources=(EVIL,),
                evidence=(span,),
            ),
        ),
        timeline=(TimelineItem(id="t1", when=day, expression=EVIL, text=EVIL, evidence=(span,)),),
    )


def test_writers_html_escapes_article_text() -> None:
    page = render_dossier_html(evil_dossier())
    assert "<script>" not in page and "<img" not in page and "<b>bold" not in page
    assert "&lt;script&gt;" in page


def test_writers_markdown_escapes_html() -> None:
    assert "<script>" not in render_markdown(evil_dossier())


def test_writers_json_matches_published_schema(tmp_path: Path) -> None:
    schema = json.loads((ROOT / "docs" / "dossier.schema.json").read_text())
    index = write_all([evil_dossier()], tmp_path)
    assert index.name == "index.html" and "<script>" not in index.read_text()
    data = json.loads((tmp_path / "dossiers.json").read_text())
    jsonschema.validate(data[0], schema)
    assert data[0] == dossier_dict(evil_dossier())
    for ext in ("json", "md", "html"):
        assert (tmp_path / f"s0123456789ab.{ext}").exists()


def test_writers_outlet_is_never_the_input_path() -> None:
    """An article with no outlet and no wire shows "unknown outlet", never its file path."""
    path = "/home/op/scrapes/4471_a1b2c3.txt"
    text = "The harbour reopened on Saturday, officials said."
    a = make_article(text, outlet=None, input=path)
    span = Span(a.id, 0, len(text))
    quote = Quote(id="q1", span=span, text=text, kind="direct", speaker_name="X", cue="said")
    d = Dossier(
        id="s0123456789ab",
        title="Harbour",
        summary="Harbour.",
        articles=(a,),
        entities=(),
        quotes=(quote,),
        claims=(),
        timeline=(),
    )
    assert outlet_label(a) == "unknown outlet"
    assert outlet_label(make_article(text, outlet=None, wire="Reuters")) == "Reuters"
    md = render_markdown(d)
    assert path.split("/")[-1].replace("_", "\\_") not in md and "unknown outlet" in md
    page = render_dossier_html(d)
    # the input stays visible once, as the article's source file, never as its outlet
    assert page.count(path) == 1 and "unknown outlet" in page
    assert dossier_dict(d)["articles"][0]["outlet"] is None


def test_an_interrupted_write_keeps_the_old_file_whole(tmp_path: Path, monkeypatch: Any) -> None:
    from storyline.io import writers

    target = tmp_path / "index.html"
    target.write_text("old page", "utf-8")

    class Interrupted(KeyboardInterrupt):
        pass

    def replace_fails(src: str, dst: Path) -> None:
        raise Interrupted

    monkeypatch.setattr(writers.os, "replace", replace_fails)
    with pytest.raises(Interrupted):
        writers.write_atomic(target, "new page " * 1000)
    assert target.read_text("utf-8") == "old page"
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]  # no temporary file left


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(st.lists(JSON_VALUES, max_size=5))
def test_join_dumps_is_the_dumps_of_the_list(items: list[Any]) -> None:
    from storyline.io.writers import dumps, join_dumps

    assert join_dumps([dumps(x) for x in items]) == dumps(items)


def _stdlib_dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.lists(inner, max_size=3).map(tuple)
            | st.dictionaries(st.text(), inner, max_size=4)
        ),
        max_leaves=30,
    )
)
def test_dumps_writes_the_bytes_of_the_stdlib_indent_encoder(data: Any) -> None:
    """The dossier files' contract is json.dumps(indent=2, sort_keys=True): the faster
    encoder must write the same text for every value, NaN and infinities included."""
    from storyline.io.writers import dumps

    assert dumps(data) == _stdlib_dumps(data)


@pytest.mark.parametrize(
    "data",
    [{1: "a", "b": 2}, {"x": [True, 1.5, {2: None}]}, {"e": date(2023, 8, 6)}],
    ids=["int key", "nested int key", "not JSON"],
)
def test_dumps_leaves_what_is_not_plain_json_to_the_stdlib(data: Any) -> None:
    """Non-string keys (converted and sorted by json's own rules) and unknown types (an
    error) take json.dumps's way: the same text, or the same error."""
    from storyline.io.writers import dumps

    try:
        expected: str | type[Exception] = _stdlib_dumps(data)
    except TypeError:
        expected = TypeError
    if expected is TypeError:
        with pytest.raises(TypeError):
            dumps(data)
    else:
        assert dumps(data) == expected


def test_dumps_of_a_dossier_is_the_stdlib_text() -> None:
    """A whole dossier (unicode, quotes, empty lists and maps, nulls) as the file holds it."""
    from storyline.io.writers import dumps

    data = dossier_dict(evil_dossier())
    assert dumps(data) == _stdlib_dumps(data)
    assert dumps(data) != _stdlib_dumps({**data, "title": "other"})


def _dossier(story_id: str, title: str, outlet: str = "Harbour Post") -> Dossier:
    a = make_article("The harbour reopened on Saturday, officials said.", outlet=outlet)
    day = DateValue(start=date(2023, 8, 6), end=date(2023, 8, 6), precision="day")
    item = TimelineItem(id="t1", when=day, expression="Saturday", text="reopened", evidence=())
    return Dossier(
        id=story_id,
        title=title,
        summary=f"{title}.",
        articles=(a, make_article("Second text.", outlet=outlet.upper())),
        entities=(),
        quotes=(),
        claims=(),
        timeline=(item,),
    )


def test_index_rows_render_the_index_the_dossiers_render() -> None:
    from storyline.io.writers import index_row, render_index_html

    ds = [_dossier("s1", "One"), evil_dossier()]
    assert render_index_html([index_row(d) for d in ds]) == render_index_html(ds)
    # outlets as Jinja's `unique` gave them: case ignored, first spelling kept
    assert index_row(ds[0]).outlets == ("Harbour Post",)
    assert index_row(ds[0]).dates == "2023-08-06 … 2023-08-06"


def test_write_stories_renders_only_what_changed(tmp_path: Path) -> None:
    from storyline.io.writers import MANIFEST, StoryOutput, story_output, write_all, write_stories

    dossiers = {"s1": _dossier("s1", "One"), "s2": _dossier("s2", "Two")}
    loaded: list[str] = []

    def load(story_id: str) -> StoryOutput:
        loaded.append(story_id)
        return story_output(dossiers[story_id])

    stories = [("s1", "f1"), ("s2", "f2")]
    first = write_stories(tmp_path, stories, load, writers="w1")
    assert first.rendered == ("s1", "s2") and (tmp_path / MANIFEST).is_file()
    # the same bytes as writing every dossier at once
    whole = tmp_path / "whole"
    write_all(list(dossiers.values()), whole)
    for p in whole.iterdir():
        assert (tmp_path / p.name).read_bytes() == p.read_bytes(), p.name

    loaded.clear()
    assert write_stories(tmp_path, stories, load, writers="w1").rendered == ()
    assert loaded == []
    # a changed fingerprint, a missing file, a story just assembled: each renders that story
    dossiers["s2"] = _dossier("s2", "Two, grown")
    assert write_stories(tmp_path, [("s1", "f1"), ("s2", "f3")], load, writers="w1").rendered == (
        "s2",
    )
    assert "Two, grown" in (tmp_path / "index.html").read_text("utf-8")
    assert "Two, grown" in (tmp_path / "dossiers.json").read_text("utf-8")
    (tmp_path / "s1.html").unlink()
    stories = [("s1", "f1"), ("s2", "f3")]
    assert write_stories(tmp_path, stories, load, writers="w1").rendered == ("s1",)
    assert write_stories(tmp_path, stories, load, writers="w1", fresh=["s2"]).rendered == ("s2",)
    # other writers (or a manifest that is not one): every story is rendered again
    assert write_stories(tmp_path, stories, load, writers="w2").rendered == ("s1", "s2")
    (tmp_path / MANIFEST).write_text("not json", "utf-8")
    assert write_stories(tmp_path, stories, load, writers="w2").rendered == ("s1", "s2")
    # a story file cut short by hand is noticed by its size
    (tmp_path / "s1.json").write_text("{}", "utf-8")
    assert write_stories(tmp_path, stories, load, writers="w2").rendered == ("s1",)


def headline_dossier() -> Dossier:
    """A dossier whose claim cites an article's title and its body."""
    a = make_article("The mayor opened the bridge. It took a year.", title="Mayor opens bridge")
    a = replace(a, removed=(("header", "A standfirst line"), ("menu", "Home")))
    evidence = (Span(a.id, 0, 18, "title"), Span(a.id, 0, 28), Span(a.id, 2, 12, "header"))
    group = ClaimGroup(
        id="g1",
        text="Mayor opens bridge",
        claims=(),
        attributed_to=("Daily",),
        hedges=(),
        stance="fact",
        status="single-source",
        independent_sources=1,
        sources=("Daily",),
        evidence=evidence,
    )
    return Dossier(
        id="s0123456789ab", title="t", summary="s", articles=(a,), entities=(), quotes=(),
        claims=(group,), timeline=(),
    )  # fmt: skip


def test_writers_show_which_part_a_span_indexes() -> None:
    """JSON names a title/header span's part (a body span stays as before), the article
    carries its header lines, Markdown and HTML cite the part and its words."""
    d = headline_dossier()
    data = dossier_dict(d)
    title, body, header = data["claims"][0]["evidence"]
    assert title["part"] == "title" and header["part"] == "header" and "part" not in body
    assert data["articles"][0]["header"] == "A standfirst line"
    schema = json.loads((ROOT / "docs" / "dossier.schema.json").read_text())
    jsonschema.validate(data, schema)
    aid = d.articles[0].id
    md = render_markdown(d)
    assert f"{aid}:title:0-18]" in md and f"{aid}:0-28]" in md and f"{aid}:header:2-12]" in md
    page = render_dossier_html(d)
    assert f"{aid}:title:0-18</code>: <q>Mayor opens bridge</q>" in page
    assert f"{aid}:header:2-12</code>: <q>standfirst</q>" in page
    assert f"{aid}:0-28</code>: <q>The mayor opened the bridge.</q>" in page


def test_a_streamed_file_is_replaced_only_when_its_bytes_change(tmp_path: Path) -> None:
    from storyline.io.writers import write_atomic_stream
    from storyline.io.writers.jsonfmt import dumps, joined_dumps

    target = tmp_path / "dossiers.json"
    pieces = [dumps({"id": i, "text": "é\nx"}) for i in range(3)]
    assert write_atomic_stream(target, joined_dumps(iter(pieces)))
    assert target.read_text("utf-8") == dumps([{"id": i, "text": "é\nx"} for i in range(3)])
    stamp = target.stat().st_mtime_ns
    assert not write_atomic_stream(target, joined_dumps(iter(pieces)))  # same bytes: untouched
    assert target.stat().st_mtime_ns == stamp
    assert write_atomic_stream(target, joined_dumps(iter(pieces[:2])))
    assert target.read_text("utf-8").count('"id"') == 2
    assert [p.name for p in tmp_path.iterdir()] == ["dossiers.json"]  # no temporary left


def test_writers_mark_a_report_that_backs_two_claims() -> None:
    """A member claim in two groups is cited in both, marked there; one in one group is not."""
    a = make_article("A fire broke out and destroyed the roof. Police closed the street.")
    both = Claim(id="c1", span=Span(a.id, 0, 40), text="A fire broke out and destroyed the roof")
    other = Claim(id="c2", span=Span(a.id, 41, 66), text="Police closed the street.")

    def group(ident: str, members: tuple[Claim, ...]) -> ClaimGroup:
        return ClaimGroup(
            id=ident, text=members[0].text, claims=members, attributed_to=(), hedges=(),
            stance="fact", status="single-source", independent_sources=1, sources=("Daily",),
            evidence=tuple(m.span for m in members),
        )  # fmt: skip

    d = Dossier(
        id="s0123456789ab", title="t", summary="s", articles=(a,), entities=(), quotes=(),
        claims=(group("g1", (both,)), group("g2", (both, other))), timeline=(),
    )  # fmt: skip
    md = render_markdown(d)
    assert md.count(f"{a.id}:0-40] *(also backs another claim)*") == 2
    assert f"{a.id}:41-66] *(also" not in md and f"{a.id}:41-66]" in md
    page = render_dossier_html(d)
    assert page.count("(also backs another claim)") == 2
    assert f"{a.id}:41-66</code>: <q>" in page
