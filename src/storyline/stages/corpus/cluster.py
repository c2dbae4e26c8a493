"""Incremental story clustering (a corpus stage with explicit, persisted state).

Each new article joins the most similar existing story when its similarity to the
story clears a threshold, else it founds a new story. The similarity combines two
signals (weights in ``ClusterConfig``):

- lexical: the cosine of the article's term profile to the story's centroid of term
  counts (names count double; weights by general rarity x corpus idf, similarity.py);
- embedding: the cosine of the article's multilingual title + lead embedding
  (embed.py) to the mean of the story's member embeddings; a very high embedding
  cosine joins on its own. On that lone path the cosine is scaled by the story's
  cohesion: the mean of a loose "topic" story lies close to every article on the topic.

Reports of one event in two languages share almost no words, so the more of a story
is in languages other than the article's, the more the embedding decides on its own.

Dates are a guard, not a signal: a story whose dated articles lie more than
``max_days_apart`` from the article's own date is never a candidate, and an undated
article joins a story with dated articles only at ``undated_threshold`` (it will take
the story's date as an *estimate*, so the bar is higher).

Candidates come from an index, not a scan of every story (issue 9): an inverted index
from each term to the stories whose weighted profile holds it, with the term's weight
there, so one pass over the postings of the article's terms gives every story's dot
product with the article over those terms; plus the stories whose embedding is close
enough to count on its own (one vectorised matrix product). Terms with long posting
lists (common words) are skipped only while the article's weight on them is too small
to lift a story over the join threshold by itself, and that weight bounds what they can
add to any story. So each candidate has an upper bound of its score, computed for all
at once; only those whose bound clears the threshold are scored exactly, best bound
first, until no bound can beat the best score. The assignments are those of the full
scan (``ClusterConfig.full_scan`` keeps that scan, for the test that compares the two);
the exact scoring, which dominated the cost, now touches a handful of stories an article.

Nor does a call need every stored story: the date guard means a batch of dated articles
can join only the stories of its :func:`date_window`, so the store reads just those, with
the term frequencies over every story kept beside the states (``corpus``): the weights,
and so the assignments, are those of reading everything, while a stream's call costs what
its weeks' stories cost. A batch with an undated article reads every story.

State is a plain dict per story (centroid of raw term counts, sum of member
embeddings, size, date range) that the store persists, so a later ingest extends the
clusters without re-reading (or re-embedding) the corpus. The sum of embeddings is
tagged with the embedding input it was made of (``embed.INPUT``); a stored sum of
another input is set aside, not added to (the story meets articles by its words until
new members give it a sum of this input). New articles are taken in
(published, id) order so the result does not depend on the order of the input files.

A single pass decides each article before the later ones exist: a story founded early
takes articles that a story founded later fits better. A repair pass then moves the
batch's articles, all decided on the same states, to the story each scores best
against (its own scored without it), by a margin; the touched stories are rebuilt
from their stored state plus their batch members. Stories of earlier ingests are
candidates but their stored members do not move. A story's key stays its founding
article's id even if that article moved away (ids must not change under links).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from storyline.model import Article
from storyline.stages.corpus.embed import DIMENSIONS, INPUT
from storyline.stages.corpus.similarity import (
    Profile,
    TermWeights,
    cosine,
    document_frequencies,
    terms,
)

CENTROID_TERMS = 300  # a story's profile keeps its strongest terms: bounded state per story
_ROUNDING = 1e-9  # bounds and exact scores sum in different orders: never prune on a hair
LEAD_CHARS = 3000  # the lead carries the story; long tails drift into background


@dataclass(frozen=True, slots=True, kw_only=True)
class ClusterConfig:
    """Weights and thresholds of the clustering stage (docs/BENCHMARKS.md, issue 10).

    Chosen on the ECB+ train topics (B-cubed F1), except ``pair_threshold`` (F1 optimum
    on the en-en same-story dev pairs), ``undated_threshold`` (not tuned: no labelled
    data has dates) and ``cross_lingual_alone``, ``cohesion_power``, ``repair_rounds``
    and ``repair_margin`` (half A of the cross-lingual pairs, split by the parity of
    the first byte of sha256(pair id); half B is only reported).
    """

    threshold: float = 0.25  # combined score to join a story
    lexical_weight: float = 0.8
    embedding_weight: float = 0.2
    # in one language, an embedding cosine this high joins without shared words; kept
    # high because two events of one kind (two earthquakes) read alike to an encoder
    embedding_alone: float = 0.7
    # across languages there are no shared words to weigh: the embedding decides; the F1
    # optimum of the embedding alone on half A of the cross-lingual pairs (stop 19: the
    # lead + body vector; 0.375 was the en-en optimum of the lead alone)
    cross_lingual_alone: float = 0.3875
    max_days_apart: int = 14  # a story older than this by its dates is a different story
    undated_threshold: float = 0.35  # an undated article joins a dated story only this close
    # "same story" for a pair of texts (the pairs contract): a pair is not a story centroid;
    # chosen on the en-en same-story dev pairs (F1 plateau 0.15-0.18)
    pair_threshold: float = 0.17
    embeddings: bool = True  # False: lexical only (no model needed)
    # candidates: False looks them up in the index (same assignments, cost that does not
    # grow with every story); True scores every story (kept to test the index against)
    full_scan: bool = False
    # the index may skip an article's common terms while their weight (the norm of the
    # article's profile over them) stays under this share of ``threshold``: a story met
    # only through them cannot reach the threshold on words alone (below 1: exact). At
    # 0.875 the combined score of such a story needs an embedding cosine of 0.375, below
    # the cross-lingual bar: skipping more would widen the embedding's candidates
    index_skip: float = 0.875
    # the embedding's lone bar compares the article with the unit mean of the story's
    # members; the mean of a loose "topic" story (members far apart: crimes, one year's
    # news) lies close to everything on the topic, so the cosine is scaled by the story's
    # cohesion (the length of the mean of its member vectors, 1 for one member) to this
    # power (0: the centroid cosine; 1: the average-link cosine, the mean cosine to the
    # members). Chosen on half A of the cross-lingual pairs (BENCHMARKS.md, stop 19;
    # 0.65 for the lead-only vector of stop 18)
    cohesion_power: float = 0.5
    # after the single pass, each article of the batch moves to the story it scores best
    # against (its own story scored without it) when that beats staying by the margin;
    # every move of a round is decided on the same states (order-independent). Rounds
    # and margin: half A of the cross-lingual pairs; a margin of 0 joined one en-en
    # different-story pair, every margin from 0.02 to 0.1 kept them apart
    repair_rounds: int = 2
    repair_margin: float = 0.05

    def __post_init__(self) -> None:
        if not 0.0 <= self.index_skip < 1.0:
            raise ValueError("index_skip must be in [0, 1): above it the index could miss")

    def embedding_floor(self, skipped: float, bar: float | None = None) -> float:
        """The embedding cosine below which a story met through no indexed term cannot
        score ``bar`` (the join ``threshold`` unless a higher one is asked for).

        Such a story shares with the article only skipped terms, so its lexical cosine is
        at most ``skipped`` (Cauchy-Schwarz, both profiles unit length). Its score clears
        ``bar`` only through the combined score or through the embedding alone at the
        lowest bar (``cross_lingual_alone`` when the story is all foreign), where an
        embedding at that bar scores ``threshold``.
        """
        bar = self.threshold if bar is None else bar
        alone = min(self.embedding_alone, self.cross_lingual_alone)
        if bar != self.threshold:
            alone = alone * bar / self.threshold
        if self.embedding_weight <= 0:
            return alone
        combined = (bar - self.lexical_weight * skipped) / self.embedding_weight
        return min(alone, combined)

    def score(
        self,
        lexical: float,
        embedding: float | None,
        foreign: float = 0.0,
        bar: float | None = None,
        cohesion: float = 1.0,
    ) -> float:
        """One similarity from the signals.

        ``embedding`` is None when either side has none; ``foreign`` is the share of the
        story written in languages other than the article's (0 for one language, 1 for
        a German article against an English story): its words cannot be shared, so the
        embedding's bar moves from ``embedding_alone`` toward ``cross_lingual_alone``.
        An embedding at that bar scores ``bar`` (the join threshold, or ``pair_threshold``
        for a pair of texts), so it decides on its own there. ``cohesion`` (a story's,
        1 for a single text) scales the embedding on that lone path (``cohesion_power``).
        """
        if embedding is None or not self.embeddings:
            return lexical
        combined = self.lexical_weight * lexical + self.embedding_weight * embedding
        alone = self.embedding_alone - (self.embedding_alone - self.cross_lingual_alone) * foreign
        lone = embedding * float(cohesion**self.cohesion_power)
        return max(combined, lone * (self.threshold if bar is None else bar) / alone)


def article_terms(article: Article) -> dict[str, float]:
    """The term counts that represent an article: title (twice) plus the lead."""
    title = article.title or ""
    return terms(f"{title}.\n{title}.\n{article.text[:LEAD_CHARS]}")


def arrival(article: Article) -> tuple[str, str]:
    """The order articles are taken in, whatever the order they came in: publication
    day (undated last), then id."""
    return (article.published.start.isoformat() if article.published else "9999", article.id)


def terms_by_article(articles: Iterable[Article]) -> dict[str, dict[str, float]]:
    """:func:`article_terms` of each article, by id: computed once for a clustering call
    (the story window and the assignment both read them)."""
    return {a.id: article_terms(a) for a in articles}


_NO_DATE = 10**9  # an undated story's day range: every date falls inside it


def _day_range(state: Mapping[str, Any]) -> tuple[int, int]:
    """A story's stated dates as day ordinals (first, last); an undated story spans all days."""
    if not state.get("first"):
        return -_NO_DATE, _NO_DATE
    return date.fromisoformat(state["first"]).toordinal(), date.fromisoformat(
        state["last"]
    ).toordinal()


