"""The corpus stages, declared once, and the assembly of a story's Dossier from them (pure)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from storyline.model import (
    AnnotatedArticle,
    Article,
    ClaimGroup,
    DateValue,
    Dossier,
    Entity,
    Quote,
    Story,
)
from storyline.stages.corpus.cluster import article_terms
from storyline.stages.corpus.corroborate import corroborate
from storyline.stages.corpus.dedup import syndication_groups
from storyline.stages.corpus.link import link_entities
from storyline.stages.corpus.similarity import cosine, document_frequencies, weigh
from storyline.stages.time.events import story_timeline
from storyline.strict import Guard

# Shown where an article names no outlet and no wire: its input path is a file on the
# operator's disk, never the name of a publisher (the JSON keeps outlet null).
UNKNOWN_OUTLET = "unknown outlet"


def outlet_label(article: Article) -> str:
    """How readers see an article's origin: its outlet, else its wire, else "unknown outlet"."""
    return article.outlet or article.wire or UNKNOWN_OUTLET


# A summary sentence: at least this many words (a credit or a kicker is shorter) ...
_PROSE_MIN_WORDS = 6
# ... and at most this share of code punctuation among its characters.
_PROSE_MAX_CODE_SHARE = 0.04
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_PROSE_END = re.compile(r"[.!?][\"'”’»)\]]*$|[\"”»]$")
# JavaScript or CSS scraped with the page: these never occur in reporting prose.
_CODE = re.compile(
    r"=>|\bfunction\s*\(|\)\s*\{|\};?|\bvar\s+\w+\s*=|\bconst\s+\w+\s*=|\w\(\);|</?\w+>"
)
_CODE_CHARS = frozenset("{}[];=<>\\")
# A photo or agency credit standing alone: "Photo: Jane Doe/Reuters", "(Reuters)".
_CREDIT = re.compile(
    r"^\s*(?:\(?(?:photo(?:graph)?|image|picture|foto|credit|source|video)s?\s*(?:credit)?\s*[:/]|\([^()]{1,40}\)\s*\.?\s*$)",
    re.I,
)
# Words that join the names in an affiliation list ("Department of Physics, University of ...").
_JOINERS = frozenset(
    {
        "of",
        "and",
        "for",
        "the",
        "at",
        "in",
        "on",
        "de",
        "du",
        "des",
        "la",
        "le",
        "und",
        "der",
        "y",
        "e",
    }
)


def reads_as_prose(sentence: str) -> bool:
    """True when a body sentence reads as reporting, fit to open a summary.

    It has enough words and sentence-final punctuation, and is not scraped code, a credit
    line, or a list of affiliations (many commas, capitalised names, no lowercase word
    beyond the joiners "of", "and", "the": a verb would be one).
    """
    text = sentence.strip()
    tokens = _WORD.findall(text)
    if len(tokens) < _PROSE_MIN_WORDS or not _PROSE_END.search(text):
        return False
    if _CODE.search(text) or _CREDIT.match(text):
        return False
    if sum(c in _CODE_CHARS for c in text) > _PROSE_MAX_CODE_SHARE * len(text):
        return False
    lower = [t for t in tokens if t[0].islower() and t.casefold() not in _JOINERS]
    return not (text.count(",") + text.count(";") >= 3 and len(lower) < 2)


def central_article(articles: Sequence[Article]) -> Article:
    """The article closest to the story's centroid (ties: earliest id): it names the story."""
    if len(articles) == 1:
        return articles[0]  # no term profiles to compare (a story of one article is common)
    counts = {a.id: article_terms(a) for a in articles}
    df, n = document_frequencies(counts.values())
    vectors = {k: weigh(v, df, n) for k, v in counts.items()}

    def centrality(article: Article) -> tuple[float, str]:
        score = sum(
            cosine(vectors[article.id], vectors[o.id]) for o in articles if o.id != article.id
        )
        return (-score - (0.01 if article.title else 0.0), article.id)

    return min(articles, key=centrality)


def summarise(lead: AnnotatedArticle, articles: Sequence[Article]) -> str:
    """An extractive summary: the lead sentence of the central article, then the coverage."""
    body = [s for s in lead.sentences if lead.article.blocks[s.block].kind == "paragraph"]
    texts = (lead.article.text[s.span.start : s.span.end] for s in body)
    # the first sentence that reads as reporting: scraped code, credits or an affiliation
    # list in the body would make a summary no reader can use
    first = next((t for t in texts if reads_as_prose(t)), "")
    outlets = sorted({outlet_label(a) for a in articles})
    dated = sorted(a.published.start for a in articles if a.published and not a.published.estimate)
    span = ""
    if dated:
        span = f", {dated[0].isoformat()}" + (
            f" to {dated[-1].isoformat()}" if dated[-1] != dated[0] else ""
        )
    noun = "article" if len(articles) == 1 else "articles"
    return f"{first} ({len(articles)} {noun} from {', '.join(outlets)}{span}.)".strip()


# Reading order of claim groups: what several outlets back first, then what is disputed.
_STATUS_ORDER = {"corroborated": 0, "contested": 1, "denied": 2, "single-source": 3}


