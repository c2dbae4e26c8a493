"""The OpenAPI description of the JSON API (served at /api/openapi.json)."""

from __future__ import annotations

from typing import Any


def _id(name: str, pattern: str, what: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": what,
        "schema": {"type": "string", "pattern": pattern},
    }


def _query(name: str, what: str, **schema: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": what,
        "schema": {"type": "string", **schema},
    }


def _get(summary: str, parameters: list[dict[str, Any]], ok: str) -> dict[str, Any]:
    error = {
        "description": "",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    responses: dict[str, Any] = {
        "200": {"description": ok, "content": {"application/json": {"schema": {"type": "object"}}}},
        "400": {**error, "description": "a malformed id, filter or query (the reason in `error`)"},
        "404": {**error, "description": "no such id"},
        "503": {**error, "description": "no store, or a store of another schema"},
    }
    return {"get": {"summary": summary, "parameters": parameters, "responses": responses}}


_STORY = _id("story_id", "^s[0-9a-f]{12}$", "a story id (`storyline stories`)")
_ENTITY = _id("entity_id", "^e[0-9a-f]{12}$", "an entity id (from a story's entities)")
_ARTICLE = _id("article_id", "^a[0-9a-f]{14}$", "an article id")

OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "storyline",
        "version": "1",
        "description": "Read-only JSON behind every page of `storyline serve`. Dossiers are"
        " those persisted by `storyline build` or `storyline ingest`.",
    },
    "paths": {
        "/api/stories": _get(
            "A page of the story list, sorted and filtered",
            [
                _query(
                    "sort",
                    "size (largest first) or latest (latest article first)",
                    enum=["size", "latest"],
                ),
                _query("page", "page number from 1", pattern="^[0-9]+$"),
                _query("outlet", "only stories with an article from this outlet"),
                _query("entity", "only stories mentioning this entity (id or part of a name)"),
                _query("language", "only stories with an article in this language (ISO code)"),
                _query("from", "only stories with an article on or after this day", format="date"),
                _query("to", "only stories with an article on or before this day", format="date"),
                _query("since", "only stories whose dossier changed after this time (UTC)"),
            ],
            "total, page, rows (id, title, size, first_day, last_day, outlets, statuses)",
        ),
        "/api/story/{story_id}": _get(
            "A story: its dossier (docs/dossier.schema.json) and the page's view of it",
            [_STORY],
            "dossier and view (timeline, claims, quotes by speaker, coverage, articles)",
        ),
        "/api/entity/{entity_id}": _get(
            "Every quote and claim of an entity across stories", [_ENTITY], "the entity view"
        ),
        "/api/article/{article_id}": _get(
            "An article's clean text by block; `span` marks a highlighted range",
            [
                _ARTICLE,
                _query("span", "START-END character offsets", pattern="^[0-9]+-[0-9]+$"),
                _query("part", "which text `span` indexes: text (default), title or header"),
            ],
            "blocks (with marked parts), metadata, and what the story found in it",
        ),
        "/api/search": _get(
            'Full-text search (SQLite FTS5 syntax: OR, NOT, AND, prefix*, "phrases")',
            [_query("q", "the query, at most 500 characters and 32 words")],
            "hits: article, title, snippet, outlet, published, story",
        ),
    },
    "components": {
        "schemas": {
            "Error": {
                "type": "object",
                "properties": {"error": {"type": "string"}},
                "required": ["error"],
            }
        }
    },
}
