"""What each page shows, computed from stored dossier JSON (pure functions, no store, no HTML).

The web UI and its JSON API share these: a page is its view rendered by a template,
and ``/api/...`` returns the same view as JSON.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from storyline.model import Article

UNKNOWN_OUTLET = "unknown outlet"


@dataclass(frozen=True, slots=True)
class WebConfig:
    """Sizes of the web UI's lists."""

    stories_per_page: int = 25
    hits_per_page: int = 20
    # the coverage matrix shows at most this many outlets (the largest); the rest are counted
    matrix_outlets: int = 12


CONFIG = WebConfig()


def when(value: dict[str, Any] | None) -> str:
    """A stored date for people: "2023-08-03", "2023-07", "2023-08-01 to 2023-08-03 (estimate)"."""
    if not value:
        return "unknown"
    size = {"day": 10, "month": 7, "year": 4}.get(str(value.get("precision")), 10)
    start, end = str(value["start"])[:size], str(value["end"])[:size]
    text = start if start == end else f"{start} to {end}"
    return f"{text} (estimate)" if value.get("estimate") else text


def outlet_of(article: dict[str, Any]) -> str:
    """How readers see an article's origin: outlet, else wire, else unknown (never a path)."""
    return str(article.get("outlet") or article.get("wire") or UNKNOWN_OUTLET)


def evidence(
    span: dict[str, Any], texts: dict[str, str], outlets: dict[str, str]
) -> dict[str, Any]:
    """A span with its text, its outlet and the link that opens it highlighted in its article."""
    aid, start, end = str(span["article"]), int(span["start"]), int(span["end"])
    return {
        "article": aid,
        "start": start,
        "end": end,
        "outlet": outlets.get(aid, UNKNOWN_OUTLET),
        "text": texts.get(aid, "")[start:end],
        "href": span_href(aid, start, end),
    }


def span_href(article_id: str, start: int, end: int) -> str:
    """The article page with this span highlighted (and scrolled to)."""
    return f"/article/{article_id}?span={start}-{end}#hl"


def story_view(record: dict[str, Any]) -> dict[str, Any]:
    """The story page: timeline, claim ledger, quotes by speaker, entities, coverage, articles."""
    articles = record.get("articles", [])
    texts = {a["id"]: a.get("text", "") for a in articles}
    outlets = {a["id"]: outlet_of(a) for a in articles}
    names = {e["id"]: e["name"] for e in record.get("entities", [])}

    timeline = [
        {
            "id": t["id"],
            "when": when(t.get("when")),
            "estimate": bool((t.get("when") or {}).get("estimate")),
            "text": t["text"],
            "expression": t.get("expression", ""),
            "evidence": [evidence(s, texts, outlets) for s in t.get("evidence", [])],
        }
        for t in record.get("timeline", [])
    ]
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
            "evidence": [evidence(s, texts, outlets) for s in c.get("evidence", [])],
        }
        for c in record.get("claims", [])
    ]
    speakers: dict[tuple[str | None, str], list[dict[str, Any]]] = defaultdict(list)
    for q in record.get("quotes", []):
        key = (q.get("speaker"), q.get("speaker_name") or "unattributed")
        speakers[key].append(
            {
                "text": q["text"],
                "kind": q.get("kind", ""),
                "cue": q.get("cue") or "",
                "via": q.get("via_name"),
                "evidence": evidence(q["span"], texts, outlets),
            }
        )
    quotes = [
        {"speaker": sid, "name": name, "quotes": items}
        for (sid, name), items in sorted(speakers.items(), key=lambda kv: (-len(kv[1]), kv[0][1]))
    ]
    entities = [
        {
            "id": e["id"],
            "name": e["name"],
            "type": e.get("type", ""),
            "description": e.get("description"),
            "aliases": [a for a in e.get("aliases", []) if a != e["name"]],
            "mentions": len(e.get("mentions", [])),
        }
        for e in sorted(record.get("entities", []), key=lambda e: -len(e.get("mentions", [])))
    ]
    return {
        "id": record["id"],
        "title": record.get("title", ""),
        "summary": record.get("summary", ""),
        "updated": record.get("updated"),
        "timeline": timeline,
        "claims": claims,
        "statuses": _count(c["status"] for c in claims),
        "quotes": quotes,
        "entities": entities,
        "coverage": coverage(claims, [outlets[a["id"]] for a in articles]),
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
            for a in articles
        ],
        "speaker_names": names,
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


def entity_view(entity_id: str, records: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Every quote and claim of one entity across the stories that mention it."""
    name, kind, description, aliases = None, "", None, set()
    stories = []
    for record in records:
        found = next((e for e in record.get("entities", []) if e["id"] == entity_id), None)
        if found is None:
            continue
        name = name or found["name"]
        kind = kind or found.get("type", "")
        description = description or found.get("description")
        aliases |= {str(a) for a in found.get("aliases", [])} | {found["name"]}
        view = story_view(record)
        known = {found["name"], *found.get("aliases", [])}
        quotes = [
            q for group in view["quotes"] if group["speaker"] == entity_id for q in group["quotes"]
        ]
        claims = [c for c in view["claims"] if known & set(c["attributed_to"])]
        stories.append(
            {
                "id": view["id"],
                "title": view["title"],
                "mentions": len(found.get("mentions", [])),
                "quotes": quotes,
                "claims": claims,
            }
        )
    if name is None:
        return None
    return {
        "id": entity_id,
        "name": name,
        "type": kind,
        "description": description,
        "aliases": sorted(aliases - {name}),
        "stories": stories,
    }


def article_view(
    article: Article,
    span: tuple[int, int] | None,
    story: dict[str, Any] | None,
) -> dict[str, Any]:
    """An article's clean text by block, a highlighted span, and what the story found in it."""
    blocks = []
    for b in article.blocks:
        text = article.text[b.start : b.end]
        parts = [{"text": text, "mark": False}]
        if span is not None and span[0] < b.end and span[1] > b.start:
            lo, hi = max(span[0], b.start) - b.start, min(span[1], b.end) - b.start
            parts = [
                {"text": text[:lo], "mark": False},
                {"text": text[lo:hi], "mark": True},
                {"text": text[hi:], "mark": False},
            ]
        blocks.append({"kind": b.kind, "language": b.language, "parts": parts})
    found: list[dict[str, Any]] = []
    if story is not None:
        view = story_view(story)
        for c in view["claims"]:
            found += [
                {"kind": f"claim ({c['status']})", "text": c["text"], "href": e["href"]}
                for e in c["evidence"]
                if e["article"] == article.id
            ]
        for group in view["quotes"]:
            found += [
                {
                    "kind": f"quote: {group['name']}",
                    "text": q["text"],
                    "href": q["evidence"]["href"],
                }
                for q in group["quotes"]
                if q["evidence"]["article"] == article.id
            ]
        for t in view["timeline"]:
            found += [
                {"kind": f"date: {t['when']}", "text": t["text"], "href": e["href"]}
                for e in t["evidence"]
                if e["article"] == article.id
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
        "highlight": article.text[span[0] : span[1]] if span else None,
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
