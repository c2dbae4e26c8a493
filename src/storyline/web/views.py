"""What each page shows, computed from stored dossier JSON (pure functions, no store, no HTML).

The web UI and its JSON API share these: a page is its view rendered by a template,
and ``/api/...`` returns the same view as JSON.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from storyline.model import Article, SpanPart, date_label, part_text

UNKNOWN_OUTLET = "unknown outlet"


@dataclass(frozen=True, slots=True)
class WebConfig:
    """Sizes of the web UI's lists.

    A story of hundreds of articles has thousands of claims and quotes: a page that shows
    them all is megabytes of HTML that nobody reads and that takes seconds to render.
    Every list on a page is bounded here; the rest is one click (a page number) or the
    JSON away, and the page says how many it left out.
    """

    stories_per_page: int = 25
    hits_per_page: int = 20
    # the coverage matrix shows at most this many outlets (the largest); the rest are counted
    matrix_outlets: int = 12
    claims_per_page: int = 100  # the claim ledger (and its coverage rows), most contested first
    # evidence links under one claim or timeline event, one per outlet first: a wire story
    # reprinted by 150 outlets backs each claim 150 times (1.4 MB of links on one page)
    evidence_shown: int = 12
    timeline_shown: int = 200
    speakers_shown: int = 30
    quotes_per_speaker: int = 8
    entities_shown: int = 100
    articles_shown: int = 200
    changes_shown: int = 10  # the latest stored updates of a story ("What changed")
    entity_stories: int = 20  # stories per entity page, largest first
    # evidence links under a claim on an entity page (its part of each story is stored
    # with the dossier: see ``entity_parts``)
    entity_evidence: int = 3


CONFIG = WebConfig()
# The stored first page of a story (``web.pages.stored_page``) carries this; a page stored by other
# view code (an older version) is not served but made again from the dossier, on every
# request until its story is assembled again: raise it only when the template cannot
# render an older page (a page of version 4 lacks ``evidence_total`` and lists every
# report: the template renders it as it did).
VIEW_VERSION = 4


def when(value: dict[str, Any] | None) -> str:
    """A stored date for people (see :func:`storyline.model.date_label`)."""
    if not value:
        return "unknown"
    return date_label(
        str(value["start"]),
        str(value["end"]),
        str(value.get("precision")),
        estimate=bool(value.get("estimate")),
        basis=value.get("basis"),
    )


def outlet_of(article: dict[str, Any]) -> str:
    """How readers see an article's origin: outlet, else wire, else unknown (never a path)."""
    return str(article.get("outlet") or article.get("wire") or UNKNOWN_OUTLET)


def evidence(
    span: dict[str, Any], texts: dict[str, str], outlets: dict[str, str]
) -> dict[str, Any]:
    """A span with its text, its outlet and the link that opens it highlighted in its article.

    A span of the title or the header lines (``part``) reads its text from that part.
    """
    aid, start, end = str(span["article"]), int(span["start"]), int(span["end"])
    part = str(span.get("part") or "text")
    return {
        "article": aid,
        "start": start,
        "end": end,
        "part": part,
        "outlet": outlets.get(aid, UNKNOWN_OUTLET),
        "text": texts.get(text_key(aid, part), "")[start:end],
        "href": span_href(aid, start, end, part),
    }


def text_key(article_id: str, part: str) -> str:
    """Key of one text of an article in ``_sources``' texts: the id for the body text."""
    return article_id if part == "text" else f"{article_id}#{part}"


def span_href(article_id: str, start: int, end: int, part: str = "text") -> str:
    """The article page with this span highlighted (and scrolled to)."""
    where = "" if part == "text" else f"&part={part}"
    return f"/article/{article_id}?span={start}-{end}{where}#hl"


def _span_key(span: dict[str, Any]) -> tuple[str, str, int, int]:
    return (
        str(span["article"]),
        str(span.get("part") or "text"),
        int(span["start"]),
        int(span["end"]),
    )


def _bounded(items: list[dict[str, Any]], shown: int | None = None) -> dict[str, Any]:
    """``evidence`` cut to ``shown`` items (``CONFIG.evidence_shown``), one per outlet first
    (so each independent report shows), in their order; ``evidence_total`` counts them all."""
    shown = CONFIG.evidence_shown if shown is None else shown
    chosen = items
    if len(items) > shown:
        seen: set[str] = set()
        firsts: list[int] = []
        rest: list[int] = []
        for n, item in enumerate(items):
            (rest if item["outlet"] in seen else firsts).append(n)
            seen.add(item["outlet"])
        keep = sorted((firsts + rest)[:shown])
        chosen = [items[n] for n in keep]
    return {"evidence": chosen, "evidence_total": len(items)}


