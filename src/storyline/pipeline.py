"""Article stages run in order over one article (the part that parallelises)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.model import AnnotatedArticle, Article
from storyline.stages.claims import find_claims
from storyline.stages.dates import extract_events
from storyline.stages.entities import find_mentions
from storyline.stages.quotes import find_quotes
from storyline.stages.segment import sentences
from storyline.stages.timex import tag_times

if TYPE_CHECKING:
    from spacy.language import Language


def annotate_article(article: Article, nlp: Language) -> AnnotatedArticle:
    """Run every article stage over ``article`` with the parser ``nlp``."""
    from storyline.nlp import parse  # long texts in parts (spaCy E088)

    doc = parse(nlp, article.text)
    sents = sentences(article, doc)
    mentions = find_mentions(article, doc)
    quotes = find_quotes(article, doc, mentions)
    claims = find_claims(article, doc, mentions, quotes)
    times = tag_times(article.text, article.published, article_id=article.id)
    events = extract_events(article, sents, times)
    return AnnotatedArticle(
        article=article,
        sentences=sents,
        mentions=mentions,
        quotes=quotes,
        claims=claims,
        times=times,
        events=events,
    )


def annotate_with_default_model(article: Article) -> AnnotatedArticle:
    """:func:`annotate_article` with this process's shared model (a picklable task for runners)."""
    from storyline.nlp import english

    return annotate_article(article, english())
