"""The default embedded store: one SQLite file in WAL mode.

Every write happens inside a transaction keyed by content-hash ids, so
re-ingesting the same input is a no-op and a crash or Ctrl-C mid-ingest leaves
only whole, committed batches behind.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyline.errors import NotFoundError, StoreError
from storyline.io.codec import SCHEMA_VERSION, from_dict, to_dict
from storyline.model import AnnotatedArticle, Article, InputProblem, StageProblem, Story

if TYPE_CHECKING:
    import numpy as np

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,            -- order of first ingest (incremental clustering)
    input TEXT NOT NULL,
    outlet TEXT,
    title TEXT,
    published TEXT,
    record TEXT NOT NULL             -- the Article as JSON (codec)
);
CREATE TABLE IF NOT EXISTS inputs (
    input TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id),
    PRIMARY KEY (input, article_id)
);
CREATE TABLE IF NOT EXISTS raw_inputs (
    key TEXT PRIMARY KEY,            -- digest of a raw document as read + the pipeline
    article_id TEXT NOT NULL REFERENCES articles(id)
);
CREATE TABLE IF NOT EXISTS annotations (
    article_id TEXT NOT NULL REFERENCES articles(id),
    fingerprint TEXT NOT NULL,       -- stage versions + config: a change re-annotates
    record TEXT NOT NULL,
    PRIMARY KEY (article_id, fingerprint)
);
-- An article's embedding (float32 bytes), computed by the worker that annotates it and read
-- by the clustering. ``input`` is what the vector is of (pipeline.embedding_key: the
-- embedding input and the encoder's version): vectors of another input are never read, and
-- the annotations' fingerprint is not part of it (re-annotating keeps the vector).
CREATE TABLE IF NOT EXISTS embeddings (
    article_id TEXT NOT NULL REFERENCES articles(id),
    input TEXT NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (article_id, input)
);
CREATE TABLE IF NOT EXISTS story_members (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    story_key TEXT NOT NULL          -- the founding article of the cluster: stable while it grows
);
CREATE TABLE IF NOT EXISTS cluster_state (
    story_key TEXT PRIMARY KEY,
    state TEXT NOT NULL              -- JSON: the cluster's term profile (cluster.py)
);
-- Derived from cluster_state, written in the same transactions (a store made before them
-- fills them on its next clustering): each story's dated range, so that a batch of dated
-- articles reads only the stories of its weeks (cluster.date_window), and how many stories'
-- centroids hold each term, so that those stories' term weights stay the whole corpus's.
CREATE TABLE IF NOT EXISTS cluster_days (
    story_key TEXT PRIMARY KEY,
    first_day INTEGER,               -- day ordinal of its first stated date; NULL: undated
    last_day INTEGER
);
CREATE INDEX IF NOT EXISTS cluster_days_last ON cluster_days(last_day);
CREATE TABLE IF NOT EXISTS cluster_terms (
    term TEXT PRIMARY KEY,
    stories INTEGER NOT NULL         -- stories whose centroid holds the term
);
CREATE TABLE IF NOT EXISTS story_aliases (
    old_id TEXT PRIMARY KEY,         -- a story id that no longer names a story of its own
    new_id TEXT NOT NULL,            -- the story it went into (may itself be an alias later)
    kind TEXT NOT NULL,              -- "merge"
    at TEXT NOT NULL                 -- UTC time of the change (ISO 8601)
);
CREATE TABLE IF NOT EXISTS problems (
    key TEXT PRIMARY KEY,            -- digest of what and where: one row per distinct problem
    kind TEXT NOT NULL,              -- "input" (read/clean), "warning" (kept), "stage" (annotate/corpus)
    input TEXT,
    article_id TEXT,
    story_id TEXT,
    stage TEXT,
    reason TEXT NOT NULL,            -- input reason code or the exception type
    detail TEXT NOT NULL,
    sentence TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    times INTEGER NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    article_id UNINDEXED, title, text, tokenize = 'unicode61 remove_diacritics 2'
);
"""

_SETUP_TRIES = 20


def _storable(text: str | None) -> str | None:
    """Text SQLite accepts: lone surrogates (undecodable file-name bytes) become escapes."""
    if text is None:
        return None
    # Surrogates are the only code points UTF-8 cannot encode: a text that encodes (all
    # ASCII first, which is most) has none, checked at C speed instead of a regex scan of
    # every stored dossier text (0.2 ms CPU an article on the 1k bench corpus)
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub(_escape_surrogate, text)
    return text


def annotation_record(doc: AnnotatedArticle) -> str:
    """An annotation as the store keeps it (codec JSON)."""
    return json.dumps(to_dict(doc), sort_keys=True, ensure_ascii=False)


def _json_or_none(value: Any) -> str | None:
    """``value`` as JSON, None for None (what SQLite's json_extract gives for a field)."""
    return None if value is None else json.dumps(value, ensure_ascii=False)


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _escape_surrogate(match: re.Match[str]) -> str:
    """A file-name byte Python kept as U+DC80-U+DCFF is written ``\\xNN``; others U+FFFD."""
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else "\ufffd"


