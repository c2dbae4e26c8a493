"""The dossier and the story index as HTML (Jinja2, autoescape on: article text is untrusted)."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from jinja2 import Environment, PackageLoader, select_autoescape

from storyline.io.writers.markdown import when
from storyline.model import Dossier
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
    texts = {a.id: a.text for a in d.articles}
    return (
        environment()
        .get_template("dossier.html")
        .render(d=d, outlets=outlets, texts=texts, index_href=index_href)
    )


def render_index_html(
    dossiers: Sequence[Dossier], story_href: str = "{id}.html", *, search: bool = False
) -> str:
    """The list of stories; ``story_href`` links a dossier page, ``search`` adds a search box."""
    return (
        environment()
        .get_template("index.html")
        .render(dossiers=dossiers, story_href=story_href, search=search)
    )
