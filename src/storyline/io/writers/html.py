"""The dossier and the story index as HTML (Jinja2, autoescape on: article text is untrusted)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, select_autoescape

from storyline.io.writers.markdown import shared_evidence, when
from storyline.model import Dossier, Span, span_text
from storyline.stages.corpus.dossier import outlet_label


@functools.cache
def environment() -> Environment:
    """The template environment (made once: templates compile on first use only);
    autoescaping is forced on for every template."""
    env = Environment(
        loader=PackageLoader("storyline.io.writers", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    env.filters["when"] = when
    return env


def render_dossier_html(d: Dossier, index_href: str = "index.html") -> str:
    """One dossier as a standalone HTML page (``index_href`` links back to the story list)."""
    outlets = {a.id: outlet_label(a) for a in d.articles}
    articles = {a.id: a for a in d.articles}

    def cited(span: Span) -> str:
        """What a span addresses: body text, title or header lines (``Span.part``)."""
        article = articles.get(span.article_id)
        return "" if article is None else span_text(article, span)

    return (
        environment()
        .get_template("dossier.html")
        .render(
            d=d,
            outlets=outlets,
            cited=cited,
            index_href=index_href,
            shared=shared_evidence(d),
        )
    )


@dataclass(frozen=True, slots=True)
class IndexRow:
    """What the story index shows of a dossier (kept in the output manifest, so a re-build
    renders the index without restoring every dossier)."""

    id: str
    title: str
    summary: str
    articles: int
    outlets: tuple[str, ...]  # stated outlets, first spelling of each (case ignored)
    claims: int
    dates: str  # the timeline's first and last dates, "" without a timeline


def index_row(d: Dossier) -> IndexRow:
    """A dossier's row in the story index."""
    seen: set[str] = set()
    outlets: list[str] = []
    for a in d.articles:
        # as Jinja's `unique` filter did: case-insensitive, first spelling kept
        if a.outlet and a.outlet.lower() not in seen:
            seen.add(a.outlet.lower())
            outlets.append(a.outlet)
    dates = f"{when(d.timeline[0].when)} … {when(d.timeline[-1].when)}" if d.timeline else ""
    return IndexRow(
        id=d.id,
        title=d.title,
        summary=d.summary,
        articles=len(d.articles),
        outlets=tuple(outlets),
        claims=len(d.claims),
        dates=dates,
    )


def render_index_html(
    dossiers: Sequence[Dossier | IndexRow], story_href: str = "{id}.html", *, search: bool = False
) -> str:
    """The list of stories; ``story_href`` links a dossier page, ``search`` adds a search box."""
    rows = [d if isinstance(d, IndexRow) else index_row(d) for d in dossiers]
    return (
        environment()
        .get_template("index.html")
        .render(dossiers=rows, story_href=story_href, search=search)
    )
