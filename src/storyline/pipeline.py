"""Article stages run in order over one article (the part that parallelises).

Each stage runs guarded: one that raises is recorded as a :class:`StageProblem` and the
article keeps what the other stages found (an empty tuple for the failed one), so no
article a corpus contains can stop a build. Strict mode (``STORYLINE_STRICT=1``) re-raises.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from storyline.model import (
    AnnotatedArticle,
    Article,
    Claim,
    Mention,
    Quote,
    Sentence,
    StageProblem,
)
from storyline.stages.attribution.claims import find_claims
from storyline.stages.attribution.quotes import find_quotes
from storyline.stages.entities import find_mentions
from storyline.stages.segment import sentences
from storyline.stages.time.events import extract_events
from storyline.stages.time.tagger import tag_times
from storyline.strict import is_strict

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

T = TypeVar("T")


def problem_of(exc: BaseException, stage: str, article_id: str = "", **extra: Any) -> StageProblem:
    """The record of a stage failure."""
    sentence = getattr(exc, "sentence", None)
    return StageProblem(
        article_id=article_id,
        stage=stage,
        error=type(exc).__name__,
        message=str(exc)[:500],
        sentence=sentence if isinstance(sentence, str) else None,
        **extra,
    )


def annotate_article(
    article: Article, nlp: Language, *, strict: bool | None = None
) -> AnnotatedArticle:
    """Run every article stage over ``article`` with the parser ``nlp``.

    Args:
        article: the cleaned article.
        nlp: the loaded spaCy pipeline.
        strict: re-raise a stage's exception instead of recording it (default: the
            ``STORYLINE_STRICT`` environment variable).
    """
    raise_ = is_strict(strict)
    problems: list[StageProblem] = []

    def guarded(stage: str, run: Callable[[], tuple[T, ...]]) -> tuple[T, ...]:
        if raise_:
            return run()
        try:
            return run()
        except Exception as exc:  # isolation: record it, keep the other stages' results
            problems.append(problem_of(exc, stage, article.id))
            return ()

    doc: Doc | None = None
    try:
        from storyline.nlp import parse  # long texts in parts (spaCy E088)

        doc = parse(nlp, article.text)
    except Exception as exc:  # without a parse only the text-level stages (times) can run
        if raise_:
            raise
        problems.append(problem_of(exc, "parse", article.id))
    sents: tuple[Sentence, ...] = ()
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    claims: tuple[Claim, ...] = ()
    if doc is not None:
        parsed = doc
        sents = guarded("sentences", lambda: sentences(article, parsed))
        mentions = guarded("mentions", lambda: find_mentions(article, parsed))
        quotes = guarded("quotes", lambda: find_quotes(article, parsed, mentions))
        claims = guarded("claims", lambda: find_claims(article, parsed, mentions, quotes))
    times = guarded(
        "times", lambda: tag_times(article.text, article.published, article_id=article.id)
    )
    events = guarded("events", lambda: extract_events(article, sents, times))
    return AnnotatedArticle(
        article=article,
        sentences=sents,
        mentions=mentions,
        quotes=quotes,
        claims=claims,
        times=times,
        events=events,
        problems=tuple(problems),
    )


def annotate_with_default_model(article: Article) -> AnnotatedArticle:
    """:func:`annotate_article` with this process's shared model (a picklable task for runners)."""
    from storyline.nlp import english

    return annotate_article(article, english())
