"""Writers: dossiers to JSON, Markdown and HTML files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from storyline.io.writers.html import render_dossier_html, render_index_html
from storyline.io.writers.jsonfmt import dossier_dict, dumps
from storyline.io.writers.markdown import render_markdown
from storyline.model import Dossier

__all__ = [
    "dossier_dict",
    "dumps",
    "render_dossier_html",
    "render_index_html",
    "render_markdown",
    "write_all",
]


def write_all(dossiers: Sequence[Dossier], out: Path) -> Path:
    """Write index.html, dossiers.json and <id>.json/.md/.html per story; returns the index path."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "dossiers.json").write_text(dumps([dossier_dict(d) for d in dossiers]), "utf-8")
    for d in dossiers:
        (out / f"{d.id}.json").write_text(dumps(dossier_dict(d)), "utf-8")
        (out / f"{d.id}.md").write_text(render_markdown(d), "utf-8")
        (out / f"{d.id}.html").write_text(render_dossier_html(d), "utf-8")
    index = out / "index.html"
    index.write_text(render_index_html(dossiers), "utf-8")
    return index
