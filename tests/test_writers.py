"""Writers: JSON contract, Markdown and HTML escaping of untrusted article text."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from storyline.io.writers import dossier_dict, render_dossier_html, render_markdown, write_all
from storyline.model import ClaimGroup, DateValue, Dossier, Entity, Quote, Span, TimelineItem
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