def reading_order(
    claims: Sequence[ClaimGroup], articles: Sequence[Article]
) -> tuple[ClaimGroup, ...]:
    """Claims by status, then by how many sources back them, then by where they are read first."""
    position = {a.id: i for i, a in enumerate(articles)}

    def key(c: ClaimGroup) -> tuple[int, int, int, int, str]:
        first = min(
            c.evidence, key=lambda s: (position.get(s.article_id, 0), s.start), default=None
        )
        where = (position.get(first.article_id, 0), first.start) if first else (0, 0)
        return (_STATUS_ORDER[c.status], -c.independent_sources, *where, c.id)

    return tuple(sorted(claims, key=key))


@dataclass(frozen=True, slots=True)
class CorpusStage:
    """One corpus stage as the pipeline declares it: it runs over one story's articles.

    ``run`` gets the results so far (``story`` and ``docs`` to begin with) and returns one
    value per name in ``provides``; ``fallback`` gives what the later stages work on when
    it fails (the story's dossier is then marked incomplete). ``code`` names the modules
    whose functions it calls (the cache key of a dossier, :func:`storyline.pipeline.corpus_key`).
    """

    name: str
    requires: tuple[str, ...]
    provides: tuple[str, ...]
    run: Callable[[dict[str, Any]], tuple[Any, ...]]
    fallback: Callable[[dict[str, Any]], tuple[Any, ...]]
    code: tuple[str, ...] = ()


def _summary(r: dict[str, Any]) -> tuple[Article, str]:
    lead = central_article([d.article for d in r["linked"]])
    lead_doc = next(d for d in r["linked"] if d.article.id == lead.id)
    return lead, summarise(lead_doc, r["articles"])


def _dated(r: dict[str, Any]) -> tuple[Article, ...]:
    """The story's articles, an undated one with the story's estimate of its date."""
    estimates: dict[str, DateValue] = r["estimates"]
    return tuple(
        replace(d.article, published=estimates[d.article.id])
        if d.article.published is None and d.article.id in estimates
        else d.article
        for d in r["linked"]
    )


CORPUS_STAGES: tuple[CorpusStage, ...] = (
    CorpusStage(
        "syndication",
        ("docs",),
        ("groups",),
        lambda r: (syndication_groups([d.article for d in r["docs"]]),),
        lambda r: ((),),
        ("storyline.stages.corpus.dedup",),
    ),
    CorpusStage(
        "linking",
        ("docs",),
        ("linked", "entities"),
        lambda r: link_entities(r["docs"]),
        lambda r: (tuple(r["docs"]), ()),
        ("storyline.stages.corpus.link",),
    ),
    CorpusStage(
        "timeline",
        ("linked",),
        ("timeline", "estimates"),
        lambda r: story_timeline(r["linked"]),
        lambda r: ((), {}),
        ("storyline.stages.time.events",),
    ),
    CorpusStage(
        "dates",
        ("linked", "estimates"),
        ("articles",),
        lambda r: (_dated(r),),
        lambda r: (tuple(d.article for d in r["linked"]),),
    ),
    CorpusStage(
        "corroboration",
        ("story", "linked", "entities"),
        ("claims",),
        lambda r: (
            reading_order(
                # corroboration counts a syndicated copy with its origin, not as a second source
                corroborate(
                    replace(r["story"], syndication_groups=r["groups"]), r["linked"], r["entities"]
                ),
                [d.article for d in r["linked"]],
            ),
        ),
        lambda r: ((),),
        ("storyline.stages.corpus.corroborate",),
    ),
    CorpusStage(
        "summary",
        ("linked", "articles"),
        ("lead", "summary"),
        _summary,
        lambda r: (r["articles"][0], ""),
        ("storyline.stages.corpus.cluster", "storyline.stages.corpus.similarity"),
    ),
)


def assemble(
    story: Story, docs: Sequence[AnnotatedArticle], *, strict: bool | None = None
) -> Dossier:
    """Run the corpus stages over one story: link entities, date events, corroborate claims,
    summarise, and collect the story's quotes into its dossier.

    Each corpus stage runs isolated (see :class:`storyline.strict.Guard`): one that fails
    on this story is listed in ``Dossier.problems`` and the dossier keeps what the others
    found (no groups, unlinked mentions, no timeline or no claims), marked incomplete.
    """
    guard = Guard(story_id=story.id, strict=strict)
    results: dict[str, Any] = {
        "story": story,
        "docs": sorted(docs, key=lambda d: d.article.id),
    }
    for stage in CORPUS_STAGES:
        values = guard.run(stage.name, partial(stage.run, results), stage.fallback(results))
        results.update(zip(stage.provides, values, strict=True))
    linked: tuple[AnnotatedArticle, ...] = tuple(results["linked"])
    entities: Sequence[Entity] = results["entities"]
    lead: Article = results["lead"]
    groups: tuple[tuple[str, ...], ...] = results["groups"]
    estimates: dict[str, DateValue] = results["estimates"]
    quotes: list[Quote] = [q for d in linked for q in d.quotes]
    return Dossier(
        id=story.id,
        title=lead.title or (lead.text[:80] + "…"),
        summary=results["summary"],
        articles=results["articles"],
        entities=tuple(sorted(entities, key=lambda e: (-len(e.mentions), e.name, e.id))),
        quotes=tuple(sorted(quotes, key=lambda q: (q.span.article_id, q.span.start))),
        claims=results["claims"],
        timeline=results["timeline"],
        syndication_groups=groups,
        published_estimates=tuple(sorted(estimates.items())),
        problems=tuple(guard.problems),
    )
