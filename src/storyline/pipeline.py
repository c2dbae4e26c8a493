"""Article stages run in order over one article (the part that parallelises).

Each stage runs guarded: one that raises is recorded as a :class:`StageProblem` and the
article keeps what the other stages found (an empty tuple for the failed one), so no
article a corpus contains can stop a build. Strict mode (``STORYLINE_STRICT=1``) re-raises.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.model import (
    AnnotatedArticle,
    Article,
    Claim,
    Event,
    Mention,
    Quote,
    Sentence,
    TimeExpression,
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
    guard = Guard(article_id=article.id, strict=strict)

    def parse() -> Doc | None:
        from storyline.nlp import parse  # long texts in parts (spaCy E088)

        return parse(nlp, article.text)

    # without a parse only the text-level stages (times, events) can run
    doc = guard.run("parse", parse, None)
    sents: tuple[Sentence, ...] = ()
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    claims: tuple[Claim, ...] = ()
    if doc is not None:
        parsed = doc
        sents = guard.run("sentences", lambda: sentences(article, parsed), ())
        mentions = guard.run("mentions", lambda: find_mentions(article, parsed), ())
        quotes = guard.run("quotes", lambda: find_quotes(article, parsed, mentions), ())
        claims = guard.run("claims", lambda: find_claims(article, parsed, mentions, quotes), ())
    times: tuple[TimeExpression, ...] = guard.run(
        "times", lambda: tag_times(article.text, article.published, article_id=article.id), ()
    )
    events: tuple[Event, ...] = guard.run(
        "events", lambda: extract_events(article, sents, times), ()
    )
    return AnnotatedArticle(
        article=article,
        sentences=sents,
        mentions=mentions,
        quotes=quotes,
        claims=claims,
        times=times,
        events=events,
        problems=tuple(guard.problems),
    )


def annotate_with_default_model(article: Article) -> AnnotatedArticle:
    """:func:`annotate_article` with this process's shared model (a picklable task for runners)."""
    from storyline.nlp import english

    return annotate_article(article, english())
