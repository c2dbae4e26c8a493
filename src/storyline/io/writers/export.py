"""``storyline export``: the store's articles and persisted dossiers as flat tables.

One file per table (articles, stories, entities, mentions, quotes, claims) as JSON lines
or CSV (lists and objects as JSON text in a cell); Parquet when pyarrow is installed.
Rows come from what ``build``/``ingest`` persisted: nothing is re-assembled.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storyline.io.store.sqlite import SQLiteStore

TABLES = ("articles", "stories", "entities", "mentions", "quotes", "claims")
COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": (
        "id", "story", "outlet", "wire", "title", "published", "published_estimate", "language",
        "byline", "url", "input", "text",
    ),
    "stories": (
        "id", "title", "summary", "size", "first_day", "last_day", "outlets", "statuses",
        "updated",
    ),
    "entities": ("id", "story", "name", "type", "aliases", "description", "mentions"),
    "mentions": ("entity", "story", "article", "start", "end", "text"),
    "quotes": (
        "id", "story", "article", "start", "end", "text", "kind", "speaker", "speaker_name",
        "cue", "via_name",
    ),
    "claims": (
        "id", "story", "text", "status", "stance", "independent_sources", "sources",
        "attributed_to", "hedges", "denied_by", "evidence",
    ),
}  # fmt: skip


def formats() -> tuple[str, ...]:
    """Formats this environment can write (parquet only where pyarrow is installed)."""
    has_arrow = importlib.util.find_spec("pyarrow") is not None
    return ("jsonl", "csv", "parquet") if has_arrow else ("jsonl", "csv")


def rows(store: SQLiteStore) -> Iterator[tuple[str, dict[str, Any]]]:
    """(table, row) for every article and every item of every stored dossier."""
    for article in store.articles():
        published = article.published
        yield (
            "articles",
            {
                "id": article.id,
                "story": store.story_of_article(article.id),
                "outlet": article.outlet,
                "wire": article.wire,
                "title": article.title,
                "published": published.start.isoformat() if published else None,
                "published_estimate": bool(published and published.estimate),
                "language": article.language,
                "byline": article.byline,
                "url": article.url,
                "input": article.input,
                "text": article.text,
            },
        )
    for story_id in store.stored_story_ids():
        d = store.stored_dossier(story_id)
        yield from _dossier_rows(d)


def _dossier_rows(d: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    sid = d["id"]
    texts = {a["id"]: a.get("text", "") for a in d.get("articles", [])}
    days = sorted(
        a["published"]["start"]
        for a in d.get("articles", [])
        if a.get("published") and not a["published"].get("estimate")
    )
    yield (
        "stories",
        {
            "id": sid,
            "title": d.get("title"),
            "summary": d.get("summary"),
            "size": len(d.get("articles", [])),
            "first_day": days[0] if days else None,
            "last_day": days[-1] if days else None,
            "outlets": sorted(
                {a.get("outlet") or a.get("wire") or "unknown outlet" for a in d["articles"]}
            ),
            "statuses": dict(Counter(c["status"] for c in d.get("claims", []))),
            "updated": d.get("updated"),
        },
    )
    for e in d.get("entities", []):
        yield (
            "entities",
            {
                "id": e["id"],
                "story": sid,
                "name": e["name"],
                "type": e.get("type"),
                "aliases": e.get("aliases", []),
                "description": e.get("description"),
                "mentions": len(e.get("mentions", [])),
            },
        )
        for m in e.get("mentions", []):
            yield (
                "mentions",
                {
                    "entity": e["id"],
                    "story": sid,
                    "article": m["article"],
                    "start": m["start"],
                    "end": m["end"],
                    "text": texts.get(m["article"], "")[m["start"] : m["end"]],
                },
            )
    for q in d.get("quotes", []):
        span = q["span"]
        yield (
            "quotes",
            {
                "id": q["id"],
                "story": sid,
                "article": span["article"],
                "start": span["start"],
                "end": span["end"],
                "text": q["text"],
                "kind": q.get("kind"),
                "speaker": q.get("speaker"),
                "speaker_name": q.get("speaker_name"),
                "cue": q.get("cue"),
                "via_name": q.get("via_name"),
            },
        )
    for c in d.get("claims", []):
        yield (
            "claims",
            {
                "id": c["id"],
                "story": sid,
                **{k: c.get(k) for k in COLUMNS["claims"] if k not in ("id", "story")},
            },
        )


def _cell(value: Any) -> Any:
    """A CSV cell: lists and objects as JSON text, None as empty."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


def export(store: SQLiteStore, out: Path, fmt: str) -> dict[str, int]:
    """Write one file per table under ``out``; returns rows written per table.

    Each file is written to a temporary name and renamed when complete, so an
    interrupted export never leaves half a table behind.
    """
    if fmt not in formats():
        raise ValueError(f"unknown export format {fmt!r}")
    out.mkdir(parents=True, exist_ok=True)
    counts = dict.fromkeys(TABLES, 0)
    if fmt == "parquet":
        return _export_parquet(store, out, counts)
    writers: dict[str, _TableFile] = {}
    try:
        for table in TABLES:
            writers[table] = _TableFile(out, table, fmt)
        for table, row in rows(store):
            writers[table].write(row)
            counts[table] += 1
        for writer in writers.values():
            writer.commit()
    finally:
        for writer in writers.values():
            writer.discard()
    return counts


class _TableFile:
    """One table's file, written under a temporary name and renamed by ``commit``."""

    def __init__(self, out: Path, table: str, fmt: str) -> None:
        fd, self.tmp = tempfile.mkstemp(prefix=f".{table}.", suffix=".tmp", dir=out)
        self.path = out / f"{table}.{fmt}"
        self.handle = os.fdopen(fd, "w", encoding="utf-8", newline="")
        self.csv: csv.DictWriter[str] | None = None
        if fmt == "csv":
            self.csv = csv.DictWriter(self.handle, fieldnames=COLUMNS[table])
            self.csv.writeheader()

    def write(self, row: dict[str, Any]) -> None:
        if self.csv is not None:
            self.csv.writerow({k: _cell(v) for k, v in row.items()})
        else:
            self.handle.write(json.dumps(row, ensure_ascii=False) + "\n")

    def commit(self) -> None:
        self.handle.close()
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        self.handle.close()
        Path(self.tmp).unlink(missing_ok=True)


def _export_parquet(store: SQLiteStore, out: Path, counts: dict[str, int]) -> dict[str, int]:
    import pyarrow as pa  # type: ignore[import-not-found, unused-ignore]
    import pyarrow.parquet as pq  # type: ignore[import-not-found, unused-ignore]

    tables: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    for table, row in rows(store):
        tables[table].append(
            {k: _cell(v) if isinstance(v, list | dict) else v for k, v in row.items()}
        )
        counts[table] += 1
    for table, items in tables.items():
        pq.write_table(pa.Table.from_pylist(items), out / f"{table}.parquet")
    return counts
