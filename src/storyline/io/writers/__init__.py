"""Writers: dossiers to JSON, Markdown and HTML files."""

from __future__ import annotations

import filecmp
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from storyline.io.writers.html import IndexRow, index_row, render_dossier_html, render_index_html
from storyline.io.writers.jsonfmt import dossier_dict, dumps, join_dumps, joined_dumps
from storyline.io.writers.markdown import render_markdown
from storyline.model import Dossier

__all__ = [
    "MANIFEST",
    "IndexRow",
    "StoryOutput",
    "WriteReport",
    "dossier_dict",
    "dumps",
    "index_row",
    "join_dumps",
    "render_dossier_html",
    "render_index_html",
    "render_markdown",
    "story_output",
    "write_all",
    "write_atomic_stream",
    "write_stories",
    "write_story",
]

# The output folder's record of what it holds: per story, the fingerprint of what its files
# were rendered from, their sizes and its row in the index. A re-build reads this instead of
# restoring and re-rendering every dossier to find that nothing changed.
MANIFEST = "manifest.json"
MANIFEST_VERSION = 1


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


def write_atomic_stream(path: Path, chunks: Iterable[str]) -> bool:
    """:func:`write_atomic` for a text that comes in pieces and is never held whole (a
    corpus-wide list): written to a temporary file, which replaces ``path`` only when the
    bytes differ; returns whether ``path`` was written."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            for chunk in chunks:
                handle.write(chunk)
        if path.is_file() and filecmp.cmp(tmp, path, shallow=False):
            Path(tmp).unlink()
            return False
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def story_files(d: Dossier, record: dict[str, Any] | None = None) -> dict[str, str]:
    """A dossier's own files: name -> content (<id>.json, <id>.md, <id>.html).

    ``record`` is ``dossier_dict(d)`` where the caller has it already (it is only read).
    """
    return {
        f"{d.id}.json": dumps(dossier_dict(d) if record is None else record),
        f"{d.id}.md": render_markdown(d),
        f"{d.id}.html": render_dossier_html(d),
    }


@dataclass(frozen=True, slots=True)
class StoryOutput:
    """What a story puts in the output folder: its files and its row in the index (picklable:
    made where the dossier is assembled, on any worker)."""

    story_id: str
    files: tuple[tuple[str, str], ...]  # (name, content)
    row: IndexRow


def story_output(d: Dossier, record: dict[str, Any] | None = None) -> StoryOutput:
    """A dossier's files and index row (``record`` as for :func:`story_files`)."""
    return StoryOutput(story_id=d.id, files=tuple(story_files(d, record).items()), row=index_row(d))


def write_all(dossiers: Sequence[Dossier], out: Path) -> Path:
    """Write index.html, dossiers.json and <id>.json/.md/.html per story; returns the index path."""
    out.mkdir(parents=True, exist_ok=True)
    texts = []
    for d in dossiers:
        files = story_files(d)
        for name, text in files.items():
            write_atomic(out / name, text)
        texts.append(files[f"{d.id}.json"])
    # the list from the stories' own JSON: the same bytes as dumps([...]), not encoded twice
    write_atomic(out / "dossiers.json", join_dumps(texts))
    index = out / "index.html"
    write_atomic(index, render_index_html(dossiers))
    return index


@dataclass(frozen=True, slots=True)
class WriteReport:
    """What :func:`write_stories` did: the index path and the stories it rendered."""

    index: Path
    rendered: tuple[str, ...]


def _read_manifest(path: Path, writers: str) -> dict[str, Any]:
    """The stories of a manifest written by these writers ({} when absent, foreign or broken)."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if (
        not isinstance(data, dict)
        or data.get("version") != MANIFEST_VERSION
        or data.get("writers") != writers
        or not isinstance(data.get("stories"), dict)
    ):
        return {}
    return data


_ROW_FIELDS = frozenset(f.name for f in fields(IndexRow))


def _row(value: Any) -> IndexRow | None:
    """An index row as the manifest keeps it (None when it is not one)."""
    if not isinstance(value, dict) or set(value) != _ROW_FIELDS:
        return None
    return IndexRow(**{**value, "outlets": tuple(value["outlets"])})


def _intact(out: Path, files: Any) -> bool:
    """Whether every file a manifest entry lists is there with the size it was written at."""
    if not isinstance(files, dict) or not files:
        return False
    try:
        return all((out / name).stat().st_size == size for name, size in files.items())
    except (OSError, TypeError):
        return False


def write_story(out: Path, output: StoryOutput, fingerprint: str) -> dict[str, Any]:
    """Write one story's files under ``out``; returns its manifest entry (for
    :func:`write_stories`' ``written``), so the caller need not keep the files."""
    out.mkdir(parents=True, exist_ok=True)
    for name, text in output.files:
        write_atomic(out / name, text)
    return {
        "fingerprint": fingerprint,
        "files": {name: len(text.encode("utf-8")) for name, text in output.files},
        "row": asdict(output.row),
    }