def _foreign(article: Article, state: Mapping[str, Any]) -> float:
    """The share of the story's members in a language other than the article's (0 if unknown)."""
    languages: Mapping[str, int] = state.get("languages") or {}
    known = sum(languages.values())
    if not article.language or not known:
        return 0.0
    return 1.0 - languages.get(article.language, 0) / known


def _undated(article: Article) -> bool:
    return article.published is None or article.published.estimate


def date_window(
    new: Iterable[Article], config: ClusterConfig = ClusterConfig()
) -> tuple[int, int] | None:
    """The days (ordinals, first and last) a stored story's dates must reach for any of
    ``new`` to join it; None when every story is a candidate.

    A dated article never joins a story whose dated articles lie more than
    ``max_days_apart`` from its date, so the stories outside the window of a batch of
    dated articles cannot take any of them and need not be read: a stream's call then
    costs what the stories of its weeks cost, not what the whole corpus does. An undated
    article (or one dated by an estimate) may join any story: no window.
    """
    days: list[int] = []
    for article in new:
        if _undated(article) or article.published is None:
            return None
        days.append(article.published.start.toordinal())
    if not days:
        return None
    return min(days) - config.max_days_apart, max(days) + config.max_days_apart


def story_days(state: Mapping[str, Any]) -> tuple[int, int] | None:
    """A stored story's dated range as day ordinals (None: undated, a candidate on any day)."""
    if not state.get("first"):
        return None
    return _day_range(state)


