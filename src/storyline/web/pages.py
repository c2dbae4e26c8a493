"""HTML from views: the template environment, and the story page's part made ahead of time.

A large story's page is mostly its sections (timeline, claims, coverage, quotes, entities,
articles): a megabyte of HTML whose render was most of the page's cost per request (35-40
ms of jinja for a 165-article story, so four requests at once on two cores queued past
200 ms). Those sections follow from the stored view alone, so their first page is rendered
once, when the dossier is stored (``stored_page``; a story of several claims pages stores
each, ``stored_claim_pages``), and a request renders only the header and "what changed"
around it.

A stored rendering is used only while ``SECTIONS_KEY`` (the sections template, the view
version and jinja's version) is the one it was made with; otherwise the sections are
rendered from the stored view as before. The stored HTML was autoescaped when it was
rendered, by the same templates as a page made per request.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from typing import Any

import jinja2
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from storyline.web import views
from storyline.web.views import VIEW_VERSION, story_view

SECTIONS_TEMPLATE = "story_sections.html"
SECTIONS_KEY = hashlib.sha256(
    resources.files("storyline.web").joinpath(f"templates/{SECTIONS_TEMPLATE}").read_bytes()
    + f"|view {VIEW_VERSION}|jinja {jinja2.__version__}".encode()
).hexdigest()[:16]

_ENV = Environment(
    loader=PackageLoader("storyline.web", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
)


def render(template: str, **context: Any) -> str:
    """A page from its template (autoescaped: article text is untrusted)."""
    return _ENV.get_template(template).render(**context)


def stored_page(record: dict[str, Any]) -> dict[str, Any]:
    """The story page's first page as it is stored with the dossier: its view (see
    ``VIEW_VERSION``) and its sections rendered (see ``SECTIONS_KEY``)."""
    view = story_view(record)
    html = render(SECTIONS_TEMPLATE, v=view)
    return {**view, "view_version": VIEW_VERSION, "sections": {"key": SECTIONS_KEY, "html": html}}


# What the stored pages of a store were made with (the store keeps it: a store whose pages
# were made by other view code or templates has them made again, ``api.remake_pages``)
PAGES_KEY = f"view {VIEW_VERSION}|sections {SECTIONS_KEY}"

# What the story page's header reads of its view besides the sections (story.html)
_HEADER = ("id", "title", "summary", "totals", "statuses", "claims_page")


def stored_claim_pages(record: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """The story page's later claims pages (2, 3, ...) as they are stored: each its header
    and its sections rendered. A page stored with other templates is made per request."""
    out = []
    pages = max(1, -(-len(record.get("claims", [])) // views.CONFIG.claims_per_page))
    for page in range(2, pages + 1):
        view = story_view(record, page)
        html = render(SECTIONS_TEMPLATE, v=view)
        header = {k: view[k] for k in _HEADER}
        out.append((page, {**header, "sections": {"key": SECTIONS_KEY, "html": html}}))
    return out


def story_page(view: dict[str, Any], changes: Any, since: str) -> str:
    """The story page: the stored sections where ``view`` carries current ones, else all
    rendered from ``view``."""
    html = None
    if current_sections(view):
        html = Markup(str(view["sections"].get("html", "")))  # escaped when it was rendered
    return render("story.html", v=view, changes=changes, since=since, sections_html=html)


def current_sections(view: dict[str, Any]) -> bool:
    """Whether ``view`` carries sections rendered by the current templates."""
    sections = view.get("sections")
    return isinstance(sections, dict) and sections.get("key") == SECTIONS_KEY


def page_rows(
    record: dict[str, Any],
) -> tuple[str, tuple[tuple[int, str], ...], tuple[tuple[str, str], ...]]:
    """What the store keeps for the web besides a dossier (JSON each): the story page's
    first page, its later claims pages, and each entity's part of the story."""

    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    return (
        dumps(stored_page(record)),
        tuple((n, dumps(view)) for n, view in stored_claim_pages(record)),
        tuple((e, dumps(part)) for e, part in sorted(views.entity_parts(record).items())),
    )
