"""The workflows the CLI and the web app call: ingest, cluster, annotate, dossiers, build.

Example:
    >>> import storyline.api as api
    >>> with api.open_store("storyline.db") as store:          # doctest: +SKIP
    ...     report = api.ingest(["examples/seeds"], store)
    ...     dossiers = api.dossiers(store)
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from storyline.backends import Runner, SerialRunner
from storyline.io.store.sqlite import DossierRow, SQLiteStore
from storyline.model import (
    AnnotatedArticle,
    Article,
    Dossier,
    InputProblem,
    RawDocument,
    StageProblem,
    Story,
)

if TYPE_CHECKING:
    import numpy as np

    from storyline.io.writers import StoryOutput, WriteReport
    from storyline.nlp.paragraphs import ParagraphParses
    from storyline.stages.corpus.cluster import CorpusFrequencies

DEFAULT_STORE = "storyline.db"
BATCH = 100  # articles per store transaction: a crash loses at most one uncommitted batch
ANNOTATE_ROUND = 512  # articles annotated between saves: bounds memory and lost work

R = TypeVar("R")


class Progress(Protocol):
    """What long commands report as they go: phases (read, annotate, assemble, write), each
    with its total when known, and items done. A plain ``Callable[[int], None]`` (such as a
    tqdm bar's ``update``) is accepted too: it only counts."""

    def __call__(self, n: int = 1) -> None: ...

    def phase(self, name: str, total: int | None) -> None: ...


ProgressLike = Progress | Callable[[int], None] | None


def _phase(progress: ProgressLike, name: str, total: int | None = None) -> None:
    start = getattr(progress, "phase", None)
    if start is not None:
        start(name, total)


def _tick(progress: ProgressLike, n: int = 1) -> None:
    if progress is not None and n:
        progress(n)


@dataclass(slots=True)
class IngestReport:
    """What an ingest did: counts and every problem with its input path."""

    added: int = 0
    unchanged: int = 0
    problems: list[InputProblem] = field(default_factory=list)  # inputs skipped
    warnings: list[InputProblem] = field(default_factory=list)  # inputs kept, with a note

    @property
    def ok(self) -> bool:
        """True when no input failed."""
        return not self.problems


def open_store(path: str | Path = DEFAULT_STORE, *, create: bool = True) -> SQLiteStore:
    """Open the embedded store; with ``create=False`` a missing file is an error.

    Commands that only read (stories, dossier, search, serve) pass ``create=False``:
    a mistyped path must be reported, not answered with an empty new store (and a
    stray file and folders left behind).
    """
    from storyline.errors import StoreError

    if not create and str(path) != ":memory:" and not Path(path).is_file():
        raise StoreError(
            f"no store at {path}",
            hint=f"run `storyline ingest PATHS --store {path}` first, or pass the right --store",
        )
    return SQLiteStore(path)


def clean_inputs(paths: Iterable[str | Path]) -> Iterator[Article | InputProblem]:
    """Read and clean every document under ``paths`` (bad ones come out as problems)."""
    from storyline.io.readers import read_inputs
    from storyline.stages.clean.document import clean

    for raw in read_inputs(paths):
        yield raw if isinstance(raw, InputProblem) else clean_one(raw, clean)


def clean_one(
    raw: RawDocument, clean: Callable[[RawDocument], Article | InputProblem]
) -> Article | InputProblem:
    """``clean(raw)``; a cleaning bug becomes a problem with the input's path (strict: raises)."""
    from storyline.strict import is_strict

    if is_strict():
        return clean(raw)
    try:
        return clean(raw)
    except Exception as exc:  # a cleaning bug must not stop the batch: report it with the path
        return InputProblem(input=raw.input, reason="clean-failed", detail=repr(exc))


def raw_key(raw: RawDocument, pipeline: str) -> str:
    """What a raw document was, as read, under this clean-up: seen again, it needs no clean."""
    from storyline.ids import digest

    fields = (raw.input, raw.fmt, raw.url, raw.published, raw.outlet, raw.title)
    return digest(pipeline, *(f or "" for f in fields), raw.content, size=16)


# Raw documents per batch handed to the runner's workers to clean (in parts of CLEAN_PART,
# so both workers share a batch), and batches in their hands at most: the reading runs
# ahead of the storing by two batches, not the whole input (bounded memory).
CLEAN_BATCH = 64
CLEAN_PART = 16
CLEAN_IN_FLIGHT = 2


@dataclass(slots=True)
class _Read:
    """One input as read, in input order: a reader's problem (reported in its place) or a
    raw document to clean, with its raw digest."""

    problem: InputProblem | None = None
    key: str = ""
    # its raw digest came earlier in this ingest: whether it is stored by then is known
    # only when it is stored (the reading runs ahead of the commits), checked there
    again: bool = False


def _clean_raws(raws: Sequence[RawDocument]) -> list[Article | InputProblem]:
    """:func:`clean_one` over raw documents (a picklable task for runners)."""
    from storyline.stages.clean.document import clean

    return [clean_one(raw, clean) for raw in raws]


# A batch being cleaned: its inputs in order, and the call that waits for the clean-up of
# those that are documents (in the same order).
_CleanBatch = tuple[list[_Read], Callable[[], list[Article | InputProblem]]]


def ingest(
    paths: Iterable[str | Path],
    store: SQLiteStore,
    progress: ProgressLike = None,
    stored: Callable[[Sequence[Article]], None] | None = None,
    runner: Runner | None = None,
) -> IngestReport:
    """Read, clean and store articles; idempotent (content-hash ids).

    A document read before, unchanged and under the same clean-up code, is recognised by its
    raw digest and not cleaned again: re-running an ingest costs the reading only.
    ``stored`` is called with each batch once it is committed (``build`` starts annotating
    there: :class:`StreamedAnnotation`).

    With a ``runner``, the clean-up (about 10 ms CPU a document) runs in its workers: this
    process reads on and stores in input order while they clean, with at most
    :data:`CLEAN_IN_FLIGHT` batches in their hands. The runner is first used by a full
    batch (:data:`CLEAN_BATCH` documents): a small ingest is cleaned here and starts no
    pool, and so is the rest of an input that never filled a batch. The store gets the same
    articles, problems and order as cleaning here one document at a time (the default).
    """
    from collections import deque

    from storyline.io.readers import read_inputs

    report = IngestReport()
    pipeline = clean_fingerprint()
    batch: list[Article] = []
    keys: list[str] = []
    reads: list[_Read] = []  # read since the last batch was sent, in input order
    raws: list[RawDocument] = []  # the documents among them
    cleaning: deque[_CleanBatch] = deque()
    seen: set[str] = set()  # raw digests read in this ingest
    limit = CLEAN_BATCH if runner is not None else 1  # no workers: one document at a time
    sent = False  # a full batch went to the workers: the rest goes there too

    def flush() -> None:
        added, unchanged = store.add_articles(batch, raw_keys=keys)
        report.added += added
        report.unchanged += unchanged
        if stored is not None:
            stored(batch)
        batch.clear()
        keys.clear()

    def store_batch(done: _CleanBatch) -> None:
        in_order, collect = done
        cleaned = iter(collect())
        for read in in_order:
            if read.problem is not None:
                item: Article | InputProblem = read.problem
            else:
                item = next(cleaned)
                if read.again and store.seen_raw(read.key):  # as if checked when read
                    report.unchanged += 1
                    continue
            if isinstance(item, InputProblem):
                (report.warnings if item.kept else report.problems).append(item)
                continue
            batch.append(item)
            keys.append(read.key)
            if len(batch) >= BATCH:
                flush()

    def send(final: bool) -> None:
        nonlocal sent
        done: _CleanBatch
        if runner is not None and (sent or not final):
            parts = [raws[i : i + CLEAN_PART] for i in range(0, len(raws), CLEAN_PART)]
            while len(cleaning) >= CLEAN_IN_FLIGHT:  # the oldest is stored before more go
                store_batch(cleaning.popleft())
            collect = runner.submit(_clean_raws, parts)
            done = (list(reads), lambda: [item for part in collect() for item in part])
            sent = True
        else:
            here = _clean_raws(raws)
            done = (list(reads), lambda: here)
        cleaning.append(done)
        reads.clear()
        raws.clear()
        if not sent:  # cleaned here: stored now (nothing is with the workers)
            store_batch(cleaning.popleft())

    _phase(progress, "read")
    for raw in read_inputs(paths):
        _tick(progress)
        if isinstance(raw, InputProblem):
            reads.append(_Read(problem=raw))
            continue
        key = raw_key(raw, pipeline)
        if store.seen_raw(key):
            report.unchanged += 1
            continue
        reads.append(_Read(key=key, again=key in seen))
        raws.append(raw)
        seen.add(key)
        if len(raws) >= limit:
            send(final=False)
    if reads:
        send(final=True)
    while cleaning:
        store_batch(cleaning.popleft())
    if batch:
        flush()
    if report.problems or report.warnings:
        store.record_problems([*report.problems, *report.warnings])
    return report


def cluster(store: SQLiteStore) -> list[Story]:
    """Assign unclustered news articles to stories (incremental) and return every story."""
    for new in news_rounds(store):
        _save_clustered(store, _cluster_embedded(*_clustering_inputs(store, new)))
    return store.stories()


ClusteringInputs = tuple[
    Sequence[Article],
    Mapping[str, Mapping[str, Any]],
    Mapping[str, "np.ndarray"],
    "CorpusFrequencies | None",
    Mapping[str, dict[str, float]],
]
Clustered = tuple[dict[str, str], dict[str, dict[str, Any]], list["Vector"]]


def _clustering_inputs(store: SQLiteStore, new: Sequence[Article]) -> ClusteringInputs:
    """What :func:`_cluster_embedded` needs from the store to cluster ``new`` (read here, so
    the clustering itself can run in another thread)."""
    from storyline.pipeline import embedding_key
    from storyline.stages.corpus.cluster import terms_by_article

    terms = terms_by_article(new)
    stored, corpus = stories_to_meet(store, new, terms)
    vectors = store.embeddings((a.id for a in new), embedding_key())
    return new, stored, vectors, corpus, terms


def _save_clustered(store: SQLiteStore, clustered: Clustered) -> None:
    """Save what :func:`_cluster_embedded` made: the vectors it computed, the stories."""
    from storyline.pipeline import embedding_key

    assignments, states, fresh = clustered
    store.save_embeddings(fresh, embedding_key())  # a read-only store keeps none
    store.save_clusters(assignments, states)


# Articles one clustering call takes at most. A call holds each of its articles with its
# text, term counts, weighted profile and vector, and the stories' states and index: 285 MB
# for the 6,006 articles of the 10k bench corpus (about 47 KB an article, stop 29). An
# ingest of more is clustered in rounds of this many, in the order the clustering takes
# articles, each round's stories saved before the next round meets them (as a later
# ingest would), so a build's memory stays bounded whatever the size of its ingest.
CLUSTER_ROUND = 10_000
# Articles whose records are read at once while ordering a large ingest's rounds.
_ORDER_PAGE = 2_000


def news_rounds(store: SQLiteStore, size: int | None = None) -> Iterator[list[Article]]:
    """The unclustered news articles (:func:`unclustered_news`), in rounds of at most
    ``size`` (:data:`CLUSTER_ROUND`): one round when they are that few (or the store is
    read-only: it cannot save one round's stories for the next), else in the clustering's
    order (:func:`storyline.stages.corpus.cluster.arrival`), each round read when it is
    due. The caller saves a round's stories before it asks for the next."""
    from storyline.stages.clean.newsness import is_news
    from storyline.stages.corpus.cluster import arrival

    size = CLUSTER_ROUND if size is None else size
    ids = store.unclustered_ids()
    if len(ids) <= size or store.read_only:
        news = unclustered_news(store)
        if news:
            yield news
        return
    keys: list[tuple[str, str]] = []  # (day, id): the order and the id in one
    for start in range(0, len(ids), _ORDER_PAGE):
        page = store.articles(ids[start : start + _ORDER_PAGE])
        keys += [arrival(a) for a in page if is_news(a)]
    keys.sort()
    for start in range(0, len(keys), size):
        yield store.articles([i for _, i in keys[start : start + size]])


Vector = tuple[str, bytes]  # an article's embedding as workers send it: (id, float32 bytes)


def _cluster_embedded(
    new: Sequence[Article],
    stored: Mapping[str, Mapping[str, Any]],
    vectors: Mapping[str, np.ndarray],
    corpus: CorpusFrequencies | None,
    terms: Mapping[str, dict[str, float]],
) -> Clustered:
    """``assign_stories`` with the stored ``vectors``: the articles without one (annotated
    before the workers embedded, or stored before vectors were) are embedded here, in one
    batch. Returns (assignments, changed states, the vectors computed here, to store)."""
    import numpy as np

    from storyline.pipeline import embed_batch
    from storyline.stages.corpus.cluster import ClusterConfig, assign_stories

    config = ClusterConfig()
    missing = [a for a in new if a.id not in vectors] if config.embeddings else []
    fresh = embed_batch(missing)
    given = {**vectors, **{i: np.frombuffer(v, dtype=np.float32) for i, v in fresh}}
    assignments, states = assign_stories(
        new, stored, config, embeddings=given, corpus=corpus, terms=terms
    )
    return assignments, states, fresh


def stories_to_meet(
    store: SQLiteStore,
    new: Sequence[Article],
    terms: Mapping[str, Mapping[str, float]] | None = None,
) -> tuple[dict[str, dict[str, Any]], CorpusFrequencies | None]:
    """The stored stories ``new`` could join, with what ``assign_stories`` needs beside them.

    A batch of dated articles reads only the stories of its date window, and the term
    frequencies over every story from the store, so a call costs what its weeks' stories
    cost, not the whole corpus (same assignments as reading every story); a batch with an
    undated article reads every story. ``terms``: the batch's article terms, when the
    caller has them (:func:`storyline.stages.corpus.cluster.terms_by_article`).
    """
    from storyline.stages.corpus.cluster import article_terms, date_window

    window = date_window(new)
    if window is None:
        return store.cluster_states(), None
    states = store.cluster_states(window)
    wanted = {t for state in states.values() for t in state.get("centroid") or {}}
    for a in new:
        wanted.update(terms[a.id] if terms is not None and a.id in terms else article_terms(a))
    return states, store.cluster_frequencies(wanted)


def unclustered_news(store: SQLiteStore) -> list[Article]:
    """The articles no story holds yet, news only: recipes, shop pages and software docs
    are no story and stay unclustered."""
    from storyline.stages.clean.newsness import is_news

    return [a for a in store.unclustered() if is_news(a)]


def writers_fingerprint() -> str:
    """A digest of the output writers (code and templates) and of the record codec: a change
    renders every story's files again."""
    import storyline
    from storyline.pipeline import code_digest

    root = Path(storyline.__file__).parent
    writers = root / "io" / "writers"
    return code_digest(
        [
            root / "model.py",
            root / "io" / "codec.py",
            *(p for p in writers.rglob("*") if p.is_file() and p.suffix in {".py", ".html"}),
        ]
    )


def clean_fingerprint() -> str:
    """A digest of the readers' and the clean-up's code: a change cleans inputs again."""
    import storyline
    from storyline.pipeline import code_digest

    root = Path(storyline.__file__).parent
    return code_digest(
        [
            root / "model.py",
            root / "ids.py",
            *(root / "io" / "readers").rglob("*.py"),
            *(root / "stages" / "clean").rglob("*.py"),
            *(root / "text").rglob("*.py"),
        ]
    )


def annotate(
    store: SQLiteStore,
    articles: Sequence[Article],
    runner: Runner | None = None,
    progress: ProgressLike = None,
) -> list[AnnotatedArticle]:
    """Annotated articles, from the store's cache when the pipeline has not changed.

    New work goes in batches parsed together (``nlp.pipe``), spread over the runner's
    workers (by default every core, see :func:`storyline.backends.default_runner`), and is
    saved round by round: a crash keeps what was annotated.
    """
    from storyline.io.codec import from_dict
    from storyline.pipeline import article_key

    fingerprint = article_key()
    cached = {a.id: store.annotation(a.id, fingerprint) for a in articles}
    todo = [a for a in articles if cached[a.id] is None]
    for fresh in _annotation_rounds(store, [todo], len(todo), runner, progress):
        # what the store now holds, decoded as a later call reads it from the cache
        cached.update({i: from_dict(AnnotatedArticle, json.loads(r)) for i, r in fresh})
    return [doc for a in articles if (doc := cached[a.id]) is not None]


def _annotation_rounds(
    store: SQLiteStore,
    chunks: Iterable[Sequence[Article]],
    total: int,
    runner: Runner | None,
    progress: ProgressLike,
) -> Iterator[list[tuple[str, str]]]:
    """Annotate the articles of ``chunks`` (``total`` of them) round by round, saving each
    round before it is yielded as (article id, stored JSON) pairs; a caller that drops the
    rounds holds one at a time (and the next, in the workers' hands).

    The next round is handed to the workers before this one is saved, so they parse while
    this process writes.
    """
    from storyline.backends import default_runner
    from storyline.pipeline import BATCH as PARSE_BATCH
    from storyline.pipeline import article_key

    if not total:
        return
    fingerprint = article_key()
    _phase(progress, "annotate", total)
    own = runner is None  # a runner made here is closed here (its workers stopped)
    runner = runner or default_runner(total // PARSE_BATCH)
    parts = (
        chunk[start : start + ANNOTATE_ROUND]
        for chunk in chunks
        for start in range(0, len(chunk), ANNOTATE_ROUND)
    )

    try:
        first = next(parts, None)
        pending = None if first is None else _start_round(runner, first)
        while pending is not None:
            following = next(parts, None)
            collect = pending
            pending = None if following is None else _start_round(runner, following)
            fresh = _save_round(store, collect, fingerprint)
            _tick(progress, len(fresh))
            yield fresh
    finally:
        if own:
            runner.close()


@dataclass(frozen=True, slots=True)
class RoundTask:
    """A parse batch as a worker gets it: the articles to annotate, the ids of those it
    embeds too (the clustering reads their stored vectors instead of embedding them), the
    parses of their paragraphs that other workers made (:class:`SharedParses`), and the
    id of the process that handed it out."""

    articles: Sequence[Article]
    embed: frozenset[str] = frozenset()
    known: ParagraphParses | None = None
    coordinator: int = 0


@dataclass(frozen=True, slots=True)
class RoundResult:
    """What a worker sends back for a :class:`RoundTask`, as the store keeps it, and the
    paragraphs it parsed (None from a worker in the process that handed the task out)."""

    records: list[tuple[str, str]]  # (article id, stored annotation JSON)
    vectors: list[Vector]  # (article id, float32 bytes) of the articles it embedded
    parsed: ParagraphParses | None = None


# An annotation round in the workers' hands: one result per parse batch.
Round = Callable[[], list[RoundResult]]


def _annotate_records(task: RoundTask) -> RoundResult:
    """:func:`storyline.pipeline.annotate_batch_with_default_model`, each annotation as the
    store keeps it, and the embeddings of ``task.embed`` (a picklable task for runners).

    The worker encodes: the process that saves the round receives strings, instead of
    unpickling every record of every annotation and encoding it itself (about 4 ms CPU an
    article in that process, measured on the 1k bench corpus). It embeds too: the encoder's
    ~13 ms CPU an article then scales with the workers instead of loading the process that
    clusters (issue 9).
    """
    import os

    from storyline import pipeline
    from storyline.io.store.sqlite import annotation_record
    from storyline.nlp import english
    from storyline.nlp.paragraphs import parse_cache

    cache = parse_cache(english())
    elsewhere = os.getpid() != task.coordinator  # else the coordinator's cache is this one
    if task.known is not None:
        cache.adopt(task.known)
    cache.hand_on = elsewhere
    done = pipeline.annotate_batch_with_default_model(task.articles)
    records = [(doc.article.id, annotation_record(doc)) for doc in done]
    vectors = _embedded([a for a in task.articles if a.id in task.embed])
    return RoundResult(records, vectors, cache.take_fresh() if elsewhere else None)


def _embedded(articles: Sequence[Article]) -> list[Vector]:
    """:func:`storyline.pipeline.embed_batch`; an encoder failure keeps the annotations (the
    clustering embeds what has no stored vector, and raises there if it fails again)."""
    from storyline.pipeline import embed_batch
    from storyline.strict import is_strict

    if is_strict():
        return embed_batch(articles)
    try:
        return embed_batch(articles)
    except Exception:  # the annotations are worth keeping: the vectors are made later
        return []


def _start_round(
    runner: Runner, part: Sequence[Article], embed: Collection[str] = frozenset()
) -> Round:
    """Hand one round of articles to the runner's workers, in parse batches; those whose id
    is in ``embed`` are embedded in their batch's task too."""
    import os

    from storyline.nlp.paragraphs import shared_parses
    from storyline.pipeline import BATCH as PARSE_BATCH

    batches = [part[i : i + PARSE_BATCH] for i in range(0, len(part), PARSE_BATCH)]
    shared = shared_parses()
    tasks = [
        RoundTask(
            b,
            frozenset(a.id for a in b if a.id in embed),
            shared.known(a.text for a in b),
            os.getpid(),
        )
        for b in batches
    ]
    return runner.submit(_annotate_records, tasks)


def _save_round(store: SQLiteStore, collect: Round, fingerprint: str) -> list[tuple[str, str]]:
    """Wait for a round's annotations and save them (one transaction), and its vectors."""
    from storyline.nlp.paragraphs import shared_parses
    from storyline.pipeline import embedding_key

    done = collect()
    for batch in done:
        if batch.parsed is not None:
            shared_parses().add(batch.parsed)
    fresh = [record for batch in done for record in batch.records]
    store.save_annotation_records(fresh, fingerprint)
    store.save_embeddings([v for batch in done for v in batch.vectors], embedding_key())
    return fresh


class StreamedAnnotation:
    """Annotation that starts while an ingest is still reading (``ingest(stored=...)``).

    Each full round of new news articles goes to the workers as soon as it is stored, so
    they parse while this process reads and cleans the rest; the round before is saved
    then (one round waits at most: memory stays bounded, and a slow pool slows the
    reading down instead of piling up). A batch smaller than a round starts nothing: the
    build annotates the rest after the ingest. The runner is made on the first full round
    when none is given (a small build never starts a pool).
    """

    def __init__(self, store: SQLiteStore, runner: Runner | None = None) -> None:
        from storyline.pipeline import article_key, embedding_key

        self.store = store
        self.runner = runner
        self.fingerprint = article_key()
        self._have = store.annotated_ids(self.fingerprint)
        self._embedded = store.embedded_ids(embedding_key())
        self._waiting: list[Article] = []
        self._pending: Round | None = None

    def stored(self, articles: Sequence[Article]) -> None:
        """Articles the ingest has just stored (committed)."""
        from storyline.stages.clean.newsness import is_news

        self._waiting += [a for a in articles if a.id not in self._have and is_news(a)]
        while len(self._waiting) >= ANNOTATE_ROUND:
            part, self._waiting = self._waiting[:ANNOTATE_ROUND], self._waiting[ANNOTATE_ROUND:]
            if self.runner is None:
                from storyline.backends import default_runner
                from storyline.pipeline import BATCH as PARSE_BATCH

                self.runner = default_runner(ANNOTATE_ROUND // PARSE_BATCH)
            # the round's vectors are made with it: the clustering then embeds only the
            # articles that came after the last full round
            started = _start_round(self.runner, part, {a.id for a in part} - self._embedded)
            self.finish()
            self._pending = started

    def finish(self) -> None:
        """Save the round still with the workers, if any (the waiting rest is left to the
        build, which annotates every unannotated member)."""
        if self._pending is not None:
            collect, self._pending = self._pending, None
            _save_round(self.store, collect, self.fingerprint)


@dataclass(frozen=True, slots=True)
class Assembled:
    """A story's dossier with what is made of it: the store's row and record, and the
    output files. All of it is made where the dossier is assembled (on a worker), so the
    process that writes the store and the files only writes; a worker that can open the
    store saves and writes them itself (:attr:`AssembleTask.store`) and sends back none."""

    # None where the caller asked only for what is stored and written (a build): the
    # record, row and files carry all of it, and a Dossier sent back from a worker costs
    # as much to pickle and unpickle again as the record (3 s CPU per 1k articles).
    dossier: Dossier | None
    row: DossierRow | None  # None: the worker saved it (and the record) in the store
    record: str | None  # the Dossier record (codec JSON)
    output: StoryOutput | None  # None: the worker wrote the files (see ``written``)
    story_id: str
    fingerprint: str
    problems: tuple[StageProblem, ...]  # the dossier's (its corpus stages that failed)
    written: dict[str, Any] | None = None  # the manifest entry of the files a worker wrote


@dataclass(frozen=True, slots=True)
class StoredAnnotation:
    """An annotation as the store keeps it (codec JSON), decoded by the worker that
    assembles its story: the process that reads the store neither decodes it nor pickles
    the decoded records (together about 5 ms CPU an article, measured on the 1k bench
    corpus), it sends one string."""

    record: str
    claims: int  # how many claims it holds (for :func:`_story_cost`)


@dataclass(frozen=True, slots=True)
class AssembleTask:
    """What a worker gets to assemble one story (picklable).

    Where the workers can open the store (``store``: its path), a task carries ids only:
    the worker reads the members' annotations, saves the dossier and writes the story's
    files itself, so the process that hands the stories out never holds a story's
    annotations or outputs (through a 100k build's assembly it stayed at 355 MB). Otherwise
    (a remote cluster, a store in memory or read-only) ``docs`` carries the annotations and
    everything comes back.
    """

    story: Story
    docs: tuple[AnnotatedArticle | StoredAnnotation, ...] | None  # None: read from ``store``
    isolate: bool  # a failing story comes back as a problem instead of raising
    pipeline: str  # the corpus key the stored dossier is kept under
    keep: bool  # whether the Dossier itself comes back (:attr:`Assembled.dossier`)
    store: str | None = None  # the store the worker reads from and saves to
    annotations: str = ""  # the article key the members' annotations are stored under
    out: str | None = None  # where the worker writes the story's files (with ``store``)


def _decoded(doc: AnnotatedArticle | StoredAnnotation) -> AnnotatedArticle:
    if isinstance(doc, AnnotatedArticle):
        return doc
    from storyline.io.codec import from_dict

    return from_dict(AnnotatedArticle, json.loads(doc.record))


def _assemble(task: AssembleTask, store: SQLiteStore | None = None) -> Assembled | StageProblem:
    """Assemble one story's dossier (a picklable task for runners), encode and render it.

    With ``isolate`` a corpus stage that fails leaves the dossier incomplete
    (``Dossier.problems``) and a failure outside the stages comes back as a problem
    record, so one story cannot stop the others; otherwise it raises as it is. ``store``
    is the task's store, opened by the caller (:func:`_assemble_part`), if it has one.
    """
    from storyline.strict import is_strict, problem_of

    strict = not task.isolate or is_strict()
    if strict:
        return _assembled_task(task, store, strict=True)
    try:
        return _assembled_task(task, store, strict=False)
    except Exception as exc:  # isolation: the other stories still get their dossiers
        return problem_of(exc, "dossier", story_id=task.story.id)


def _assembled_task(task: AssembleTask, store: SQLiteStore | None, *, strict: bool) -> Assembled:
    story = task.story
    if task.docs is not None:
        docs = [_decoded(doc) for doc in task.docs]
    else:
        if store is None:
            raise ValueError(f"story {story.id}: a task without annotations needs its store")
        found = store.annotation_records(story.article_ids, task.annotations)
        docs = [_decoded(StoredAnnotation(found[a][0], 0)) for a in story.article_ids if a in found]
    if store is None:
        return _assembled(story, docs, task.pipeline, strict=strict, keep=task.keep)
    return _assembled_and_kept(story, docs, task, store, strict=strict)


def _assembled_and_kept(
    story: Story,
    docs: list[AnnotatedArticle],
    task: AssembleTask,
    store: SQLiteStore,
    *,
    strict: bool,
) -> Assembled:
    """:func:`_assembled`, each thing made of the dossier saved as soon as it is made, here
    on the worker: the row, then the record in the store, then the files under
    ``task.out``, so a large story holds one of them at a time. What comes back is the
    Dossier (if asked for), the id, the problems and the files' manifest entry."""
    from storyline.io.writers import dossier_dict, story_output, write_story
    from storyline.stages.corpus.dossier import assemble

    d = assemble(story, docs, strict=strict)
    fingerprint = story_fingerprint((a.id for a in d.articles), task.pipeline)
    published = dossier_dict(d)
    store.save_dossiers([dossier_row(d, fingerprint, published)])
    store.save_dossier_records([(d.id, fingerprint, _dossier_record(d))])
    output = story_output(d, published)
    written = None if task.out is None else write_story(Path(task.out), output, fingerprint)
    return Assembled(
        dossier=d if task.keep else None,
        row=None,
        record=None,
        output=None,
        story_id=d.id,
        fingerprint=fingerprint,
        problems=d.problems,
        written=written,
    )


def _dossier_record(d: Dossier) -> str:
    """The stored record of a dossier (codec JSON: what :func:`dossier` decodes)."""
    from storyline.io.codec import to_dict

    return json.dumps(to_dict(d), ensure_ascii=False, sort_keys=True)


# Parts the stories of an assembly are mapped in: enough for a pool to balance them.
ASSEMBLE_PARTS = 64


def _story_cost(claims: Sequence[int]) -> int:
    """A rough cost of assembling a story from its members' claim counts: its claims
    compared pairwise, plus its articles."""
    total = sum(claims)
    return total * total + 100 * len(claims)


def balanced_parts(costs: Sequence[int], parts: int) -> list[list[int]]:
    """Indexes of ``costs`` in ``parts`` groups of near-equal total, costliest group first.

    Greedy: the costliest item goes to the lightest group so far. Each group lists its
    indexes in ascending order; every index is in exactly one group.
    """
    if not costs:
        return []
    groups: list[list[int]] = [[] for _ in range(max(1, min(parts, len(costs))))]
    totals = [0] * len(groups)
    for i in sorted(range(len(costs)), key=lambda i: (-costs[i], i)):
        lightest = min(range(len(groups)), key=lambda g: (totals[g], g))
        groups[lightest].append(i)
        totals[lightest] += costs[i]
    order = sorted(range(len(groups)), key=lambda g: (-totals[g], g))
    return [sorted(groups[g]) for g in order if groups[g]]


def _assemble_part(
    tasks: list[AssembleTask],
) -> list[Assembled | StageProblem]:
    """:func:`_assemble` over a part of the stories (a picklable task for runners); the
    part's store, if its tasks have one, is opened once for all of them."""
    paths = {task.store for task in tasks if task.store is not None}
    if not paths:
        return [_assemble(task) for task in tasks]
    [path] = paths  # one assembly, one store
    with SQLiteStore(path) as store:
        return [_assemble(task, store) for task in tasks]


def _assembled(
    story: Story, docs: list[AnnotatedArticle], pipeline: str, *, strict: bool, keep: bool = True
) -> Assembled:
    from storyline.io.writers import dossier_dict, story_output
    from storyline.stages.corpus.dossier import assemble

    d = assemble(story, docs, strict=strict)
    fingerprint = story_fingerprint((a.id for a in d.articles), pipeline)
    # the row's JSON and the story's .json file are made from one dossier dict (nothing
    # changes it: both only read it), not from one each
    published = dossier_dict(d)
    return Assembled(
        dossier=d if keep else None,
        row=dossier_row(d, fingerprint, published),
        record=_dossier_record(d),
        output=story_output(d, published),
        story_id=d.id,
        fingerprint=fingerprint,
        problems=d.problems,
    )


def dossiers(
    store: SQLiteStore,
    story_ids: Sequence[str] | None = None,
    runner: Runner | None = None,
    problems: list[StageProblem] | None = None,
    progress: ProgressLike = None,
) -> list[Dossier]:
    """Dossiers of every story (or of the given ids), sorted by id.

    With a ``problems`` list, failures are isolated: every article stage problem is
    appended to it; a corpus stage failing on a story is appended and that dossier is
    written incomplete; a story whose dossier cannot be assembled at all is appended and
    left out (unless ``STORYLINE_STRICT=1``). Without one, a failing story raises.
    """
    rounds = _assembled_rounds(store, story_ids, runner, problems, progress)
    return sorted(
        (a.dossier for done in rounds for a in done if a.dossier is not None), key=lambda d: d.id
    )


# Articles whose stories are assembled per round: what a build hands out at once. Workers
# that send everything back (``AssembleTask.docs``) make the main process hold two rounds'
# annotations, dossiers, records and files (about 0.7 MB per article, measured on a 4k
# corpus); workers that save their own (``AssembleTask.store``) leave it the ids.
ASSEMBLE_ROUND = 512


# Rounds handed out ahead of the one collected when the workers save their own dossiers.
ROUNDS_AHEAD = 64


def _rounds(stories: Sequence[Story], size: int) -> list[list[Story]]:
    """``stories`` in order, cut into rounds of about ``size`` member articles."""
    rounds: list[list[Story]] = [[]]
    held = 0
    for story in stories:
        if rounds[-1] and held + len(story.article_ids) > size:
            rounds.append([])
            held = 0
        rounds[-1].append(story)
        held += len(story.article_ids)
    return [r for r in rounds if r]


def _assembled_rounds(
    store: SQLiteStore,
    story_ids: Sequence[str] | None = None,
    runner: Runner | None = None,
    problems: list[StageProblem] | None = None,
    progress: ProgressLike = None,
    keep: bool = True,
    out: Path | None = None,
) -> Iterator[list[Assembled]]:
    """:func:`dossiers` round by round, each dossier with its row, record and files, stored
    before the round is yielded.

    Every member lacking an annotation is annotated first (saved as it goes, not held);
    then each round's stories are assembled. Where the workers can open the store
    (:func:`_workers_store`) they read the members' annotations, save the dossiers and write
    the files under ``out`` themselves; otherwise this process reads the annotations,
    hands them out with the stories and saves what comes back (the caller writes the
    files). With a read-only store (nothing can be saved) everything is one round, held in
    memory. Without ``keep`` the Dossiers are not sent back (:attr:`Assembled.dossier`).
    """
    from storyline.errors import NotFoundError
    from storyline.pipeline import article_key, corpus_key

    stories = {s.id: s for s in cluster(store)}
    wanted = sorted(stories) if story_ids is None else list(story_ids)
    missing = [i for i in wanted if i not in stories]
    if missing:
        raise NotFoundError(f"no story {missing[0]} in {store.path}")
    chosen = [stories[i] for i in wanted]
    del stories
    if store.read_only:
        rounds = [chosen]
        members = [a for s in chosen for a in store.articles(s.article_ids)]
        held = {d.article.id: d for d in annotate(store, members, runner, progress)}
    else:
        # the largest stories first: a story of a thousand articles takes one worker minutes,
        # and started last it would finish the assembly alone
        rounds = _rounds(sorted(chosen, key=lambda s: (-len(s.article_ids), s.id)), ASSEMBLE_ROUND)
        held = {}
        have = store.annotated_ids(article_key())
        todo = list(dict.fromkeys(a for s in chosen for a in s.article_ids if a not in have))
        del have
        chunks = (
            store.articles(todo[i : i + ANNOTATE_ROUND])
            for i in range(0, len(todo), ANNOTATE_ROUND)
        )
        for _ in _annotation_rounds(store, chunks, len(todo), runner, progress):
            pass  # saved: each round's annotations are read back with its stories
    pipeline = corpus_key()
    isolate = problems is not None
    assembler = runner or SerialRunner()
    shared = None if held else _workers_store(store, assembler)
    key = article_key()
    target = None if out is None else str(out.resolve())  # written where ``shared`` is set
    if shared is not None:
        _first_pages(store)  # before the workers save the first dossiers
    _phase(progress, "assemble", len(chosen))

    def submitted(
        part_stories: list[Story],
    ) -> tuple[list[StageProblem], int, Callable[[], list[Assembled | StageProblem]]]:
        ids = [a for s in part_stories for a in s.article_ids]
        # what goes to the workers (None: they read the store) and each member's claim count
        docs: Mapping[str, AnnotatedArticle | StoredAnnotation] | None
        if held:  # the one read-only round
            read = [p for i in ids if i in held for p in held[i].problems]
            docs, claims = held, {i: len(held[i].claims) for i in ids if i in held}
        elif shared is not None:  # ids only: the workers read the annotations themselves
            claims, read = _stored_claim_counts(store, ids)
            docs = None
        else:  # the stored JSON goes to the workers as it is, only the problems are read
            stored, read = _stored_records(store, ids)
            docs, claims = stored, {i: d.claims for i, d in stored.items()}
        tasks = [
            AssembleTask(
                s,
                None if docs is None else tuple(docs[a] for a in s.article_ids if a in docs),
                isolate,
                pipeline,
                keep,
                shared,
                key,
                target,
            )
            for s in part_stories
        ]
        costs = [
            _story_cost([claims[a] for a in s.article_ids if a in claims]) for s in part_stories
        ]
        return read, len(tasks), _submit_assemble(tasks, costs, assembler)

    # Rounds ahead: the workers assemble the next rounds while this process collects, saves
    # and hands out round k (and the caller writes its files), instead of idling meanwhile.
    # Workers that send everything back get one round ahead (two rounds held at most);
    # workers that save their own hand back ids only, so many rounds go out at once and a
    # worker left with a large story does not hold the others idle until it is done.
    depth = 1 if shared is None else ROUNDS_AHEAD
    ahead = deque(submitted(part) for part in rounds[:depth])
    for k in range(len(rounds)):
        read, count, collect = ahead.popleft()
        ahead.extend(submitted(part) for part in rounds[k + depth : k + depth + 1])
        done = collect()
        _tick(progress, count)
        if problems is not None:
            problems.extend(read)
        result: list[Assembled] = []
        for item in done:
            if isinstance(item, StageProblem):
                if problems is not None:
                    problems.append(item)
            else:
                if problems is not None:
                    problems.extend(item.problems)
                result.append(item)
        _save_assembled(store, result)
        yield result


def _workers_store(store: SQLiteStore, runner: Runner) -> str | None:
    """The path the runner's workers open ``store`` by, where they can: a writable store in
    a file, and workers on this machine (``Runner.local``)."""
    if store.read_only or store.path == ":memory:" or not runner.local:
        return None
    return str(Path(store.path).resolve())


def _stored_annotations(store: SQLiteStore, ids: Sequence[str]) -> dict[str, AnnotatedArticle]:
    """The cached annotations of ``ids`` under the current article key."""
    from storyline.pipeline import article_key

    key = article_key()
    return {i: doc for i in ids if (doc := store.annotation(i, key)) is not None}


def _read_problems(
    ids: Sequence[str], found: Mapping[str, tuple[str | None, int, str | None]]
) -> list[StageProblem]:
    """The problems of the stored annotations ``found`` (as the store reads them), in the
    order of ``ids``."""
    from storyline.io.codec import from_dict

    problems: list[StageProblem] = []
    for i in ids:
        if i in found and (text := found[i][2]) is not None and text != "[]":
            problems.extend(from_dict(StageProblem, p) for p in json.loads(text))
    return problems


def _stored_records(
    store: SQLiteStore, ids: Sequence[str]
) -> tuple[dict[str, StoredAnnotation], list[StageProblem]]:
    """The cached annotations of ``ids`` under the current article key, undecoded, and
    their problems in the order of ``ids`` (what :func:`_stored_annotations` followed by
    reading each one's ``problems`` gives)."""
    from storyline.pipeline import article_key

    found = store.annotation_records(ids, article_key())
    return {
        i: StoredAnnotation(record, claims) for i, (record, claims, _) in found.items()
    }, _read_problems(ids, found)


def _stored_claim_counts(
    store: SQLiteStore, ids: Sequence[str]
) -> tuple[dict[str, int], list[StageProblem]]:
    """:func:`_stored_records` without the records: each annotation's claim count (for the
    balancing) and the problems, read by SQLite from the stored JSON."""
    from storyline.pipeline import article_key

    found = store.annotation_records(ids, article_key(), records=False)
    return {i: claims for i, (_, claims, _) in found.items()}, _read_problems(ids, found)


def _submit_assemble(
    tasks: Sequence[AssembleTask], costs: Sequence[int], runner: Runner
) -> Callable[[], list[Assembled | StageProblem]]:
    """Hand ``tasks`` to the runner's workers now; the returned call waits for the results
    (in the order given). ``costs`` are the tasks' :func:`_story_cost`."""
    # Stories differ in cost by orders of magnitude (corroboration compares each claim of a
    # story with the others): balanced parts, largest first, keep every worker busy to the
    # end instead of one worker left with the two largest stories.
    parts = balanced_parts(costs, min(len(tasks), ASSEMBLE_PARTS))
    pending = runner.submit(_assemble_part, [[tasks[i] for i in part] for part in parts])

    def collect() -> list[Assembled | StageProblem]:
        slots: dict[int, Assembled | StageProblem] = {}
        for part, out in zip(parts, pending(), strict=True):
            slots.update(zip(part, out, strict=True))
        return [slots[i] for i in range(len(tasks))]

    return collect


def story_fingerprint(member_ids: Iterable[str], pipeline: str) -> str:
    """What a stored dossier was assembled from: its member articles and the pipeline."""
    from storyline.ids import digest

    return digest(pipeline, *sorted(member_ids), size=10)


def dossier_row(d: Dossier, fingerprint: str, record: dict[str, Any] | None = None) -> DossierRow:
    """A dossier as the store keeps it: its JSON and the columns the story list needs.

    ``record`` is ``dossier_dict(d)`` where the caller has it already (it is only read).
    """
    from collections import Counter

    from storyline.io.writers import dossier_dict
    from storyline.stages.corpus.dossier import outlet_label
    from storyline.web.pages import page_rows

    days = sorted(
        a.published.start.isoformat()
        for a in d.articles
        if a.published is not None and not a.published.estimate
    )
    outlets = sorted({outlet_label(a) for a in d.articles})
    if record is None:
        record = dossier_dict(d)
    page, claim_pages, entity_pages = page_rows(record)
    facets = {("outlet", o, o.lower()) for o in outlets}
    facets |= {("language", a.language, a.language.lower()) for a in d.articles if a.language}
    facets |= {
        ("entity", e.id, " | ".join(sorted({e.name.lower(), *(x.lower() for x in e.aliases)})))
        for e in d.entities
    }
    return DossierRow(
        story_id=d.id,
        fingerprint=fingerprint,
        title=d.title,
        size=len(d.articles),
        first_day=days[0] if days else None,
        last_day=days[-1] if days else None,
        summary=d.summary,
        outlets=tuple(outlets),
        statuses=tuple(sorted(Counter(c.status for c in d.claims).items())),
        record=json.dumps(record, ensure_ascii=False, sort_keys=True),
        page=page,
        claim_pages=claim_pages,
        entity_pages=entity_pages,
        facets=tuple(sorted(facets)),
        # claims by text: a claim group's id changes when a new article joins it
        snapshot=json.dumps(
            {
                "articles": [a.id for a in d.articles],
                "claims": {c.text: c.status for c in d.claims},
            },
            ensure_ascii=False,
            sort_keys=True,
        ),
    )


def save_dossiers(store: SQLiteStore, assembled: Sequence[Dossier]) -> int:
    """Persist assembled dossiers (the web UI reads only these); returns how many changed."""
    if store.read_only or not assembled:
        return 0
    from storyline.pipeline import corpus_key

    pipeline = corpus_key()
    prints = {d.id: story_fingerprint((a.id for a in d.articles), pipeline) for d in assembled}
    _first_pages(store)
    changed = store.save_dossiers([dossier_row(d, prints[d.id]) for d in assembled])
    store.save_dossier_records([(d.id, prints[d.id], _dossier_record(d)) for d in assembled])
    return changed


def _save_assembled(store: SQLiteStore, assembled: Sequence[Assembled]) -> int:
    """:func:`save_dossiers` with the rows and records the workers made (those a worker
    saved itself have none left)."""
    rows = [(a.row, a.record) for a in assembled if a.row is not None and a.record is not None]
    if store.read_only or not rows:
        return 0
    _first_pages(store)
    changed = store.save_dossiers([row for row, _ in rows])
    store.save_dossier_records([(row.story_id, row.fingerprint, rec) for row, rec in rows])
    return changed


def stale_stories(store: SQLiteStore) -> list[str]:
    """Ids of the stories whose stored dossier (or its record) is missing or out of date."""
    from storyline.pipeline import corpus_key

    pipeline = corpus_key()
    stories = cluster(store)
    stored = store.dossier_fingerprints()
    records = store.dossier_record_fingerprints()  # the fingerprints only: no record is read
    stale = []
    for s in stories:
        now = story_fingerprint(s.article_ids, pipeline)
        if stored.get(s.id) != now or records.get(s.id) != now:
            stale.append(s.id)
    return sorted(stale)


def current_dossiers(
    store: SQLiteStore,
    runner: Runner | None = None,
    problems: list[StageProblem] | None = None,
    progress: ProgressLike = None,
) -> tuple[list[Dossier], list[Dossier]]:
    """(every story's dossier, the ones assembled now): only changed stories are assembled,
    the others come back from their stored records."""
    from storyline.io.codec import from_dict

    fresh = refresh_dossiers(store, runner, problems, progress)
    by_id = {d.id: d for d in fresh}
    ids = [s.id for s in cluster(store)]
    for story, (_, record) in store.dossier_records(i for i in ids if i not in by_id).items():
        by_id[story] = from_dict(Dossier, json.loads(record))
    return [by_id[i] for i in sorted(ids) if i in by_id], fresh


def refresh_dossiers(
    store: SQLiteStore,
    runner: Runner | None = None,
    problems: list[StageProblem] | None = None,
    progress: ProgressLike = None,
) -> list[Dossier]:
    """Cluster new articles, then assemble and store only the stories that changed."""
    rounds = _refresh(store, runner, problems, progress)
    return sorted(
        (a.dossier for done in rounds for a in done if a.dossier is not None), key=lambda d: d.id
    )


def update_dossiers(
    store: SQLiteStore,
    runner: Runner | None = None,
    problems: list[StageProblem] | None = None,
    progress: ProgressLike = None,
) -> list[str]:
    """:func:`refresh_dossiers` holding one round at a time; returns the ids assembled."""
    rounds = _refresh(store, runner, problems, progress, keep=False)
    return sorted(a.story_id for done in rounds for a in done)


def _refresh(
    store: SQLiteStore,
    runner: Runner | None = None,
    problems: list[StageProblem] | None = None,
    progress: ProgressLike = None,
    keep: bool = True,
    out: Path | None = None,
) -> Iterator[list[Assembled]]:
    _phase(progress, "cluster")
    stale = stale_stories(store)
    if stale:
        yield from _assembled_rounds(store, stale, runner, problems, progress, keep, out)
    remake_pages(store)


def _first_pages(store: SQLiteStore) -> None:
    """Before a store's first dossiers are saved: the pages it will hold are this code's."""
    from storyline.web.pages import PAGES_KEY

    if not store.has_stored_dossiers() and store.pages_key() != PAGES_KEY:
        store.set_pages_key(PAGES_KEY)


def remake_pages(store: SQLiteStore) -> int:
    """Make the stored web pages again from the stored dossiers when they were made by other
    view code or templates (``web.pages.PAGES_KEY``); returns how many stories' pages.

    A dossier whose members and pipeline did not change is not assembled again, so without
    this a store's pages would keep the look of the code that first stored them (or be made
    on every request, the slow way). Runs once after such a change, then costs one lookup.
    """
    from storyline.web.pages import PAGES_KEY, page_rows

    if store.read_only or store.pages_key() == PAGES_KEY:
        return 0
    ids = store.stored_story_ids()
    for start in range(0, len(ids), REMAKE_PAGES_BATCH):
        part = ids[start : start + REMAKE_PAGES_BATCH]
        with store.transaction():
            for story, size, record in store.dossier_jsons(part):
                store.save_pages(story, size, *page_rows(json.loads(record)))
    store.set_pages_key(PAGES_KEY)
    return len(ids)


# Stories whose pages are made again in one transaction (``remake_pages``)
REMAKE_PAGES_BATCH = 200


def stored_dossier(store: SQLiteStore, story_id: str) -> dict[str, Any]:
    """A story's persisted dossier JSON (never assembled on the way)."""
    return store.stored_dossier(story_id)


def story_changes(
    store: SQLiteStore, story_id: str, since: str | None = None, last: int | None = None
) -> list[dict[str, Any]]:
    """What changed in a story at each stored update (after ``since``, an ISO time).

    Each change lists the articles added, the claims that appeared, and the claims whose
    status moved (e.g. single-source -> corroborated), compared with the version before.
    ``last`` keeps only the latest changes (the versions before them are not read).
    """
    changes: list[dict[str, Any]] = []
    before: dict[str, Any] = {"articles": [], "claims": {}}
    history = store.dossier_history(story_id, None if last is None else last + 1)
    if last is not None and len(history) == last + 1:
        before = history.pop(0)[1]  # the version the oldest change shown is compared with
    for updated, snapshot in history:
        claims, old = snapshot.get("claims", {}), before.get("claims", {})
        seen = set(before.get("articles", []))
        change = {
            "updated": updated,
            "articles_added": [a for a in snapshot.get("articles", []) if a not in seen],
            "claims_added": sorted(t for t in claims if t not in old),
            "status_changes": [
                {"claim": t, "from": old[t], "to": s}
                for t, s in sorted(claims.items())
                if t in old and old[t] != s
            ],
            "claims_gone": sorted(t for t in old if t not in claims),
        }
        before = snapshot
        if since is None or updated > since:
            changes.append(change)
    return changes


def dossier(store: SQLiteStore, story_id: str) -> Dossier:
    """One story's dossier (an id merged into another story gets the merged story's)."""
    return dossiers(store, [store.resolve_story(story_id)])[0]


def merge_stories(store: SQLiteStore, old_id: str, into_id: str) -> str:
    """Fold story ``old_id`` into ``into_id``; returns the id of the merged story.

    The merged story keeps ``into_id``; ``old_id`` is recorded as an alias of it, so
    ``storyline dossier OLD`` and the web's /story/OLD follow to the merged story. The
    next ingest clusters new articles against the merged story's combined state.
    """
    from storyline.errors import NotFoundError
    from storyline.io.store.sqlite import story_id as sid_of
    from storyline.stages.corpus.cluster import merge_states

    old_id, into_id = store.resolve_story(old_id), store.resolve_story(into_id)
    key_of = {sid_of(key): key for key in store.story_members()}
    missing = [i for i in (old_id, into_id) if i not in key_of]
    if missing:
        raise NotFoundError(f"no story {', '.join(missing)} in {store.path}")
    old_key, into_key = key_of[old_id], key_of[into_id]
    states = store.cluster_states()
    store.merge_stories(old_key, into_key, merge_states(states[into_key], states[old_key]))
    return into_id


@dataclass(slots=True)
class BuildReport:
    """What a build did: the ingest report, the stories it assembled and the index it wrote.

    ``assembled`` are the ids of the stories assembled by this build (new or changed; their
    dossiers are in the store and under ``out``: a build holds one round of them at a time);
    ``stories`` every story in the output folder; ``rendered`` the stories whose files
    were written.
    """

    ingest: IngestReport
    assembled: tuple[str, ...]
    index: Path
    problems: list[StageProblem] = field(default_factory=list)  # stages that failed
    stories: tuple[str, ...] = ()
    rendered: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when no input was skipped and no stage failed."""
        return self.ingest.ok and not self.problems


def build(
    paths: Iterable[str | Path],
    out: str | Path,
    store: SQLiteStore,
    progress: ProgressLike = None,
    runner: Runner | None = None,
) -> BuildReport:
    """Ingest ``paths``, run the pipeline and bring the dossier files under ``out`` up to date.

    Only the stories whose members or pipeline changed are assembled, and only the stories
    whose files are missing or out of date are rendered (see :func:`write_dossiers`).
    """
    from storyline.backends import LazyRunner, default_runner
    from storyline.pipeline import BATCH as PARSE_BATCH

    # with no runner given, one pool for the whole build, started by the first batch of
    # documents to clean or the first round to annotate (a small build starts none)
    own = (
        None
        if runner is not None
        else LazyRunner(lambda: default_runner(ANNOTATE_ROUND // PARSE_BATCH))
    )
    workers = runner if own is None else own
    stream = StreamedAnnotation(store, workers)
    try:
        report = ingest(paths, store, progress, stored=stream.stored, runner=workers)
        stream.finish()
        after = runner if own is None else own.made  # None: update_output sizes its own
        return update_output(store, out, runner=after, progress=progress, ingested=report)
    finally:
        if own is not None:
            own.close()  # the pool this build started, used by the whole build


def update_output(
    store: SQLiteStore,
    out: str | Path,
    runner: Runner | None = None,
    progress: ProgressLike = None,
    ingested: IngestReport | None = None,
) -> BuildReport:
    """A build after its ingest: cluster, assemble the changed stories, write what changed.

    The changed stories are assembled and their files written round by round (see
    :data:`ASSEMBLE_ROUND`): memory holds one round, whatever the corpus size. Stage
    failures are isolated and recorded in the store (and listed in the report).
    """
    from storyline.io.writers import write_story

    problems: list[StageProblem] = []
    written: dict[str, dict[str, Any]] = {}
    own = runner is None and not store.read_only  # one pool for every round, closed here
    if own:  # a pool starts its workers on first use: a build with nothing new starts none
        from storyline.backends import default_runner
        from storyline.pipeline import BATCH as PARSE_BATCH

        runner = default_runner(store.article_count() // PARSE_BATCH)
    try:
        if not store.read_only:
            _annotate_new_while_clustering(store, runner, progress)
        # only the records and files are written: the Dossiers stay on the workers
        rounds = _refresh(store, runner, problems, progress, keep=False, out=Path(out))
        for done in rounds:
            for a in done:  # the files a worker wrote, or those it sent back
                if a.written is not None:
                    written[a.story_id] = a.written
                elif a.output is not None:
                    written[a.story_id] = write_story(Path(out), a.output, a.fingerprint)
    finally:
        if own and runner is not None:
            runner.close()
    if problems:
        store.record_problems(problems)
    report, stories = write_dossiers(store, Path(out), written, progress)
    return BuildReport(
        ingest=ingested or IngestReport(),
        assembled=tuple(sorted(written)),
        index=report.index,
        problems=problems,
        stories=stories,
        rendered=report.rendered,
    )


def _annotate_new_while_clustering(
    store: SQLiteStore, runner: Runner | None, progress: ProgressLike
) -> None:
    """Annotate the new articles while they are clustered.

    An article's annotation does not depend on its story, so the workers parse the new
    articles while a thread of this process assigns them to stories (clustering is one
    process's work and would leave the other cores idle); this thread meanwhile saves the
    annotation rounds. The story assignment is pure: it is saved here once both are done.
    The assembly then finds the new members annotated. A large ingest goes through this
    round by round (:func:`news_rounds`), so memory holds one round's articles.
    """
    from storyline.pipeline import article_key

    for new in news_rounds(store):  # one round unless the ingest is large (CLUSTER_ROUND)
        have = store.annotated_ids(article_key())
        todo = [a for a in new if a.id not in have]
        rounds = (todo[i : i + ANNOTATE_ROUND] for i in range(0, len(todo), ANNOTATE_ROUND))
        # the vectors the workers made with the streamed rounds; the clustering thread
        # embeds the rest itself (the rounds below embed nothing: it could not wait for
        # them without waiting for their annotation)
        clustering = _in_background(_cluster_embedded, *_clustering_inputs(store, new))
        for _ in _annotation_rounds(store, rounds, len(todo), runner, progress):
            pass  # saved as they come
        _save_clustered(store, clustering())


def _in_background(func: Callable[..., R], *args: Any) -> Callable[[], R]:
    """Start ``func(*args)`` in a daemon thread; the returned call waits for its result (or
    raises its exception). A daemon thread: Ctrl-C ends the process without waiting for it,
    so ``func`` must write nothing (the caller saves what it returns)."""
    import threading

    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["result"] = func(*args)
        except BaseException as exc:  # handed to the caller, raised in its thread
            box["error"] = exc

    thread = threading.Thread(target=run, name=getattr(func, "__name__", "work"), daemon=True)
    thread.start()

    def result() -> R:
        thread.join()
        if "error" in box:
            raise box["error"]
        return box["result"]  # type: ignore[no-any-return]

    return result


def write_dossiers(
    store: SQLiteStore,
    out: Path,
    written: dict[str, dict[str, Any]] | None = None,
    progress: ProgressLike = None,
) -> tuple[WriteReport, tuple[str, ...]]:
    """Write every stored story's files under ``out``; returns what was written and the ids.

    ``written`` are the manifest entries of the stories this build assembled and wrote
    already (:func:`storyline.io.writers.write_story`); a story whose files the output
    manifest lists under its current fingerprint is skipped without being restored from
    the store, so a build with nothing new costs little more than its reading.
    """
    from storyline.io.codec import from_dict
    from storyline.io.writers import story_output, write_stories

    written = written or {}
    prints = store.dossier_record_fingerprints()
    for story_id, entry in written.items():  # a read-only store keeps no record of them
        prints[story_id] = entry["fingerprint"]
    ids = sorted(s.id for s in store.stories() if s.id in prints)

    def render(story_id: str) -> StoryOutput:
        (_, record) = store.dossier_records([story_id])[story_id]
        return story_output(from_dict(Dossier, json.loads(record)))

    report = write_stories(
        out,
        [(i, prints[i]) for i in ids],
        render,
        writers=writers_fingerprint(),
        written=written,
        start=lambda n: _phase(progress, "write", n),
        tick=lambda n: _tick(progress, n),
    )
    return report, tuple(ids)


def extract_record(item: Article | InputProblem) -> dict[str, Any]:
    """The ``storyline extract`` contract for one input."""
    if isinstance(item, InputProblem):
        return {
            "input": item.input,
            "ok": False,
            "title": None,
            "text": "",
            "outlet": None,
            "published": None,
            "byline": None,
            "wire": None,
            "language": None,
            "captions": [],
            "error": f"{item.reason}: {item.detail}" if item.detail else item.reason,
        }
    body = [item.text[b.start : b.end] for b in item.blocks if b.kind != "caption"]
    return {
        "input": item.input,
        "ok": True,
        "id": item.id,
        "url": item.url,
        "title": item.title,
        "text": "\n\n".join(body),
        "outlet": item.outlet,
        "published": item.published.start.isoformat() if item.published else None,
        "published_precision": item.published.precision if item.published else None,
        "published_time": item.published_time,
        "updated": item.updated.start.isoformat() if item.updated else None,
        "canonical_url": item.canonical_url,
        "meta_sources": dict(item.meta_sources),
        "byline": item.byline,
        "wire": item.wire,
        "language": item.language,
        "credits": list(item.credits),
        "headings": [item.text[b.start : b.end] for b in item.blocks if b.kind == "heading"],
        "captions": [
            {"text": item.text[b.start : b.end], "language": b.language}
            for b in item.blocks
            if b.kind == "caption"
        ],
        "error": None if body else "no article text found",
    }


def search(
    store: SQLiteStore, query: str, limit: int = 20, offset: int = 0
) -> list[dict[str, Any]]:
    """Full-text search over the stored articles (FTS5 syntax: OR, NOT, prefix*, "phrases").

    Each hit names its article, title, a snippet with matches in [brackets] (and as
    ``parts``: text pieces with ``mark`` true for a match), its outlet, stated publication
    day and story. A malformed query raises SearchSyntaxError.
    """
    from storyline.io.store.sqlite import SNIPPET_CLOSE, SNIPPET_OPEN

    def parts(snippet: str) -> list[dict[str, Any]]:
        pieces = snippet.replace(SNIPPET_CLOSE, SNIPPET_OPEN).split(SNIPPET_OPEN)
        return [{"text": p, "mark": i % 2 == 1} for i, p in enumerate(pieces) if p]

    return [
        {
            "article": h.article_id,
            "title": h.title,
            "snippet": h.snippet.replace(SNIPPET_OPEN, "[").replace(SNIPPET_CLOSE, "]"),
            "parts": parts(h.snippet),
            "outlet": h.outlet,
            "published": h.published,
            "story": h.story_id,
        }
        for h in store.search_articles(query, limit=limit, offset=offset)
    ]