def shared_spans(claims: list[dict[str, Any]]) -> frozenset[tuple[str, str, int, int]]:
    """Evidence spans cited by two or more claims: one report backing two claims (as the
    dossier writers mark it), so a reader does not count it twice."""
    seen: dict[tuple[str, str, int, int], int] = {}
    for c in claims:
        for key in {_span_key(s) for s in c.get("evidence", [])}:
            seen[key] = seen.get(key, 0) + 1
    return frozenset(key for key, count in seen.items() if count > 1)


# The claim ledger leads with what an analyst acts on: disputes, then what several
# outlets back, then single-source statements.
_STATUS_ORDER = {"denied": 0, "contested": 1, "corroborated": 2, "single-source": 3}


def claim_order(claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Claims most worth reading first: by status, then by independent sources (stable)."""
    return sorted(
        claims,
        key=lambda c: (
            _STATUS_ORDER.get(str(c.get("status")), len(_STATUS_ORDER)),
            -int(c.get("independent_sources", 0)),
        ),
    )


def story_view(record: dict[str, Any], page: int = 1) -> dict[str, Any]:
    """The story page: timeline, claim ledger, quotes by speaker, entities, coverage, articles.

    Every list is bounded by ``CONFIG``; ``page`` pages the claim ledger. Evidence (the
    sentence and its link) is cut only for the items shown, so the cost of a page follows
    what it shows, not the size of the story.
    """
    articles = record.get("articles", [])
    texts, outlets = _sources(record)
    names = {e["id"]: e["name"] for e in record.get("entities", [])}

    all_timeline = record.get("timeline", [])
    timeline = [
        {
            "id": t["id"],
            "when": when(t.get("when")),
            "estimate": bool((t.get("when") or {}).get("estimate")),
            "text": t["text"],
            "expression": t.get("expression", ""),
            **_bounded([evidence(s, texts, outlets) for s in t.get("evidence", [])]),
        }
        for t in all_timeline[: CONFIG.timeline_shown]
    ]
    all_claims = record.get("claims", [])
    pages = max(1, -(-len(all_claims) // CONFIG.claims_per_page))
    page = min(max(page, 1), pages)
    first = (page - 1) * CONFIG.claims_per_page
    shown_claims = claim_order(all_claims)[first : first + CONFIG.claims_per_page]
    shared = shared_spans(all_claims)
    claims = [
        {
            "id": c["id"],
            "text": c["text"],
            "status": c["status"],
            "stance": c.get("stance", "fact"),
            "independent_sources": c.get("independent_sources", 0),
            "sources": c.get("sources", []),
            "attributed_to": c.get("attributed_to", []),
            "hedges": c.get("hedges", []),
            "denied_by": c.get("denied_by", []),
            "evidence": [
                {**evidence(s, texts, outlets), "shared": _span_key(s) in shared}
                for s in c.get("evidence", [])
            ],
        }
        for c in shown_claims
    ]
    speakers: dict[tuple[str | None, str], list[dict[str, Any]]] = defaultdict(list)
    for q in record.get("quotes", []):
        speakers[(q.get("speaker"), q.get("speaker_name") or "unattributed")].append(q)
    groups = sorted(speakers.items(), key=lambda kv: (-len(kv[1]), kv[0][1]))
    quotes = [
        {
            "speaker": sid,
            "name": name,
            "total": len(items),
            "quotes": [_quote_item(q, texts, outlets) for q in items[: CONFIG.quotes_per_speaker]],
        }
        for (sid, name), items in groups[: CONFIG.speakers_shown]
    ]
    all_entities = record.get("entities", [])
    entities = [
        {
            "id": e["id"],
            "name": e["name"],
            "type": e.get("type", ""),
            "description": e.get("description"),
            "aliases": [a for a in e.get("aliases", []) if a != e["name"]],
            "mentions": len(e.get("mentions", [])),
        }
        for e in sorted(all_entities, key=lambda e: -len(e.get("mentions", [])))[
            : CONFIG.entities_shown
        ]
    ]
    return {
        "id": record["id"],
        "title": record.get("title", ""),
        "summary": record.get("summary", ""),
        "updated": record.get("updated"),
        "timeline": timeline,
        "statuses": _count(c["status"] for c in all_claims),
        "quotes": quotes,
        "entities": entities,
        "coverage": coverage(claims, [outlets[a["id"]] for a in articles]),
        # the coverage above reads every claim's evidence; the ledger shows a few of each
        "claims": [{**c, **_bounded(c["evidence"])} for c in claims],
        "articles": [
            {
                "id": a["id"],
                "title": a.get("title") or "(untitled)",
                "outlet": outlets[a["id"]],
                "published": when(a.get("published")),
                "estimate": bool((a.get("published") or {}).get("estimate")),
                "byline": a.get("byline"),
                "wire": a.get("wire"),
                "language": a.get("language"),
                "url": a.get("url"),
            }
            for a in articles[: CONFIG.articles_shown]
        ],
        "speaker_names": {sid: names[sid] for sid, _ in speakers if sid in names},
        # what the bounded lists left out, so the page can say so and link on
        "totals": {
            "articles": len(articles),
            "claims": len(all_claims),
            "timeline": len(all_timeline),
            "speakers": len(groups),
            "quotes": len(record.get("quotes", [])),
            "entities": len(all_entities),
        },
        "claims_page": {"page": page, "pages": pages, "first": first + 1 if claims else 0},
    }


def coverage(claims: list[dict[str, Any]], article_outlets: list[str]) -> dict[str, Any]:
    """Which outlet reported which claim (outlet x claim), so omissions show as gaps."""
    counts: dict[str, int] = defaultdict(int)
    for o in article_outlets:
        counts[o] += 1
    outlets = sorted(counts, key=lambda o: (-counts[o], o))
    shown = outlets[: CONFIG.matrix_outlets]
    rows = []
    for c in claims:
        cells = []
        for o in shown:
            hits = [e for e in c["evidence"] if e["outlet"] == o]
            cells.append({"outlet": o, "href": hits[0]["href"] if hits else None})
        rows.append({"id": c["id"], "text": c["text"], "status": c["status"], "cells": cells})
    return {"outlets": shown, "hidden": len(outlets) - len(shown), "rows": rows}


def _sources(record: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """(text key -> text, article id -> outlet) of a stored dossier; each article gives its
    body text, title and header lines (``text_key``)."""
    articles = record.get("articles", [])
    texts: dict[str, str] = {}
    for a in articles:
        texts[a["id"]] = a.get("text", "")
        texts[text_key(a["id"], "title")] = a.get("title") or ""
        texts[text_key(a["id"], "header")] = a.get("header", "")
    return texts, {a["id"]: outlet_of(a) for a in articles}


def _quote_item(
    q: dict[str, Any], texts: dict[str, str], outlets: dict[str, str]
) -> dict[str, Any]:
    return {
        "text": q["text"],
        "kind": q.get("kind", ""),
        "cue": q.get("cue") or "",
        "via": q.get("via_name"),
        "evidence": evidence(q["span"], texts, outlets),
    }


def entity_parts(record: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each entity's part of one story: how it is named there, its quotes and its claims.

    One pass over the story's quotes and claims for all its entities; the parts are
    stored with the dossier, so an entity page reads one small row per story.
    """
    texts, outlets = _sources(record)
    parts: dict[str, dict[str, Any]] = {}
    by_name: dict[str, list[str]] = defaultdict(list)  # a name or alias -> entity ids
    for e in record.get("entities", []):
        names = {str(e["name"]), *(str(a) for a in e.get("aliases", []))}
        parts[e["id"]] = {
            "id": record["id"],
            "title": record.get("title", ""),
            "name": e["name"],
            "type": e.get("type", ""),
            "description": e.get("description"),
            "aliases": sorted(names),
            "mentions": len(e.get("mentions", [])),
            "quotes": [],
            "claims": [],
        }
        for name in names:
            by_name[name].append(e["id"])
    # a quote reprinted across a story is listed once, with how many reports carry it
    # (a 1,555-article story held 32,011 quotes of its entities, 954 distinct)
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for q in record.get("quotes", []):
        if q.get("speaker") in parts:
            known = seen.get((q["speaker"], q["text"]))
            if known is not None:
                known["reports"] += 1
                continue
            item = seen[(q["speaker"], q["text"])] = {
                **_quote_item(q, texts, outlets),
                "reports": 1,
            }
            parts[q["speaker"]]["quotes"].append(item)
    for c in claim_order(record.get("claims", [])):
        owners = {i for name in c.get("attributed_to", []) for i in by_name.get(name, ())}
        if not owners:
            continue
        # the evidence bounded as the page shows it: each part is stored with the dossier,
        # and every report of every claim of a 1,555-article story, per entity that made
        # it, was 604 MB of parts
        item = {
            "id": c["id"],
            "text": c["text"],
            "status": c["status"],
            "attributed_to": c.get("attributed_to", []),
            **_bounded(
                [evidence(s, texts, outlets) for s in c.get("evidence", [])],
                CONFIG.entity_evidence,
            ),
        }
        for owner in sorted(owners):
            parts[owner]["claims"].append(item)
    return parts


def entity_view(entity_id: str, parts: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Every quote and claim of one entity across stories, from its part of each story."""
    if not parts:
        return None
    first = parts[0]
    aliases = {a for p in parts for a in p["aliases"]}
    return {
        "id": entity_id,
        "name": first["name"],
        "type": next((p["type"] for p in parts if p["type"]), ""),
        "description": next((p["description"] for p in parts if p["description"]), None),
        "aliases": sorted(aliases - {first["name"]}),
        "stories": [
            {k: p[k] for k in ("id", "title", "mentions", "quotes", "claims")} for p in parts
        ],
    }


def article_view(
    article: Article,
    span: tuple[int, int] | None,
    story: dict[str, Any] | None,
    part: SpanPart = "text",
) -> dict[str, Any]:
    """An article's clean text by block, a highlighted span, and what the story found in it.

    A span of the title or the header lines (``part``) is shown above the text, marked.
    """
    blocks = []
    for b in article.blocks:
        text = article.text[b.start : b.end]
        parts = [{"text": text, "mark": False}]
        if part == "text" and span is not None and span[0] < b.end and span[1] > b.start:
            lo, hi = max(span[0], b.start) - b.start, min(span[1], b.end) - b.start
            parts = [
                {"text": text[:lo], "mark": False},
                {"text": text[lo:hi], "mark": True},
                {"text": text[hi:], "mark": False},
            ]
        blocks.append({"kind": b.kind, "language": b.language, "parts": parts})
    found: list[dict[str, Any]] = []
    if story is not None:
        # only this article's items: a story's other articles are not looked at
        texts, outlets = _sources(story)

        def here(span: dict[str, Any]) -> dict[str, Any] | None:
            return evidence(span, texts, outlets) if span["article"] == article.id else None

        for c in claim_order(story.get("claims", [])):
            found += [
                {"kind": f"claim ({c['status']})", "text": c["text"], "href": e["href"]}
                for s in c.get("evidence", [])
                if (e := here(s)) is not None
            ]
        for q in story.get("quotes", []):
            if (e := here(q["span"])) is not None:
                speaker = q.get("speaker_name") or "unattributed"
                found.append({"kind": f"quote: {speaker}", "text": q["text"], "href": e["href"]})
        for t in story.get("timeline", []):
            found += [
                {"kind": f"date: {when(t.get('when'))}", "text": t["text"], "href": e["href"]}
                for s in t.get("evidence", [])
                if (e := here(s)) is not None
            ]
    unique = {f["href"]: f for f in found}  # a claim group may cite one span twice
    published = article.published
    return {
        "id": article.id,
        "title": article.title or "(untitled)",
        "outlet": article.outlet or article.wire or UNKNOWN_OUTLET,
        "published": published.start.isoformat() if published else "unknown",
        "estimate": bool(published and published.estimate),
        "byline": article.byline,
        "language": article.language,
        "url": article.url,
        "input": article.input,
        "span": list(span) if span else None,
        "part": part,
        "highlight": part_text(article, part)[span[0] : span[1]] if span else None,
        "blocks": blocks,
        "story": None if story is None else {"id": story["id"], "title": story.get("title", "")},
        "found": list(unique.values()),
        "credits": list(article.credits),
        "removed": [{"why": why, "text": line} for why, line in article.removed],
    }


def _count(values: Any) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for v in values:
        counts[str(v)] += 1
    return dict(sorted(counts.items()))