# Document frequencies of terms over every stored story's centroid, and how many stories
# there are: what a call needs besides the states it reads when it reads only a window.
CorpusFrequencies = tuple[Mapping[str, int], int]


def assign_stories(
    new: Sequence[Article],
    states: Mapping[str, Mapping[str, Any]],
    config: ClusterConfig = ClusterConfig(),
    embeddings: Mapping[str, np.ndarray] | None = None,
    corpus: CorpusFrequencies | None = None,
    terms: Mapping[str, dict[str, float]] | None = None,
) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """Assign ``new`` articles to stories; returns (article id -> story key, changed states).

    ``terms`` (article id -> :func:`article_terms`) may be passed in when the caller has
    them already (:func:`storyline.api.stories_to_meet` needs them first); an article
    missing from it is tokenised here.

    ``embeddings`` (article id -> unit vector) may be passed in when the caller has
    them already (a build's workers store them); the new articles without one are
    embedded here, once, in one batch.

    ``states`` is every stored story, or only those of the batch's :func:`date_window`
    with ``corpus`` the term frequencies over every stored story (the store keeps them):
    term weights then are those of the whole corpus, and the assignments are the same
    as with every story read.
    """
    # One BLAS thread: each product here is one article against the story matrix, too
    # small to gain from threads, and while the annotation workers hold the cores
    # OpenBLAS's waiting threads burn more CPU than the product itself (stop 21: 25.9 s
    # against 1.4 s of products over 3,000 bench articles on a loaded box).
    with threadpool_limits(limits=1, user_api="blas"):
        return _assign(new, states, config, embeddings, corpus, terms or {})