# -- persisted dossiers (issue 12: the web UI reads these, it never assembles) ----------------
# Added to _SCHEMA by _setup (CREATE ... IF NOT EXISTS): a store made before issue 12 gains
# these tables when opened for writing; opened read-only, it simply has no stored dossiers.
_DOSSIER_SCHEMA = """
CREATE TABLE IF NOT EXISTS dossiers (
    story_id TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,       -- member ids + pipeline fingerprint: a change re-assembles
    updated TEXT NOT NULL,           -- UTC time the stored dossier last changed (ISO 8601)
    title TEXT NOT NULL,
    size INTEGER NOT NULL,           -- articles in the story
    first_day TEXT,                  -- stated publication dates only (estimates are guesses)
    last_day TEXT,
    summary TEXT NOT NULL,
    outlets TEXT NOT NULL,           -- JSON list
    statuses TEXT NOT NULL,          -- JSON {claim status: count}
    record TEXT NOT NULL             -- the dossier JSON (docs/dossier.schema.json)
);
CREATE TABLE IF NOT EXISTS dossier_facets (
    story_id TEXT NOT NULL REFERENCES dossiers(story_id) ON DELETE CASCADE,
    kind TEXT NOT NULL,              -- outlet, language, entity
    value TEXT NOT NULL,             -- outlet or language as shown; an entity's id
    label TEXT NOT NULL,             -- lower-cased names matched by filters
    PRIMARY KEY (story_id, kind, value)
);
CREATE TABLE IF NOT EXISTS dossier_history (
    story_id TEXT NOT NULL,
    updated TEXT NOT NULL,           -- when this version was stored
    snapshot TEXT NOT NULL           -- JSON {"articles": [ids], "claims": {text: status}}
);
CREATE TABLE IF NOT EXISTS dossier_records (
    story_id TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    record TEXT NOT NULL             -- the Dossier record (codec JSON): `build` writes files from it
);
-- the story page's first page, made from the dossier when it is stored: a page request then
-- reads this one bounded row, however large the story (the web never assembles)
CREATE TABLE IF NOT EXISTS dossier_pages (
    story_id TEXT PRIMARY KEY,
    view TEXT NOT NULL               -- JSON of web.views.story_view(record), page 1
);
-- the story page's later claims pages (claims and coverage only), made with the first:
-- a story of more than ``WebConfig.claims_per_page`` claims has them
CREATE TABLE IF NOT EXISTS dossier_claim_pages (
    story_id TEXT NOT NULL,
    page INTEGER NOT NULL,           -- 2, 3, ...
    view TEXT NOT NULL,              -- JSON: the page's header and its rendered sections
    PRIMARY KEY (story_id, page)
);
-- each entity's part of each story (web.views.entity_parts): an entity page reads one row
-- per story it shows, never the stories' whole dossiers
CREATE TABLE IF NOT EXISTS entity_pages (
    entity_id TEXT NOT NULL,
    story_id TEXT NOT NULL,
    size INTEGER NOT NULL,           -- the story's articles: the page lists largest first
    view TEXT NOT NULL,
    PRIMARY KEY (entity_id, story_id)
);
CREATE INDEX IF NOT EXISTS entity_pages_story ON entity_pages(story_id);
CREATE INDEX IF NOT EXISTS entity_pages_size ON entity_pages(entity_id, size DESC, story_id);
CREATE INDEX IF NOT EXISTS dossier_history_story ON dossier_history(story_id);
CREATE INDEX IF NOT EXISTS dossier_facets_kind ON dossier_facets(kind, value);
-- the story list's two orders (story_list), term for term: a page deep in the list reads
-- its rows from the index instead of sorting every dossier
DROP INDEX IF EXISTS dossiers_size;
DROP INDEX IF EXISTS dossiers_last;
CREATE INDEX IF NOT EXISTS dossiers_by_size
    ON dossiers(size DESC, last_day IS NULL, last_day DESC, story_id);
CREATE INDEX IF NOT EXISTS dossiers_latest
    ON dossiers(last_day IS NULL, last_day DESC, size DESC, story_id);
"""


@dataclass(frozen=True, slots=True, kw_only=True)
class DossierRow:
    """One assembled dossier as stored: its JSON plus the columns the story list sorts by."""

    story_id: str
    fingerprint: str
    title: str
    size: int
    first_day: str | None
    last_day: str | None
    summary: str
    outlets: tuple[str, ...]
    statuses: tuple[tuple[str, int], ...]
    record: str  # the dossier JSON
    facets: tuple[tuple[str, str, str], ...] = ()  # (kind, value, lower-cased label)
    snapshot: str = "{}"  # what "what changed" compares: JSON of article ids and claim statuses
    page: str | None = None  # JSON of the story page's first page (None: made per request)
    claim_pages: tuple[tuple[int, str], ...] = ()  # (page >= 2, JSON of that claims page)
    entity_pages: tuple[tuple[str, str], ...] = ()  # (entity id, JSON of its part of the story)


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryQuery:
    """A page of the story list: sort order, paging and filters (all optional)."""

    sort: str = "size"  # "size" (largest first) or "latest" (latest article first)
    offset: int = 0
    limit: int = 25
    outlet: str | None = None  # outlet name, case-insensitive
    entity: str | None = None  # an entity id, or part of its name
    language: str | None = None
    start: str | None = None  # ISO day: stories with an article on or after it
    end: str | None = None  # ISO day: stories with an article on or before it
    changed_since: str | None = None  # ISO time: stories whose dossier changed after it


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchHit:
    """An article matching a search, with where it belongs."""

    article_id: str
    title: str
    snippet: str  # matches between SNIPPET_OPEN and SNIPPET_CLOSE
    outlet: str | None
    published: str | None
    story_id: str | None


# Match markers in snippets: control characters, which cleaned article text never contains
# (a bracket could be the article's own).
SNIPPET_OPEN, SNIPPET_CLOSE = "\x02", "\x03"
_STORY_COLUMNS = "story_id, updated, title, size, first_day, last_day, summary, outlets, statuses"


def _story_summary(row: Sequence[Any]) -> dict[str, Any]:
    story, updated, title, size, first, last, summary, outlets, statuses = row
    return {
        "id": story,
        "updated": updated,
        "title": title,
        "size": size,
        "first_day": first,
        "last_day": last,
        "summary": summary,
        "outlets": json.loads(outlets),
        "statuses": json.loads(statuses),
    }


