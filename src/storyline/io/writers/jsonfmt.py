"""The dossier as JSON: the published contract (docs/dossier.schema.json)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from storyline.model import (
    Article,
    ClaimGroup,
    DateValue,
    Dossier,
    Entity,
    Quote,
    Span,
    StageProblem,
    TimelineItem,
    header_text,
)

SCHEMA_VERSION = 1


def date_value(value: DateValue | None) -> dict[str, Any] | None:
    """A DateValue as JSON (``basis`` says where an estimate came from)."""
    if value is None:
        return None
    return {
        "start": value.start.isoformat(),
        "end": value.end.isoformat(),
        "precision": value.precision,
        "estimate": value.estimate,
        "basis": value.basis,
    }


def span(value: Span | None) -> dict[str, Any] | None:
    """A Span as JSON; ``part`` only when it indexes the title or the header lines (a
    span without it indexes the article's text, as in every dossier before it)."""
    if value is None:
        return None
    out: dict[str, Any] = {"article": value.article_id, "start": value.start, "end": value.end}
    if value.part != "text":
        out["part"] = value.part
    return out


def article(a: Article) -> dict[str, Any]:
    """An article as JSON."""
    return {
        "id": a.id,
        "input": a.input,
        "url": a.url,
        "outlet": a.outlet,
        "title": a.title,
        "published": date_value(a.published),
        "published_time": a.published_time,
        "updated": date_value(a.updated),
        "canonical_url": a.canonical_url,
        "meta_sources": dict(a.meta_sources),
        "byline": a.byline,
        "wire": a.wire,
        "language": a.language,
        "credits": list(a.credits),
        "text": a.text,
        "header": header_text(a),
        "blocks": [
            {"kind": b.kind, "start": b.start, "end": b.end, "language": b.language}
            for b in a.blocks
        ],
    }


def entity(e: Entity) -> dict[str, Any]:
    """An entity as JSON."""
    return {
        "id": e.id,
        "name": e.name,
        "type": e.label,
        "aliases": list(e.aliases),
        "description": e.description,
        "mentions": [span(m) for m in e.mentions],
    }


def quote(q: Quote) -> dict[str, Any]:
    """A quote as JSON."""
    return {
        "id": q.id,
        "text": q.text,
        "kind": q.kind,
        "speaker": q.speaker,
        "speaker_name": q.speaker_name,
        "speaker_span": span(q.speaker_span),
        "via": q.via,
        "via_name": q.via_name,
        "cue": q.cue,
        "cue_span": span(q.cue_span),
        "span": span(q.span),
    }


def claim(c: ClaimGroup) -> dict[str, Any]:
    """A claim group as JSON."""
    return {
        "id": c.id,
        "text": c.text,
        "attributed_to": list(c.attributed_to),
        "hedges": list(c.hedges),
        "stance": c.stance,
        "status": c.status,
        "independent_sources": c.independent_sources,
        "sources": list(c.sources),
        "denied_by": list(c.denied_by),
        "evidence": [span(s) for s in c.evidence],
        "members": [m.id for m in c.claims],
    }


def timeline_item(t: TimelineItem) -> dict[str, Any]:
    """A timeline item as JSON."""
    return {
        "id": t.id,
        "when": date_value(t.when),
        "expression": t.expression,
        "text": t.text,
        "sources": list(t.sources),
        "evidence": [span(s) for s in t.evidence],
    }


def problem(p: StageProblem) -> dict[str, Any]:
    """A stage failure as JSON."""
    return {
        "stage": p.stage,
        "article": p.article_id or None,
        "story": p.story_id,
        "error": p.error,
        "message": p.message,
        "sentence": p.sentence,
    }


def dossier_dict(d: Dossier) -> dict[str, Any]:
    """A dossier as JSON (the contract of docs/dossier.schema.json)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "id": d.id,
        "title": d.title,
        "summary": d.summary,
        "articles": [article(a) for a in d.articles],
        "syndication_groups": [list(g) for g in d.syndication_groups],
        "entities": [entity(e) for e in d.entities],
        "quotes": [quote(q) for q in d.quotes],
        "claims": [claim(c) for c in d.claims],
        "timeline": [timeline_item(t) for t in d.timeline],
        "incomplete": list(d.incomplete),
        "problems": [problem(p) for p in d.problems],
    }


def dumps(data: Any) -> str:
    """Canonical JSON: sorted keys, UTF-8, stable across runs.

    The text of ``json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)`` (the
    contract every dossier file was written with), made by :func:`_indented`: with an
    indent, the standard library encodes in Python, one generator per value (about 2 ms per
    dossier article, measured on the 1k bench corpus); the strings are still escaped by its
    C function. A value outside plain JSON types takes the standard library's own way.
    """
    out: list[str] = []
    try:
        _indented(data, out, "\n")
    except _NotPlain:
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    out.append("\n")
    return "".join(out)


class _NotPlain(Exception):
    """A value :func:`_indented` leaves to ``json.dumps`` (a subclass, a non-string key...)."""


_escape = json.encoder.encode_basestring  # the C one where present, as json.dumps uses


def _indented(value: Any, out: list[str], newline: str) -> None:
    """Append ``value`` as json.dumps(indent=2, sort_keys=True, ensure_ascii=False) would;
    ``newline`` is the line break with the indent of ``value``'s own level."""
    cls = type(value)
    if cls is str:
        out.append(_escape(value))
    elif cls is dict:
        if not value:
            out.append("{}")
            return
        if any(type(k) is not str for k in value):
            raise _NotPlain  # json converts (and sorts) other keys its own way
        inner = newline + "  "
        first = True
        for key, item in sorted(value.items(), key=_first):
            out.append("{" + inner if first else "," + inner)
            first = False
            out.append(_escape(key))
            out.append(": ")
            _indented(item, out, inner)
        out.append(newline + "}")
    elif cls is list or cls is tuple:
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        first = True
        for item in value:
            out.append("[" + inner if first else "," + inner)
            first = False
            _indented(item, out, inner)
        out.append(newline + "]")
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif cls is int:
        out.append(int.__repr__(value))
    elif cls is float and math.isfinite(value):
        out.append(float.__repr__(value))
    else:
        raise _NotPlain


def _first(item: tuple[str, Any]) -> str:
    return item[0]


def join_dumps(texts: Sequence[str]) -> str:
    """``dumps([a, b, ...])`` made from ``dumps(a)``, ``dumps(b)``, ...: the same text, with
    nothing encoded again (each item's lines indented one level; JSON strings hold no raw
    newline, so every newline is a line break of the layout)."""
    return "".join(joined_dumps(texts))


def joined_dumps(texts: Iterable[str]) -> Iterator[str]:
    """:func:`join_dumps` in pieces, one item at a time: a corpus-wide list is written
    without ever being one string in memory."""
    first = True
    for text in texts:
        yield ("[\n  " if first else ",\n  ") + text.rstrip("\n").replace("\n", "\n  ")
        first = False
    yield "[]\n" if first else "\n]\n"