def _assign(
    new: Sequence[Article],
    states: Mapping[str, Mapping[str, Any]],
    config: ClusterConfig,
    embeddings: Mapping[str, np.ndarray] | None,
    corpus: CorpusFrequencies | None,
    terms: Mapping[str, dict[str, float]],
) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    counts = {a.id: terms[a.id] if a.id in terms else article_terms(a) for a in new}
    if config.embeddings:
        # the vectors given (stored by the workers that annotated the articles) are used as
        # they are; the articles without one are embedded here, once, in one batch
        missing = [a for a in new if embeddings is None or a.id not in embeddings]
        if missing:
            from storyline.stages.corpus.embed import embed_articles

            embeddings = {**(embeddings or {}), **embed_articles(missing)}
    profiles: list[Mapping[str, float]] = [*counts.values()]
    if corpus is None:  # every stored story is in ``states``
        profiles += [s["centroid"] for s in states.values()]
        df, n = document_frequencies(profiles)
    else:  # a window of them: the store counted every story's terms
        df, n = document_frequencies(profiles)
        stored_df, stored_n = corpus
        for term, count in stored_df.items():
            df[term] += count
        n += stored_n
    ordered = sorted(new, key=arrival)
    # a list, not a dict by id: a text given twice is taken twice, as before the repair
    weights = TermWeights(df, n)
    batch = [
        _Member(a, counts[a.id], weights.profile(counts[a.id]), _own(a, embeddings, config))
        for a in ordered
    ]
    stories = _Stories(states, len(new), weights, config)
    assignments: dict[str, str] = {}
    for member in batch:
        best_key, best_score = stories.best(member)
        if best_key is None or best_score < config.threshold:
            best_key = member.article.id
            stories.found(best_key)
        stories.absorb(best_key, member)
        assignments[member.article.id] = best_key
    touched: set[str] | None = None  # the stories the last round changed (None: no round yet)
    for _ in range(config.repair_rounds):
        moves = stories.repair_moves(batch, assignments, touched)
        if not moves:
            break
        touched = {assignments[a] for a in moves} | set(moves.values())
        assignments.update(moves)
        stories.rebuild(touched, states, batch, assignments)
    return assignments, {k: stories.work[k] for k in set(assignments.values())}


@dataclass(frozen=True, slots=True)
class _Member:
    """An article of the batch with what scoring needs: counts, weighted profile, embedding."""

    article: Article
    counts: Mapping[str, float]
    vector: Profile
    own: np.ndarray | None


def _own(
    article: Article, embeddings: Mapping[str, np.ndarray] | None, config: ClusterConfig
) -> np.ndarray | None:
    """The article's embedding, or None (no model, or an empty text has nothing to compare)."""
    own = embeddings.get(article.id) if config.embeddings and embeddings else None
    return own if own is not None and np.any(own) else None


