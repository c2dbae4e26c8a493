"""Entity mentions: spaCy's named entities (first version; rules and role nouns follow)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.model import Article, Mention, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

# Labels that name something a dossier tracks; numbers, dates and amounts are not entities here.
ENTITY_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)


def find_mentions(article: Article, doc: Doc) -> tuple[Mention, ...]:
    """Named-entity mentions of ``article`` (``doc`` is the parse of ``article.text``)."""
    return tuple(
        Mention(span=Span(article.id, ent.start_char, ent.end_char), text=ent.text, label=ent.label_)
        for ent in doc.ents
        if ent.label_ in ENTITY_LABELS
    )
