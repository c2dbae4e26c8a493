"""Writers: dossiers to JSON, Markdown and HTML files."""

from __future__ import annotations

import os
import tempfile
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


def write_atomic(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` whole or not at all: a crash or Ctrl-C never leaves half a file.

    A file that already holds exactly ``text`` is left alone (its time stamp too, so tools
    that watch the output see only what changed); returns whether it was written.
    """
    try:
        same_size = path.is_file() and path.stat().st_size == len(text.encode("utf-8"))
        if same_size and path.read_text("utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass  # unreadable or not ours: write it anew
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def write_all(dossiers: Sequence[Dossier], out: Path) -> Path:
    """Write index.html, dossiers.json and <id>.json/.md/.html per story; returns the index path."""
    out.mkdir(parents=True, exist_ok=True)
    write_atomic(out / "dossiers.json", dumps([dossier_dict(d) for d in dossiers]))
    for d in dossiers:
        write_atomic(out / f"{d.id}.json", dumps(dossier_dict(d)))
        write_atomic(out / f"{d.id}.md", render_markdown(d))
        write_atomic(out / f"{d.id}.html", render_dossier_html(d))
    index = out / "index.html"
    write_atomic(index, render_index_html(dossiers))
    return index