class _Stories:
    """The stories of one call: their states and, per row, what scoring reads at once.

    Rows: unit mean embedding, cohesion (length of the mean of the member vectors) and
    dated range of each story, so the embedding cosine and the date guard run over
    every candidate in one vectorised step; weighted term profiles are cached until the
    story changes.
    """

    def __init__(
        self,
        states: Mapping[str, Mapping[str, Any]],
        room: int,
        weights: TermWeights,
        config: ClusterConfig,
    ) -> None:
        self.work: dict[str, dict[str, Any]] = {k: _current(v) for k, v in states.items()}
        self.weights, self.config = weights, config
        self.keys: list[str] = list(self.work)
        self.row_of = {key: row for row, key in enumerate(self.keys)}
        # room reserved for every story this batch could found
        self.means = np.zeros((len(self.keys) + room, DIMENSIONS), dtype=np.float32)
        self.cohesion = np.ones(len(self.keys) + room, dtype=np.float64)
        self.days = np.zeros((len(self.keys) + room, 2), dtype=np.int64)
        self.embedded = np.zeros(len(self.keys) + room, dtype=bool)  # has member embeddings
        self.weighted: dict[str, Profile] = {}
        # the repair's memory between rounds, by position in the batch: what staying home
        # scored, and the members that found no story worth moving to
        self.stays: dict[int, float] = {}
        self.settled: set[int] = set()
        self.index = None if config.full_scan else _TermIndex()
        for key in self.keys:
            self._refresh(key)

    def _refresh(self, key: str) -> None:
        row, state = self.row_of[key], self.work.get(key)
        self.weighted.pop(key, None)
        if state is None:  # emptied by the repair pass: nothing to meet
            self.means[row], self.days[row] = 0.0, (_NO_DATE, -_NO_DATE)
            self.embedded[row] = False
            if self.index is not None:
                self.index.put(row, {})
            return
        self.means[row] = _mean(state)
        self.embedded[row] = bool(state.get("embedded"))
        self.cohesion[row] = _cohesion(state)
        self.days[row] = _day_range(state)
        if self.index is not None:  # the index holds every story's weights, kept current
            self.index.put(row, self._weighted(key))

    def _weighted(self, key: str) -> Profile:
        """The story's weighted term profile (cached until the story changes)."""
        profile = self.weighted.get(key)
        if profile is None:
            profile = self.weighted[key] = self.weights.profile(self.work[key]["centroid"])
        return profile

    def found(self, key: str) -> None:
        """A new, empty story under ``key`` (the founding article's id)."""
        self.work[key] = {"centroid": {}, "size": 0, "first": None, "last": None}
        if key not in self.row_of:
            self.row_of[key] = len(self.keys)
            self.keys.append(key)

    def absorb(self, key: str, member: _Member) -> None:
        _absorb(self.work[key], member.article, member.counts, member.own)
        self._refresh(key)

    def best(
        self,
        member: _Member,
        skip: str | None = None,
        at_least: float | None = None,
        among: Iterable[str] | None = None,
    ) -> tuple[str | None, float]:
        """The best-scoring story (other than ``skip``) and its score; (None, 0) if none.

        With the index, only a story whose score could still win is scored exactly: the
        index gives each candidate's lexical cosine over the indexed terms, and the skipped
        terms can add at most the norm of the article's profile over them, so every
        candidate has an upper bound; they are scored in descending order of it until the
        bound falls below the best score so far (or the join threshold). The winner is the
        one the full scan finds, at a cost that does not grow with every story met.

        ``at_least`` (above the join threshold) says a winner scoring less is of no use to
        the caller (the repair's bar to move): the index then prunes against it, and
        (None, 0) stands for "none that high". ``among`` limits the candidates to those
        stories (each scored exactly): the caller knows no other can win.
        """
        article, config = member.article, self.config
        bar = config.threshold if at_least is None else max(config.threshold, at_least)
        count = len(self.keys)
        named = None
        if among is not None:
            named = np.array(sorted({self.row_of[key] for key in among}), dtype=np.int64)
        semantic = None
        if member.own is not None and count:
            # each row's cosine summed the same way however many rows there are (a BLAS
            # product rounds a row by its place in the matrix: a story's score would then
            # hang on how many other stories a call reads, and the last bit can flip a bar)
            if named is None:
                semantic = np.einsum("ij,j->i", self.means[:count], member.own)
            else:  # the named rows only: each the same bits as in the whole product
                semantic = np.zeros(count, dtype=self.means.dtype)
                semantic[named] = np.einsum("ij,j->i", self.means[named], member.own)
        dots, slack = np.zeros(count), 0.0
        if named is not None:
            rows = named
        elif self.index is None:
            rows = np.arange(count)
        else:
            dots, found, slack = self.index.partial(member.vector, config, count, bar)
            if semantic is not None:
                # a hair under the floor: rounding in the score must not lose a story
                found |= semantic >= config.embedding_floor(slack, bar) - 1e-6
            rows = np.flatnonzero(found)
        if not _undated(article) and article.published is not None and len(rows):
            # a story whose dated articles lie more than max_days_apart from the article's
            # own date is no candidate (an undated story always is)
            day, near = article.published.start.toordinal(), config.max_days_apart
            lo, hi = self.days[rows, 0], self.days[rows, 1]
            rows = rows[(lo - near <= day) & (day <= hi + near)]
        if self.index is None or among is not None:
            bounds = np.ones(len(rows))  # the full scan (or a few named stories): score each
        else:
            bounds = self._bounds(rows, dots, slack, semantic)
            keep = bounds >= bar - _ROUNDING  # below: cannot join (or move) at all
            rows, bounds = rows[keep], bounds[keep]
        candidates = [
            (bound, self.keys[row], row)
            for bound, row in zip(bounds.tolist(), rows.tolist(), strict=True)
            if self.keys[row] != skip and self.work.get(self.keys[row]) is not None
        ]
        candidates.sort(key=lambda c: (-c[0], c[1]))
        best_key, best_score = None, 0.0
        for bound, key, row in candidates:
            if bound + _ROUNDING < best_score:
                break  # no later candidate can beat (or tie) the best
            state = self.work[key]
            embedded = (
                float(semantic[row]) if semantic is not None and state.get("embedded") else None
            )
            lexical = cosine(member.vector, self._weighted(key))
            score = _score(article, state, lexical, embedded, float(self.cohesion[row]), config)
            # the highest score wins, the smallest key among equals: the same story
            # whatever order the candidates come in
            if score > best_score or (
                score == best_score and best_key is not None and key < best_key
            ):
                best_key, best_score = key, score
        return best_key, best_score

    def _bounds(
        self,
        rows: np.ndarray,
        dots: np.ndarray,
        slack: float,
        semantic: np.ndarray | None,
    ) -> np.ndarray:
        """An upper bound of the score of each story in ``rows``, all at once.

        The lexical cosine is at most the indexed terms' dot product (``dots``, by row)
        plus the slack; the embedding path is taken at its lowest bar (as if the story
        were all foreign); ``ClusterConfig.score`` only grows with each signal, so no
        story scores above its bound.
        """
        config = self.config
        lexical: np.ndarray = np.minimum(1.0, dots[rows] + slack)
        if semantic is None or not config.embeddings:
            return lexical
        embedding = semantic[rows].astype(np.float64)
        combined = config.lexical_weight * lexical + config.embedding_weight * embedding
        lowest_bar = min(config.embedding_alone, config.cross_lingual_alone)
        lone = embedding * self.cohesion[rows] ** config.cohesion_power
        lone = lone * config.threshold / lowest_bar
        embedded = self.embedded[rows]
        bounds: np.ndarray = np.where(embedded, np.maximum(combined, lone), lexical)
        return bounds

    def repair_moves(
        self,
        batch: Sequence[_Member],
        assignments: Mapping[str, str],
        changed: Collection[str] | None = None,
    ) -> dict[str, str]:
        """Articles of the batch that score better elsewhere than in their own story.

        Every decision reads the same states (those after the single pass), so the moves
        do not depend on the order they are looked at: a story that an early article
        founded and later ones widened into a topic no longer keeps what fits better in
        a story founded after it. The own story is scored without the article; a move
        must beat staying by ``repair_margin``.

        ``changed``: the stories the previous round rebuilt (None in the first round). A
        member whose own story is not among them stays as it scored, and if no story
        cleared its bar then, only a changed story can clear it now: just those are
        scored (the same moves as scoring every story, at a fraction of the cost).
        """
        config, moves, settled = self.config, {}, set()
        for n, member in enumerate(batch):
            home = assignments[member.article.id]
            unchanged = changed is not None and home not in changed
            stay = self.stays[n] if unchanged else self._stay(member, home)
            self.stays[n] = stay
            bar = stay + config.repair_margin
            among = changed if unchanged and n in self.settled else None
            # a story scoring no more than staying is of no use: the index prunes below it
            key, score = self.best(member, skip=home, at_least=bar, among=among)
            if key is None or score < config.threshold or score <= bar:
                settled.add(n)  # no story clears its bar: only a change can make one
                continue
            if not _undated(member.article) and _dates_undated(self.work[key], score, config):
                continue
            moves[member.article.id] = key
        self.settled = settled
        return moves

    def _stay(self, member: _Member, home: str) -> float:
        """What the member scores against its own story without it (0 if it is alone)."""
        rest = _without(self.work[home], member)
        if not rest["size"]:
            return 0.0
        embedded = None
        if member.own is not None and rest.get("embedded"):
            embedded = float(_mean(rest) @ member.own)
        lexical = cosine(member.vector, self.weights.profile(rest["centroid"]))
        return _score(member.article, rest, lexical, embedded, _cohesion(rest), self.config)

    def rebuild(
        self,
        keys: Iterable[str],
        states: Mapping[str, Mapping[str, Any]],
        batch: Iterable[_Member],
        assignments: Mapping[str, str],
    ) -> None:
        """Recompute the given stories from their stored state plus their batch members."""
        keys = set(keys)
        for key in keys:
            if key in states:
                self.work[key] = _current(states[key])
            else:
                self.found(key)
        for member in batch:
            key = assignments[member.article.id]
            if key in keys:
                self.absorb(key, member)
        for key in keys:
            if not self.work[key]["size"]:  # every member left a story of this batch
                del self.work[key]
            self._refresh(key)  # a stored story no batch member is left in absorbed nothing


