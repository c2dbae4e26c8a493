"""Article stages run in order over one article (the part that parallelises).

Each stage runs guarded: one that raises is recorded as a :class:`StageProblem` and the
article keeps what the other stages found (an empty tuple for the failed one), so no
article a corpus contains can stop a build. Strict mode (``STORYLINE_STRICT=1``) re-raises.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from storyline.model import (
    AnnotatedArticle,
    Article,
)
from storyline.stages.attribution.claims import find_claims
from storyline.stages.attribution.quotes import find_quotes
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


def _parse(article: Article, r: dict[str, Any]) -> Doc:
    from storyline.nlp import parse  # long texts in parts (spaCy E088)

    return parse(r["nlp"], article.text)


ARTICLE_STAGES: tuple[ArticleStage, ...] = (
    ArticleStage("doc", (), _parse),
    ArticleStage("sentences", ("doc",), lambda a, r: sentences(a, r["doc"])),
    ArticleStage("mentions", ("doc",), lambda a, r: find_mentions(a, r["doc"])),
    ArticleStage(
        "quotes", ("doc", "mentions"), lambda a, r: find_quotes(a, r["doc"], r["mentions"])
    ),
    ArticleStage(
        "claims",
        ("doc", "mentions", "quotes"),
        lambda a, r: find_claims(a, r["doc"], r["mentions"], r["quotes"], r["nlp"]),
    ),
    ArticleStage("times", (), lambda a, r: tag_times(a.text, a.published, article_id=a.id)),
    ArticleStage(
        "events", ("sentences", "times"), lambda a, r: extract_events(a, r["sentences"], r["times"])
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
) -> AnnotatedArticle:
    """Run the article stages over ``article`` with the parser ``nlp``.

    Args:
        article: the cleaned article.
        nlp: the loaded spaCy pipeline (None only when no wanted output needs a parse).
        strict: re-raise a stage's exception instead of recording it (default: the
            ``STORYLINE_STRICT`` environment variable).
        outputs: the results wanted (default: all); only the stages they need run.
        doc: the article's parse when the caller made it already (batched with others).

    A stage that fails leaves its result empty and is listed in ``problems``; a stage
    whose input failed runs on the empty input, and one that needs the parse is skipped
    when the parse failed.
    """
    guard = Guard(article_id=article.id, strict=strict)
    results: dict[str, Any] = {"nlp": nlp}
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
    from storyline.nlp import MAX_PART

    short = [a for a in articles if len(a.text) <= MAX_PART]
    docs: dict[str, Doc] = {}
    try:
        docs = {a.id: d for a, d in zip(short, nlp.pipe(a.text for a in short), strict=True)}
    except Exception:  # find the article that broke the batch, one parse each
        docs = {}
    return [annotate_article(a, nlp, strict=strict, doc=docs.get(a.id)) for a in articles]


def annotate_batch_with_default_model(articles: Sequence[Article]) -> list[AnnotatedArticle]:
    """:func:`annotate_batch` with this process's shared model (a picklable task for runners)."""
    from storyline.nlp import english

    return annotate_batch(articles, english())


def annotate_with_default_model(article: Article) -> AnnotatedArticle:
    """:func:`annotate_article` with this process's shared model (a picklable task for runners)."""
    from storyline.nlp import english

    return annotate_article(article, english())
