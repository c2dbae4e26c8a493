"""The ``storyline annotate`` contract: already-clean text in, offsets out.

Evaluations go through this module, so what is measured is what users get.
Each input record is ``{"id", "text", "published"}``; the text is taken as one
clean paragraph-separated article and every offset indexes it exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from storyline.ids import article_id
from storyline.model import Article, Block, DateValue, Span
from storyline.strict import is_strict

if TYPE_CHECKING:
    from spacy.language import Language

ALL_PARTS = frozenset({"entities", "quotes", "times", "claims"})


def article_from_text(text: str, published: str | None, ident: str | None = None) -> Article:
    """An Article over already-clean text: blocks are its blank-line separated paragraphs."""
    anchor = None
    if published:
        day = date.fromisoformat(published[:10])
        anchor = DateValue(start=day, end=day, precision="day", basis="input")
    blocks: list[Block] = []
    pos = 0
    for chunk in text.split("\n\n"):
        start = pos
        end = start + len(chunk)
        pos = end + 2
        s, e = start, end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            blocks.append(Block(kind="paragraph", start=s, end=e, language="en"))
    return Article(
        id=ident or article_id(text),
        input=ident or "",
        published=anchor,
        language="en",
        text=text,
        blocks=tuple(blocks),
    )


def _span(span: Span | None) -> dict[str, int] | None:
    return None if span is None else {"start": span.start, "end": span.end}


# what each part of the `storyline annotate` contract is made from
_OUTPUTS = {"entities": "mentions", "quotes": "quotes", "times": "times", "claims": "claims"}


def annotate_one(
    record: Mapping[str, Any],
    nlp: Language | None,
    parts: frozenset[str] = ALL_PARTS,
    *,
    strict: bool | None = None,
) -> dict[str, Any]:
    """Annotate one record; returns the output contract of ``storyline annotate``.

    The same stage code as `build` runs (:func:`storyline.pipeline.annotate_article`),
    limited to the stages the asked-for parts need. A stage that fails leaves its part
    empty and is listed under ``problems``; the other parts are answered.
    """
    from storyline.pipeline import annotate_article

    text = str(record.get("text") or "")
    published = record.get("published")
    article = article_from_text(
        text, str(published) if published else None, str(record.get("id", ""))
    )
    article = replace(article, id=article.id or article_id(text))
    doc = annotate_article(
        article, nlp, strict=strict, outputs=[_OUTPUTS[p] for p in sorted(parts)]
    )
    out: dict[str, Any] = {"id": record.get("id")}
    if "entities" in parts:
        out["entities"] = [
            {"start": m.span.start, "end": m.span.end, "label": m.label, "text": m.text}
            for m in doc.mentions
            if not m.role
        ]
    if "quotes" in parts:
        out["quotes"] = [
            {
                "start": q.span.start,
                "end": q.span.end,
                "kind": q.kind,
                "cue": _span(q.cue_span),
                "speaker": _span(q.speaker_span),
                "speaker_name": q.speaker_name,
            }
            for q in doc.quotes
        ]
    if "times" in parts:
        out["times"] = [
            {
                "start": t.span.start,
                "end": t.span.end,
                "type": t.type,
                "value": t.value,
                "text": t.text,
            }
            for t in doc.times
        ]
    if "claims" in parts:
        out["claims"] = [
            {
                "start": c.span.start,
                "end": c.span.end,
                "part": c.span.part,
                "text": c.text,
                "attributed_to": list(c.attributed_to),
                "cue": c.cue,
                "cue_class": c.cue_class,
                "hedges": list(c.hedges),
                "stance": c.stance,
                "polarity": c.polarity,
            }
            for c in doc.claims
        ]
    if doc.problems:
        out["problems"] = [
            {"stage": p.stage, "error": p.error, "message": p.message} for p in doc.problems
        ]
    return out


def annotate_records(
    records: Iterable[Mapping[str, Any]],
    parts: frozenset[str] = ALL_PARTS,
    nlp: Language | None = None,
    *,
    strict: bool | None = None,
) -> Iterator[dict[str, Any]]:
    """Annotate many records with one loaded model (models load once per command).

    A record that fails comes out as ``{"id", "error"}`` and the others go on, unless
    ``strict`` (default: ``STORYLINE_STRICT=1``), which re-raises.
    """
    if nlp is None and parts & {"entities", "quotes", "claims"}:
        from storyline.nlp import english

        nlp = english()
    raise_ = is_strict(strict)
    for record in records:
        if raise_:
            yield annotate_one(record, nlp, parts, strict=True)
            continue
        try:
            yield annotate_one(record, nlp, parts, strict=False)
        except Exception as exc:  # isolation: one bad record must not end the stream
            yield {"id": record.get("id"), "error": f"{type(exc).__name__}: {exc}"}