def _score(
    article: Article,
    state: Mapping[str, Any],
    lexical: float,
    embedded: float | None,
    cohesion: float,
    config: ClusterConfig,
) -> float:
    """An article's score against one story; 0 where the undated rule bars it."""
    score = config.score(lexical, embedded, _foreign(article, state), cohesion=cohesion)
    if _undated(article) and state.get("first") and score < config.undated_threshold:
        return 0.0  # it would take this story's date as an estimate: only when close
    return score


def _dates_undated(state: Mapping[str, Any], score: float, config: ClusterConfig) -> bool:
    """Whether a dated article's move would date an undated story it is not close to.

    The single pass takes dated articles first, so an undated article only ever meets
    the bar of ``undated_threshold`` joining a dated story; a repair move the other way
    would give the undated members its date as an estimate just the same.
    """
    return not state.get("first") and score < config.undated_threshold


def _without(state: Mapping[str, Any], member: _Member) -> dict[str, Any]:
    """A story's state less one member: what the story is to that member, for the repair.

    Approximate where the centroid was cut to its strongest terms (a term the member
    added may be gone): enough for a score, never stored.
    """
    centroid = dict(state["centroid"])
    for term, count in member.counts.items():
        if term in centroid:
            left = centroid[term] - count
            if left > 1e-9:
                centroid[term] = left
            else:
                del centroid[term]
    rest: dict[str, Any] = {**state, "centroid": centroid, "size": int(state["size"]) - 1}
    if member.own is not None and state.get("embedding"):
        rest["embedding"] = (np.asarray(state["embedding"], dtype=np.float64) - member.own).tolist()
        rest["embedded"] = int(state.get("embedded", 0)) - 1
    language = member.article.language
    if language and state.get("languages"):
        languages = dict(state["languages"])
        languages[language] = languages.get(language, 0) - 1
        rest["languages"] = {k: v for k, v in languages.items() if v > 0}
    return rest