def write_stories(
    out: Path,
    stories: Sequence[tuple[str, str]],
    render: Callable[[str], StoryOutput],
    *,
    writers: str = "",
    fresh: Sequence[str] = (),
    written: Mapping[str, dict[str, Any]] | None = None,
    start: Callable[[int], None] | None = None,
    tick: Callable[[int], None] | None = None,
) -> WriteReport:
    """Bring ``out`` up to date with ``stories`` (story id, fingerprint), rendering only changes.

    A story whose fingerprint is the one the manifest lists, whose files are all there at
    their recorded sizes, and which is not in ``fresh`` (assembled just now), is left alone:
    ``render(story_id)``, which gives its files, is not called for it. dossiers.json
    is put together from the stories' own JSON files and the index from the manifest's
    rows; each is rewritten only when its content changed. ``writers`` is a fingerprint
    of the writers' code: when it differs from the manifest's, every story is rendered.
    ``written`` are the manifest entries of stories this build has already written (by
    :func:`write_story`, round by round): they count as rendered and are not rendered again.
    ``start`` is told how many stories are rendered (``written`` ones included), ``tick``
    each one done.
    """
    out.mkdir(parents=True, exist_ok=True)
    old = _read_manifest(out / MANIFEST, writers)
    old_stories: dict[str, Any] = old.get("stories", {})
    recent = set(fresh)
    done = dict(written or {})
    entries: dict[str, dict[str, Any]] = {}
    rows: dict[str, IndexRow] = {}
    todo: list[tuple[str, str]] = []
    for story_id, fingerprint in stories:
        entry = old_stories.get(story_id)
        if story_id in done and (row := _row(done[story_id]["row"])) is not None:
            entries[story_id], rows[story_id] = done[story_id], row
        elif (
            story_id not in recent
            and isinstance(entry, dict)
            and entry.get("fingerprint") == fingerprint
            and (row := _row(entry.get("row"))) is not None
            and _intact(out, entry.get("files"))
        ):
            entries[story_id], rows[story_id] = entry, row
        else:
            todo.append((story_id, fingerprint))
    if start is not None:  # the stories written already count as done
        start(len(todo) + len(done))
    if tick is not None and done:
        tick(len(done))
    now: set[str] = set()  # the stories rendered here (their files are read back, not held)
    for story_id, fingerprint in todo:
        output = render(story_id)
        entries[story_id] = write_story(out, output, fingerprint)
        rows[story_id] = output.row
        now.add(story_id)
        if tick is not None:
            tick(1)
    rendered = [i for i, _ in stories if i in now or i in done]
    listing = out / "dossiers.json"
    same_list = [i for i, _ in stories] == list(old_stories) and _intact(
        out, {"dossiers.json": old.get("dossiers.json")}
    )
    if rendered or not same_list:
        # one story's JSON at a time: the list of a large corpus is never one string
        texts = ((out / f"{i}.json").read_text("utf-8") for i, _ in stories)
        write_atomic_stream(listing, joined_dumps(texts))
    index = out / "index.html"
    write_atomic(index, render_index_html([rows[i] for i, _ in stories]))
    manifest = {
        "version": MANIFEST_VERSION,
        "writers": writers,
        "dossiers.json": listing.stat().st_size,
        "stories": entries,
    }
    write_atomic(out / MANIFEST, json.dumps(manifest, ensure_ascii=False, sort_keys=True) + "\n")
    return WriteReport(index=index, rendered=tuple(rendered))