class _DossierTables:
    """The persisted-dossier methods of SQLiteStore (kept apart so the schema grows additively)."""

    path: str
    read_only: bool
    _db: sqlite3.Connection

    def transaction(self) -> AbstractContextManager[None]:  # SQLiteStore's
        raise NotImplementedError

    def has_dossiers(self) -> bool:
        """Whether the store has the dossier tables (a store made before issue 12 has not)."""
        return self._has_table("dossiers")

    def dossier_fingerprints(self) -> dict[str, str]:
        """Story id -> fingerprint of its stored dossier."""
        if not self.has_dossiers():
            return {}
        rows = self._db.execute("SELECT story_id, fingerprint FROM dossiers").fetchall()
        return {str(s): str(f) for s, f in rows}

    def save_dossiers(self, rows: Sequence[DossierRow]) -> int:
        """Store assembled dossiers (one transaction); returns how many changed.

        ``updated`` moves only when the dossier's JSON changed, so "changed since" means
        what it says. A read-only store saves nothing.
        """
        if self.read_only or not rows:
            return 0
        now = datetime.now(UTC).isoformat(timespec="milliseconds")
        changed = 0
        with self.transaction():
            for row in rows:
                old = self._db.execute(
                    "SELECT record FROM dossiers WHERE story_id = ?", (row.story_id,)
                ).fetchone()
                record = _storable(row.record) or ""
                if old is not None and old[0] == record:
                    self._db.execute(
                        "UPDATE dossiers SET fingerprint = ? WHERE story_id = ?",
                        (row.fingerprint, row.story_id),
                    )
                    self._save_page(row)  # the view code may have changed, the dossier not
                    continue
                changed += 1
                self._db.execute("DELETE FROM dossier_facets WHERE story_id = ?", (row.story_id,))
                self._db.execute(
                    "INSERT OR REPLACE INTO dossiers(story_id, fingerprint, updated, title, size,"
                    " first_day, last_day, summary, outlets, statuses, record)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        row.story_id,
                        row.fingerprint,
                        now,
                        _storable(row.title),
                        row.size,
                        row.first_day,
                        row.last_day,
                        _storable(row.summary),
                        _storable(json.dumps(list(row.outlets), ensure_ascii=False)),
                        json.dumps(dict(row.statuses), sort_keys=True),
                        record,
                    ),
                )
                self._db.execute(
                    "INSERT INTO dossier_history(story_id, updated, snapshot) VALUES (?, ?, ?)",
                    (row.story_id, now, row.snapshot),
                )
                self._save_page(row)
                self._db.executemany(
                    "INSERT OR IGNORE INTO dossier_facets(story_id, kind, value, label)"
                    " VALUES (?, ?, ?, ?)",
                    [(row.story_id, k, _storable(v), _storable(lab)) for k, v, lab in row.facets],
                )
        return changed

    def _save_page(self, row: DossierRow) -> None:
        self.save_pages(row.story_id, row.size, row.page, row.claim_pages, row.entity_pages)

    def save_pages(
        self,
        story: str,
        size: int,
        page: str | None,
        claim_pages: Sequence[tuple[int, str]],
        entity_pages: Sequence[tuple[str, str]],
    ) -> None:
        """Replace what the web shows of a stored story besides its dossier (see DossierRow)."""
        self._forget_pages(story)
        if page is not None:
            self._db.execute(
                "INSERT INTO dossier_pages(story_id, view) VALUES (?, ?)", (story, _storable(page))
            )
        self._db.executemany(
            "INSERT INTO dossier_claim_pages(story_id, page, view) VALUES (?, ?, ?)",
            [(story, n, _storable(v)) for n, v in claim_pages],
        )
        self._db.executemany(
            "INSERT INTO entity_pages(entity_id, story_id, size, view) VALUES (?, ?, ?, ?)",
            [(e, story, size, _storable(v)) for e, v in entity_pages],
        )

    def pages_key(self) -> str | None:
        """What the stored pages were made with (``web.pages.PAGES_KEY``; None: not known)."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'pages_key'").fetchone()
        return None if row is None else str(row[0])

    def set_pages_key(self, key: str) -> None:
        if not self.read_only:
            with self.transaction():
                self._db.execute(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES ('pages_key', ?)", (key,)
                )

    def dossier_jsons(self, story_ids: Sequence[str]) -> list[tuple[str, int, str]]:
        """(story id, size, dossier JSON) of the stored dossiers asked for."""
        if not story_ids or not self.has_dossiers():
            return []
        marks = ",".join("?" * len(story_ids))
        rows = self._db.execute(
            f"SELECT story_id, size, record FROM dossiers WHERE story_id IN ({marks})",
            tuple(story_ids),
        ).fetchall()
        return [(str(s), int(n), str(r)) for s, n, r in rows]

    def _forget_pages(self, story: str) -> None:
        """Remove what the web shows of a story besides its dossier (pages, entity parts)."""
        for table in ("dossier_pages", "dossier_claim_pages", "entity_pages"):
            if self._has_table(table):
                self._db.execute(f"DELETE FROM {table} WHERE story_id = ?", (story,))

    def entity_pages(self, entity_id: str, story_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Story id -> an entity's stored part of that story (only the stories that have one)."""
        if not story_ids or not self._has_table("entity_pages"):
            return {}
        marks = ",".join("?" * len(story_ids))
        rows = self._db.execute(
            f"SELECT story_id, view FROM entity_pages WHERE entity_id = ? AND story_id IN ({marks})",
            (entity_id, *story_ids),
        ).fetchall()
        return {str(s): json.loads(v) for s, v in rows}

    def save_dossier_records(self, records: Sequence[tuple[str, str, str]]) -> None:
        """Keep (story id, fingerprint, codec JSON) of assembled dossiers, replacing older ones."""
        if self.read_only or not records:
            return
        with self.transaction():
            self._db.executemany(
                "INSERT OR REPLACE INTO dossier_records(story_id, fingerprint, record)"
                " VALUES (?, ?, ?)",
                [(i, f, _storable(r)) for i, f, r in records],
            )

    def dossier_record_fingerprints(self) -> dict[str, str]:
        """Story id -> fingerprint of its stored Dossier record (the records are not read)."""
        if not self._has_table("dossier_records"):
            return {}
        rows = self._db.execute("SELECT story_id, fingerprint FROM dossier_records").fetchall()
        return {str(s): str(f) for s, f in rows}

    def dossier_records(self, story_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        """Story id -> (fingerprint, codec JSON) of the stored Dossier records asked for."""
        if not self._has_table("dossier_records"):
            return {}
        found: dict[str, tuple[str, str]] = {}
        for story in story_ids:
            row = self._db.execute(
                "SELECT fingerprint, record FROM dossier_records WHERE story_id = ?", (story,)
            ).fetchone()
            if row is not None:
                found[story] = (str(row[0]), str(row[1]))
        return found

    def stored_dossier(self, story_id: str) -> dict[str, Any]:
        """The stored dossier JSON of one story, with its ``updated`` time."""
        row = (
            self._db.execute(
                "SELECT record, updated FROM dossiers WHERE story_id = ?", (story_id,)
            ).fetchone()
            if self.has_dossiers()
            else None
        )
        if row is None:
            raise NotFoundError(f"no stored dossier {story_id} in {self.path}")
        record: dict[str, Any] = json.loads(row[0])
        record["updated"] = row[1]
        return record

    def stored_story_ids(self) -> list[str]:
        """Ids of every stored dossier, largest story first."""
        if not self.has_dossiers():
            return []
        rows = self._db.execute("SELECT story_id FROM dossiers ORDER BY size DESC, story_id")
        return [str(r[0]) for r in rows]

    def stored_story_page(self, story_id: str, page: int = 1) -> dict[str, Any] | None:
        """A stored page of a story's view (the first, or a later claims page), with its
        ``updated`` time (None: none kept)."""
        table, where, args = (
            ("dossier_pages", "p.story_id = ?", (story_id,))
            if page == 1
            else ("dossier_claim_pages", "p.story_id = ? AND p.page = ?", (story_id, page))
        )
        if not (self.has_dossiers() and self._has_table(table)):
            return None
        row = self._db.execute(
            f"SELECT p.view, d.updated FROM {table} p JOIN dossiers d USING (story_id)"
            f" WHERE {where}",
            args,
        ).fetchone()
        if row is None:
            return None
        view: dict[str, Any] = json.loads(row[0])
        view["updated"] = row[1]
        return view

    def story_titles(self, story_ids: Sequence[str]) -> dict[str, str]:
        """Story id -> title of the stored dossiers asked for (one indexed row each)."""
        if not story_ids or not self.has_dossiers():
            return {}
        marks = ",".join("?" * len(story_ids))
        rows = self._db.execute(
            f"SELECT story_id, title FROM dossiers WHERE story_id IN ({marks})", tuple(story_ids)
        ).fetchall()
        return {str(i): str(t) for i, t in rows}

    def has_stored_dossiers(self) -> bool:
        """Whether any dossier is stored (one row looked at, not the table)."""
        if not self.has_dossiers():
            return False
        return self._db.execute("SELECT 1 FROM dossiers LIMIT 1").fetchone() is not None

    def _has_table(self, name: str) -> bool:
        found = self._db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        ).fetchone()
        return found is not None

    def dossier_history(
        self, story_id: str, last: int | None = None
    ) -> list[tuple[str, dict[str, Any]]]:
        """Stored versions of a story's dossier, oldest first: (time, snapshot).

        ``last`` keeps only the latest versions: a story updated by every ingest of a
        long stream has hundreds, and a page shows the last few changes.
        """
        if not self._has_table("dossier_history"):
            return []
        if last is None:
            rows = self._db.execute(
                "SELECT updated, snapshot FROM dossier_history WHERE story_id = ? ORDER BY rowid",
                (story_id,),
            ).fetchall()
        else:
            rows = self._db.execute(
                "SELECT updated, snapshot FROM dossier_history WHERE story_id = ?"
                " ORDER BY rowid DESC LIMIT ?",
                (story_id, last),
            ).fetchall()[::-1]
        return [(str(u), json.loads(s)) for u, s in rows]

    def story_list(self, query: StoryQuery) -> tuple[int, list[dict[str, Any]]]:
        """One page of stored stories: (total matching, rows), sorted and filtered in SQL."""
        if not self.has_dossiers():
            return 0, []
        where: list[str] = []
        args: list[Any] = []
        for kind, value in (("outlet", query.outlet), ("language", query.language)):
            if value:
                where.append(
                    "story_id IN (SELECT story_id FROM dossier_facets WHERE kind = ? AND label = ?)"
                )
                args += [kind, value.strip().lower()]
        if query.entity:
            where.append(
                "story_id IN (SELECT story_id FROM dossier_facets WHERE kind = 'entity'"
                " AND (value = ? OR label LIKE ? ESCAPE '\\'))"
            )
            pattern = query.entity.strip().lower().replace("\\", "\\\\")
            pattern = pattern.replace("%", "\\%").replace("_", "\\_")
            args += [query.entity.strip(), f"%{pattern}%"]
        if query.start:
            where.append("last_day >= ?")
            args.append(query.start)
        if query.end:
            where.append("first_day <= ?")
            args.append(query.end)
        if query.changed_since:
            where.append("updated > ?")
            args.append(query.changed_since)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        order = {  # the terms of the indexes dossiers_by_size and dossiers_latest
            "size": "size DESC, last_day IS NULL, last_day DESC, story_id",
            "latest": "last_day IS NULL, last_day DESC, size DESC, story_id",
        }.get(query.sort, "size DESC, story_id")
        total = int(self._db.execute(f"SELECT COUNT(*) FROM dossiers{clause}", args).fetchone()[0])
        rows = self._db.execute(
            f"SELECT {_STORY_COLUMNS} FROM dossiers{clause} ORDER BY {order} LIMIT ? OFFSET ?",
            [*args, query.limit, query.offset],
        ).fetchall()
        return total, [_story_summary(r) for r in rows]

    def facet_values(self, kind: str, limit: int = 200) -> list[tuple[str, int]]:
        """The most common values of a facet (outlet, language) with their story counts."""
        if not self.has_dossiers():
            return []
        rows = self._db.execute(
            "SELECT value, COUNT(*) FROM dossier_facets WHERE kind = ?"
            " GROUP BY value ORDER BY COUNT(*) DESC, value LIMIT ?",
            (kind, limit),
        ).fetchall()
        return [(str(v), int(n)) for v, n in rows]

    def stories_with_entity(
        self, entity_id: str, limit: int = -1, offset: int = 0
    ) -> tuple[int, list[str]]:
        """(how many stored stories mention an entity, the ids of a page of them, largest first)."""
        if not self.has_dossiers():
            return 0, []
        # the entity's stored parts carry the story's size in an index: no join, no sort
        source = (
            ("entity_pages", "entity_id = ?", "size DESC, story_id")
            if self._has_table("entity_pages")
            and self._db.execute(
                "SELECT 1 FROM entity_pages WHERE entity_id = ? LIMIT 1", (entity_id,)
            ).fetchone()
            else (
                "dossier_facets f JOIN dossiers d USING (story_id)",
                "f.kind = 'entity' AND f.value = ?",
                "d.size DESC, story_id",
            )
        )
        table, where, order = source
        total = self._db.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", (entity_id,))
        rows = self._db.execute(
            f"SELECT story_id FROM {table} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
            (entity_id, limit, offset),
        ).fetchall()
        return int(total.fetchone()[0]), [str(r[0]) for r in rows]

    def story_of_article(self, article_id: str) -> str | None:
        """The id of the story an article belongs to, if it was clustered."""
        row = self._db.execute(
            "SELECT story_key FROM story_members WHERE article_id = ?", (article_id,)
        ).fetchone()
        return None if row is None else story_id(str(row[0]))

    def search_articles(self, query: str, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        """Full-text search with FTS5 syntax (OR, NOT, AND, prefix*, "phrases", parentheses).

        A malformed query raises :class:`SearchSyntaxError` with a message for the user.
        """
        expression = fts_expression(query)
        try:
            # Rank first, then cut snippets for the page's hits only: in one query SQLite
            # makes a snippet for every match before it sorts (seconds at 100k articles).
            # Ranked among the latest SEARCH_RANKED matches (see there), best first.
            top = self._db.execute(
                "SELECT rowid FROM (SELECT rowid, rank FROM articles_fts"
                " WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT ?)"
                " ORDER BY rank LIMIT ? OFFSET ?",
                (expression, SEARCH_RANKED, limit, offset),
            ).fetchall()
            rows = [
                row
                for (rowid,) in top
                for row in self._db.execute(
                    "SELECT f.article_id, a.title,"
                    " snippet(articles_fts, 2, char(2), char(3), ' … ', 12),"
                    " a.outlet, a.published, m.story_key"
                    " FROM articles_fts f JOIN articles a ON a.id = f.article_id"
                    " LEFT JOIN story_members m ON m.article_id = f.article_id"
                    " WHERE articles_fts MATCH ? AND f.rowid = ?",
                    (expression, rowid),
                )
            ]
        except sqlite3.OperationalError as exc:
            raise SearchSyntaxError(query, str(exc)) from exc
        return [
            SearchHit(
                article_id=str(a),
                title=str(t or ""),
                snippet=str(s or ""),
                outlet=None if o is None else str(o),
                published=None if p is None else str(p),
                story_id=None if k is None else story_id(str(k)),
            )
            for a, t, s, o, p, k in rows
        ]


class SearchSyntaxError(StoreError):
    """A search query FTS5 cannot parse (unbalanced quotes, a dangling OR ...)."""

    def __init__(self, query: str, detail: str) -> None:
        super().__init__(
            f"cannot read the search {query!r} ({detail.removeprefix('fts5: ')})",
            hint='use words, "exact phrases", prefix*, and OR / NOT / AND between terms',
        )


# FTS5 operators a user may type; everything else is a word or a "phrase".
# A search ranks (bm25) at most this many matches, the ones stored last: ranking every
# match of a common word costs time in proportion to the corpus (42 ms for 37,000 matches
# at 100k articles, 9 ms for 10,000), and in a news stream the latest reports of a term
# are the ones asked for. A query with fewer matches is ranked over all of them.
SEARCH_RANKED = 10_000
_FTS_BINARY = frozenset({"AND", "OR", "NOT"})
# a "phrase" (possibly unclosed) or a run of anything but space and quotes
_FTS_CHUNK = re.compile(r'"[^"]*"?|[^\s"]+')
_FTS_PREFIX = re.compile(r"^(\w+)\*$")


def fts_expression(query: str) -> str:
    """User search text as an FTS5 expression.

    Operators (upper case), parentheses at the edges of a term, "phrases" and ``word*``
    prefixes keep their meaning; any other token is quoted, so ``U.S.``, ``Kim-Jong`` or
    ``alert(1)`` are words, not syntax errors. Adjacent terms are joined with an explicit
    AND (FTS5 accepts no implicit AND before a parenthesis). An unclosed quote or a
    dangling operator is left for FTS5 to reject with its message.
    """
    tokens: list[str] = []
    depth = 0  # a ")" closes a group only when one is open; otherwise it is text
    for chunk in _FTS_CHUNK.findall(query):
        if chunk.startswith('"'):
            tokens.append(chunk)  # an unclosed phrase stays unclosed: FTS5 reports it
            continue
        core = chunk.lstrip("(")
        depth += len(chunk) - len(core)
        tokens += ["("] * (len(chunk) - len(core))
        closing = min(depth, len(core) - len(core.rstrip(")")))
        depth -= closing
        core = core[: len(core) - closing]
        if core in _FTS_BINARY:
            tokens.append(core)
        elif core:
            prefix = _FTS_PREFIX.match(core)
            tokens.append(
                f'"{prefix.group(1)}"*' if prefix else '"' + core.replace('"', '""') + '"'
            )
        tokens += [")"] * closing
    parts: list[str] = []
    for token in tokens:
        follows_term = bool(parts) and parts[-1] not in _FTS_BINARY and parts[-1] != "("
        if follows_term and token not in _FTS_BINARY and token != ")":
            parts.append("AND")
        parts.append(token)
    return " ".join(parts) or '""'


# meta key: how many stored cluster states cluster_days and cluster_terms describe
_CLUSTER_INDEXED = "cluster_index_stories"


class SQLiteStore(_DossierTables):
    """Articles, annotations and story assignments in one SQLite file."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = str(path)
        self.read_only = read_only
        if read_only:
            # the web UI only reads: a read-only handle cannot create, migrate or write
            if self.path == ":memory:" or not Path(self.path).is_file():
                raise StoreError(f"no store at {self.path}: run `storyline ingest` first")
            try:
                uri = Path(self.path).resolve().as_uri() + "?mode=ro"
                self._db = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30)
                self._db.execute("PRAGMA busy_timeout=30000")
                version = self._meta("schema_version")
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"cannot open store {self.path}: {exc}") from exc
            if version != str(SCHEMA_VERSION):
                raise StoreError(
                    f"store {self.path} has schema {version}, expected {SCHEMA_VERSION}"
                )
            return
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self._setup()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}") from exc

    def _setup(self) -> None:
        """Journal mode, schema and version row; retried while another process creates it.

        Two ingests starting on a new file race for it: switching to WAL takes an exclusive
        lock that busy_timeout does not always wait for, so "database is locked" is retried.
        """
        delay = 0.05
        for attempt in range(_SETUP_TRIES):
            try:
                self._db.execute("PRAGMA busy_timeout=30000")  # before journal_mode: it locks
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
                self._db.execute("PRAGMA foreign_keys=ON")
                with self.transaction():  # one writer creates; the other then sees it
                    for statement in (_SCHEMA + _DOSSIER_SCHEMA).split(";\n"):
                        if statement.strip():
                            self._db.execute(statement)
                    version = self._meta("schema_version")
                    if version is None:
                        self._db.execute(
                            "INSERT INTO meta(key, value) VALUES ('schema_version', ?)",
                            (str(SCHEMA_VERSION),),
                        )
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == _SETUP_TRIES - 1:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
        if version is not None and version != str(SCHEMA_VERSION):
            raise StoreError(f"store {self.path} has schema {version}, expected {SCHEMA_VERSION}")

    # -- lifecycle -----------------------------------------------------------------
    def close(self) -> None:
        """Close the connection (checkpointing the WAL)."""
        self._db.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All-or-nothing: an exception (or Ctrl-C) rolls the whole block back."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    # -- articles -------------------------------------------------------------------
    def seen_raw(self, key: str) -> bool:
        """Whether a raw document with this digest was cleaned and stored before."""
        return (
            self._db.execute("SELECT 1 FROM raw_inputs WHERE key = ?", (key,)).fetchone()
            is not None
        )

    def add_articles(
        self, articles: Sequence[Article], raw_keys: Sequence[str] = ()
    ) -> tuple[int, int]:
        """Insert articles in one transaction; returns (added, unchanged).

        ``raw_keys`` (one per article, optional) records the raw digest each came from.
        """
        if self.read_only:
            raise StoreError(f"store {self.path} is open read-only")
        added = 0
        with self.transaction():
            seq = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM articles").fetchone()[0]
            for article in articles:
                exists = self._db.execute(
                    "SELECT 1 FROM articles WHERE id = ?", (article.id,)
                ).fetchone()
                if not exists:
                    seq += 1
                    added += 1
                    self._db.execute(
                        "INSERT INTO articles(id, seq, input, outlet, title, published, record)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (
                            article.id,
                            seq,
                            _storable(article.input),
                            _storable(article.outlet),
                            _storable(article.title),
                            article.published.start.isoformat() if article.published else None,
                            _storable(
                                json.dumps(to_dict(article), sort_keys=True, ensure_ascii=False)
                            ),
                        ),
                    )
                    self._db.execute(
                        "INSERT INTO articles_fts(article_id, title, text) VALUES (?, ?, ?)",
                        (article.id, _storable(article.title or ""), _storable(article.text)),
                    )
                self._db.execute(
                    "INSERT OR IGNORE INTO inputs(input, article_id) VALUES (?, ?)",
                    (_storable(article.input), article.id),
                )
            self._db.executemany(
                "INSERT OR IGNORE INTO raw_inputs(key, article_id) VALUES (?, ?)",
                [(k, a.id) for k, a in zip(raw_keys, articles, strict=False)],
            )
        return added, len(articles) - added

    def article(self, article_id: str) -> Article:
        """One article by id."""
        row = self._db.execute("SELECT record FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no article {article_id} in {self.path}")
        return from_dict(Article, json.loads(row[0]))

    def articles(self, ids: Iterable[str] | None = None) -> list[Article]:
        """Articles in ingest order (all of them, or the given ids)."""
        if ids is None:
            rows = self._db.execute("SELECT record FROM articles ORDER BY seq").fetchall()
            return [from_dict(Article, json.loads(r[0])) for r in rows]
        return [self.article(i) for i in ids]

    def article_count(self) -> int:
        """How many articles the store holds."""
        return int(self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def digest(self) -> str:
        """A digest of everything stored, for idempotence checks."""
        from storyline.ids import digest

        parts: list[str] = []
        for table in ("articles", "inputs", "annotations", "story_members", "cluster_state"):
            for row in self._db.execute(f"SELECT * FROM {table} ORDER BY 1, 2"):
                parts.append(json.dumps(list(row)))
        return digest(*parts, size=16)

    # -- annotations -----------------------------------------------------------------
    def annotation(self, article_id: str, fingerprint: str) -> AnnotatedArticle | None:
        """A cached annotation for this pipeline fingerprint, if any."""
        row = self._db.execute(
            "SELECT record FROM annotations WHERE article_id = ? AND fingerprint = ?",
            (article_id, fingerprint),
        ).fetchone()
        return None if row is None else from_dict(AnnotatedArticle, json.loads(row[0]))

    def annotation_records(
        self, article_ids: Iterable[str], fingerprint: str, *, records: bool = True
    ) -> dict[str, tuple[str, int, str | None]]:
        """Article id -> (codec JSON, number of claims, JSON of the problems list) of the
        cached annotations asked for, none decoded here: what an assembly's workers decode.

        The claim count and the problems are read by SQLite from the JSON (no Python
        decoding of the record); a record without the field reads as 0 claims / None.
        Without ``records`` the JSON itself is not sent back ("" in its place).
        """
        record = "record" if records else "''"
        found: dict[str, tuple[str, int, str | None]] = {}
        for article_id in article_ids:
            key = (article_id, fingerprint)
            try:
                row = self._db.execute(
                    f"SELECT {record}, json_array_length(record, '$.claims'),"
                    " json_extract(record, '$.problems')"
                    " FROM annotations WHERE article_id = ? AND fingerprint = ?",
                    key,
                ).fetchone()
            except sqlite3.OperationalError:  # JSON SQLite cannot read (a NaN): Python's way
                row = self._db.execute(
                    "SELECT record FROM annotations WHERE article_id = ? AND fingerprint = ?",
                    key,
                ).fetchone()
                if row is not None:
                    data = json.loads(row[0])
                    problems = data.get("problems")
                    kept = row[0] if records else ""
                    row = (kept, len(data.get("claims") or ()), _json_or_none(problems))
            if row is not None:
                found[article_id] = (str(row[0]), int(row[1] or 0), row[2])
        return found

    def annotated_ids(self, fingerprint: str) -> set[str]:
        """Ids of the articles with an annotation cached under ``fingerprint`` (none is read)."""
        rows = self._db.execute(
            "SELECT article_id FROM annotations WHERE fingerprint = ?", (fingerprint,)
        ).fetchall()
        return {r[0] for r in rows}

    def save_annotations(self, docs: Sequence[AnnotatedArticle], fingerprint: str) -> None:
        """Cache annotations (one transaction); a read-only store computes without caching."""
        if self.read_only:
            return
        self.save_annotation_records(
            [(doc.article.id, annotation_record(doc)) for doc in docs], fingerprint
        )

    def save_annotation_records(self, records: Sequence[tuple[str, str]], fingerprint: str) -> None:
        """:meth:`save_annotations` of annotations encoded already: (article id,
        :func:`annotation_record`), in order (a later one replaces an earlier one)."""
        if self.read_only:
            return
        with self.transaction():
            self._db.executemany(
                "INSERT OR REPLACE INTO annotations(article_id, fingerprint, record)"
                " VALUES (?, ?, ?)",
                [(article_id, fingerprint, record) for article_id, record in records],
            )

    # -- embeddings ------------------------------------------------------------------------
    def embeddings(self, ids: Iterable[str], input: str) -> dict[str, np.ndarray]:
        """The stored vectors of these articles made of ``input`` (missing ones left out)."""
        import numpy as np

        if not self._has_table("embeddings"):  # a store made before, opened read-only
            return {}
        rows = self._db.execute(
            "SELECT article_id, vector FROM embeddings WHERE input = ?"
            " AND article_id IN (SELECT value FROM json_each(?))",
            (input, json.dumps(sorted(set(ids)))),
        ).fetchall()
        return {str(i): np.frombuffer(v, dtype=np.float32).copy() for i, v in rows}

    def embedded_ids(self, input: str) -> set[str]:
        """Ids of the articles with a vector of ``input`` stored (none is read)."""
        if not self._has_table("embeddings"):
            return set()
        rows = self._db.execute(
            "SELECT article_id FROM embeddings WHERE input = ?", (input,)
        ).fetchall()
        return {str(r[0]) for r in rows}

    def save_embeddings(self, vectors: Sequence[tuple[str, bytes]], input: str) -> None:
        """Store article vectors of ``input`` as float32 bytes (one transaction; a
        read-only store keeps none)."""
        if self.read_only or not vectors:
            return
        with self.transaction():
            self._db.executemany(
                "INSERT OR REPLACE INTO embeddings(article_id, input, vector) VALUES (?, ?, ?)",
                [(i, input, v) for i, v in vectors],
            )

    # -- stories -------------------------------------------------------------------------
    def unclustered(self) -> list[Article]:
        """Articles not yet assigned to a story, in ingest order."""
        rows = self._db.execute(
            "SELECT record FROM articles WHERE id NOT IN (SELECT article_id FROM story_members)"
            " ORDER BY seq"
        ).fetchall()
        return [from_dict(Article, json.loads(r[0])) for r in rows]

    def unclustered_ids(self) -> list[str]:
        """The ids of :meth:`unclustered`, in the same order, without their records: a
        caller that pages through a large store (``articles(ids)``) never holds it whole."""
        rows = self._db.execute(
            "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM story_members)"
            " ORDER BY seq"
        ).fetchall()
        return [str(r[0]) for r in rows]

    def cluster_states(self, window: tuple[int, int] | None = None) -> dict[str, dict[str, Any]]:
        """The persisted state of every story cluster, or of those a batch of dated articles
        could join: dated within ``window`` (day ordinals, ``cluster.date_window``) or undated.
        """
        if window is None or not self._cluster_index_current():
            rows = self._db.execute("SELECT story_key, state FROM cluster_state").fetchall()
        else:
            rows = self._db.execute(
                "SELECT c.story_key, c.state FROM cluster_state c"
                " JOIN cluster_days d ON d.story_key = c.story_key"
                " WHERE d.first_day IS NULL OR (d.last_day >= ? AND d.first_day <= ?)",
                window,
            ).fetchall()
        return {str(k): json.loads(v) for k, v in rows}

    def cluster_frequencies(self, terms: Iterable[str]) -> tuple[dict[str, int], int] | None:
        """For each of ``terms``, how many stored stories' centroids hold it, and how many
        stories there are; None when the derived tables are not current (a read-only
        handle on a store clustered before they existed): read every state instead."""
        if not self._cluster_index_current():
            return None
        found = self._db.execute(
            "SELECT term, stories FROM cluster_terms"
            " WHERE term IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(set(terms))),),
        ).fetchall()
        return {str(t): int(c) for t, c in found}, self._cluster_count()

    def _cluster_count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM cluster_state").fetchone()[0])

    def _cluster_index_current(self) -> bool:
        """Whether cluster_days and cluster_terms describe every stored state; a writable
        store that has states older than them fills them now (once)."""
        if self._meta(_CLUSTER_INDEXED) == str(self._cluster_count()):
            return True
        if self.read_only:
            return False
        with self.transaction():
            self._db.execute("DELETE FROM cluster_days")
            self._db.execute("DELETE FROM cluster_terms")
            rows = self._db.execute("SELECT story_key, state FROM cluster_state").fetchall()
            self._index_clusters({str(k): (None, json.loads(v)) for k, v in rows})
        return True

    def _index_clusters(
        self, changes: dict[str, tuple[dict[str, Any] | None, dict[str, Any] | None]]
    ) -> None:
        """Bring cluster_days and cluster_terms up to date for stories whose state went from
        the first state to the second (None: absent); inside the caller's transaction."""
        from collections import Counter

        from storyline.stages.corpus.cluster import story_days

        delta: Counter[str] = Counter()
        for key, (old, new) in sorted(changes.items()):
            delta.subtract(dict.fromkeys((old or {}).get("centroid") or {}, 1))
            delta.update(dict.fromkeys((new or {}).get("centroid") or {}, 1))
            if new is None:
                self._db.execute("DELETE FROM cluster_days WHERE story_key = ?", (key,))
                continue
            days = story_days(new)
            self._db.execute(
                "INSERT OR REPLACE INTO cluster_days(story_key, first_day, last_day)"
                " VALUES (?, ?, ?)",
                (key, *(days or (None, None))),
            )
        self._db.executemany(
            "INSERT INTO cluster_terms(term, stories) VALUES (?, ?)"
            " ON CONFLICT(term) DO UPDATE SET stories = stories + excluded.stories",
            sorted((t, n) for t, n in delta.items() if n),
        )
        self._db.execute("DELETE FROM cluster_terms WHERE stories <= 0")
        self._db.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
            (_CLUSTER_INDEXED, str(self._cluster_count())),
        )

    def _stored_states(self, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        rows = self._db.execute(
            "SELECT story_key, state FROM cluster_state"
            " WHERE story_key IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(set(keys))),),
        ).fetchall()
        return {str(k): json.loads(v) for k, v in rows}

    def save_clusters(self, assignments: dict[str, str], states: dict[str, dict[str, Any]]) -> None:
        """Record story assignments and updated cluster states atomically.

        A read-only store (the web UI) records nothing: it shows the stories last built.
        """
        if self.read_only:
            return
        self._cluster_index_current()  # a store older than the derived tables fills them first
        with self.transaction():
            before = self._stored_states(states)
            for article_id, key in sorted(assignments.items()):
                self._db.execute(
                    "INSERT OR REPLACE INTO story_members(article_id, story_key) VALUES (?, ?)",
                    (article_id, key),
                )
            for key, state in sorted(states.items()):
                self._db.execute(
                    "INSERT OR REPLACE INTO cluster_state(story_key, state) VALUES (?, ?)",
                    (key, json.dumps(state, sort_keys=True)),
                )
            self._index_clusters({k: (before.get(k), v) for k, v in states.items()})

    def story_members(self) -> dict[str, list[str]]:
        """Story key -> member article ids (ingest order)."""
        groups: dict[str, list[str]] = {}
        rows = self._db.execute(
            "SELECT m.story_key, m.article_id FROM story_members m"
            " JOIN articles a ON a.id = m.article_id ORDER BY a.seq"
        ).fetchall()
        for key, article_id in rows:
            groups.setdefault(str(key), []).append(str(article_id))
        return groups

    def merge_stories(self, old_key: str, into_key: str, state: dict[str, Any]) -> None:
        """Fold story ``old_key`` into ``into_key`` (whose merged cluster state is ``state``).

        The members move, the old story's cluster state and stored dossier go, and the
        change is recorded in ``story_aliases`` so that the old id still resolves
        (``resolve_story``): links and bookmarks to it follow to the merged story.
        """
        if self.read_only:
            raise StoreError(f"store {self.path} is open read-only")
        if old_key == into_key:
            raise StoreError("a story cannot be merged into itself")
        old_id, new_id = story_id(old_key), story_id(into_key)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        self._cluster_index_current()
        with self.transaction():
            before = self._stored_states((old_key, into_key))
            self._db.execute(
                "UPDATE story_members SET story_key = ? WHERE story_key = ?", (into_key, old_key)
            )
            self._db.execute("DELETE FROM cluster_state WHERE story_key = ?", (old_key,))
            self._db.execute(
                "INSERT OR REPLACE INTO cluster_state(story_key, state) VALUES (?, ?)",
                (into_key, json.dumps(state, sort_keys=True)),
            )
            self._index_clusters(
                {old_key: (before.get(old_key), None), into_key: (before.get(into_key), state)}
            )
            if self.has_dossiers():
                for table in ("dossier_facets", "dossier_records", "dossiers"):
                    self._db.execute(f"DELETE FROM {table} WHERE story_id = ?", (old_id,))
                self._forget_pages(old_id)  # an entity page would list the story merged away
            # the merged story's id stays the same; an id merged away earlier now
            # points one step further (resolve_story follows the chain)
            self._db.execute(
                "INSERT OR REPLACE INTO story_aliases(old_id, new_id, kind, at)"
                " VALUES (?, ?, 'merge', ?)",
                (old_id, new_id, now),
            )

    def resolve_story(self, sid: str) -> str:
        """The id a story id now stands for: itself, or where its merges led."""
        seen = {sid}
        while True:
            try:
                row = self._db.execute(
                    "SELECT new_id FROM story_aliases WHERE old_id = ?", (sid,)
                ).fetchone()
            except sqlite3.OperationalError:  # a read-only store made before the table
                return sid
            if row is None or row[0] in seen:
                return sid
            sid = str(row[0])
            seen.add(sid)

    def story_aliases(self) -> list[tuple[str, str, str, str]]:
        """The recorded history: (old id, new id, kind, time), oldest first."""
        try:
            rows = self._db.execute(
                "SELECT old_id, new_id, kind, at FROM story_aliases ORDER BY at, old_id"
            ).fetchall()
        except sqlite3.OperationalError:
            return []
        return [(str(a), str(b), str(c), str(d)) for a, b, c, d in rows]

    def stories(self) -> list[Story]:
        """Every story, its id derived from its founding article only.

        A hash of the member list would change the id (and break every link to the
        story) each time an article joins; the founding article's key never changes.
        When two stories are merged the old id is recorded in ``story_aliases`` and
        still resolves (``resolve_story``).
        """
        return [
            Story(id=story_id(key), article_ids=tuple(members))
            for key, members in self.story_members().items()
        ]

    # -- problems ---------------------------------------------------------------------------
    def record_problems(self, problems: Iterable[InputProblem | StageProblem]) -> None:
        """Keep every problem of a run; the same problem seen again updates its row only."""
        if self.read_only:
            raise StoreError(f"store {self.path} is open read-only")
        from datetime import UTC, datetime

        from storyline.ids import digest

        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.transaction():
            for p in problems:
                row: tuple[str | None, ...]
                what: tuple[str | None, ...]
                if isinstance(p, InputProblem):
                    row = ("warning" if p.kept else "input", p.input, None, None, None)
                    what = (p.reason, p.detail, None)
                else:
                    row = ("stage", None, p.article_id or None, p.story_id, p.stage)
                    what = (p.error, p.message, p.sentence)
                fields = tuple(_storable(v) for v in (*row, *what))
                key = digest(*(v or "" for v in fields[:-1]), size=16)
                self._db.execute(
                    "INSERT INTO problems(key, kind, input, article_id, story_id, stage, reason,"
                    " detail, sentence, first_seen, last_seen, times)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)"
                    " ON CONFLICT(key) DO UPDATE SET last_seen = excluded.last_seen,"
                    " times = times + 1",
                    (key, *fields, now, now),
                )

    def problems(self) -> list[dict[str, Any]]:
        """Every recorded problem, the most recently seen first."""
        cursor = self._db.execute(
            "SELECT kind, input, article_id, story_id, stage, reason, detail, sentence,"
            " first_seen, last_seen, times FROM problems ORDER BY last_seen DESC, kind, key"
        )
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # -- integrity ---------------------------------------------------------------------------
    def check(self) -> list[str]:
        """Integrity and consistency findings; an empty list means the store is sound.

        SQLite's own integrity and foreign-key checks, then storyline's invariants: every
        article decodes and carries its own id, the search index holds each article exactly
        once, every input, annotation and story member points at a stored article, and every
        story has its cluster state.
        """
        findings: list[str] = []
        q = self._db.execute
        try:
            integrity = [str(r[0]) for r in q("PRAGMA integrity_check").fetchall()]
        except sqlite3.DatabaseError as exc:
            return [f"integrity: {exc}"]
        if integrity != ["ok"]:
            findings += [f"integrity: {line}" for line in integrity[:20]]
        for table, rowid, parent, _ in q("PRAGMA foreign_key_check").fetchall()[:20]:
            findings.append(f"foreign key: {table} row {rowid} points at a missing {parent} row")
        if self._meta("schema_version") != str(SCHEMA_VERSION):
            findings.append(
                f"schema: version {self._meta('schema_version')}, expected {SCHEMA_VERSION}"
            )
        for article_id, record in q("SELECT id, record FROM articles"):
            try:
                stored = json.loads(record)
            except ValueError as exc:
                findings.append(f"article {article_id}: record is not JSON ({exc})")
                continue
            if stored.get("id") != article_id:
                findings.append(f"article {article_id}: record carries id {stored.get('id')!r}")
        for article_id, n in q(
            "SELECT article_id, COUNT(*) FROM articles_fts GROUP BY article_id HAVING COUNT(*) > 1"
        ):
            findings.append(f"search index: article {article_id} indexed {n} times")
        orphans = {
            "search index": "SELECT article_id FROM articles_fts WHERE article_id NOT IN (SELECT id FROM articles)",
            "inputs": "SELECT article_id FROM inputs WHERE article_id NOT IN (SELECT id FROM articles)",
            "annotations": "SELECT article_id FROM annotations WHERE article_id NOT IN (SELECT id FROM articles)",
            "story members": "SELECT article_id FROM story_members WHERE article_id NOT IN (SELECT id FROM articles)",
        }
        if self._has_table("embeddings"):  # a store made before, opened read-only, has none
            orphans["embeddings"] = (
                "SELECT article_id FROM embeddings WHERE article_id NOT IN (SELECT id FROM articles)"
            )
        for what, sql in orphans.items():
            for (article_id,) in q(sql).fetchall()[:20]:
                findings.append(f"{what}: row for missing article {article_id}")
        for (article_id,) in q(
            "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM articles_fts)"
        ).fetchall()[:20]:
            findings.append(f"search index: article {article_id} missing")
        for (article_id,) in q(
            "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM inputs)"
        ).fetchall()[:20]:
            findings.append(f"inputs: article {article_id} has no input row")
        for (key,) in q(
            "SELECT DISTINCT story_key FROM story_members"
            " WHERE story_key NOT IN (SELECT story_key FROM cluster_state)"
        ).fetchall()[:20]:
            findings.append(f"stories: story {story_id(str(key))} has no cluster state")
        if self._meta(_CLUSTER_INDEXED) == str(self._cluster_count()):
            findings += self._check_cluster_index()
        return findings

    def _check_cluster_index(self) -> list[str]:
        """The derived cluster tables against the states they are derived from."""
        from collections import Counter

        df: Counter[str] = Counter()
        for (state,) in self._db.execute("SELECT state FROM cluster_state"):
            df.update((json.loads(state).get("centroid") or {}).keys())
        stored = dict(self._db.execute("SELECT term, stories FROM cluster_terms").fetchall())
        days = self._db.execute("SELECT COUNT(*) FROM cluster_days").fetchone()[0]
        findings = []
        if stored != dict(df):
            wrong = sorted(t for t in stored.keys() | df.keys() if stored.get(t) != df.get(t))
            findings.append(f"stories: term counts differ from the cluster states ({wrong[:5]})")
        if days != self._cluster_count():
            findings.append(f"stories: {days} date ranges for {self._cluster_count()} clusters")
        return findings

    def counts(self) -> dict[str, int]:
        """Rows per table, for reports."""
        tables = ("articles", "inputs", "annotations", "story_members", "problems")
        return {t: int(self._db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]) for t in tables}

    # -- search ----------------------------------------------------------------------------
    def search(self, query: str, limit: int = 20) -> list[tuple[str, str, str]]:
        """Full-text search (FTS5, bm25): (article id, title, snippet)."""
        try:
            rows = self._db.execute(
                "SELECT article_id, title, snippet(articles_fts, 2, '[', ']', ' … ', 12)"
                " FROM articles_fts WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts) LIMIT ?",
                (_fts_query(query), limit),
            ).fetchall()
        except sqlite3.OperationalError as exc:
            raise StoreError(f"bad search query {query!r}: {exc}") from exc
        return [(str(a), str(t), str(s)) for a, t, s in rows]


def story_id(story_key: str) -> str:
    """The public id of the story founded by article ``story_key``: ``s`` + 12 hex."""
    from storyline.ids import group_id

    return group_id("s", [story_key])


def _fts_query(query: str) -> str:
    """Quote each word so user text is never parsed as FTS5 syntax."""
    words = [w.replace('"', '""') for w in query.split()]
    return " ".join(f'"{w}"' for w in words) or '""'