# A posting of at most this many stories is added story by story (0.25 us a story) rather
# than as arrays (1.4 us a term, 2.6 us where a story's change made them anew): most of an
# article's terms are rare, held by one story or two
_SHORT_POSTING = 8


class _TermIndex:
    """Term -> {story row: the term's weight in the story's profile}: where candidates come
    from.

    Kept current as stories change (``put``), so one pass over the postings of the
    article's terms gives every story's dot product with the article over those terms.
    Each term's posting is also read as two arrays (rows, weights), made on the first
    read after a change: the dot products are then one vector step a term instead of a
    Python step a posting (at 10k articles the postings loop was the clustering's largest
    cost). Rows are the stories' rows in :class:`_Stories`, which never change.
    """

    def __init__(self) -> None:
        self.postings: dict[str, dict[int, float]] = {}
        self.profiles: dict[int, Mapping[str, float]] = {}
        self._arrays: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def put(self, row: int, profile: Mapping[str, float]) -> None:
        """Index story ``row`` under ``profile`` (its weighted terms), replacing what it had."""
        postings, arrays = self.postings, self._arrays
        for term in self.profiles.get(row, ()):
            posting = postings[term]
            del posting[row]
            if not posting:
                del postings[term]
            arrays.pop(term, None)
        self.profiles[row] = profile
        for term, weight in profile.items():
            postings.setdefault(term, {})[row] = weight
            arrays.pop(term, None)

    def _posting(self, term: str, stories: dict[int, float]) -> tuple[np.ndarray, np.ndarray]:
        """``stories`` (the posting of ``term``) as arrays of rows and weights."""
        found = self._arrays.get(term)
        if found is None:
            n = len(stories)
            found = self._arrays[term] = (
                np.fromiter(stories.keys(), dtype=np.int64, count=n),
                np.fromiter(stories.values(), dtype=np.float64, count=n),
            )
        return found

    def partial(
        self,
        vector: Mapping[str, float],
        config: ClusterConfig,
        count: int,
        bar: float | None = None,
    ) -> tuple[np.ndarray, np.ndarray, float]:
        """Each story row's dot product with ``vector`` over the indexed terms (rows below
        ``count``), which rows any indexed term met, and the slack.

        The article's terms with the longest posting lists are skipped while the norm of
        its profile over them stays within ``index_skip x bar`` (the join threshold
        unless the caller asks for more); that norm (the
        slack) bounds what the skipped terms can add to any story's cosine (Cauchy-Schwarz,
        the story's profile being unit length). A story met by no other term is found
        only through its embedding (``config.embedding_floor`` of the slack). Each row's
        sum adds its terms' products in the article's term order, one float64 addition
        each, as a loop over the postings would: the same bits.
        """
        budget = (config.index_skip * (config.threshold if bar is None else bar)) ** 2
        skipped = 0.0
        postings = self.postings
        dots = np.zeros(count)
        met = np.zeros(count, dtype=bool)
        # longest postings first (the article's terms no story holds add nothing)
        met_terms = [(-len(stories), term) for term in vector if (stories := postings.get(term))]
        met_terms.sort()
        for length, term in met_terms:
            weight = vector[term]
            if skipped + weight * weight <= budget:
                skipped += weight * weight
                continue
            stories = postings[term]
            if -length <= _SHORT_POSTING:  # a rare term: a step a story beats making arrays
                for row, theirs in stories.items():
                    dots[row] += weight * theirs
                    met[row] = True
                continue
            rows, weights = self._posting(term, stories)
            dots[rows] += weight * weights
            met[rows] = True
        return dots, met, float(np.sqrt(skipped))


def _current(state: Mapping[str, Any]) -> dict[str, Any]:
    """A stored state as this code reads it: a sum of vectors of another embedding input
    (an ``embed.py`` that embedded other text) is dropped, so that no cosine compares a
    vector with a sum of unlike ones; new members start a sum of this input."""
    current = dict(state)
    if current.get("embedding") is not None and current.get("embedding_input") != INPUT:
        for key in ("embedding", "embedded", "embedding_input"):
            current.pop(key, None)
    return current


def _cohesion(state: Mapping[str, Any]) -> float:
    """The length of the mean of a story's member embeddings: 1 for one member, lower when loose."""
    embedded = int(state.get("embedded", 0))
    if not embedded or state.get("embedding") is None:
        return 1.0
    total = np.asarray(state["embedding"], dtype=np.float64)
    return min(1.0, float(np.linalg.norm(total)) / embedded)


def _mean(state: Mapping[str, Any]) -> np.ndarray:
    """The unit mean of a story's member embeddings (zeros when it has none)."""
    vector = state.get("embedding")
    total = np.asarray(np.zeros(DIMENSIONS) if vector is None else vector, dtype=np.float32)
    norm = float(np.linalg.norm(total))
    return total / norm if norm else total


def merge_states(first: Mapping[str, Any], second: Mapping[str, Any]) -> dict[str, Any]:
    """The cluster state of two stories folded into one (sums, counts, the wider date range)."""
    first, second = _current(first), _current(second)
    merged: dict[str, Any] = {
        "centroid": _add_counts(first.get("centroid") or {}, second.get("centroid") or {}),
        "size": int(first.get("size", 0)) + int(second.get("size", 0)),
    }
    days = [d for s in (first, second) for d in (s.get("first"), s.get("last")) if d]
    merged["first"], merged["last"] = (min(days), max(days)) if days else (None, None)
    vectors = [s["embedding"] for s in (first, second) if s.get("embedding")]
    if vectors:
        total = np.sum([np.asarray(v, dtype=np.float64) for v in vectors], axis=0)
        merged["embedding"] = [round(float(x), 5) for x in total]
        merged["embedded"] = int(first.get("embedded", 0)) + int(second.get("embedded", 0))
        merged["embedding_input"] = INPUT
    languages: dict[str, int] = {}
    for state in (first, second):
        for language, count in (state.get("languages") or {}).items():
            languages[language] = languages.get(language, 0) + int(count)
    if languages:
        merged["languages"] = dict(sorted(languages.items()))
    return merged


def _add_counts(centroid: Mapping[str, float], counts: Mapping[str, float]) -> dict[str, float]:
    """The sum of two term-count profiles, cut to the strongest ``CENTROID_TERMS``."""
    total: dict[str, float] = dict(centroid)
    for term, count in counts.items():
        total[term] = total.get(term, 0.0) + count
    return dict(sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:CENTROID_TERMS])


def _absorb(
    state: dict[str, Any],
    article: Article,
    counts: Mapping[str, float],
    embedding: np.ndarray | None,
) -> None:
    """Add an article to a story's state (centroids of counts, embeddings, size, date range)."""
    state["centroid"] = _add_counts(state["centroid"], counts)
    if embedding is not None:
        total = np.asarray(state.get("embedding") or np.zeros(len(embedding)), dtype=np.float64)
        # rounded: the state is JSON, and five decimals keep cosines to 1e-4
        state["embedding"] = [round(float(x), 5) for x in total + embedding]
        state["embedded"] = int(state.get("embedded", 0)) + 1
        state["embedding_input"] = INPUT
    if article.language:
        languages = dict(state.get("languages") or {})
        languages[article.language] = languages.get(article.language, 0) + 1
        state["languages"] = dict(sorted(languages.items()))
    state["size"] = int(state["size"]) + 1
    if article.published is not None and not article.published.estimate:
        day = article.published.start.isoformat()
        state["first"] = min(filter(None, [state["first"], day]))
        state["last"] = max(filter(None, [state["last"], day]))
